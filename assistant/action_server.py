"""`python -m assistant.action_server --port N`: rasa-sdk's action server, as this project runs it.

Differences from `python -m rasa_sdk`, each for a reason:
- It loads the passage index and embedding model before it listens, so `/health` answering
  means the actions can run (readiness), the first guideline question is not slow, and a
  missing or damaged index stops the start with the rebuild command.
- It listens on 127.0.0.1 unless told otherwise; only the FastAPI app faces the intranet.
- Logs are JSON lines at INFO (assistant/logs.py).
- rasa-sdk's error handler returns the request body — the whole tracker, with everything the
  user wrote — to the Rasa server, which logs it. Here a failing action answers a plain 500.
"""
from __future__ import annotations

import argparse
import logging
import sys

from sanic import response

from assistant.logs import configure_logging
from knowledge.retrieval import IndexMissingError, load_retriever

logger = logging.getLogger("assistant.action_server")

ACTIONS_PACKAGE = "actions"


async def _action_failed(request, exception: Exception):
    # Only the exception's type: its message may quote the tracker, and the body is the tracker.
    logger.error("Åtgärden misslyckades: %s", type(exception).__name__)
    return response.json({"error": "Åtgärden kunde inte köras.", "exception": type(exception).__name__}, status=500)


def create_app():
    from rasa_sdk.endpoint import create_app as create_sdk_app

    app = create_sdk_app(ACTIONS_PACKAGE, cors_origins="")
    app.error_handler.add(Exception, _action_failed)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.action_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    configure_logging()
    try:
        load_retriever()
    except IndexMissingError as error:
        logger.error("%s", error)
        print(error, file=sys.stderr)
        return 2
    app = create_app()
    logger.info("Actionservern lyssnar på http://%s:%d", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
