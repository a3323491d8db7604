"""What in a client's shared data may need their therapist's attention: plain, calm items. Pure.

Not a risk score and not a diagnosis: each item says what was recorded, by the very rules the
client's own screens use, and each comes only from data a scope of the grant shares:
- `no_recent_checkins` (weekly_trends): no check-in for NO_CHECKIN_DAYS days or more, or none yet;
- `reliable_worsening`: a questionnaire total higher than at the first answer by at least the
  instrument's reliable change (`api.domain.questionnaires.describe_change`; questionnaires), or
  the latest complete week's mood mean lower than the client's own last 4 weeks by more than
  their usual week-to-week change (the weekly digest's comparison, `api.insights.change`;
  weekly_trends);
- `item9` (questionnaires): PHQ-9 item 9 answered above 0 within the last ITEM9_DAYS days.

An item is {"kind", "text", ...}: `text` is one sentence to show as it is; the other fields are
the figures behind it (see `AttentionItemSchema`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from api.domain import crisis
from api.domain import questionnaires as q
from api.insights import build_digest, week_range
from api.insights.change import LOWER

NO_RECENT_CHECKINS = "no_recent_checkins"
RELIABLE_WORSENING = "reliable_worsening"
ITEM9 = "item9"
KINDS = (NO_RECENT_CHECKINS, RELIABLE_WORSENING, ITEM9)

#: Days without a check-in (today included) before the list says so. A day or two off is
#: ordinary life for a daily journal; five days is most of a week.
NO_CHECKIN_DAYS = 5
#: How long a positive item 9 stays on the list, in the client's local days, today included.
#: Not only the latest PHQ-9: the questionnaire asks about the last two weeks, so an answer of 0
#: a week after a positive one does not make the earlier one old news; after four weeks the
#: therapist has had a session to hear about it, and the client view still lists every date.
ITEM9_DAYS = 28

#: The measure named by a reliable worsening of the weekly mood mean.
MOOD = "mood"

Record = Mapping[str, Any]


def no_recent_checkins(last: dt.date | None, today: dt.date) -> dict | None:
    """ "No check-in for N days" from NO_CHECKIN_DAYS on, "none yet" without any; else None."""
    if last is None:
        text = "No check-in yet."
        return {"kind": NO_RECENT_CHECKINS, "text": text, "days": None, "last_checkin": None}
    days = (today - last).days
    if days < NO_CHECKIN_DAYS:
        return None
    return {
        "kind": NO_RECENT_CHECKINS,
        "text": f"No check-in for {days} days: the last was on {last.isoformat()}.",
        "days": days,
        "last_checkin": last,
    }


def questionnaire_worsening(responses: Sequence[Record]) -> list[dict]:
    """One item per questionnaire whose latest total is reliably higher than the first.

    `responses`: one client's {"instrument", "local_date", "total"}, oldest first."""
    items = []
    for instrument in q.INSTRUMENTS.values():
        series = [r for r in responses if r["instrument"] == instrument.id]
        change = q.describe_change(instrument, [r["total"] for r in series])
        if not change.reliable or not change.change or change.change < 0:
            continue
        first, last = series[0], series[-1]
        items.append(
            {
                "kind": RELIABLE_WORSENING,
                "text": f"{instrument.title}: {last['total']} on {last['local_date'].isoformat()}. "
                f"{change.note}",
                "measure": instrument.id,
                "value": last["total"],
                "reference": first["total"],
                "change": change.change,
                "threshold": instrument.reliable_change,
                "date": last["local_date"],
            }
        )
    return items


def mood_worsening(checkins: Sequence[Record], week: str) -> dict | None:
    """An item when the mood mean of `week` is reliably lower than the client's last 4 weeks.

    `checkins`: the client's insights records of `week` and the weeks before it, as the weekly
    digest reads them; its comparison decides, so the therapist sees what the client's digest
    says.
    """
    comparison = build_digest(week, checkins, checkins)["comparisons"]["mood_mean"]
    with_4_weeks = comparison["last_4_weeks"]
    if with_4_weeks["verdict"] != LOWER:
        return None
    monday = week_range(week)[0]
    return {
        "kind": RELIABLE_WORSENING,
        "text": f"Mood in the week of {monday.isoformat()} averaged {comparison['value']:.1f} out "
        f"of 10: lower than in the client's last 4 weeks with ratings "
        f"({with_4_weeks['reference']:.1f} on average), by more than their usual week-to-week "
        "change.",
        "measure": MOOD,
        "week": week,
        "value": comparison["value"],
        "reference": with_4_weeks["reference"],
        "change": with_4_weeks["change"],
        "threshold": comparison["threshold"],
    }


def item9(responses: Sequence[Record], today: dt.date) -> dict | None:
    """An item naming the latest PHQ-9 of the last ITEM9_DAYS days whose item 9 was above 0.

    `responses`: one client's {"instrument", "local_date", "flags"}."""
    since = today - dt.timedelta(days=ITEM9_DAYS - 1)
    days = [
        r["local_date"]
        for r in responses
        if r["instrument"] == q.PHQ9.id
        and q.ITEM9_POSITIVE in (r.get("flags") or ())
        and r["local_date"] >= since
    ]
    if not days:
        return None
    day = max(days)
    return {
        "kind": ITEM9,
        "text": crisis.item9_report([day]),
        "date": day,
    }
