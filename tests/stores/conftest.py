"""Real PostgreSQL and Redis for the store tests. Missing binaries fail the tests (never skip)
with the command that installs them."""
import uuid

import pytest

from tests.stores.services import MissingService, PostgresServer, RedisServer


@pytest.fixture(scope="session")
def postgres():
    try:
        server = PostgresServer()
    except MissingService as error:
        pytest.fail(str(error), pytrace=False)
    server.start()
    yield server
    server.remove()


@pytest.fixture
def postgres_db(postgres: PostgresServer) -> str:
    """A fresh database on the shared server; returns its name."""
    name = f"t{uuid.uuid4().hex[:12]}"
    postgres.create_database(name)
    return name


@pytest.fixture(scope="session")
def redis_server():
    try:
        server = RedisServer()
    except MissingService as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.remove()
