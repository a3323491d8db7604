"""Generated inputs: no input may produce a 5xx, and valid input must be stored and read back.

- schemathesis generates requests for every operation in the OpenAPI document (valid and invalid
  ones), and every answer must conform to the document (status code, content type, headers,
  body); random path ids mostly meet a 404, so
- hypothesis also throws arbitrary JSON at documents that exist (a check-in, a part, my profile,
  a questionnaire), and query strings and week keys at the lists, trends and digests, drawn
  mostly from the edges of the calendar (with explicit examples of the first and last days,
  which once overflowed), and
- builds *valid* check-ins from the product's scales, which must be created (201), replayed (200)
  and then feed trends and digests: a mutation that breaks any answer of a check-in fails here.

With TESTING on, an exception inside a view propagates into the test instead of becoming a 500,
so each of these tests fails on any server error.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import security
from api.domain import scales
from api.models import User
from tests.support.examples import examples, full

ANY = {"suppress_health_check": list(HealthCheck), "deadline": None}
CHECKINS = "/api/v1/checkins"


def _assert_clean_error(response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body["message"] and body["code"] == response.status_code
        if response.status_code == 422:
            assert body["errors"], body


# --- every operation, from the OpenAPI document ---------------------------------------------


#: An archive to import is the largest body of all: the coverage phase's hundreds of edge cases
#: of it, each imported, would take longer than every other operation together. It gets the
#: generated examples only.
IMPORT = "/api/v1/me/import"


@pytest.fixture
def openapi_schema(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    schema.config.generation.update(max_examples=examples(15))
    # The coverage phase (every edge case the document defines, about 8 s of one process's time)
    # runs under the full counts (CI, or HYPOTHESIS_PROFILE=ci); the lighter local run keeps the
    # generated examples.
    schema.config.phases.coverage.enabled = full()
    return schema


@pytest.fixture
def openapi_schema_without_coverage(openapi_schema):
    openapi_schema.config.phases.coverage.enabled = False
    return openapi_schema


schema = schemathesis.pytest.from_fixture("openapi_schema")
import_schema = schemathesis.pytest.from_fixture("openapi_schema_without_coverage")

#: Every answer must be what the document says: a documented status code, with the documented
#: content type and body. (Not the headers: flask-smorest documents X-Pagination, a JSON text,
#: by the schema of its object, which a header's text never matches.)
CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]


def _call_as(account, case):
    # A token of the account's, not one schemathesis makes up (which would only ever meet a
    # 401), and a new one each time: a generated logout revokes the one it is sent with. It is
    # removed after its one request: a thousand dead tokens would make every later request
    # slower (mongomock scans a collection whole, and its expiring documents on every read).
    token, record = security.issue_token(User.objects.get(id=account.id), 3600)
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    try:
        response = case.call()
    finally:
        record.delete()
    _assert_clean_error(response)
    case.validate_response(response, checks=CONFORMANCE)


@schema.exclude(path=IMPORT).parametrize()
@settings(**ANY)
def test_generated_requests_never_get_a_server_error_and_get_what_the_document_says(case, alice):
    _call_as(alice, case)


@import_schema.include(path=IMPORT).parametrize()
@settings(**ANY)
def test_generated_imports_never_get_a_server_error_and_get_what_the_document_says(case, alice):
    _call_as(alice, case)


@import_schema.include(path_regex="^/api/v1/therapist/").parametrize()
@settings(**ANY)
def test_a_therapists_generated_requests_get_what_the_document_says(case, therapist):
    """Alice, a client, meets a 403 there; a therapist's answers are checked here (without the
    coverage phase, which the test above already runs on these operations)."""
    _call_as(therapist, case)


# --- JSON nested far deeper than any body of ours ------------------------------------------


def _operations_with_a_body(client) -> list[tuple[str, str]]:
    spec = client.get("/api/openapi.json").json
    return [
        (method.upper(), path.replace("{", "").replace("}", ""))
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "requestBody" in operation
    ]


def test_deeply_nested_json_is_a_clear_400_on_every_operation(client, alice, therapist):
    deep = "[" * 100_000 + "]" * 100_000
    operations = _operations_with_a_body(client)
    assert len(operations) > 15
    for method, path in operations:
        for who in (alice, therapist, None):
            headers = {"Content-Type": "application/json", **(who.headers if who else {})}
            response = client.open(path, method=method, data=deep, headers=headers)
            assert response.status_code < 500, (method, path, response.json)
            if response.status_code not in (401, 403, 404, 429):  # refused before reading
                assert response.status_code == 400, (method, path, response.json)
                assert "nested too deeply" in response.json["message"]


# --- arbitrary JSON at documents that exist --------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["0001-01-01", "9999-12-31T23:59:59+14:00", "2026-02-30", "\x00"])
    | st.sampled_from(["cut \ud83d", "\ude42"]),  # half of a character (text cut mid-emoji)
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
checkin_keys = st.sampled_from(
    [
        "mood",
        "energy",
        "emotions",
        "parts",
        "self_energy",
        "regulation",
        "attachment",
        "note",
        "inner_child_note",
        "local_date",
        "recorded_at",
        "client_id",
    ]
)
near_valid = st.dictionaries(checkin_keys, json_values, max_size=5)


@settings(max_examples=examples(150), **ANY)
@given(body=near_valid | json_values)
@example(body={"note": "cut \ud83d"})
def test_patching_an_existing_checkin_with_anything_is_never_a_server_error(alice, body):
    location = alice.post(CHECKINS, json={"client_id": str(uuid.uuid4()), "mood": 5}).headers[
        "Location"
    ]
    response = alice.patch(location, json=body)
    assert response.status_code < 500, response.json
    assert alice.get(location).status_code == 200  # nothing stored was lost


@settings(max_examples=examples(150), **ANY)
@given(body=near_valid | json_values)
@example(body={"emotions": [{"name": "\ude42"}]})
def test_creating_a_checkin_from_anything_is_never_a_server_error(alice, body):
    payload = {"client_id": str(uuid.uuid4()), **body} if isinstance(body, dict) else body
    response = alice.post(CHECKINS, json=payload)
    assert response.status_code < 500, response.json
    batch = alice.post(f"{CHECKINS}/batch", json={"checkins": [payload]})
    assert batch.status_code < 500, batch.json


@settings(max_examples=examples(100), **ANY)
@given(
    body=st.dictionaries(
        st.sampled_from(["name", "role", "fears", "needs", "body_location", "notes", "archived"]),
        json_values,
        max_size=4,
    )
    | json_values
)
def test_patching_an_existing_part_with_anything_is_never_a_server_error(alice, body):
    part_id = alice.post("/api/v1/parts", json={"name": f"P {uuid.uuid4()}"}).json["id"]
    response = alice.patch(f"/api/v1/parts/{part_id}", json=body)
    assert response.status_code < 500, response.json


@settings(max_examples=examples(100), **ANY)
@given(
    body=st.dictionaries(
        st.sampled_from(["display_name", "timezone", "reminders", "digest", "email", "role"]),
        json_values
        | st.dictionaries(
            st.sampled_from(["enabled", "local_time", "weekdays", "weekday", "channel"]),
            json_values,
            max_size=3,
        ),
        max_size=3,
    )
    | json_values
)
def test_patching_my_profile_with_anything_is_never_a_server_error(alice, body):
    response = alice.patch("/api/v1/me", json=body)
    assert response.status_code < 500, response.json
    assert alice.get("/api/v1/me").status_code == 200


@settings(max_examples=examples(100), **ANY)
@given(
    instrument=st.sampled_from(["phq9", "gad7", "phq2", "gad2"]),
    body=st.dictionaries(
        st.sampled_from(["answers", "difficulty", "local_date", "recorded_at", "client_id"]),
        json_values | st.lists(st.integers(-1, 4), max_size=10),
        max_size=4,
    ),
)
def test_answering_a_questionnaire_with_anything_is_never_a_server_error(alice, instrument, body):
    url = f"/api/v1/questionnaires/{instrument}/responses"
    response = alice.post(url, json={"client_id": str(uuid.uuid4()), **body})
    assert response.status_code < 500, response.json


# --- query strings and week keys -------------------------------------------------------------

CALENDAR_EDGES = [
    dt.date.min,
    dt.date(1899, 12, 31),
    dt.date(1900, 1, 1),
    dt.date(9998, 12, 31),
    dt.date.max,
]
# Mostly the edges, where date and week arithmetic can overflow; now and then any day at all.
anchors = st.sampled_from(CALENDAR_EDGES) | st.sampled_from(CALENDAR_EDGES) | st.dates()


def _shifted(day: dt.date, days: int) -> dt.date:
    return dt.date.fromordinal(min(max(day.toordinal() + days, 1), dt.date.max.toordinal()))


def _range(anchor: dt.date, before: int, after: int) -> tuple[str, str]:
    return _shifted(anchor, -before).isoformat(), _shifted(anchor, after).isoformat()


# Ranges near the edges of the calendar and of the 366-day limit, or two arbitrary strings.
date_ranges = st.builds(_range, anchors, st.integers(-3, 400), st.integers(-3, 400)) | st.tuples(
    st.text(max_size=12), st.text(max_size=12)
)
queries = st.fixed_dictionaries(
    {},
    optional={  # a missing end takes its default
        "from": st.just("from"),
        "to": st.just("to"),
        "metrics": st.lists(
            st.sampled_from(["mood", "energy", "self_energy", "anxiety", "luck", ""]), max_size=3
        ).map(",".join),
        "page": st.integers(-2, 10**20).map(str) | st.text(max_size=4),
        "page_size": st.integers(-2, 10**6).map(str),
    },
)


def _query(dates: tuple[str, str], query: dict) -> dict:
    return {**query, **{k: dates[k == "to"] for k in ("from", "to") if k in query}}


@settings(max_examples=examples(200), **ANY)
@given(dates=date_ranges, query=queries)
# The last day and the first day of the calendar, with the other end taking its default:
@example(dates=("", dt.date.max.isoformat()), query={"to": "to"})
@example(dates=(dt.date.min.isoformat(), ""), query={"from": "from"})
@example(dates=("9998-12-31", dt.date.max.isoformat()), query={"from": "from", "to": "to"})
def test_any_trends_query_is_never_a_server_error(alice, dates, query):
    _assert_clean_error_of(alice.get("/api/v1/trends", query_string=_query(dates, query)))


@settings(max_examples=examples(100), **ANY)
@given(
    path=st.sampled_from(
        [
            CHECKINS,
            "/api/v1/digests",
            "/api/v1/parts",
            "/api/v1/questionnaires/phq9/responses",
            "/api/v1/questionnaires/gad7/trend",
        ]
    ),
    dates=date_ranges,
    query=queries,
)
def test_any_list_query_is_never_a_server_error(alice, path, dates, query):
    _assert_clean_error_of(alice.get(path, query_string=_query(dates, query)))


week_keys = st.builds(
    "{:04d}-W{:02d}".format,
    st.sampled_from([0, 1, 2, 1899, 1900, 2026, 9998, 9999]) | st.integers(0, 9999),
    st.integers(0, 54) | st.integers(0, 99),
) | st.text(max_size=10)


@settings(max_examples=examples(150), **ANY)
@given(week=week_keys)
@example(week="0001-W01")
@example(week="9999-W52")
def test_any_week_key_is_never_a_server_error(alice, week):
    _assert_clean_error_of(alice.get(f"/api/v1/digests/{week}"))


def _assert_clean_error_of(flask_response) -> None:
    assert flask_response.status_code < 500, flask_response.json
    if flask_response.status_code >= 400:
        body = flask_response.json
        assert body["message"] and body["code"] == flask_response.status_code


# --- valid check-ins, built from the scales ----------------------------------------------------

ratings = st.integers(scales.SCALE_MIN, scales.SCALE_MAX)
maybe = lambda strategy: st.none() | strategy  # noqa: E731
days = st.integers(0, 60).map(lambda n: dt.date(2026, 3, 1) + dt.timedelta(days=n))
emotions = st.lists(
    st.builds(
        lambda name, intensity: {"name": name, "intensity": intensity},
        st.sampled_from(scales.SUGGESTED_EMOTIONS),
        maybe(ratings),
    ),
    max_size=4,
    unique_by=lambda e: e["name"],
)


def _valid_checkin(part_ids: list[str]):
    parts = st.lists(
        st.builds(
            lambda part, intensity, blended: {
                "part": part,
                "intensity": intensity,
                "blended": blended,
            },
            st.sampled_from(part_ids),
            maybe(ratings),
            maybe(st.booleans()),
        ),
        max_size=len(part_ids),
        unique_by=lambda p: p["part"],
    )
    regulation = st.fixed_dictionaries(
        {},
        optional={
            "peak_intensity": maybe(ratings),
            "strategies": st.lists(
                st.sampled_from(scales.REGULATION_STRATEGIES), max_size=3, unique=True
            ),
            "success": maybe(ratings),
            "minutes_to_settle": maybe(st.integers(0, scales.MINUTES_TO_SETTLE_MAX)),
        },
    )
    attachment = st.fixed_dictionaries(
        {},
        optional={
            "anxiety": maybe(ratings),
            "avoidance": maybe(ratings),
            "reached_out": maybe(st.booleans()),
            "felt_supported": maybe(st.booleans()),
        },
    )
    body = st.fixed_dictionaries(
        {"mood": ratings},  # one answer for sure: an empty check-in is a 422 by design
        optional={
            "energy": maybe(ratings),
            "emotions": emotions,
            "parts": parts,
            "self_energy": st.fixed_dictionaries(
                {}, optional=dict.fromkeys(scales.SELF_ENERGY_CS, ratings)
            ),
            "regulation": regulation,
            "attachment": attachment,
            "note": st.text(max_size=60),
            "inner_child_note": st.text(max_size=60),
        },
    )
    return st.tuples(days, st.integers(0, 23 * 60 + 59), body)


def _with_time(day: dt.date, minute: int, body: dict) -> dict:
    recorded_at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), dt.UTC)
    return {"client_id": str(uuid.uuid4()), "recorded_at": recorded_at.isoformat(), **body}


@settings(max_examples=examples(40), **ANY)
@given(data=st.data())
def test_valid_checkins_are_stored_replayed_and_feed_trends_and_digests(make_account, data):
    account = make_account()
    part_ids = [
        account.post("/api/v1/parts", json={"name": name}).json["id"] for name in ("A", "B")
    ]
    items = data.draw(st.lists(_valid_checkin(part_ids), min_size=1, max_size=12))
    bodies = [_with_time(*item) for item in items]

    first = account.post(CHECKINS, json=bodies[0])
    assert first.status_code == 201, first.json
    for key, value in bodies[0].items():
        if key not in ("client_id", "recorded_at"):
            assert _same(first.json[key], value), (key, first.json[key], value)
    assert account.post(CHECKINS, json=bodies[0]).status_code == 200

    batch = account.post(f"{CHECKINS}/batch", json={"checkins": bodies}).json["results"]
    assert [r["status"] for r in batch] == [200] + [201] * (len(bodies) - 1), batch

    local_days = sorted(dt.date.fromisoformat(r["checkin"]["local_date"]) for r in batch)
    start, end = local_days[0], local_days[-1]
    trends = account.get(f"/api/v1/trends?from={start}&to={end}").json
    assert trends["summary"]["checkins"] == len(bodies)
    for point in trends["daily"]["mood"]:
        assert point["value"] is None or scales.SCALE_MIN <= point["value"] <= scales.SCALE_MAX
    week = trends["weekly"]["mood"][0]["week"]
    digest = account.get(f"/api/v1/digests/{week}")
    assert digest.status_code == 200, digest.json
    assert digest.json["summary"]["paragraph"]


def _same(stored, sent) -> bool:
    """A stored answer equals what was sent, up to the defaults the API fills in."""
    if isinstance(sent, dict):
        return all(_same(stored.get(k), v) for k, v in sent.items())
    if isinstance(sent, list):
        return len(stored) == len(sent) and all(
            _same(a, b) for a, b in zip(stored, sent, strict=True)
        )
    return stored == sent
