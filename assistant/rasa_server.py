"""`python -m assistant.rasa_server run …`: `rasa run` as this project allows it.

- Telemetry is off whatever the environment says: Rasa would otherwise send usage data out of
  the city's network (it is on by default).
- Rasa's HTTP API (models, trackers, events) stays closed unless INSATSLOTSEN_RASA_JWT_SECRET is
  set, and then only with JWT. `--auth-token` is refused: Rasa reads that token from `?token=`
  in the URL, which ends up in access logs. `--enable-api` on its own would open the API to
  anyone who can reach the port. The secret goes from the environment to Rasa's arguments inside
  this process, so it never shows in the process list.
- Logs stay JSON lines: Rasa 3.6 reads `--logging-config-file` and then installs a coloured text
  handler on the root logger (rasa/__main__.py); that handler is not installed here.
- Each custom action's result is checked against Rasa's response schema with one compiled
  validator. Rasa 3.6 calls `jsonschema.validate`, which first validates the schema itself
  against the draft 2020-12 meta-schema, on every action call: a third of the Rasa server's CPU
  time per turn in the load benchmark (docs/benchmarks.md).
- An SQLite tracker store keeps its connection and runs in WAL mode with synchronous=NORMAL:
  Rasa saves on the event loop, and a new connection plus the rollback journal's fsyncs on every
  save were another third (11–18 ms per save; 1 ms after). A commit survives a crash of the
  process; after a power cut the last turns may be lost. (PostgreSQL is untouched.)
- When the action server cannot be reached, Rasa 3.6 logs the error and sends nothing at all
  (MessageProcessor._run_action drops the action's events). Here the action answers with
  KNOWLEDGE_UNREACHABLE instead, in every channel — Teams too, whose replies no proxy sees —
  and sets no slot: the conversation waits at the same question, and resending continues it.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import sys
from collections.abc import Mapping

from assistant.channels.teams_env import teams_env
from assistant.logs import configure_logging
from assistant.user_input import KNOWLEDGE_UNREACHABLE

logger = logging.getLogger(__name__)

JWT_SECRET_VARIABLE = "INSATSLOTSEN_RASA_JWT_SECRET"
MIN_SECRET_CHARS = 32


class RefusedArguments(SystemExit):
    pass


def hardened_arguments(arguments: list[str], environment: Mapping[str, str]) -> list[str]:
    for argument in arguments:
        if argument in {"-t", "--auth-token"} or argument.startswith("--auth-token="):
            raise RefusedArguments("--auth-token används inte: token i URL:en hamnar i åtkomstloggar. Använd JWT.")
        if argument == "--enable-api" or argument.startswith("--jwt"):
            raise RefusedArguments(
                f"Rasas HTTP-API slås på med {JWT_SECRET_VARIABLE} (JWT), inte med {argument}."
            )
    secret = environment.get(JWT_SECRET_VARIABLE, "")
    if not secret:
        return list(arguments)
    if len(secret) < MIN_SECRET_CHARS:
        raise RefusedArguments(f"{JWT_SECRET_VARIABLE} måste vara minst {MIN_SECRET_CHARS} tecken.")
    return [*arguments, "--enable-api", "--jwt-secret", secret, "--jwt-method", "HS256"]


def compile_action_result_schema() -> None:
    """Same check as RemoteAction._validate_action_result, with the validator built once."""
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)

    def validate_action_result(self, result) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is not None:
            error.message += ". Failed to validate Action server response from API."
            raise error
        return True

    RemoteAction._validate_action_result = validate_action_result


def answer_when_action_server_is_unreachable() -> None:
    import aiohttp
    from rasa.core.actions.action import RemoteAction, create_bot_utterance
    from rasa.shared.exceptions import RasaException

    run = RemoteAction.run

    async def run_or_say_unreachable(self, output_channel, nlg, tracker, domain):
        try:
            return await run(self, output_channel, nlg, tracker, domain)
        except RasaException as error:
            # Rasa raises this inside its `except aiohttp.ClientConnectionError` block.
            if not isinstance(error.__context__, aiohttp.ClientConnectionError):
                raise
            logger.error("Actionservern kan inte nås; %s besvarades med meddelandet om det", self.name())
            return [create_bot_utterance({"text": KNOWLEDGE_UNREACHABLE})]

    RemoteAction.run = run_or_say_unreachable


def _wal(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def tune_sqlite() -> None:
    import rasa.core.tracker_store as tracker_store
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import SingletonThreadPool

    event.listen(Engine, "connect", _wal)
    stock = tracker_store.create_engine_kwargs

    def engine_kwargs(url) -> dict:
        # SQLAlchemy 1.4 gives a file SQLite database no pool: Rasa opened (and, in WAL mode,
        # checkpointed) a new connection for every read and save. Rasa uses its tracker store
        # from the event loop's thread only, so one kept connection per thread is safe.
        if str(url).startswith("sqlite"):
            return {**stock(url), "poolclass": SingletonThreadPool}
        return stock(url)

    tracker_store.create_engine_kwargs = engine_kwargs


def main() -> None:
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    # Rasa refuses to start when a ${VARIABLE} of credentials.yml is unset; a container or pod sets
    # only the Teams variables it needs, the rest keep teams_env's defaults.
    for name, value in teams_env(os.environ).items():
        os.environ.setdefault(name, value)
    arguments = hardened_arguments(sys.argv[1:], os.environ)
    configure_logging()
    import rasa.__main__
    import rasa.utils.io

    rasa.utils.io.configure_colored_logging = lambda loglevel: None
    compile_action_result_schema()
    answer_when_action_server_is_unreachable()
    tune_sqlite()
    sys.argv = ["rasa", *arguments]
    rasa.__main__.main()


if __name__ == "__main__":
    main()
