import uuid

import pytest

PARTS = "/api/v1/parts"


def make_part(account, **fields):
    response = account.post(PARTS, json={"name": "The Critic", "role": "manager", **fields})
    assert response.status_code == 201, response.json
    return response.json


def test_create_and_read_a_part(alice):
    part = make_part(
        alice,
        fears="Being rejected",
        needs="Rest",
        body_location="shoulders",
        notes="Shows up before meetings",
    )
    fetched = alice.get(f"{PARTS}/{part['id']}").json
    assert fetched["name"] == "The Critic"
    assert fetched["fears"] == "Being rejected"
    assert fetched["notes"] == "Shows up before meetings"
    assert fetched["archived"] is False


def test_role_defaults_to_unknown(alice):
    assert alice.post(PARTS, json={"name": "Someone new"}).json["role"] == "unknown"


def test_list_my_parts_only(alice, bob):
    make_part(alice)
    make_part(bob, name="Bob's Worrier")
    names = [p["name"] for p in alice.get(PARTS).json]
    assert names == ["The Critic"]


def test_update_a_part(alice):
    part = make_part(alice)
    response = alice.patch(f"{PARTS}/{part['id']}", json={"role": "firefighter", "needs": "Space"})
    assert response.status_code == 200
    assert response.json["role"] == "firefighter"
    assert response.json["name"] == "The Critic"


def test_archive_hides_from_list_and_can_be_undone(alice):
    part = make_part(alice)
    archived = alice.patch(f"{PARTS}/{part['id']}", json={"archived": True}).json
    assert archived["archived"] is True and archived["archived_at"]
    assert alice.get(PARTS).json == []
    assert [p["id"] for p in alice.get(f"{PARTS}?include_archived=true").json] == [part["id"]]
    assert alice.patch(f"{PARTS}/{part['id']}", json={"archived": False}).json["archived"] is False
    assert len(alice.get(PARTS).json) == 1


def test_another_users_part_is_404_never_403(alice, bob):
    part = make_part(bob)
    for method in ("get", "patch", "delete"):
        kwargs = {"json": {"name": "Mine now"}} if method == "patch" else {}
        response = getattr(alice, method)(f"{PARTS}/{part['id']}", **kwargs)
        assert response.status_code == 404
    assert bob.get(f"{PARTS}/{part['id']}").json["name"] == "The Critic"


@pytest.mark.parametrize("part_id", ["nope", "0" * 24, "zz" * 12])
def test_unknown_or_malformed_id_is_404(alice, part_id):
    assert alice.get(f"{PARTS}/{part_id}").status_code == 404


def test_duplicate_active_name_is_409(alice):
    make_part(alice)
    response = alice.post(PARTS, json={"name": "  the critic "})
    assert response.status_code == 409


def test_a_name_may_be_reused_after_archiving(alice):
    part = make_part(alice)
    alice.patch(f"{PARTS}/{part['id']}", json={"archived": True})
    assert alice.post(PARTS, json={"name": "The Critic"}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "A", "role": "villain"}, "role"),
        ({"name": "A", "fears": "x" * 1001}, "fears"),
        ({"name": "A", "owner": "someone"}, "owner"),
        ({"name": 12}, "name"),
    ],
)
def test_bad_part_is_422_naming_the_field(alice, body, field):
    response = alice.post(PARTS, json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_delete_an_unused_part(alice):
    part = make_part(alice)
    assert alice.delete(f"{PARTS}/{part['id']}").status_code == 204
    assert alice.get(f"{PARTS}/{part['id']}").status_code == 404


def test_a_part_that_checkins_mention_cannot_be_deleted(alice):
    part = make_part(alice)
    alice.post(
        "/api/v1/checkins",
        json={"client_id": str(uuid.uuid4()), "parts": [{"part": part["id"], "intensity": 5}]},
    )
    response = alice.delete(f"{PARTS}/{part['id']}")
    assert response.status_code == 409
    assert "archive" in response.json["message"]


def test_therapists_do_not_keep_parts(therapist):
    response = therapist.post(PARTS, json={"name": "Mine"})
    assert response.status_code == 403


def test_part_free_text_is_encrypted_at_rest(alice, raw_db):
    make_part(alice, fears="FEAR-PLAINTEXT", needs="NEED-PLAINTEXT", notes="NOTE-PLAINTEXT")
    stored = raw_db.parts.find_one()
    assert "PLAINTEXT" not in repr(stored)
    assert stored["notes"]["enc"].startswith("pw1:k1:")
