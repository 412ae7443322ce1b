import pytest

from tests.deploy.chart import PRODUCTION_VALUES, render, tools_missing


@pytest.fixture(scope="session")
def chart_tools():
    missing = tools_missing()
    if missing:
        pytest.fail(missing, pytrace=False)


@pytest.fixture(scope="session", params=["default", "production"])
def rendered(request, chart_tools) -> list[dict]:
    """The chart rendered with its default values and with the production-like values file."""
    return render() if request.param == "default" else render(PRODUCTION_VALUES)
