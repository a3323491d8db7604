import csv
import datetime as dt
import io
import uuid

import pytest
from bson import ObjectId

from api import migrations
from api.accounts.erasure import owner_fields
from api.digests import build_week
from api.insights import week_key
from api.models.delivery import Delivery
from tests.support.collections import all_collections
from tests.support.push import subscription
from tests.support.sharing import (
    ACCESS_LOG,
    GRANTS,
    answer,
    checkin,
    client_url,
    invite,
    last_monday,
    share,
)

ME = "/api/v1/me"
EXPORT = f"{ME}/export"
IMPORT = f"{ME}/import"
MONDAY = last_monday()
PASSWORD = {"password": "a long passphrase"}


@pytest.fixture
def journal(alice):
    """Alice's journal: two parts (one archived), check-ins naming one, a response, a deletion."""
    critic = alice.post("/api/v1/parts", json={"name": "Critic", "notes": "strict"}).json["id"]
    old = alice.post("/api/v1/parts", json={"name": "Old One"}).json["id"]
    alice.patch(f"/api/v1/parts/{old}", json={"archived": True})
    checkin(
        alice,
        MONDAY,
        mood=4,
        note="=SUM(A1) a hard day",
        inner_child_note="small",
        emotions=[{"name": "fear", "intensity": 6}],
        parts=[{"part": critic, "intensity": 7, "blended": True}],
        self_energy={"calm": 3},
        regulation={"strategies": ["breathing"], "success": 6},
        attachment={"anxiety": 4, "reached_out": True},
    )
    checkin(alice, MONDAY + dt.timedelta(days=1), mood=6, parts=[{"part": old}])
    gone = checkin(alice, MONDAY + dt.timedelta(days=2), mood=1)
    alice.delete(f"/api/v1/checkins/{gone['id']}")
    answer(alice, "phq9", [1, 2, 1, 0, 0, 1, 0, 0, 0], MONDAY)
    return alice


def journal_of(export: dict) -> dict:
    """The journal of an export with ids replaced by names, to compare two exports."""
    names = {p["id"]: p["name"] for p in export["parts"]}
    parts = [{k: v for k, v in p.items() if k != "id"} for p in export["parts"]]
    checkins = [
        {**c, "id": None, "parts": [{**p, "part": names[p["part"]]} for p in c["parts"]]}
        for c in export["checkins"]
    ]
    return {
        "parts": parts,
        "checkins": checkins,
        "questionnaire_responses": export["questionnaire_responses"],
    }


# --- export ------------------------------------------------------------------------------------


def test_export_holds_everything_i_entered(journal):
    export = journal.get(EXPORT).json
    assert export["format"] == "partwise-export" and export["version"] == 1
    assert export["profile"]["email"] == "alice@example.org"
    assert "password_hash" not in export["profile"]
    assert {p["name"]: p["notes"] for p in export["parts"]}["Critic"] == "strict"
    first = export["checkins"][0]
    assert first["client_id"] and first["note"] == "=SUM(A1) a hard day"
    assert first["inner_child_note"] == "small" and first["regulation"]["success"] == 6
    assert export["questionnaire_responses"][0]["answers"] == [1, 2, 1, 0, 0, 1, 0, 0, 0]


def test_export_leaves_out_deleted_checkins(journal):
    assert len(journal.get(EXPORT).json["checkins"]) == 2


def test_export_is_a_json_attachment(alice):
    response = alice.get(EXPORT)
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=partwise-")


def test_export_holds_my_grants_and_who_looked(journal, therapist):
    share(journal, therapist)
    therapist.get(client_url(journal, "trends"))
    export = journal.get(EXPORT).json
    assert export["grants"][0]["therapist"]["email"] == "therapist@example.org"
    assert export["access_log"][0]["what"] == "weekly_trends"


# --- import ------------------------------------------------------------------------------------


def test_import_into_a_new_account_loses_nothing(journal, make_account):
    export = journal.get(EXPORT).json
    newcomer = make_account()
    assert newcomer.post(IMPORT, json=export).status_code == 200
    assert journal_of(newcomer.get(EXPORT).json) == journal_of(export)


def test_no_hard_moment_survives_export_and_import(alice, make_account):
    checkin(alice, MONDAY, regulation={"occurred": False})
    checkin(alice, MONDAY + dt.timedelta(days=1), regulation={"occurred": True, "success": 4})
    newcomer = make_account()
    assert newcomer.post(IMPORT, json=alice.get(EXPORT).json).status_code == 200
    imported = newcomer.get(EXPORT).json["checkins"]
    assert [(c["regulation"]["occurred"], c["regulation"]["success"]) for c in imported] == [
        (False, None),
        (True, 4),
    ]


def test_a_past_day_filled_in_later_survives_export_and_import(alice, make_account):
    """POST /checkins takes a past day without recorded_at: written now, for that day."""
    past = dt.date.today() - dt.timedelta(days=30)
    body = {"client_id": str(uuid.uuid4()), "local_date": past.isoformat(), "mood": 3}
    assert alice.post("/api/v1/checkins", json=body).status_code == 201
    export = alice.get(EXPORT).json
    newcomer = make_account()
    response = newcomer.post(IMPORT, json=export)
    assert response.status_code == 200, response.json
    assert journal_of(newcomer.get(EXPORT).json) == journal_of(export)


def test_an_imported_checkin_is_a_replay_of_the_phones_queued_copy(alice, make_account):
    """A phone that still queues a check-in gets 200 from the account it was imported into."""
    body = {"client_id": str(uuid.uuid4()), "mood": 3, "note": "queued 🙂"}
    alice.post("/api/v1/checkins", json=body)
    newcomer = make_account()
    newcomer.post(IMPORT, json=alice.get(EXPORT).json)
    assert newcomer.post("/api/v1/checkins", json=body).status_code == 200


def test_importing_twice_creates_nothing_new(journal, make_account):
    export = journal.get(EXPORT).json
    newcomer = make_account()
    first = newcomer.post(IMPORT, json=export).json
    second = newcomer.post(IMPORT, json=export).json
    assert first["checkins"] == {"created": 2, "existing": 0}
    assert first["parts"] == {"created": 2, "existing": 0}
    assert second == {
        "parts": {"created": 0, "existing": 2},
        "checkins": {"created": 0, "existing": 2},
        "questionnaire_responses": {"created": 0, "existing": 1},
    }


def test_importing_into_the_same_account_creates_nothing(journal):
    counts = journal.post(IMPORT, json=journal.get(EXPORT).json).json
    assert all(c["created"] == 0 for c in counts.values())


def test_import_reuses_an_active_part_of_the_same_name(journal, make_account):
    newcomer = make_account()
    mine = newcomer.post("/api/v1/parts", json={"name": "critic"}).json["id"]
    newcomer.post(IMPORT, json=journal.get(EXPORT).json)
    checkins = newcomer.get("/api/v1/checkins").json
    named = [p["part"] for c in checkins for p in c["parts"]]
    assert mine in named
    assert len(newcomer.get("/api/v1/parts?include_archived=true").json) == 2


def test_a_deleted_checkin_is_not_brought_back_by_an_import(journal, raw_db):
    export = journal.get(EXPORT).json
    tombstone = raw_db.checkins.find_one({"deleted_at": {"$ne": None}})
    export["checkins"].append({**export["checkins"][0], "client_id": tombstone["client_id"]})
    journal.post(IMPORT, json=export)
    assert len(journal.get("/api/v1/checkins").json) == 2


def test_import_scores_answers_again(journal, make_account):
    export = journal.get(EXPORT).json
    export["questionnaire_responses"][0]["total"] = 27
    newcomer = make_account()
    newcomer.post(IMPORT, json=export)
    stored = newcomer.get("/api/v1/questionnaires/phq9/responses").json[0]
    assert stored["total"] == 5


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda e: e.update(format="something-else"), ["format"]),
        (lambda e: e.update(version=99), ["version"]),
        (lambda e: e["parts"].pop(0), ["checkins", "0", "parts"]),
        (
            lambda e: e["questionnaire_responses"][0].update(answers=[1]),
            ["questionnaire_responses"],
        ),
        (lambda e: e["checkins"][0].update(mood=11), ["checkins", "0", "mood"]),
    ],
)
def test_a_bad_import_is_422_and_stores_nothing(journal, make_account, change, path):
    export = journal.get(EXPORT).json
    change(export)
    newcomer = make_account()
    response = newcomer.post(IMPORT, json=export)
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    for key in path:
        errors = errors[key]
    assert newcomer.get("/api/v1/parts").json == []


def test_an_import_may_be_larger_than_other_requests(app, journal, make_account):
    export = journal.get(EXPORT).json
    app.config["MAX_CONTENT_LENGTH"] = 1000
    newcomer = make_account()
    assert newcomer.post(IMPORT, json=export).status_code == 200
    assert newcomer.post("/api/v1/parts", json={"name": "x" * 2000}).status_code == 413


def test_a_therapist_has_nothing_to_import(therapist):
    body = {"format": "partwise-export", "version": 1}
    assert therapist.post(IMPORT, json=body).status_code == 403


# --- CSV ---------------------------------------------------------------------------------------


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_has_one_row_per_checkin_with_parts_by_name(journal):
    response = journal.get(f"{EXPORT}.csv")
    assert (
        response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    )
    first, second = rows_of(response)
    assert first["mood"] == "4" and first["parts"] == "Critic:7:blended"
    assert first["emotions"] == "fear:6" and first["self_energy_calm"] == "3"
    assert first["attachment_reached_out"] == "true" and second["parts"] == "Old One:"


def test_csv_cells_never_start_a_formula(journal):
    (first, _) = rows_of(journal.get(f"{EXPORT}.csv"))
    assert first["note"] == "'=SUM(A1) a hard day"


def test_csv_of_parts_and_questionnaires(journal):
    parts = rows_of(journal.get(f"{EXPORT}.csv?what=parts"))
    assert [p["name"] for p in parts] == ["Critic", "Old One"] and parts[0]["notes"] == "strict"
    (response,) = rows_of(journal.get(f"{EXPORT}.csv?what=questionnaires"))
    assert response["total"] == "5" and response["item_2"] == "2"


# --- deleting the account ----------------------------------------------------------------------


def counts_naming(raw_db, user_id: str) -> dict[str, int]:
    """Documents per collection that name this user in any field."""
    oid = ObjectId(user_id)
    counts = {}
    for name in raw_db.list_collection_names():
        found = [d for d in raw_db[name].find() if oid in _values(d)]
        counts[name] = len(found)
    return counts


def _values(document) -> list:
    if isinstance(document, dict):
        return [v for value in document.values() for v in _values(value)]
    if isinstance(document, list):
        return [v for value in document for v in _values(value)]
    return [document]


@pytest.fixture
def everything(journal, bob, therapist, raw_db):
    """Alice and Bob with data in every collection, shared with the therapist who looked."""
    for client in (journal, bob):
        checkin(client, MONDAY, mood=5)
        wrong = {"email": client.email, "password": "not it at all"}
        assert client.client.post("/api/v1/auth/login", json=wrong).status_code == 401
        share(client, therapist)
        therapist.get(client_url(client, "trends"))
        invite(client)
        subscribed = client.post("/api/v1/push/subscriptions", json=subscription())
        assert subscribed.status_code == 201, subscribed.json
        due = dt.datetime.combine(MONDAY, dt.time(20), dt.UTC)
        Delivery(
            user=ObjectId(client.id), kind="reminder", period_key=str(MONDAY), due_at=due
        ).save()
    build_week(week_key(MONDAY))
    return journal


def test_deleting_my_account_leaves_nothing_of_mine_in_any_collection(everything, bob, raw_db):
    before = counts_naming(raw_db, bob.id)
    response = everything.delete(ME, json=PASSWORD)
    assert response.status_code == 204
    assert set(counts_naming(raw_db, everything.id).values()) == {0}
    assert counts_naming(raw_db, bob.id) == before


def test_every_collection_held_something_of_mine_before(everything, raw_db):
    """Else the test above proves nothing for that collection: a collection added later fails
    here until `everything` puts something of Alice's into it."""
    before = counts_naming(raw_db, everything.id)
    assert {name for name, n in before.items() if n} == all_collections()


def test_erasing_finds_my_documents_through_indexes(raw_db):
    """An account's deletion must not scan the large collections."""
    migrations.ensure_indexes()
    for collection, fields in owner_fields().items():
        leading = {info["key"][0][0] for info in raw_db[collection].index_information().values()}
        assert set(fields) <= leading, collection


def test_therapists_lose_access_at_once(everything, therapist):
    everything.delete(ME, json=PASSWORD)
    assert therapist.get(client_url(everything, "trends")).status_code == 404
    listed = [c["client"]["email"] for c in therapist.get("/api/v1/therapist/clients").json]
    assert listed == ["bob@example.org"]


def test_my_token_stops_working(alice):
    alice.delete(ME, json=PASSWORD)
    assert alice.get(ME).status_code == 401


def test_a_wrong_password_deletes_nothing(alice):
    response = alice.delete(ME, json={"password": "not my password"})
    assert response.status_code == 401
    assert alice.get(ME).status_code == 200


def test_no_password_is_422(alice):
    response = alice.delete(ME, json={})
    assert response.status_code == 422 and "password" in response.json["errors"]["json"]


def test_wrong_passwords_count_like_failed_logins(alice):
    for _ in range(4):
        alice.delete(ME, json={"password": "not my password"})
    login = {"email": "alice@example.org", "password": "a long passphrase"}
    answer = alice.client.post("/api/v1/auth/login", json=login)
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) >= 1
    assert alice.delete(ME, json=PASSWORD).status_code == 429  # the same budget


def test_a_deleted_therapist_stays_in_the_access_log_without_a_name(alice, therapist):
    share(alice, therapist)
    therapist.get(client_url(alice, "trends"))
    assert therapist.delete(ME, json=PASSWORD).status_code == 204
    assert alice.get(GRANTS).json == []
    (entry,) = alice.get(ACCESS_LOG).json
    assert entry["what"] == "weekly_trends" and entry["therapist"] is None
