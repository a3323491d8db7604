"""Check-ins read in bulk as plain records for the insights engine (never their notes).

One query per batch of owners, projected to the answers the insights use, straight from the
driver (no mongoengine documents): this is the fast path for trends and for building thousands
of digests at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Sequence

from bson import ObjectId

from api import db
from api.models import Checkin

#: The answers the insights read. Notes are never read here.
PROJECTION = {
    "_id": 0,
    "owner": 1,
    "local_date": 1,
    "mood": 1,
    "energy": 1,
    "emotions": 1,
    "parts": 1,
    "self_energy": 1,
    "regulation": 1,
    "attachment": 1,
}


def to_record(doc: dict) -> dict:
    """A stored check-in as an insights record: local_date a date, part ids strings."""
    doc["local_date"] = doc["local_date"].date()
    for item in doc.get("parts") or ():
        item["part"] = str(item["part"])
    return doc


def _as_datetime(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _date_filter(start: dt.date, end: dt.date) -> dict:
    return {"$gte": _as_datetime(start), "$lte": _as_datetime(end)}


def read_owner(owner: ObjectId, start: dt.date, end: dt.date) -> list[dict]:
    """One client's check-ins dated in [start, end], oldest first."""
    query = {"owner": owner, "local_date": _date_filter(start, end), "deleted_at": None}
    with db.store_lock():
        docs = list(Checkin._get_collection().find(query, PROJECTION).sort("local_date", 1))
    return [to_record(doc) for doc in docs]


def has_checkins(owner: ObjectId, start: dt.date, end: dt.date) -> bool:
    """Does the client have a check-in dated in [start, end]?"""
    query = {"owner": owner, "local_date": _date_filter(start, end), "deleted_at": None}
    with db.store_lock():
        return Checkin._get_collection().find_one(query, {"_id": 1}) is not None


def read_owners(
    owners: Sequence[ObjectId], start: dt.date, end: dt.date
) -> dict[ObjectId, list[dict]]:
    """Check-ins of many clients dated in [start, end], in one query, grouped by owner."""
    query = {
        "owner": {"$in": list(owners)},
        "local_date": _date_filter(start, end),
        "deleted_at": None,
    }
    grouped: dict[ObjectId, list[dict]] = {owner: [] for owner in owners}
    with db.store_lock():
        docs = list(Checkin._get_collection().find(query, PROJECTION))
    return group(docs, grouped)


def group(docs: Iterable[dict], grouped: dict[ObjectId, list[dict]]) -> dict[ObjectId, list[dict]]:
    """Convert raw documents to records and append each to its owner's list."""
    for doc in docs:
        grouped[doc.pop("owner")].append(to_record(doc))
    return grouped


def batched(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector for one batch of bulk work.

    A batch holds hundreds of thousands of small dicts and lists (records, digests) and creates
    no reference cycles, so reference counting frees all of it; meanwhile the collector's full
    passes over that many live containers took about half of a batch's time. Pausing is
    process-wide: only the thread that paused it turns it back on, so it is never left off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
