"""Structured log lines, one JSON object each: ids, kinds, statuses and errors, never a payload,
an endpoint, an address or anything a client wrote."""

from __future__ import annotations

import datetime as dt
import json
import logging

logger = logging.getLogger("partwise.deliveries")

_LEVELS = {
    "failed": logging.WARNING,
    "our_bug": logging.ERROR,
    "refused": logging.ERROR,
    "retry": logging.WARNING,
}


def event(name: str, **fields: object) -> None:
    """Log one event; `status` or `outcome` choose the level."""
    level = _LEVELS.get(str(fields.get("status") or fields.get("outcome")), logging.INFO)
    line = {"event": name, **{k: v for k, v in fields.items() if v is not None}}
    logger.log(level, _dumps(line), extra={"fields": line})


def _dumps(line: dict) -> str:
    return json.dumps(line, default=str, separators=(",", ":"))


class JsonFormatter(logging.Formatter):
    """Every record as one JSON line; an `event`'s fields are top-level keys."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return _dumps(line)


def configure(level: int = logging.INFO) -> None:
    """Send every log record to stderr as JSON lines."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # APScheduler reports every run of every job at INFO: twice a minute of noise.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
