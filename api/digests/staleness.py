"""When a stored digest no longer matches the journal, and how a build knows it read in time.

A digest of week W is built from the check-ins of W and of the HISTORY_WEEKS weeks before it (its
comparisons' history). So a check-in dated in week W that is created, corrected or deleted
changes the digests of W and of the HISTORY_WEEKS weeks after it, and no other.

Correct with several API processes and workers on one MongoDB, with no state in memory:

- The writer, AFTER its check-in write: (1) increments the owner's revision in
  `digest_revisions` (`checkins_changed`; one document per owner), then (2) sets `stale: true`
  on the owner's stored digests of the affected weeks (one update_many; weeks with no stored
  digest need nothing: the next build reads the journal as it is).
- A build (`api.digests.building.build_for`): (a) reads the owners' revisions, (b) reads the
  check-ins, (c) writes its digests with `stale: false`, (d) reads the revisions again, and marks
  stale again the digests of any owner whose revision moved.

If a build's read (b) missed a check-in write, that writer's increment (1) came after (a). Either
it also came before (d), and the build marks its own digest stale; or it came after (d), so the
writer's (2) comes after the build's write (c) and marks it. A digest whose build missed a change
is therefore never left with `stale: false`. A false alarm (an unrelated edit of the same owner
during the build) only costs one rebuild at the next read.

A stale digest is rebuilt at its next read (`api.digests.reading.up_to_date`), one week at a
time: an edit never rebuilds a whole history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from bson import ObjectId

from api import db
from api.domain.local_time import possible_local_days
from api.insights.digest import HISTORY_WEEKS
from api.insights.weeks import week_key, week_start
from api.models import Digest
from api.models.digest import DigestRevision

#: A build treats a week as finished by its own clock; a writer whose clock is behind by up to
#: this much still marks the digests a build may already have stored.
CLOCK_MARGIN = dt.timedelta(hours=1)


def revisions_collection():
    return DigestRevision._get_collection()


def affected_weeks(days: Iterable[dt.date | dt.datetime | None]) -> list[str]:
    """The weeks whose digests read a check-in dated on one of `days`: its own week and the
    HISTORY_WEEKS weeks after it (they compare with it), oldest first."""
    mondays = {week_start(_as_date(d)) for d in days if d is not None}
    weeks = {week_key(m + dt.timedelta(weeks=i)) for m in mondays for i in range(HISTORY_WEEKS + 1)}
    return sorted(weeks)


def checkins_changed(
    owner: ObjectId,
    days: Iterable[dt.date | dt.datetime | None],
    now: dt.datetime | None = None,
) -> list[str]:
    """Mark stale the owner's stored digests that read a check-in dated on one of `days`.

    Call it after the check-in was written (created, corrected: with its old and new dates,
    deleted). Returns the weeks marked. A check-in of a week that has not ended anywhere on
    Earth (allowing for a build's clock ahead by CLOCK_MARGIN) touches no stored digest: only
    finished weeks are stored, and the weeks after it are later still. So today's check-in, the
    common case, costs no write here, whatever the owner's time zone.
    """
    now = now or dt.datetime.now(dt.UTC)
    # The last day that has ended in the zone furthest ahead (UTC+14).
    last_ended = possible_local_days(now + CLOCK_MARGIN)[1] - dt.timedelta(days=1)
    days = [_as_date(d) for d in days if d is not None]
    if not any(week_start(d) + dt.timedelta(days=6) <= last_ended for d in days):
        return []
    weeks = affected_weeks(days)
    with db.store_lock():
        revisions_collection().update_one({"owner": owner}, {"$inc": {"n": 1}}, upsert=True)
        Digest._get_collection().update_many(
            {"owner": owner, "week": {"$in": weeks}}, {"$set": {"stale": True}}
        )
    return weeks


def revisions(owners: Sequence[ObjectId]) -> dict[ObjectId, int]:
    """Each owner's revision (absent: never changed since digests were first kept)."""
    with db.store_lock():
        found = revisions_collection().find({"owner": {"$in": list(owners)}}, {"owner": 1, "n": 1})
        return {doc["owner"]: doc["n"] for doc in found}


def recheck(owners: Sequence[ObjectId], week: str, before: dict[ObjectId, int]) -> list[ObjectId]:
    """After a build of `week`: mark stale the digests of the owners whose revision moved since
    `before` was read (their build may have missed a change). Returns those owners."""
    after = revisions(owners)
    moved = [owner for owner in owners if after.get(owner) != before.get(owner)]
    if moved:
        with db.store_lock():
            Digest._get_collection().update_many(
                {"owner": {"$in": moved}, "week": week}, {"$set": {"stale": True}}
            )
    return moved


def _as_date(day: dt.date | dt.datetime) -> dt.date:
    return day.date() if isinstance(day, dt.datetime) else day
