"""`python -m assistant.action_server --port N`: rasa-sdk's action server, as this project runs it.

Differences from `python -m rasa_sdk`, each for a reason:
- It loads the passage index and embedding model before it listens, so `/health` answering
  means the actions can run (readiness), the first guideline question is not slow, and a
  missing or damaged index stops the start with the rebuild command. It also runs one search
  (the model's first forward pass, 3 s in the load benchmark) and ingests the corpus the quoted
  sources come from (~2 s), which the first guideline question and the first recommendation
  after a start would otherwise wait for.
- It listens on 127.0.0.1 unless told otherwise and sends no CORS headers: only the Rasa server
  calls it; only the FastAPI app faces the intranet.
- Logs are JSON lines at INFO (assistant/logs.py).
- torch encodes a guideline question on one thread: the action server shares two cores with the
  Rasa server and the app, and torch's default (a spinning thread per core) made one query's
  encoding take 100-1300 ms on the loaded machine instead of 17-95 ms (docs/benchmarks.md).
- rasa-sdk's error handler answers a failing action with the request body — the whole tracker,
  with everything the user wrote — and the Rasa server logs that answer. Here a failure is
  answered and logged with the action's name, the exception's type and the code location only.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
import traceback

from sanic import Sanic, response
from sanic.request import Request

from assistant.collector import freeze_start_up_objects
from assistant.logs import configure_logging
from knowledge.corpus import load_passages
from knowledge.retrieval import IndexMissingError, load_retriever

logger = logging.getLogger("assistant.action_server")

ACTIONS_PACKAGE = "actions"
_ACTION_NAME = re.compile(r"^[a-z0-9_]{1,80}$")


async def _action_failed(request: Request, exception: Exception) -> response.HTTPResponse:
    action = _action_name(request)
    # Frames only: the exception's message may quote the tracker (a KeyError on user text, say).
    where = "".join(traceback.format_tb(exception.__traceback__)[-3:])
    logger.error("custom action %s failed with %s\n%s", action, type(exception).__name__, where)
    return response.json({"error": "Åtgärden misslyckades.", "action_name": action}, status=500)


def _action_name(request: Request) -> str:
    try:
        name = (request.json or {}).get("next_action", "")
    except Exception:  # an unreadable body has no action name; the handler must still answer
        return "okänd"
    return name if isinstance(name, str) and _ACTION_NAME.match(name) else "okänd"


def _one_torch_thread() -> None:
    import torch

    torch.set_num_threads(1)


def create_app() -> Sanic:
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
    _one_torch_thread()
    try:
        load_retriever().search("daglig sysselsättning", k=1)
        load_passages()
    except IndexMissingError as error:
        logger.error("%s", error)
        print(error, file=sys.stderr)
        return 2
    app = create_app()
    freeze_start_up_objects()
    logger.info("Actionservern lyssnar på http://%s:%d", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
