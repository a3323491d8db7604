"""Answering a service's refusal (a domain exception) over HTTP: one status, its own message."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from flask_smorest import abort


@contextlib.contextmanager
def refused(status: int, *refusals: type[Exception]) -> Iterator[None]:
    """Answer any of these exceptions raised inside the block with `status` and its message."""
    try:
        yield
    except refusals as refusal:
        abort(status, message=str(refusal))
