"""Rows for CSV downloads, from plain data. Pure: `api.resources.downloads` writes the file.

- `shared_rows`: what a therapist downloads, in long form (one figure per row): weekly means,
  then the variability figures after one line that explains them, and questionnaire totals,
  only those of the scopes granted;
- `checkin_rows`, `part_rows`, `questionnaire_rows`: a client's own data, one row per item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from api.domain.scales import SELF_ENERGY_CS
from api.exports.labels import VARIABILITY
from api.insights.summary import hard_moment
from api.insights.weeks import week_key

Table = tuple[list[str], list[list[Any]]]

SHARED_HEADER = ["kind", "measure", "week", "date_from", "date_to", "value", "n", "band"]

#: The variability figures of each weekly metric, after all the means: (measure suffix, the key
#: of a weekly point, the key of its n: days for the SD, consecutive-day pairs for the RMSSD).
VARIABILITY_FIGURES = (("sd", "sd", "n"), ("rmssd", "rmssd", "pairs"))


def shared_rows(
    weekly: Mapping[str, Sequence[Mapping[str, Any]]] | None,
    weeks: Sequence[Mapping[str, Any]] | None,
    responses: Iterable[Mapping[str, Any]] | None,
) -> Table:
    """Check-in days per week, the weekly means of every metric, then one line that says what
    variability is and the variability figures (SD, RMSSD), then questionnaire totals. A part
    whose scope is not granted (None) is left out."""
    rows: list[list[Any]] = []
    for week in weeks or ():
        span = [week["week"], week["start"], week["end"]]
        rows.append(["weekly", "checkin_days", *span, week["checkin_days"], None, None])
    for metric, points in (weekly or {}).items():
        for p in points:
            span = [p["week"], p["start"], p["end"]]
            rows.append(["weekly", f"{metric}_mean", *span, p["mean"], p["n"], None])
    if weekly:
        rows.append(["note", "variability", None, None, None, VARIABILITY, None, None])
    for metric, points in (weekly or {}).items():
        for suffix, key, n in VARIABILITY_FIGURES:
            for p in points:
                span = [p["week"], p["start"], p["end"]]
                rows.append(["weekly", f"{metric}_{suffix}", *span, p.get(key), p.get(n), None])
    for r in responses or ():
        day = r["local_date"].isoformat()
        span = [week_key(r["local_date"]), day, day]
        measure = f"{r['instrument']}_total"
        rows.append(["questionnaire", measure, *span, r["total"], None, r["band"]])
    return SHARED_HEADER, rows


CHECKIN_HEADER = [
    "client_id",
    "local_date",
    "recorded_at",
    "timezone",
    "mood",
    "energy",
    "emotions",
    "parts",
    *(f"self_energy_{c}" for c in SELF_ENERGY_CS),
    "regulation_occurred",
    "regulation_peak_intensity",
    "regulation_strategies",
    "regulation_success",
    "regulation_minutes_to_settle",
    "attachment_anxiety",
    "attachment_avoidance",
    "attachment_reached_out",
    "attachment_felt_supported",
    "inner_child_note",
    "note",
    "created_at",
    "updated_at",
]


def _joined(items: Iterable[Iterable[Any]]) -> str:
    """ "a:1; b:2": one cell for a list of small records (None as empty)."""
    return "; ".join(":".join("" if v is None else str(v) for v in item) for item in items)


def checkin_rows(checkins: Iterable[Mapping[str, Any]], part_names: Mapping[str, str]) -> Table:
    """One row per check-in (as exported: plain dicts); parts by name, "blended" when so."""
    rows = []
    for c in checkins:
        self_energy = c.get("self_energy") or {}
        regulation = c.get("regulation") or {}
        attachment = c.get("attachment") or {}
        parts = [
            (part_names.get(p["part"], p["part"]), p.get("intensity"))
            + (("blended",) if p.get("blended") else ())
            for p in c.get("parts") or ()
        ]
        rows.append(
            [c["client_id"], c.get("local_date"), c.get("recorded_at"), c.get("timezone")]
            + [c.get("mood"), c.get("energy")]
            + [_joined((e["name"], e.get("intensity")) for e in c.get("emotions") or ())]
            + [_joined(parts)]
            + [self_energy.get(name) for name in SELF_ENERGY_CS]
            + [hard_moment(regulation), regulation.get("peak_intensity")]
            + ["; ".join(regulation.get("strategies") or ())]
            + [regulation.get("success"), regulation.get("minutes_to_settle")]
            + [attachment.get(k) for k in ("anxiety", "avoidance", "reached_out")]
            + [attachment.get("felt_supported"), c.get("inner_child_note"), c.get("note")]
            + [c.get("created_at"), c.get("updated_at")]
        )
    return CHECKIN_HEADER, rows


PART_HEADER = [
    "id",
    "name",
    "role",
    "fears",
    "needs",
    "body_location",
    "notes",
    "archived_at",
    "created_at",
    "updated_at",
]


def part_rows(parts: Iterable[Mapping[str, Any]]) -> Table:
    return PART_HEADER, [[p.get(k) for k in PART_HEADER] for p in parts]


def questionnaire_rows(responses: Sequence[Mapping[str, Any]]) -> Table:
    """One row per response; item answers in columns item_1 ... item_n (the longest)."""
    items = max((len(r["answers"]) for r in responses), default=0)
    header = ["client_id", "instrument", "local_date", "recorded_at", "total", "band", "flags"]
    header += ["difficulty", *(f"item_{i}" for i in range(1, items + 1))]
    rows = [
        [r["client_id"], r["instrument"], r["local_date"], r["recorded_at"], r["total"]]
        + [r["band"], "; ".join(r.get("flags") or ()), r.get("difficulty")]
        + list(r["answers"])
        + [None] * (items - len(r["answers"]))
        for r in responses
    ]
    return header, rows
