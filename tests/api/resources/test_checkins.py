import datetime as dt
import uuid

import pytest

CHECKINS = "/api/v1/checkins"


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def critic(alice):
    return alice.post("/api/v1/parts", json={"name": "The Critic", "role": "manager"}).json["id"]


def full_checkin(part_id: str, **overrides) -> dict:
    body = {
        "client_id": new_id(),
        "recorded_at": "2026-03-10T19:30:00Z",
        "local_date": "2026-03-10",
        "mood": 6,
        "energy": 4,
        "emotions": [{"name": "anxiety", "intensity": 7}, {"name": "hope", "intensity": 3}],
        "parts": [{"part": part_id, "intensity": 8, "blended": True}],
        "self_energy": {
            "calm": 4,
            "curiosity": 6,
            "clarity": 5,
            "compassion": 7,
            "confidence": 3,
            "courage": 5,
            "creativity": 6,
            "connectedness": 4,
        },
        "regulation": {
            "occurred": True,
            "peak_intensity": 8,
            "strategies": ["breathing", "unblending"],
            "success": 7,
            "minutes_to_settle": 20,
        },
        "attachment": {"anxiety": 6, "avoidance": 2, "reached_out": True, "felt_supported": True},
        "inner_child_note": "Little one felt scared",
        "note": "Hard meeting, but I noticed the Critic",
    }
    return {**body, **overrides}


def test_create_stores_every_field(alice, critic):
    body = full_checkin(critic)
    response = alice.post(CHECKINS, json=body)
    assert response.status_code == 201
    stored = alice.get(response.headers["Location"]).json
    for key, value in body.items():
        if key == "recorded_at":
            assert dt.datetime.fromisoformat(stored[key]) == dt.datetime(
                2026, 3, 10, 19, 30, tzinfo=dt.UTC
            )
        else:
            assert stored[key] == value, key


def test_same_client_id_and_body_returns_the_stored_checkin(alice, critic):
    body = full_checkin(critic)
    first = alice.post(CHECKINS, json=body)
    again = alice.post(CHECKINS, json=body)
    assert again.status_code == 200
    assert again.json["id"] == first.json["id"]
    assert len(alice.get(CHECKINS).json) == 1


def test_replay_with_keys_in_another_order_is_still_a_replay(alice, critic):
    body = full_checkin(critic)
    alice.post(CHECKINS, json=body)
    reordered = dict(reversed(list(body.items())))
    assert alice.post(CHECKINS, json=reordered).status_code == 200


def test_same_client_id_with_another_body_is_409(alice, critic):
    body = full_checkin(critic)
    alice.post(CHECKINS, json=body)
    response = alice.post(CHECKINS, json={**body, "mood": 2})
    assert response.status_code == 409
    assert alice.get(CHECKINS).json[0]["mood"] == 6


def test_client_ids_are_per_user(alice, bob):
    shared = new_id()
    assert alice.post(CHECKINS, json={"client_id": shared, "mood": 5}).status_code == 201
    assert bob.post(CHECKINS, json={"client_id": shared, "mood": 5}).status_code == 201


def test_local_date_defaults_to_the_users_own_day(make_account):
    la = make_account(timezone="America/Los_Angeles")
    # 07:30 UTC on 11 March is 23:30 (PST... PDT from 10 March) on the 11th minus one: the 10th.
    response = la.post(
        CHECKINS, json={"client_id": new_id(), "mood": 5, "recorded_at": "2026-03-11T06:30:00Z"}
    )
    assert response.json["local_date"] == "2026-03-10"
    assert response.json["timezone"] == "America/Los_Angeles"


def test_local_date_far_from_recorded_at_is_422(alice):
    response = alice.post(
        CHECKINS,
        json={
            "client_id": new_id(),
            "mood": 5,
            "recorded_at": "2026-03-11T06:30:00Z",
            "local_date": "2026-03-08",
        },
    )
    assert response.status_code == 422
    assert "local_date" in response.json["errors"]["json"]


def test_a_checkin_from_the_future_is_422(alice):
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    response = alice.post(
        CHECKINS, json={"client_id": new_id(), "mood": 5, "recorded_at": tomorrow}
    )
    assert response.status_code == 422
    assert "recorded_at" in response.json["errors"]["json"]


def test_a_local_date_that_has_not_begun_anywhere_is_422(alice):
    # Without recorded_at the check-in is written now: a past day may be filled in, not a future.
    day_after_tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).date().isoformat()
    for local_date in (day_after_tomorrow, "9998-12-31"):
        response = alice.post(
            CHECKINS, json={"client_id": new_id(), "mood": 5, "local_date": local_date}
        )
        assert response.status_code == 422, local_date
        assert "local_date" in response.json["errors"]["json"]
    yesterday = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).date().isoformat()
    filled_in = alice.post(
        CHECKINS, json={"client_id": new_id(), "mood": 5, "local_date": yesterday}
    )
    assert filled_in.status_code == 201


@pytest.mark.parametrize(
    "dates",
    [
        {"local_date": "0001-01-01"},
        {"local_date": "9999-12-31"},
        {"recorded_at": "0001-01-01T00:00:00Z"},
        {"recorded_at": "0001-01-01T00:00:00+05:00"},  # before year 1 in UTC
        {"recorded_at": "0001-01-01T00:00:00Z", "local_date": "0001-01-01"},
        {"recorded_at": "9999-12-31T23:59:59Z", "local_date": "9999-12-31"},
    ],
)
def test_dates_at_the_edges_of_the_calendar_are_422(alice, dates):
    response = alice.post(CHECKINS, json={"client_id": new_id(), "mood": 5, **dates})
    assert response.status_code == 422, response.json
    assert set(response.json["errors"]["json"]) & {"local_date", "recorded_at"}


def test_an_empty_checkin_is_422(alice):
    for body in ({}, {"self_energy": {}}, {"attachment": {"anxiety": None}}, {"note": ""}):
        response = alice.post(CHECKINS, json={"client_id": new_id(), **body})
        assert response.status_code == 422, body
        assert "at least one answer" in str(response.json["errors"])


def test_no_hard_moment_is_an_answer_on_its_own(alice):
    body = {"client_id": new_id(), "regulation": {"occurred": False}}
    response = alice.post(CHECKINS, json=body)
    assert response.status_code == 201, response.json
    assert alice.get(response.headers["Location"]).json["regulation"]["occurred"] is False


def test_a_hard_moment_without_occurred_is_still_taken_from_older_clients(alice):
    body = {"client_id": new_id(), "regulation": {"success": 6, "strategies": ["breathing"]}}
    response = alice.post(CHECKINS, json=body)
    assert response.status_code == 201
    assert response.json["regulation"]["occurred"] is None
    assert response.json["regulation"]["success"] == 6


def test_occurred_left_null_is_no_answer(alice):
    response = alice.post(CHECKINS, json={"client_id": new_id(), "regulation": {"occurred": None}})
    assert response.status_code == 422
    assert "at least one answer" in str(response.json["errors"])


@pytest.mark.parametrize(
    "detail",
    [
        {"peak_intensity": 5},
        {"strategies": ["breathing"]},
        {"success": 0},
        {"minutes_to_settle": 10},
    ],
)
def test_no_hard_moment_with_its_details_is_422_naming_them(alice, detail):
    body = {"client_id": new_id(), "mood": 5, "regulation": {"occurred": False, **detail}}
    response = alice.post(CHECKINS, json=body)
    assert response.status_code == 422
    [name] = detail
    assert "occurred is false" in response.json["errors"]["json"]["regulation"][name][0]


def test_patch_can_say_there_was_no_hard_moment(alice, critic):
    location = alice.post(CHECKINS, json=full_checkin(critic)).headers["Location"]
    response = alice.patch(location, json={"regulation": {"occurred": False}})
    assert response.status_code == 200
    assert response.json["regulation"] == {
        "occurred": False,
        "peak_intensity": None,
        "strategies": [],
        "success": None,
        "minutes_to_settle": None,
    }


def test_patch_refuses_details_with_no_hard_moment(alice, critic):
    location = alice.post(CHECKINS, json=full_checkin(critic)).headers["Location"]
    response = alice.patch(location, json={"regulation": {"occurred": False, "success": 3}})
    assert response.status_code == 422
    assert "success" in response.json["errors"]["json"]["regulation"]
    assert alice.get(location).json["regulation"]["success"] == 7


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"mood": 11}, ["mood"]),
        ({"mood": -1}, ["mood"]),
        ({"mood": 5.5}, ["mood"]),
        ({"mood": "7"}, ["mood"]),
        ({"energy": True}, ["energy"]),
        ({"emotions": [{"name": "joy", "intensity": 12}]}, ["emotions", "0", "intensity"]),
        ({"emotions": [{"name": ""}]}, ["emotions", "0", "name"]),
        ({"emotions": [{"name": "joy"}, {"name": "Joy"}]}, ["emotions"]),
        ({"self_energy": {"calm": 20}}, ["self_energy", "calm"]),
        ({"self_energy": {"bravado": 2}}, ["self_energy", "bravado"]),
        ({"regulation": {"strategies": ["yelling"]}}, ["regulation", "strategies", "0"]),
        ({"regulation": {"minutes_to_settle": -5}}, ["regulation", "minutes_to_settle"]),
        ({"regulation": {"minutes_to_settle": 100000}}, ["regulation", "minutes_to_settle"]),
        ({"regulation": {"success": 11}}, ["regulation", "success"]),
        ({"attachment": {"anxiety": 11}}, ["attachment", "anxiety"]),
        ({"attachment": {"reached_out": "maybe"}}, ["attachment", "reached_out"]),
        ({"note": "x" * 5001}, ["note"]),
        ({"client_id": "not-a-uuid"}, ["client_id"]),
        ({"recorded_at": "yesterday"}, ["recorded_at"]),
        ({"local_date": "2026-02-30"}, ["local_date"]),
        ({"parts": [{"part": "abc"}]}, ["parts", "0", "part"]),
        ({"surprise": 1}, ["surprise"]),
    ],
)
def test_each_range_is_validated_naming_the_field(alice, critic, change, path):
    response = alice.post(CHECKINS, json=full_checkin(critic, **change))
    assert response.status_code == 422, response.json
    errors = response.json["errors"]["json"]
    for key in path:
        errors = errors[key if key in errors else int(key)]
    assert errors


def test_a_part_of_another_user_is_422(alice, bob):
    bobs_part = bob.post("/api/v1/parts", json={"name": "Bob's part"}).json["id"]
    response = alice.post(
        CHECKINS, json={"client_id": new_id(), "parts": [{"part": bobs_part, "intensity": 3}]}
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"]["parts"]["0"]["part"] == ["No such part of yours."]


def test_the_same_part_twice_is_422(alice, critic):
    response = alice.post(
        CHECKINS, json={"client_id": new_id(), "parts": [{"part": critic}, {"part": critic}]}
    )
    assert response.status_code == 422


def test_list_filters_by_local_date_range_newest_first(alice):
    for day in ("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"):
        alice.post(
            CHECKINS,
            json={
                "client_id": new_id(),
                "mood": 5,
                "recorded_at": f"{day}T12:00:00Z",
                "local_date": day,
            },
        )
    response = alice.get(f"{CHECKINS}?from=2026-03-02&to=2026-03-03")
    assert [c["local_date"] for c in response.json] == ["2026-03-03", "2026-03-02"]


def test_list_rejects_a_reversed_range(alice):
    assert alice.get(f"{CHECKINS}?from=2026-03-05&to=2026-03-01").status_code == 422


def test_list_is_paginated(alice):
    for n in range(5):
        alice.post(CHECKINS, json={"client_id": new_id(), "mood": n})
    response = alice.get(f"{CHECKINS}?page=2&page_size=2")
    assert len(response.json) == 2
    assert '"total": 5' in response.headers["X-Pagination"]


def test_another_users_checkin_is_404(alice, bob):
    location = bob.post(CHECKINS, json={"client_id": new_id(), "mood": 5}).headers["Location"]
    assert alice.get(location).status_code == 404
    assert alice.patch(location, json={"mood": 1}).status_code == 404
    assert alice.delete(location).status_code == 404
    assert bob.get(location).json["mood"] == 5


def test_patch_corrects_only_what_is_sent(alice, critic):
    location = alice.post(CHECKINS, json=full_checkin(critic)).headers["Location"]
    response = alice.patch(location, json={"mood": 3, "note": None})
    assert response.status_code == 200
    assert response.json["mood"] == 3
    assert response.json["note"] is None
    assert response.json["energy"] == 4


def test_patch_that_empties_a_checkin_is_422(alice):
    location = alice.post(CHECKINS, json={"client_id": new_id(), "mood": 5}).headers["Location"]
    response = alice.patch(location, json={"mood": None})
    assert response.status_code == 422
    assert alice.get(location).json["mood"] == 5


def test_patch_local_date_must_fit_the_stored_time(alice):
    location = alice.post(
        CHECKINS, json={"client_id": new_id(), "mood": 5, "recorded_at": "2026-03-10T12:00:00Z"}
    ).headers["Location"]
    assert alice.patch(location, json={"local_date": "2026-03-01"}).status_code == 422
    assert alice.patch(location, json={"local_date": "2026-03-11"}).status_code == 200


def test_patch_cannot_change_client_id(alice):
    location = alice.post(CHECKINS, json={"client_id": new_id(), "mood": 5}).headers["Location"]
    assert alice.patch(location, json={"client_id": new_id()}).status_code == 422


def test_delete_removes_the_content_and_a_replay_does_not_bring_it_back(alice, critic, raw_db):
    body = full_checkin(critic)
    location = alice.post(CHECKINS, json=body).headers["Location"]
    assert alice.delete(location).status_code == 204
    assert alice.get(location).status_code == 404
    assert alice.get(CHECKINS).json == []
    replay = alice.post(CHECKINS, json=body)
    assert replay.status_code == 410
    tombstone = raw_db.checkins.find_one()
    assert set(tombstone) <= {
        "_id",
        "owner",
        "client_id",
        "payload_hash",
        "created_at",
        "updated_at",
        "deleted_at",
    }


def test_therapists_do_not_keep_checkins(therapist):
    assert therapist.post(CHECKINS, json={"client_id": new_id(), "mood": 5}).status_code == 403


def test_notes_are_encrypted_at_rest(alice, critic, raw_db):
    alice.post(
        CHECKINS, json=full_checkin(critic, note="NOTE-SECRET", inner_child_note="CHILD-SECRET")
    )
    stored = raw_db.checkins.find_one()
    assert "SECRET" not in repr(stored)
    assert stored["note"]["enc"].startswith("pw1:k1:")
    assert stored["inner_child_note"]["enc"].startswith("pw1:k1:")


# --- batch replay --------------------------------------------------------------------------


def test_batch_answers_per_item(alice, critic):
    stored = full_checkin(critic)
    alice.post(CHECKINS, json=stored)
    batch = [
        {"client_id": new_id(), "mood": 4},  # new
        stored,  # replay
        {**stored, "mood": 1},  # conflict
        {"client_id": new_id(), "mood": 99},  # invalid
        "not an object",  # invalid
    ]
    response = alice.post(f"{CHECKINS}/batch", json={"checkins": batch})
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["status"] for r in results] == [201, 200, 409, 422, 422]
    assert results[0]["checkin"]["mood"] == 4
    assert results[3]["errors"]["mood"]
    assert len(alice.get(CHECKINS).json) == 2


def test_batch_twice_creates_each_checkin_once(alice):
    batch = [{"client_id": new_id(), "mood": n} for n in range(10)]
    first = alice.post(f"{CHECKINS}/batch", json={"checkins": batch}).json["results"]
    second = alice.post(f"{CHECKINS}/batch", json={"checkins": batch}).json["results"]
    assert {r["status"] for r in first} == {201}
    assert {r["status"] for r in second} == {200}
    assert [r["checkin"]["id"] for r in first] == [r["checkin"]["id"] for r in second]
    assert len(alice.get(f"{CHECKINS}?page_size=100").json) == 10


def test_the_same_item_twice_in_one_batch_is_stored_once(alice):
    item = {"client_id": new_id(), "mood": 5}
    results = alice.post(f"{CHECKINS}/batch", json={"checkins": [item, item]}).json["results"]
    assert [r["status"] for r in results] == [201, 200]


@pytest.mark.parametrize("size", [0, 101])
def test_batch_size_is_1_to_100(alice, size):
    batch = [{"client_id": new_id(), "mood": 5} for _ in range(size)]
    response = alice.post(f"{CHECKINS}/batch", json={"checkins": batch})
    assert response.status_code == 422
    assert "checkins" in response.json["errors"]["json"]


def test_batch_of_100_is_accepted(alice):
    batch = [{"client_id": new_id(), "mood": 5} for _ in range(100)]
    results = alice.post(f"{CHECKINS}/batch", json={"checkins": batch}).json["results"]
    assert len(results) == 100 and {r["status"] for r in results} == {201}
