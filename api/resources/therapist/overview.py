"""The rows of a therapist's client list: the client, the grant, the last complete week, and what
may need attention, each figure only from a scope the grant shares.

For a page of grants the check-ins are read in one query (the weekly digest's window: the last
complete week and the HISTORY_WEEKS before it, up to today), plus one more only for clients with
no check-in in that window (when was their last?); questionnaire totals in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from bson import ObjectId

from api import db, records
from api.digests import last_complete_week
from api.domain import consent as rules
from api.domain.local_time import local_today
from api.insights import week_range
from api.insights.caseload import client_week
from api.insights.digest import HISTORY_WEEKS
from api.models import Checkin, Consent, QuestionnaireResponse, User
from api.resources.people import person
from api.resources.therapist import attention


def grant_view(grant: Consent) -> dict:
    """The grant as its therapist sees it."""
    return {
        "id": str(grant.id),
        "scopes": rules.in_order(grant.scopes),
        "accepted_at": grant.accepted_at,
        "ends_at": grant.ends_at,
        "label": grant.label,
    }


def rows(grants: Sequence[Consent], clients: Mapping[ObjectId, User], now: dt.datetime) -> list:
    """One row per grant whose client is in `clients`, in the order given."""
    grants = [g for g in grants if g.client in clients]
    today = {g.client: local_today(clients[g.client].timezone, now) for g in grants}
    weeks = {
        g.client: last_complete_week(today[g.client])
        for g in grants
        if rules.allows(g.scopes, "weekly_trends")
    }
    checkins, last = _checkins(weeks, today)
    scored = [g.client for g in grants if rules.allows(g.scopes, "questionnaires")]
    responses = _responses(scored)
    found = []
    for grant in grants:
        c = grant.client
        items: list[dict | None] = []
        if c in weeks:
            items.append(attention.no_recent_checkins(last.get(c), today[c]))
        if c in responses:
            items += attention.questionnaire_worsening(responses[c])
        if c in weeks:
            items.append(attention.mood_worsening(checkins[c], weeks[c]))
        if c in responses:
            items.append(attention.item9(responses[c], today[c]))
        monday = week_range(weeks[c])[0] if c in weeks else None
        found.append(
            {
                "client": person(clients[c]),
                "grant": grant_view(grant),
                "latest_week": client_week(checkins[c], monday) if monday else None,
                "attention": [item for item in items if item is not None],
            }
        )
    return found


def _checkins(
    weeks: Mapping[ObjectId, str], today: Mapping[ObjectId, dt.date]
) -> tuple[dict[ObjectId, list[dict]], dict[ObjectId, dt.date]]:
    """Each client's check-ins of their digest window, and the date of their last check-in."""
    if not weeks:
        return {}, {}
    starts = {c: week_range(w)[0] - dt.timedelta(weeks=HISTORY_WEEKS) for c, w in weeks.items()}
    first = min(starts.values())
    read = records.read_owners(list(weeks), first, max(today.values()))
    # The read spans every client's window: keep each client's own (their zones differ).
    window = {c: [r for r in read[c] if starts[c] <= r["local_date"] <= today[c]] for c in weeks}
    last = {}
    for c in weeks:
        days = [r["local_date"] for r in read[c] if r["local_date"] <= today[c]]
        if days:
            last[c] = max(days)
    if earlier := [c for c in weeks if c not in last]:
        last.update(_last_checkin_days(earlier, first))
    return window, last


def _last_checkin_days(owners: Iterable[ObjectId], before: dt.date) -> dict[ObjectId, dt.date]:
    """The local date of each client's last check-in before `before`, in one query."""
    pipeline = [
        {
            "$match": {
                "owner": {"$in": list(owners)},
                "deleted_at": None,
                "local_date": {"$lt": dt.datetime.combine(before, dt.time(), dt.UTC)},
            }
        },
        {"$group": {"_id": "$owner", "last": {"$max": "$local_date"}}},
    ]
    with db.store_lock():
        found = list(Checkin._get_collection().aggregate(pipeline))
    return {doc["_id"]: doc["last"].date() for doc in found if doc["last"] is not None}


_RESPONSE_FIELDS = {"_id": 0, "owner": 1, "instrument": 1, "local_date": 1, "total": 1, "flags": 1}


def _responses(owners: Sequence[ObjectId]) -> dict[ObjectId, list[dict]]:
    """Each client's questionnaire totals and flags (never the answers), oldest first."""
    if not owners:
        return {}
    found: dict[ObjectId, list[dict]] = {owner: [] for owner in owners}
    query = {"owner": {"$in": list(owners)}}
    order = [("local_date", 1), ("recorded_at", 1)]
    collection = QuestionnaireResponse._get_collection()
    with db.store_lock():
        docs = list(collection.find(query, _RESPONSE_FIELDS).sort(order))
    for doc in docs:
        doc["local_date"] = doc["local_date"].date()
        found[doc.pop("owner")].append(doc)
    return found
