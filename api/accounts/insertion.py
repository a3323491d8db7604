"""Writing many new documents in one request, and taking them back: what an import needs.

On MongoDB the documents go in `insert_many` batches. In the embedded store every request holds
the store for its whole duration (api.db.SerialisedStoreMiddleware), and mongomock checks a
unique index by scanning the whole collection on every insert: an import of a thousand
check-ins into a store in use would hold up every other user for as long as it runs. There the
writes go one at a time, and let go of the store for a moment whenever they have held it for
SLICE_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from bson import ObjectId
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError

from api import db

#: Documents per insert_many (and per delete) on MongoDB.
BATCH = 500
#: In the embedded store: how long a run of writes may hold the store, and how long it then
#: lets go (long enough for a waiting thread to take it; that thread's request then runs).
SLICE_SECONDS = 0.05
PAUSE_SECONDS = 0.002
_DUPLICATE_KEY = 11000


class Pacer:
    """Lets other requests use the embedded store between runs of writes; free on MongoDB."""

    def __init__(self) -> None:
        self._since = time.monotonic()

    def breathe(self) -> None:
        if db.is_embedded() and time.monotonic() - self._since >= SLICE_SECONDS:
            with db.store_released():
                time.sleep(PAUSE_SECONDS)
            self._since = time.monotonic()


def _batches(items: Sequence) -> list[Sequence]:
    size = 1 if db.is_embedded() else BATCH
    return [items[start : start + size] for start in range(0, len(items), size)]


def insert_new(
    collection: Collection, documents: Sequence[dict], tried: list[ObjectId], pacer: Pacer
) -> int:
    """Insert `documents` (each with its `_id`), skipping those a unique index already holds
    (written meanwhile by another request); returns how many were inserted.

    Every `_id` is added to `tried` before it is written, so that a failure half way can be
    undone with `remove`, whatever the failure left behind.
    """
    inserted = 0
    for batch in _batches(documents):
        tried.extend(document["_id"] for document in batch)
        try:
            inserted += len(collection.insert_many(batch, ordered=False).inserted_ids)
        except BulkWriteError as error:
            problems = error.details.get("writeErrors", [])
            if any(problem.get("code") != _DUPLICATE_KEY for problem in problems):
                raise
            inserted += len(batch) - len(problems)
        pacer.breathe()
    return inserted


def remove(collection: Collection, owner: ObjectId, ids: Sequence[ObjectId], pacer: Pacer) -> None:
    """Delete the documents of `owner` with these ids (those never written are no matter)."""
    for start in range(0, len(ids), BATCH):
        collection.delete_many({"owner": owner, "_id": {"$in": list(ids[start : start + BATCH])}})
        pacer.breathe()
