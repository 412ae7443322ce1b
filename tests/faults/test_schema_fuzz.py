"""schemathesis generates requests from the app's OpenAPI schema and sends them to the real
stack (the chat endpoint reaches the Rasa server); no response may be a 5xx."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error


@pytest.fixture(scope="session")
def api_schema(stack):
    return schemathesis.openapi.from_url(f"{stack.api_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_the_schema_allows_or_nearly_allows_is_a_server_error(case, stack):
    case.call_and_validate(base_url=stack.api_url, checks=[not_a_server_error], timeout=60)
