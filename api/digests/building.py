"""Building weekly digests for one client or for all of them.

Clients are taken in batches; for each batch one query reads the check-ins of the week and of
the HISTORY_WEEKS weeks before it, one reads their parts, one reads the digests already stored.
Only new or changed digests are written, so building a week twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bson import ObjectId

from api import db, records
from api.insights import build_digest, render_summary, week_key, week_range
from api.insights.digest import DIGEST_VERSION, HISTORY_WEEKS
from api.models import Digest, Part, User
from api.models.base import utcnow
from api.resources.local_time import local_day

BATCH = 1000


@dataclass
class BuildCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Clients with no check-in that week: no digest is built (and none is sent) for them.
    skipped: int = 0

    def add(self, other: BuildCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.skipped += other.skipped


def last_complete_week(today: dt.date) -> str:
    """The key of the last ISO week that has ended by `today`."""
    return week_key(today - dt.timedelta(days=today.isoweekday()))


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
    clients: Sequence[tuple[ObjectId, str]], week: str, *, skip_empty: bool = True
) -> BuildCounts:
    """Build and store the digests of `week` for (owner id, time zone) pairs, in one batch.

    With `skip_empty`, a client who did not check in that week gets no digest: a weekly
    reflection on nothing would only nag.
    """
    owners = [owner for owner, _ in clients]
    start, end = _history_window(week)
    collection = Digest._get_collection()
    with records.collector_paused():
        checkins = records.read_owners(owners, start, end)
        parts = parts_by_owner(owners)
        with db.store_lock():
            stored = {
                d["owner"]: d
                for d in collection.find(
                    {"owner": {"$in": owners}, "week": week},
                    {"owner": 1, "data": 1, "summary": 1, "version": 1},
                )
            }
        counts, writes = compose_batch(
            clients, week, checkins, parts, stored, skip_empty=skip_empty
        )
        db.bulk_upsert(collection, writes)
    return counts


def compose_batch(
    clients: Sequence[tuple[ObjectId, str]],
    week: str,
    checkins: Mapping[ObjectId, Sequence[dict]],
    parts: Mapping[ObjectId, Iterable[dict]],
    stored: Mapping[ObjectId, dict],
    *,
    skip_empty: bool = True,
) -> tuple[BuildCounts, list[tuple[dict, dict]]]:
    """The digests of a batch, as upserts for those that are new or changed (no I/O)."""
    monday = week_range(week)[0]
    counts, writes, now = BuildCounts(), [], utcnow()
    for owner, timezone in clients:
        mine = checkins.get(owner, ())
        if skip_empty and not any(c["local_date"] >= monday for c in mine):
            counts.skipped += 1
            continue
        data, summary = compose(week, mine, parts.get(owner, ()), timezone)
        fresh = {"version": DIGEST_VERSION, "data": data, "summary": summary}
        before = stored.get(owner)
        if before is not None and all(before.get(k) == v for k, v in fresh.items()):
            counts.unchanged += 1
            continue
        if before is None:
            counts.created += 1
        else:
            counts.updated += 1
        writes.append(
            (
                {"owner": owner, "week": week},
                {"$set": {**fresh, "updated_at": now}, "$setOnInsert": {"created_at": now}},
            )
        )
    return counts, writes


def build_week(week: str, batch: int = BATCH) -> BuildCounts:
    """Build the digests of `week` for every client; running it twice changes nothing."""
    week_range(week)  # fail fast on a malformed key
    with db.store_lock():
        clients = [
            (u["_id"], u.get("timezone") or "UTC")
            for u in User._get_collection().find({"role": "client"}, {"timezone": 1})
        ]
    total = BuildCounts()
    for chunk in records.batched(clients, batch):
        total.add(build_for(chunk, week))
    return total


def ensure_digest(user: User, week: str) -> Digest:
    """The stored digest of `user`'s local ISO `week`, built (or brought up to date) first."""
    build_for([(user.id, user.timezone)], week, skip_empty=False)
    with db.store_lock():
        return Digest.objects.get(owner=user.id, week=week)


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
