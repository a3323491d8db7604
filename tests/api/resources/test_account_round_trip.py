"""A property: whatever the API took, its export imported into a new account reads back the same.

Hypothesis builds a journal through the API itself, of every shape it accepts (past days written
later without recorded_at, "no hard moment", own emotion words, parts that were archived after
check-ins named them, notes with emoji, corrections and deletions, questionnaire answers), exports
it, imports the export into a new account in another time zone, and compares what a client sees
there (GET /parts, /checkins, and each questionnaire's responses) with the original, up to ids.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.domain import questionnaires as q
from api.domain import scales
from tests.support.examples import examples

PARTS = "/api/v1/parts"
CHECKINS = "/api/v1/checkins"
ZONES = ["UTC", "Europe/Berlin", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Kolkata"]

maybe = lambda strategy: st.none() | strategy  # noqa: E731
ratings = st.integers(scales.SCALE_MIN, scales.SCALE_MAX)
words = st.text(max_size=30) | st.sampled_from(["🙂", "👩🏽‍❤️‍💋‍👨🏿 ok", "a\x00b", " spaced "])
past_days = st.integers(1, 400).map(lambda n: dt.date.today() - dt.timedelta(days=n))

part_bodies = st.fixed_dictionaries(
    {"name": st.sampled_from(["Critic", "critic", "Straße", "STRASSE", "Little one 🧒", "Ex"])},
    optional={
        "role": st.sampled_from(scales.PART_ROLES),
        "fears": words,
        "needs": words,
        "body_location": st.text(max_size=20),
        "notes": words,
    },
)
emotions = st.lists(
    st.builds(
        lambda name, intensity: {"name": name, "intensity": intensity},
        st.sampled_from(scales.SUGGESTED_EMOTIONS) | st.sampled_from(["wobbly 🫠", "Ärger"]),
        maybe(ratings),
    ),
    max_size=3,
    unique_by=lambda e: e["name"].strip().casefold(),
)
regulations = st.just({"occurred": False}) | st.fixed_dictionaries(
    {},
    optional={
        "occurred": st.sampled_from([True, None]),
        "peak_intensity": maybe(ratings),
        "strategies": st.lists(
            st.sampled_from(scales.REGULATION_STRATEGIES), max_size=3, unique=True
        ),
        "success": maybe(ratings),
        "minutes_to_settle": maybe(st.integers(0, scales.MINUTES_TO_SETTLE_MAX)),
    },
)
answers = st.fixed_dictionaries(
    {"mood": ratings},  # one answer for sure: an empty check-in is refused by design
    optional={
        "energy": maybe(ratings),
        "emotions": emotions,
        "self_energy": st.fixed_dictionaries(
            {}, optional=dict.fromkeys(scales.SELF_ENERGY_CS, maybe(ratings))
        ),
        "regulation": regulations,
        "attachment": st.fixed_dictionaries(
            {},
            optional={
                "anxiety": maybe(ratings),
                "avoidance": maybe(ratings),
                "reached_out": maybe(st.booleans()),
                "felt_supported": maybe(st.booleans()),
            },
        ),
        "note": words,
        "inner_child_note": words,
    },
)


#: What a body may say of when it was written: both, only its day, only its time, or neither.
WHEN = ["both", "day only", "time only", "neither"]


def _when(day: dt.date, shape: str) -> dict:
    noon = dt.datetime.combine(day, dt.time(12), dt.UTC).isoformat()
    return {
        "both": {"local_date": day.isoformat(), "recorded_at": noon},
        "day only": {"local_date": day.isoformat()},
        "time only": {"recorded_at": noon},
        "neither": {},
    }[shape]


def _journal(account, data) -> None:
    """Fill `account` through the API with a journal drawn from `data`."""
    parts = []
    for body in data.draw(st.lists(part_bodies, max_size=4)):
        response = account.post(PARTS, json=body)
        if response.status_code == 201:  # 409: an active part of that name exists
            parts.append(response.json["id"])
    ids = []
    for _ in range(data.draw(st.integers(1, 6))):
        named = data.draw(st.lists(st.sampled_from(parts), unique=True) if parts else st.just([]))
        body = {
            "client_id": str(uuid.uuid4()),
            **_when(data.draw(past_days), data.draw(st.sampled_from(WHEN))),
            **data.draw(answers),
            "parts": [{"part": p, "blended": data.draw(maybe(st.booleans()))} for p in named],
        }
        response = account.post(CHECKINS, json=body)
        assert response.status_code == 201, (body, response.json)
        ids.append(response.json["id"])
    for checkin_id in ids:
        change = data.draw(st.sampled_from(["keep", "keep", "correct", "delete"]))
        if change == "correct":
            patch = data.draw(answers)
            assert account.patch(f"{CHECKINS}/{checkin_id}", json=patch).status_code == 200
        elif change == "delete":
            assert account.delete(f"{CHECKINS}/{checkin_id}").status_code == 204
    for part_id in parts:
        if data.draw(st.booleans()):
            account.patch(f"{PARTS}/{part_id}", json={"archived": True})
    for instrument in data.draw(st.lists(st.sampled_from(sorted(q.INSTRUMENTS)), max_size=3)):
        _answer(account, q.INSTRUMENTS[instrument], data)


def _answer(account, instrument: q.Instrument, data) -> None:
    count = len(instrument.items)
    body = {
        "client_id": str(uuid.uuid4()),
        "answers": data.draw(st.lists(st.integers(0, 3), min_size=count, max_size=count)),
        **_when(data.draw(past_days), data.draw(st.sampled_from(WHEN))),
    }
    if instrument.difficulty_question and data.draw(st.booleans()):
        body["difficulty"] = data.draw(st.integers(0, 3))
    url = f"/api/v1/questionnaires/{instrument.id}/responses"
    response = account.post(url, json=body)
    assert response.status_code == 201, (body, response.json)


def _without_id(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "id"}


def seen_by_a_client(account) -> dict:
    """What the account's client sees, with each part named by its content instead of its id."""
    parts = {p["id"]: _without_id(p) for p in account.get(f"{PARTS}?include_archived=true").json}
    checkins = [
        {**_without_id(c), "parts": [{**p, "part": parts[p["part"]]} for p in c["parts"]]}
        for c in account.get(f"{CHECKINS}?page_size=200").json
    ]
    responses = {
        instrument: [
            _without_id(r)
            for r in account.get(f"/api/v1/questionnaires/{instrument}/responses").json
        ]
        for instrument in q.INSTRUMENTS
    }
    return {
        "parts": sorted(parts.values(), key=json.dumps),
        "checkins": sorted(checkins, key=lambda c: c["client_id"]),
        "responses": {k: sorted(v, key=lambda r: r["client_id"]) for k, v in responses.items()},
    }


@settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), zones=st.tuples(st.sampled_from(ZONES), st.sampled_from(ZONES)))
def test_an_export_imported_into_a_new_account_reads_back_the_same(make_account, data, zones):
    source = make_account(timezone=zones[0])
    _journal(source, data)
    export = source.get("/api/v1/me/export").json

    newcomer = make_account(timezone=zones[1])
    response = newcomer.post("/api/v1/me/import", json=export)
    assert response.status_code == 200, response.json
    assert seen_by_a_client(newcomer) == seen_by_a_client(source)

    again = newcomer.post("/api/v1/me/import", json=export).json
    assert all(counts["created"] == 0 for counts in again.values()), again
