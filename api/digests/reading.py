"""Reading stored digests, whichever version of the builder stored them, never stale ones.

A stored digest that a check-in change made stale (see `api.digests.staleness`), or that an
earlier version of the builder stored, is rebuilt when it is read (`up_to_date`): one week's
build each, only for the digests being read. One whose week turns out to have no check-in, or
not to have ended, is removed and left out of the answer.

A digest stored before summaries had a headline and highlights gets them at read, rendered from
its own stored numbers and the client's part names: the text is a pure function of those, so
this costs one query for the part names of a whole page and no check-in read. The stored
paragraph and bullets are kept as they were sent. The next build of that week (a read of the
week itself, or the worker's delivery) stores the complete summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from api import db
from api.digests.building import build_for, parts_by_owner
from api.insights import render_headline
from api.insights.digest import DIGEST_VERSION
from api.models import Digest, User


def _get(digest: Any, key: str, default: Any = None) -> Any:
    if isinstance(digest, Mapping):
        return digest.get(key, default)
    return getattr(digest, key, default)


def is_stale(digest: Any) -> bool:
    """A stored digest to rebuild before it is shown: marked stale, or built by an older version
    (previews are computed now and never stale)."""
    if _get(digest, "in_progress", False) or _get(digest, "owner") is None:
        return False
    return bool(_get(digest, "stale", False)) or (_get(digest, "version") or 0) < DIGEST_VERSION


def up_to_date(digests: Iterable[Any]) -> list[Any]:
    """The digests as given, each stale one rebuilt first (or left out when its week no longer
    gets a stored digest). Costs nothing when none is stale."""
    digests = list(digests)
    stale = [d for d in digests if is_stale(d)]
    if not stale:
        return digests
    owners = list(dict.fromkeys(_get(d, "owner") for d in stale))
    with db.store_lock():
        zones = {
            u["_id"]: u.get("timezone") or "UTC"
            for u in User._get_collection().find({"_id": {"$in": owners}}, {"timezone": 1})
        }
    by_week: dict[str, list] = {}
    for d in stale:
        by_week.setdefault(_get(d, "week"), []).append(_get(d, "owner"))
    rebuilt: dict[tuple, Any] = {}
    for week, week_owners in by_week.items():
        clients = [(o, zones[o]) for o in dict.fromkeys(week_owners) if o in zones]
        build_for(clients, week)
        with db.store_lock():
            for doc in Digest.objects(owner__in=[o for o, _ in clients], week=week):
                rebuilt[(doc.owner, week)] = doc
    out = []
    for d in digests:
        if not is_stale(d):
            out.append(d)
        elif (found := rebuilt.get((_get(d, "owner"), _get(d, "week")))) is not None:
            out.append(found)
    return out


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
