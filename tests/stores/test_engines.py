"""assistant.stores.engines: the app's engines, and tables created by replicas that start together.

The race is made deterministic: between create_all's look for the table and its CREATE, a second
connection (the other replica) creates the table first."""
import pytest
import sqlalchemy as sa

from assistant import session_registry
from assistant.session_registry import SessionRegistry, SessionsUnavailable, Superseded
from assistant.stores import engines


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/app.db"
    postgres = request.getfixturevalue("postgres")
    return postgres.url(request.getfixturevalue("postgres_db"))


def other_replica_creates_first(table: sa.Table, url: str):
    """A before_create hook that creates `table` through a connection of its own, once."""
    def create(target, connection, **_):
        if getattr(create, "done", False):
            return
        create.done = True
        # The other replica: its own engine and its own metadata object.
        other = sa.create_engine(url)
        try:
            target.to_metadata(sa.MetaData()).create(other)
        finally:
            other.dispose()
    return create


def test_a_table_another_replica_created_between_look_and_create_is_used(database_url):
    metadata = sa.MetaData()
    table = sa.Table("race", metadata, sa.Column("id", sa.Integer, primary_key=True))
    hook = other_replica_creates_first(table, database_url)
    sa.event.listen(table, "before_create", hook)

    engine = engines.engine_for(database_url, metadata)

    assert hook.done
    with engine.begin() as connection:
        connection.execute(table.insert().values(id=1))
        assert connection.execute(sa.select(table.c.id)).scalars().all() == [1]


def test_without_the_second_look_the_later_create_fails(database_url):
    """What stock create_all does in the same race: shows the test above tests the race."""
    metadata = sa.MetaData()
    table = sa.Table("race_stock", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.event.listen(table, "before_create", other_replica_creates_first(table, database_url))
    engine = sa.create_engine(database_url)
    try:
        with pytest.raises(sa.exc.DBAPIError):
            metadata.create_all(engine)
    finally:
        engine.dispose()


def test_a_session_registry_first_asked_during_a_parallel_start_still_checks_tokens(database_url):
    hook = other_replica_creates_first(session_registry.session_state, database_url)
    sa.event.listen(session_registry.session_state, "before_create", hook)
    try:
        registry = SessionRegistry(database_url)
        registry.check("s1", 0)
        registry.advance("s1", 0, forget_after=2e9)
    finally:
        sa.event.remove(session_registry.session_state, "before_create", hook)
    assert hook.done
    with pytest.raises(Superseded):
        registry.check("s1", 0)


def test_the_registry_and_feedback_share_one_engine_per_database(tmp_path):
    from assistant import feedback

    url = f"sqlite:///{tmp_path}/shared.db"
    assert SessionRegistry(url)._engine() is feedback._engine(url) is engines.engine_for(url)


def test_a_sqlite_engine_keeps_its_connection_between_checks(tmp_path):
    engine = engines.engine_for(f"sqlite:///{tmp_path}/pooled.db", session_registry._metadata)
    opened = []
    sa.event.listen(engine, "connect", lambda connection, record: opened.append(connection))
    registry = SessionRegistry(f"sqlite:///{tmp_path}/pooled.db")
    for _ in range(5):
        registry.check("a" * 32, 1)
    assert len(opened) <= 1


def test_a_pooled_sqlite_connection_serves_the_app_s_worker_threads_in_turn(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    url = f"sqlite:///{tmp_path}/threads.db"
    registry = SessionRegistry(url)
    registry.advance("b" * 32, 1, forget_after=4102444800.0)
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda _: _superseded(registry, "b" * 32, 1), range(40)))
    assert outcomes == [True] * 40


def _superseded(registry: SessionRegistry, session_id: str, generation: int) -> bool:
    try:
        registry.check(session_id, generation)
    except Superseded:
        return True
    return False


def test_a_query_on_a_local_sqlite_file_runs_on_the_event_loop_and_one_on_a_server_in_a_worker_thread(tmp_path):
    import asyncio
    import threading

    def thread_name() -> str:
        return threading.current_thread().name

    async def both() -> tuple[str, str]:
        return (await engines.blocking_query(f"sqlite:///{tmp_path}/local.db", thread_name),
                await engines.blocking_query("postgresql://db.example:5432/rasa", thread_name))

    local, server = asyncio.run(both())
    assert local == threading.main_thread().name and server != local


def test_a_check_the_database_cannot_answer_is_sessions_unavailable_not_a_crash(tmp_path):
    # The check runs on the driver's connection: its errors, not SQLAlchemy's, must become the 503.
    url = f"sqlite:///{tmp_path}/broken.db"
    registry = SessionRegistry(url)
    registry.check("a" * 32, 0)
    with engines.engine_for(url).begin() as connection:
        connection.execute(sa.text(f"DROP TABLE {session_registry.session_state.name}"))
    with pytest.raises(SessionsUnavailable):
        registry.check("a" * 32, 0)
