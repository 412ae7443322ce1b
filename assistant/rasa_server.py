"""`python -m assistant.rasa_server run …`: `rasa run` as this project allows it.

- Telemetry is off whatever the environment says: Rasa would otherwise send usage data out of
  the city's network (it is on by default).
- Rasa's HTTP API (models, trackers, events) stays closed unless INSATSLOTSEN_RASA_JWT_SECRET is
  set, and then only with JWT. `--auth-token` is refused: Rasa reads that token from `?token=`
  in the URL, which ends up in access logs. `--enable-api` on its own would open the API to
  anyone who can reach the port. The secret goes from the environment to Rasa's arguments inside
  this process, so it never shows in the process list.
- Rasa's own behaviour is changed only by assistant/rasa_workarounds.py (the compiled action
  result validator, the notice when the action server is down, the SQLite tuning, the log
  handler, Sanic's websockets on Python 3.11, socket.io payloads), applied here explicitly
  before Rasa starts; it refuses to start on library versions it was not written for.
"""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

from assistant.channels.teams_env import teams_env
from assistant.logs import configure_logging
from knowledge.offline import apply_offline_environment

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


def main() -> None:
    apply_offline_environment(force=True)
    # Rasa refuses to start when a ${VARIABLE} of credentials.yml is unset; a container or pod sets
    # only the Teams variables it needs, the rest keep teams_env's defaults.
    for name, value in teams_env(os.environ).items():
        os.environ.setdefault(name, value)
    arguments = hardened_arguments(sys.argv[1:], os.environ)
    configure_logging()
    import rasa.__main__

    from assistant import rasa_workarounds

    applied = rasa_workarounds.apply_all()
    logger.info("Rasa-ändringar tillämpade: %s", ", ".join(applied))
    sys.argv = ["rasa", *arguments]
    rasa.__main__.main()


if __name__ == "__main__":
    main()
