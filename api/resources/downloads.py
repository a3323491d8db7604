"""Files to download: CSV (with spreadsheet formula injection defused) and JSON attachments."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response

#: A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    """A CSV attachment (UTF-8, a header row, CRLF line ends as RFC 4180 says)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


def json_response(data: Any, filename: str, mimetype: str = "application/json") -> Response:
    """A JSON attachment."""
    response = Response(json.dumps(data, ensure_ascii=False), mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response
