"""What becomes of a check-in sent to be stored, without HTTP (api.services.checkins)."""

import uuid

import pytest
from marshmallow import ValidationError

from api.models import User
from api.services import checkins
from api.services.checkins import Written


@pytest.fixture
def user(alice) -> User:
    return User.objects.get(id=alice.id)


def body(**answers) -> dict:
    return {"client_id": uuid.uuid4(), "mood": 5, **answers}


def test_a_new_check_in_is_created_and_the_same_one_again_replayed(user):
    sent = body()
    created = checkins.create(user, sent, set())
    replayed = checkins.create(user, sent, set())
    assert (created.result, replayed.result) == (Written.CREATED, Written.REPLAYED)
    assert replayed.checkin.id == created.checkin.id
    assert {created.result, replayed.result} <= checkins.STORED


def test_the_same_client_id_with_another_body_is_a_conflict(user):
    sent = body()
    stored = checkins.create(user, sent, set()).checkin
    outcome = checkins.create(user, {**sent, "mood": 6}, set())
    assert outcome.result is Written.CONFLICT and outcome.result not in checkins.STORED
    assert outcome.checkin.id == stored.id
    assert outcome.message == "Another check-in with this client_id is already stored."


def test_a_deleted_check_in_is_not_created_again(user):
    sent = body()
    checkins.delete(checkins.create(user, sent, set()).checkin)
    outcome = checkins.create(user, sent, set())
    assert (outcome.result, outcome.checkin) == (Written.DELETED, None)


def test_a_part_that_is_not_the_users_makes_it_invalid(user):
    outcome = checkins.create(user, body(parts=[{"part": "0" * 24, "intensity": 5}]), set())
    assert outcome.result is Written.INVALID
    assert outcome.errors == {"parts": {0: {"part": ["No such part of yours."]}}}


def test_invalid_wraps_a_schema_refusal_the_same_way():
    outcome = checkins.invalid(ValidationError("Each check-in must be a JSON object.", "_schema"))
    assert outcome.result is Written.INVALID
    assert outcome.message == "Some fields are invalid."
    assert outcome.errors == {"_schema": ["Each check-in must be a JSON object."]}
