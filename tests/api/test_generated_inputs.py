"""Generated inputs against the check-in and parts endpoints: no input may produce a 5xx.

schemathesis generates requests from the OpenAPI document (valid and invalid ones); hypothesis
throws arbitrary JSON at existing documents, which random path ids would never reach.
"""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

JOURNAL_PATHS = r"^/api/v1/(checkins|parts)"


def _assert_clean_error(response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body["message"] and body["code"] == response.status_code


@pytest.fixture
def journal_schema(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    schema.config.generation.update(max_examples=25)
    return schema.include(path_regex=JOURNAL_PATHS)


schema = schemathesis.pytest.from_fixture("journal_schema")


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_generated_requests_never_get_a_server_error(case, alice):
    response = case.call(headers=alice.headers)
    _assert_clean_error(response)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
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


@settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None)
@given(body=near_valid | json_values)
def test_patching_an_existing_checkin_with_anything_is_never_a_server_error(alice, body):
    location = alice.post(
        "/api/v1/checkins", json={"client_id": str(uuid.uuid4()), "mood": 5}
    ).headers["Location"]
    response = alice.patch(location, json=body)
    assert response.status_code < 500, response.json
    assert alice.get(location).status_code == 200  # nothing stored was lost


@settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None)
@given(body=near_valid | json_values)
def test_creating_a_checkin_from_anything_is_never_a_server_error(alice, body):
    payload = {"client_id": str(uuid.uuid4()), **body} if isinstance(body, dict) else body
    response = alice.post("/api/v1/checkins", json=payload)
    assert response.status_code < 500, response.json
    batch = alice.post("/api/v1/checkins/batch", json={"checkins": [payload]})
    assert batch.status_code < 500, batch.json


@settings(max_examples=100, suppress_health_check=list(HealthCheck), deadline=None)
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
