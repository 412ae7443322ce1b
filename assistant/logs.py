"""JSON-line logs for all three processes, with identifiers masked as a last line of defence.

Every record becomes one JSON object on one line: `ts`, `level`, `logger`, `message` and, for
errors, `exc`. Messages pass through assistant.personal_data.mask, so even a library that logs
a request body cannot write a personnummer, phone number or e-mail address to the log.

The three processes read the same dictConfig file, LOGGING_CONFIG (uvicorn `--log-config`,
Rasa `--logging-config-file`, the action server in assistant.action_server). Its level is INFO
and no setting changes it: DEBUG output (Rasa's includes whole trackers) needs an edited file.
"""
from __future__ import annotations

import json
import logging
import time
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


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()).text,
        }
        if record.exc_info:
            entry["exc"] = mask(self.formatException(record.exc_info)).text
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        return json.dumps(entry, ensure_ascii=False)
