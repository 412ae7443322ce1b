from tests.session_fixtures import session_store  # noqa: F401 - a fixture
