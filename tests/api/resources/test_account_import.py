"""POST /me/import is all or nothing, bounded, and does not hold up other users meanwhile."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
from bson import ObjectId
from pymongo.errors import AutoReconnect

from api.accounts import archive as archive_module
from api.accounts import erasure
from api.models import Checkin, Part
from tests.support.collections import all_collections

IMPORT = "/api/v1/me/import"
PART_ID = str(ObjectId())


def archive(checkins: int, **extra) -> dict:
    """An export of one part and `checkins` check-ins on past days, each naming the part."""
    today = dt.date.today()
    items = []
    for n in range(checkins):
        day = today - dt.timedelta(days=n + 1)
        items.append(
            {
                "client_id": str(uuid.uuid4()),
                "local_date": day.isoformat(),
                "recorded_at": f"{day.isoformat()}T12:00:00+00:00",
                "mood": n % 11,
                "parts": [{"part": PART_ID, "intensity": 5}],
                "note": f"Day {n} 🙂",
            }
        )
    return {
        "format": "partwise-export",
        "version": 1,
        "parts": [{"id": PART_ID, "name": "Critic"}],
        "checkins": items,
        **extra,
    }


def stored_of(raw_db, account) -> dict[str, int]:
    """Documents per collection naming the account as their owner."""
    owner = ObjectId(account.id)
    return {name: raw_db[name].count_documents({"owner": owner}) for name in all_collections()}


# --- all or nothing ----------------------------------------------------------------------------


def test_text_cut_mid_emoji_in_the_last_item_stores_nothing(alice, raw_db):
    body = archive(5)
    body["checkins"][-1]["note"] = "cut \ud83d"
    response = alice.post(IMPORT, json=body)
    assert response.status_code == 422
    assert response.json["errors"]["json"]["checkins"]["4"]["note"]
    assert set(stored_of(raw_db, alice).values()) == {0}
    assert alice.post(IMPORT, json=archive(5)).status_code == 200  # and nothing is stuck


class FailingStore:
    """Lets `after` documents be written, then does `then` (raises, say) on the next write."""

    def __init__(self, monkeypatch, after: int, then):
        self.left, self.then = after, then
        for model in (Part, Checkin):
            collection = model._get_collection()
            for name in ("insert_one", "insert_many"):
                monkeypatch.setattr(collection, name, self._wrap(getattr(collection, name)))

    def _wrap(self, write):
        def wrapper(documents, *args, **kwargs):
            count = 1 if isinstance(documents, dict) else len(documents)
            if self.left < count:
                self.then()
            self.left -= count
            return write(documents, *args, **kwargs)

        return wrapper


def test_a_write_failing_half_way_takes_back_what_the_import_wrote(alice, raw_db, monkeypatch):
    alice.post("/api/v1/parts", json={"name": "Mine"})
    before = stored_of(raw_db, alice)

    def lose_the_connection():
        raise AutoReconnect("connection lost")

    FailingStore(monkeypatch, after=4, then=lose_the_connection)
    with pytest.raises(AutoReconnect):  # a 500 outside tests: the server's fault, not the input's
        alice.post(IMPORT, json=archive(10))
    assert stored_of(raw_db, alice) == before


def test_an_account_deleted_while_its_import_runs_keeps_nothing(alice, raw_db, monkeypatch):
    FailingStore(monkeypatch, after=4, then=lambda: erasure.erase(ObjectId(alice.id)))
    response = alice.post(IMPORT, json=archive(10))
    assert response.status_code == 410
    assert set(stored_of(raw_db, alice).values()) == {0}


def test_a_checkin_stored_meanwhile_by_another_request_counts_as_existing(alice, monkeypatch):
    collection = Checkin._get_collection()
    insert_many = collection.insert_many
    body = archive(3)

    def replayed_first(documents, *args, **kwargs):
        if documents[0]["client_id"] == body["checkins"][1]["client_id"]:
            alice.post("/api/v1/checkins", json={**body["checkins"][1], "parts": []})
        return insert_many(documents, *args, **kwargs)

    monkeypatch.setattr(collection, "insert_many", replayed_first)
    response = alice.post(IMPORT, json=body)
    assert response.json["checkins"] == {"created": 2, "existing": 1}
    assert len(alice.get("/api/v1/checkins").json) == 3


# --- limits ------------------------------------------------------------------------------------


def test_an_import_larger_than_the_limit_is_413_saying_the_limit(app, alice, raw_db):
    app.config["IMPORT_MAX_CONTENT_LENGTH"] = 2**20
    response = alice.post(IMPORT, json=archive(1, padding="x" * 2**20))
    assert response.status_code == 413
    assert "1 MB at most" in response.json["message"]
    assert set(stored_of(raw_db, alice).values()) == {0}


@pytest.mark.parametrize(
    ("kind", "setting"),
    [
        ("parts", "IMPORT_MAX_PARTS"),
        ("checkins", "IMPORT_MAX_CHECKINS"),
        ("questionnaire_responses", "IMPORT_MAX_QUESTIONNAIRE_RESPONSES"),
    ],
)
def test_more_items_of_a_kind_than_the_limit_is_422_naming_it(app, alice, raw_db, kind, setting):
    app.config[setting] = 2
    body = archive(1)
    body[kind] = [{}] * 3  # counted before any item is checked
    response = alice.post(IMPORT, json=body)
    assert response.status_code == 422
    (message,) = response.json["errors"]["json"][kind]
    assert "2" in message and "3" in message
    assert set(stored_of(raw_db, alice).values()) == {0}


def test_years_of_daily_checkins_fit_the_default_limits(app, alice):
    """Ten years of one check-in a day, with every answer and notes, is an import."""
    export = archive(1)["checkins"][0]
    full = {
        **export,
        "emotions": [{"name": "calm", "intensity": 4}, {"name": "hope", "intensity": 6}],
        "self_energy": {"calm": 5, "curiosity": 6, "clarity": 4, "compassion": 7},
        "regulation": {"strategies": ["breathing"], "success": 6, "minutes_to_settle": 15},
        "attachment": {"anxiety": 4, "avoidance": 2, "reached_out": True},
        "note": "A paragraph about the day, a few sentences long. " * 6,
        "inner_child_note": "Felt small, then held.",
        "created_at": "2026-03-01T12:00:00+00:00",
        "updated_at": "2026-03-01T12:00:00+00:00",
        "payload_hash": "0" * 64,
    }
    days = 3653
    body = {**archive(0), "checkins": [full] * days}
    size = len(app.json.dumps(body).encode())
    assert size < app.config["IMPORT_MAX_CONTENT_LENGTH"]
    assert days < app.config["IMPORT_MAX_CHECKINS"]


# --- other users meanwhile (the embedded store: one request at a time) -------------------------


def test_other_users_are_answered_while_a_large_import_runs(app, alice, bob, monkeypatch):
    """Each request holds the embedded store; an import lets go of it between runs of writes."""
    other = app.test_client()
    imported: dict[str, float] = {}
    answered: list[tuple[float, float]] = []
    restore = archive_module.restore

    def restore_from_now(*args):
        imported["start"] = time.monotonic()  # the import's request holds the store by now
        return restore(*args)

    monkeypatch.setattr(archive_module, "restore", restore_from_now)

    def run_import():
        response = alice.post(IMPORT, json=archive(600))
        imported["end"] = time.monotonic()
        imported["status"] = response.status_code

    importer = threading.Thread(target=run_import)
    importer.start()
    deadline = time.monotonic() + 60
    while importer.is_alive():
        assert time.monotonic() < deadline, "the import did not end within 60 s"
        start = time.monotonic()
        assert other.get("/api/v1/me", headers=bob.headers).status_code == 200
        answered.append((start, time.monotonic()))
    importer.join()
    assert imported["status"] == 200
    during = [a for a in answered if imported["start"] < a[0] and a[1] < imported["end"]]
    assert len(during) >= 5, (imported, len(answered))
