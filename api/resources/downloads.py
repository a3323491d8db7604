"""Files to download: CSV (with spreadsheet formula injection defused), JSON and PDF attachments."""

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
    return _attachment(buffer.getvalue(), filename, "text/csv")


def _attachment(body: str | bytes, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


def json_response(data: Any, filename: str, mimetype: str = "application/json") -> Response:
    """A JSON attachment."""
    return _attachment(json.dumps(data, ensure_ascii=False), filename, mimetype)


def pdf_response(pdf: bytes, filename: str) -> Response:
    """A PDF attachment."""
    return _attachment(pdf, filename, "application/pdf")
