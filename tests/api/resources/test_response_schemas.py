"""The response schemas declare every key the builders produce: dumping a realistic payload
through them gives back the payload itself, key for key (a key left undeclared would be dropped
from the answer, and missing from the OpenAPI document and the PWA's generated types)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from api.insights import daily_points, summarize_window, weekly_points
from api.insights.caseload import caseload
from api.insights.digest import build_digest, withheld
from api.insights.summary import weekly_parts
from api.resources.digests.schemas import DigestDataSchema, DigestWithheldSchema
from api.resources.therapist import shared
from api.resources.therapist.schemas import CaseloadSchema, ClientTrendsSchema
from api.resources.trends.schemas import TrendsSchema

MONDAY = date(2026, 11, 16)
WEEK = "2026-W47"


def _checkin(i: int) -> dict:
    """A check-in of day i from MONDAY, answering (or skipping) a little of everything."""
    return {
        "local_date": MONDAY + timedelta(days=i),
        "mood": i % 11,
        "energy": None if i % 3 == 0 else (i * 7) % 11,
        "emotions": [{"name": "Grief ", "intensity": 4}, {"name": "joy", "intensity": None}],
        "parts": [
            {"part": "p1", "intensity": 5, "blended": i % 2 == 0},
            {"part": f"p{2 + i % 3}", "intensity": None, "blended": None},
        ],
        "self_energy": {"calm": i % 10, "courage": 7, "clarity": None},
        "regulation": (
            {"occurred": False}
            if i % 4 == 0
            else {"strategies": ["breathing", "walk"][: 1 + i % 2], "success": i % 9}
            | ({"minutes_to_settle": 5 + i % 3, "peak_intensity": 8} if i % 5 else {})
        ),
        "attachment": {"anxiety": 3, "avoidance": i % 5, "reached_out": i % 2 == 0},
    }


CHECKINS = [_checkin(i) for i in range(-70, 7) if i % 6 != 5]


def _json(value):
    return json.loads(json.dumps(value, default=str))


def _same(dumped, raw, path="") -> None:
    """Equal, and with the same keys at every level (numbers compare as numbers)."""
    if isinstance(raw, dict):
        assert isinstance(dumped, dict), path
        assert set(dumped) == set(raw), (path, set(raw) ^ set(dumped))
        for key in raw:
            _same(dumped[key], raw[key], f"{path}.{key}")
    elif isinstance(raw, list):
        assert isinstance(dumped, list) and len(dumped) == len(raw), path
        for i, (a, b) in enumerate(zip(dumped, raw, strict=True)):
            _same(a, b, f"{path}[{i}]")
    else:
        assert dumped == raw and isinstance(dumped, bool) == isinstance(raw, bool), path


def test_trends_dump_every_key_the_builders_produce():
    start, end = MONDAY - timedelta(weeks=10), MONDAY + timedelta(days=6)
    metrics = ["mood", "energy", "self_energy", "anxiety", "avoidance"]
    payload = {
        "timezone": "Europe/Paris",
        "date_from": start,
        "date_to": end,
        "daily": {m: daily_points(CHECKINS, m, start, end) for m in metrics},
        "weekly": {m: weekly_points(CHECKINS, m, start, end) for m in metrics},
        "weekly_parts": weekly_parts(CHECKINS, start, end),
        "summary": summarize_window(CHECKINS, start, end),
    }
    raw = _json(payload)
    raw["from"], raw["to"] = raw.pop("date_from"), raw.pop("date_to")
    _same(_json(TrendsSchema().dump(payload)), raw)
    assert raw["summary"]["regulation"]["best_strategies"]  # the sample reaches every section


def test_empty_trends_dump_every_key_too():
    payload = {
        "timezone": "UTC",
        "date_from": MONDAY,
        "date_to": MONDAY,
        "daily": {"mood": daily_points([], "mood", MONDAY, MONDAY)},
        "weekly": {"mood": weekly_points([], "mood", MONDAY, MONDAY)},
        "weekly_parts": weekly_parts([], MONDAY, MONDAY),
        "summary": summarize_window([], MONDAY, MONDAY),
    }
    raw = _json(payload)
    raw["from"], raw["to"] = raw.pop("date_from"), raw.pop("date_to")
    _same(_json(TrendsSchema().dump(payload)), raw)


def test_a_digest_dumps_every_key_the_builder_produces():
    week = [c for c in CHECKINS if c["local_date"] >= MONDAY]
    earlier = [c for c in CHECKINS if c["local_date"] < MONDAY]
    for data in (
        build_digest(WEEK, week, earlier, new_part_ids=["p9"]),
        build_digest(WEEK, week[:1], []),
        build_digest(WEEK, []),
    ):
        raw = _json(data)
        _same(_json(DigestDataSchema().dump(data)), raw)
        _same(_json(DigestWithheldSchema().dump(withheld(data))), _json(withheld(data)))
    assert "days_last_week" in build_digest(WEEK, week, earlier)["parts"]["most_active"][0]


def test_a_digest_stored_by_an_earlier_version_dumps_as_it_was_stored():
    data = _json(build_digest(WEEK, CHECKINS))
    data["version"] = 1
    data["mood"]["ci95"] = None  # version 1 kept the interval, and had no range
    del data["mood"]["range"], data["self_energy"]["range"]
    data["parts"]["most_active"][0]["old_key"] = 3
    data["retired"] = {"any": ["thing"]}
    _same(_json(DigestDataSchema().dump(data)), data)


def test_therapist_figures_dump_every_key_the_builders_produce():
    start, end = MONDAY - timedelta(weeks=3), MONDAY + timedelta(days=6)
    trends = {
        "client_id": "c1",
        "timezone": "UTC",
        "date_from": start,
        "date_to": end,
        "weeks": shared.weeks(CHECKINS, start, end),
        "weekly": {"mood": weekly_points(CHECKINS, "mood", start, end)},
    }
    raw = _json(trends)
    raw["from"], raw["to"] = raw.pop("date_from"), raw.pop("date_to")
    _same(_json(ClientTrendsSchema().dump(trends)), raw)
    for k in (1, 5):
        figures = {
            "date_from": start,
            "date_to": end,
            **caseload({"a": CHECKINS, "b": CHECKINS[:9], "c": []}, start, end, k),
        }
        raw = _json(figures)
        raw["from"], raw["to"] = raw.pop("date_from"), raw.pop("date_to")
        _same(_json(CaseloadSchema().dump(figures)), raw)
