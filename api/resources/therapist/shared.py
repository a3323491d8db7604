"""What a therapist's read of one client assembles: weekly figures and questionnaire totals.

Only aggregates and scores: check-ins are read as insights records (never their notes), and
questionnaire responses without their item answers.
"""

from __future__ import annotations

import datetime as dt

from flask_smorest import abort

from api import records
from api.domain import consent as rules
from api.domain import crisis
from api.domain import questionnaires as q
from api.domain.local_time import local_today
from api.exports import labels
from api.insights import weekly_points
from api.insights.caseload import client_week
from api.insights.series import METRICS
from api.insights.weeks import DAYS_PER_WEEK, week_start
from api.models import Consent, QuestionnaireResponse, User
from api.resources.trends.schemas import MAX_DAYS, default_range

_WEEK_FIELDS = ("week", "start", "end", "checkin_days", "adherence")
_SCORE_FIELDS = ("client_id", "instrument", "local_date", "total", "band", "flags")


def date_range(args: dict, client: User) -> tuple[dt.date, dt.date]:
    """`from` and `to`, by default the last weeks as GET /trends has them, in the client's zone."""
    start, end = default_range(args, local_today(client.timezone))
    if start > end or (end - start).days + 1 > MAX_DAYS:
        message = f"Give 'from' within {MAX_DAYS} days before 'to'."
        abort(422, errors={"query": {"from": [message]}})
    return start, end


def weeks(checkins: list[dict], start: dt.date, end: dt.date) -> list[dict]:
    """Check-in days and adherence per local ISO week of the range."""
    found, monday = [], week_start(start)
    while monday <= end:
        week = client_week(checkins, monday, start, end)
        found.append({k: week[k] for k in _WEEK_FIELDS})
        monday += dt.timedelta(days=DAYS_PER_WEEK)
    return found


def scores(client: User, args: dict) -> list[dict]:
    """The client's questionnaire totals in the range, oldest first (never the answers)."""
    query = QuestionnaireResponse.objects(owner=client.id)
    if args.get("date_from"):
        query = query.filter(local_date__gte=args["date_from"])
    if args.get("date_to"):
        query = query.filter(local_date__lte=args["date_to"])
    return [
        {
            **{f: r[f] for f in _SCORE_FIELDS},
            "band_label": q.INSTRUMENTS[r.instrument].band(r.band).label,
        }
        for r in query.only(*_SCORE_FIELDS).order_by("local_date", "recorded_at")
    ]


def _flag_text(series: list[dict]) -> str | None:
    """The product's one sentence about positive item 9 answers in `series`, if there are any."""
    days = [r["local_date"] for r in series if q.ITEM9_POSITIVE in (r.get("flags") or ())]
    return crisis.item9_report(days) if days else None


def score_history(client: User, args: dict) -> list[dict]:
    """Per questionnaire answered: the totals over time and how the last compares."""
    found = scores(client, args)
    history = []
    for instrument in q.INSTRUMENTS.values():
        series = [r for r in found if r["instrument"] == instrument.id]
        if series:
            change = q.describe_change(instrument, [r["total"] for r in series])
            history.append(
                {
                    "instrument": instrument.id,
                    "title": instrument.title,
                    "series": series,
                    "change": change.change,
                    "reliable_change": instrument.reliable_change,
                    "reliable": change.reliable,
                    "note": change.note,
                    "flag_text": _flag_text(series),
                }
            )
    return history


def for_export(grant: Consent, client: User, args: dict) -> dict:
    """What an export may hold: the client's name (see `api.exports.labels`), and weekly figures
    and totals, each only if its scope is granted."""
    start, end = date_range(args, client)
    data = {
        "name": labels.chosen_name(grant.label, client.display_name),
        "start": start,
        "end": end,
        "weekly": None,
        "weeks": None,
        "responses": None,
    }
    if rules.allows(grant.scopes, "weekly_trends"):
        checkins = records.read_owner(client.id, start, end)
        data["weekly"] = {m: weekly_points(checkins, m, start, end) for m in METRICS}
        data["weeks"] = weeks(checkins, start, end)
    if rules.allows(grant.scopes, "questionnaires"):
        data["responses"] = scores(client, {"date_from": start, "date_to": end})
    return data
