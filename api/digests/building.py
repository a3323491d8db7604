"""Building weekly digests for one client or for all of them.

Clients are taken in batches; for each batch one query reads the check-ins of the week and of
the HISTORY_WEEKS weeks before it, one reads their parts, one reads the digests already stored.
Only new or changed digests are written, so building a week twice changes nothing.

What is stored: a digest of a week that has ended in the client's own time zone and holds at
least one of their check-ins. A week under way, or one without a check-in (before the account
existed, or since), is answered when asked (`preview`) but never stored, and a stored digest of
such a week (a week emptied by deletions, or stored by an earlier version) is removed by the
next build. Builds take part in the staleness protocol of `api.digests.staleness`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bson import ObjectId

from api import db, records
from api.digests import staleness
from api.domain.local_time import local_day, local_today
from api.insights import build_digest, render_summary, week_key, week_range
from api.insights.digest import DIGEST_VERSION, HISTORY_WEEKS
from api.models import Digest, Part, User
from api.models.base import utcnow

BATCH = 1000


@dataclass
class BuildCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Clients with no check-in that week: no digest is built (and none is sent) for them.
    skipped: int = 0
    #: Clients in whose time zone the week has not ended yet: nothing is stored for them.
    unfinished: int = 0
    #: Stored digests taken away: their week now has no check-in, or has not ended.
    removed: int = 0

    def add(self, other: BuildCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.skipped += other.skipped
        self.unfinished += other.unfinished
        self.removed += other.removed


def last_complete_week(today: dt.date) -> str:
    """The key of the last ISO week that has ended by `today` (a date in the client's zone)."""
    return week_key(today - dt.timedelta(days=today.isoweekday()))


def week_has_ended(week: str, timezone: str, now: dt.datetime | None = None) -> bool:
    """Whether the local ISO `week` is over in `timezone` at `now`: its Sunday is past there."""
    return local_today(timezone, now) > week_range(week)[1]


def compose(
    week: str, checkins: Sequence[dict], parts: Iterable[dict], timezone: str
) -> tuple[dict, dict]:
    """The digest data and its text for one client, from their records and parts."""
    monday, sunday = week_range(week)
    parts = list(parts)
    named = {str(p["_id"]): local_day(p["created_at"], timezone) for p in parts}
    new_ids = [part for part, day in named.items() if monday <= day <= sunday]
    data = build_digest(week, checkins, checkins, new_part_ids=new_ids)
    summary = render_summary(data, {str(p["_id"]): p["name"] for p in parts})
    return data, summary


def _history_window(week: str) -> tuple[dt.date, dt.date]:
    monday, sunday = week_range(week)
    return monday - dt.timedelta(weeks=HISTORY_WEEKS), sunday


def parts_by_owner(owners: Sequence[ObjectId]) -> dict[ObjectId, list[dict]]:
    """Each owner's parts (id, name, created_at), archived ones included, in one query."""
    grouped: dict[ObjectId, list[dict]] = {owner: [] for owner in owners}
    with db.store_lock():
        found = Part._get_collection().find(
            {"owner": {"$in": list(owners)}}, {"owner": 1, "name": 1, "created_at": 1}
        )
        for part in found:
            grouped[part["owner"]].append(part)
    return grouped


def build_for(
    clients: Sequence[tuple[ObjectId, str]], week: str, now: dt.datetime | None = None
) -> BuildCounts:
    """Build and store the digests of `week` for (owner id, time zone) pairs, in one batch.

    Only for the clients in whose zone the week has ended at `now` (default: the clock) and
    who checked in that week: a weekly reflection on nothing would only nag. Any other stored
    digest of the week is removed.
    """
    counts = BuildCounts()
    ended = [(owner, tz) for owner, tz in clients if week_has_ended(week, tz, now)]
    unfinished = [owner for owner, tz in clients if not week_has_ended(week, tz, now)]
    counts.unfinished = len(unfinished)
    owners = [owner for owner, _ in ended]
    start, end = _history_window(week)
    collection = Digest._get_collection()
    with records.collector_paused():
        revisions = staleness.revisions(owners) if owners else {}
        checkins = records.read_owners(owners, start, end) if owners else {}
        parts = parts_by_owner(owners) if owners else {}
        with db.store_lock():
            stored = {
                d["owner"]: d
                for d in collection.find(
                    {"owner": {"$in": owners + unfinished}, "week": week},
                    {"owner": 1, "data": 1, "summary": 1, "version": 1, "stale": 1},
                )
            }
        removals = [owner for owner in unfinished if owner in stored]
        made, writes = compose_batch(ended, week, checkins, parts, stored, removals=removals)
        counts.add(made)
        db.bulk_upsert(collection, writes)
        if removals:
            with db.store_lock():
                collection.delete_many({"owner": {"$in": removals}, "week": week})
            counts.removed = len(removals)
        if owners:
            staleness.recheck(owners, week, revisions)
    return counts


def compose_batch(
    clients: Sequence[tuple[ObjectId, str]],
    week: str,
    checkins: Mapping[ObjectId, Sequence[dict]],
    parts: Mapping[ObjectId, Iterable[dict]],
    stored: Mapping[ObjectId, dict],
    *,
    removals: list[ObjectId] | None = None,
) -> tuple[BuildCounts, list[tuple[dict, dict]]]:
    """The digests of a batch, as upserts for those that are new, changed or stale (no I/O).

    A client without a check-in that week is skipped; if a digest of theirs is stored, its owner
    is appended to `removals` (when given) for the caller to delete.
    """
    monday = week_range(week)[0]
    counts, writes, now = BuildCounts(), [], utcnow()
    for owner, timezone in clients:
        mine = checkins.get(owner, ())
        if not any(c["local_date"] >= monday for c in mine):
            counts.skipped += 1
            if owner in stored and removals is not None:
                removals.append(owner)
            continue
        data, summary = compose(week, mine, parts.get(owner, ()), timezone)
        fresh = {"version": DIGEST_VERSION, "data": data, "summary": summary}
        before = stored.get(owner)
        if (
            before is not None
            and not before.get("stale")
            and all(before.get(k) == v for k, v in fresh.items())
        ):
            counts.unchanged += 1
            continue
        if before is None:
            counts.created += 1
        else:
            counts.updated += 1
        writes.append(
            (
                {"owner": owner, "week": week},
                {
                    "$set": {**fresh, "stale": False, "updated_at": now},
                    "$setOnInsert": {"created_at": now},
                },
            )
        )
    return counts, writes


def _clients() -> list[tuple[ObjectId, str]]:
    with db.store_lock():
        return [
            (u["_id"], u.get("timezone") or "UTC")
            for u in User._get_collection().find({"role": "client"}, {"timezone": 1})
        ]


def build_week(week: str, batch: int = BATCH, now: dt.datetime | None = None) -> BuildCounts:
    """Build the digests of `week` for every client in whose zone it has ended at `now`;
    running it twice changes nothing."""
    week_range(week)  # fail fast on a malformed key
    total = BuildCounts()
    for chunk in records.batched(_clients(), batch):
        total.add(build_for(chunk, week, now))
    return total


def build_last_complete_weeks(
    now: dt.datetime | None = None, batch: int = BATCH
) -> dict[str, BuildCounts]:
    """Build each client's last complete week in their own time zone at `now`: at one instant
    that is not the same week everywhere (UTC+14 is a day ahead of UTC-11). By week key."""
    now = now or dt.datetime.now(dt.UTC)
    by_week: dict[str, list[tuple[ObjectId, str]]] = {}
    for owner, timezone in _clients():
        by_week.setdefault(last_complete_week(local_today(timezone, now)), []).append(
            (owner, timezone)
        )
    totals = {}
    for week in sorted(by_week):
        totals[week] = BuildCounts()
        for chunk in records.batched(by_week[week], batch):
            totals[week].add(build_for(chunk, week, now))
    return totals


def ensure_digest(user: User, week: str, now: dt.datetime | None = None) -> Digest | dict:
    """The digest of `user`'s local ISO `week`, as a read should answer it.

    A finished week with a check-in: the stored digest, built (or brought up to date) first. A
    week under way: a preview, in progress, not stored. A finished week without a check-in:
    the same gentle "no check-ins" digest a preview gives, not stored (and any digest stored for
    it is removed).
    """
    if not week_has_ended(week, user.timezone, now):
        return preview(user, week)
    build_for([(user.id, user.timezone)], week, now)
    with db.store_lock():
        stored = Digest.objects(owner=user.id, week=week).first()
    return stored if stored is not None else preview(user, week, in_progress=False)


def preview(user: User, week: str, *, in_progress: bool = True) -> dict:
    """The digest of a week computed now and not stored: by default one still under way."""
    start, end = _history_window(week)
    data, summary = compose(
        week,
        records.read_owner(user.id, start, end),
        parts_by_owner([user.id])[user.id],
        user.timezone,
    )
    return {
        "owner": user.id,
        "week": week,
        "version": DIGEST_VERSION,
        "data": data,
        "summary": summary,
        "in_progress": in_progress,
    }
