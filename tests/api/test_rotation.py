import uuid

from api import crypto, rotation


def test_rotation_reseals_everything_under_the_new_key(alice, raw_db, encryption_keys):
    part = alice.post("/api/v1/parts", json={"name": "Critic", "notes": "part note"}).json
    alice.post(
        "/api/v1/checkins",
        json={"client_id": str(uuid.uuid4()), "note": "a note", "parts": [{"part": part["id"]}]},
    )
    new_key = f"k2:{crypto.generate_key()}"
    crypto.configure(f"{new_key},{encryption_keys}")

    assert rotation.rotate_all() == {"parts": 1, "checkins": 1}

    assert raw_db.checkins.find_one()["note"]["enc"].startswith("pw1:k2:")
    assert raw_db.parts.find_one()["notes"]["enc"].startswith("pw1:k2:")
    # The old key can now be dropped: everything reads with the new one alone.
    crypto.configure(new_key)
    assert alice.get("/api/v1/checkins").json[0]["note"] == "a note"
    assert alice.get(f"/api/v1/parts/{part['id']}").json["notes"] == "part note"


def test_rotation_twice_changes_nothing_the_second_time(alice, encryption_keys):
    alice.post("/api/v1/checkins", json={"client_id": str(uuid.uuid4()), "note": "a note"})
    crypto.configure(f"k2:{crypto.generate_key()},{encryption_keys}")
    rotation.rotate_all()
    assert rotation.rotate_all() == {"parts": 0, "checkins": 0}


def test_updates_through_the_query_api_are_sealed_too(alice, raw_db):
    from api.models import Checkin

    alice.post("/api/v1/checkins", json={"client_id": str(uuid.uuid4()), "mood": 4})
    Checkin.objects.update(set__note="UPDATED-PLAINTEXT")
    assert "PLAINTEXT" not in repr(raw_db.checkins.find_one())
    assert Checkin.objects.first().note == "UPDATED-PLAINTEXT"
