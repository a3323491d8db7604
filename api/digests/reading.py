"""Reading stored digests, whichever version of the builder stored them.

A digest stored before summaries had a headline and highlights gets them at read, rendered from
its own stored numbers and the client's part names: the text is a pure function of those, so
this costs one query for the part names of a whole page and no check-in read. The stored
paragraph and bullets are kept as they were sent. The next build of that week (a read of the
week itself, or the worker's delivery) stores the complete summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from api.digests.building import parts_by_owner
from api.insights import render_headline


def _get(digest: Any, key: str, default: Any = None) -> Any:
    if isinstance(digest, Mapping):
        return digest.get(key, default)
    return getattr(digest, key, default)


def lacks_headline(digest: Any) -> bool:
    summary = _get(digest, "summary") or {}
    return "headline" not in summary or "highlights" not in summary


def with_headlines(digests: Iterable[Any]) -> list[Any]:
    """The digests (documents or preview dicts) as given, except that each one whose summary
    lacks a headline or highlights is replaced by a dict whose summary has them."""
    digests = list(digests)
    stale = [d for d in digests if lacks_headline(d)]
    if not stale:
        return digests
    owners = list(dict.fromkeys(_get(d, "owner") for d in stale))
    names = {
        owner: {str(p["_id"]): p["name"] for p in parts}
        for owner, parts in parts_by_owner(owners).items()
    }
    return [
        _completed(d, names.get(_get(d, "owner"), {})) if lacks_headline(d) else d for d in digests
    ]


def _completed(digest: Any, part_names: Mapping[str, str]) -> dict[str, Any]:
    data = _get(digest, "data")
    return {
        "owner": _get(digest, "owner"),
        "week": _get(digest, "week"),
        "version": _get(digest, "version"),
        "data": data,
        "summary": {**render_headline(data, part_names), **(_get(digest, "summary") or {})},
        "in_progress": _get(digest, "in_progress", False),
        "updated_at": _get(digest, "updated_at"),
    }
