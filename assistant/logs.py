"""JSON-line logs for all three processes, with identifiers masked as a last line of defence.

Every record becomes one JSON object on one line: `ts`, `level`, `logger`, `message` and, for
errors, `exc`. Where Rasa is known to put what a user typed (its structured events' `user_text`,
`text` ...; its warning about a message starting with "/") that is removed first; then every
message passes through assistant.personal_data.mask, so even a library that logs a request body
cannot write a name, personnummer, phone number or address to the log.

The three processes read the same dictConfig file, LOGGING_CONFIG (uvicorn `--log-config`,
Rasa `--logging-config-file`, the action server in assistant.action_server). Its level is INFO
and no setting changes it: DEBUG output (Rasa's includes whole trackers) needs an edited file.
"""
from __future__ import annotations

import json
import logging
import re
import time
from functools import lru_cache
from pathlib import Path

from assistant.personal_data import mask

LOGGING_CONFIG = Path(__file__).resolve().parent / "logging.yml"
LOG_LEVEL = "INFO"


def configure_logging() -> None:
    """For processes this project starts itself (uvicorn and Rasa read LOGGING_CONFIG directly)."""
    import logging.config

    import yaml

    logging.config.dictConfig(yaml.safe_load(LOGGING_CONFIG.read_text(encoding="utf-8")))
    # Library warnings (DeprecationWarning at import, …) become JSON records too.
    logging.captureWarnings(True)


# Keys under which Rasa's structured log events carry what a user typed or what the bot said
# (the list its own anonymiser uses, rasa/utils/log_utils.py, which is off unless a plugin sets it).
USER_TEXT_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
    "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
    "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
    "json_message",
})
REMOVED = "[borttaget]"
# Rasa's warnings that quote a whole message (rasa/shared/core/training_data/story_reader/
# yaml_story_reader.py: a message starting with "/" that is no known intent).
_QUOTED_MESSAGE = re.compile(r"(Failed to parse arguments in line )'.*?'(?=\. )|(Continuing without ).*?(?=\. ?$)", re.DOTALL)


def without_user_text(message: str) -> str:
    """The log message with what a user typed taken out where Rasa is known to put it."""
    if message.startswith("{") and message.endswith("}"):
        try:
            event = json.loads(message)
        except ValueError:
            event = None
        if isinstance(event, dict):
            return json.dumps({k: REMOVED if k in USER_TEXT_KEYS else v for k, v in event.items()}, ensure_ascii=False)
    return _QUOTED_MESSAGE.sub(lambda m: (m.group(1) or m.group(2)) + REMOVED, message)


# The same short lines recur: the action server logs one per recommendation, the versions the same
# and the primary one of a few, and masking it again cost about 0.8 ms of CPU each time (a tenth of
# the action server's CPU per turn, docs/benchmarks.md session 15). Their masked text is kept for
# the latest lines up to this length; longer ones are masked every time.
_KEPT_LINE_CHARS = 500


@lru_cache(maxsize=64)
def _masked_short_line(message: str) -> str:
    return mask(message, prose=False).text


def masked_line(message: str) -> str:
    if len(message) <= _KEPT_LINE_CHARS:
        return _masked_short_line(message)
    return mask(message, prose=False).text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": masked_line(without_user_text(record.getMessage())),
        }
        if record.exc_info:
            entry["exc"] = mask(self.formatException(record.exc_info), prose=False).text
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        return json.dumps(entry, ensure_ascii=False)
