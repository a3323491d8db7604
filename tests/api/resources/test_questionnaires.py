import datetime as dt
import json
import uuid

import pytest
import schemathesis

from api import config
from api.domain import crisis
from tests.support import pdf
from tests.support.sharing import share

QUESTIONNAIRES = "/api/v1/questionnaires"
CRISIS = "/api/v1/crisis-resources"
PHQ9 = f"{QUESTIONNAIRES}/phq9/responses"
GAD7 = f"{QUESTIONNAIRES}/gad7/responses"

GERMAN = [
    {"name": "TelefonSeelsorge", "phone": "0800 111 0 111", "description": "Rund um die Uhr."}
]
BRITISH = [{"name": "Samaritans", "phone": "116 123", "description": "Any time, day or night."}]


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CRISIS_RESOURCES": {"de": GERMAN, "en-GB": BRITISH}}


def new_id() -> str:
    return str(uuid.uuid4())


def answer(account, url=PHQ9, answers=(1, 1, 1, 1, 1, 1, 1, 1, 0), headers=None, **fields):
    body = {"client_id": new_id(), "answers": list(answers), **fields}
    return account.post(url, json=body, headers=headers or {})


def at(day: str) -> dict:
    return {"local_date": day, "recorded_at": f"{day}T12:00:00Z"}


# --- the instruments -------------------------------------------------------------------------


def test_the_instruments_are_public(client):
    listed = client.get(QUESTIONNAIRES).json
    assert [i["id"] for i in listed] == ["phq9", "gad7", "phq2", "gad2"]
    phq9 = client.get(f"{QUESTIONNAIRES}/phq9").json
    assert len(phq9["items"]) == 9 and phq9["max_total"] == 27
    assert phq9["answer_options"][3] == "Nearly every day"
    assert phq9["bands"][3] == {
        "key": "moderately_severe",
        "min_total": 15,
        "max_total": 19,
        "label": "score in the moderately severe range",
    }
    assert phq9["difficulty_options"][0] == "Not difficult at all"
    assert client.get(f"{QUESTIONNAIRES}/gad2").json["items"] == listed[1]["items"][:2]


def test_an_unknown_instrument_is_404(alice):
    response = alice.get(f"{QUESTIONNAIRES}/bdi2")
    assert response.status_code == 404 and "phq9, gad7, phq2, gad2" in response.json["message"]
    assert answer(alice, f"{QUESTIONNAIRES}/bdi2/responses").status_code == 404
    for url in ("bdi2/responses", "bdi2/trend", "bdi2/responses/" + "0" * 24):
        assert alice.get(f"{QUESTIONNAIRES}/{url}").status_code == 404


# --- answering -------------------------------------------------------------------------------


def test_the_server_scores_and_stores_a_response(alice, raw_db):
    response = answer(alice, answers=[0, 1, 2, 3, 0, 1, 2, 3, 0], difficulty=1, **at("2026-03-10"))
    assert response.status_code == 201
    body = response.json
    assert (body["total"], body["band"]) == (12, "moderate")
    assert body["band_label"] == "score in the moderate range"
    assert body["flags"] == [] and body["crisis_resources"] is None
    assert body["difficulty"] == 1 and body["local_date"] == "2026-03-10"
    assert alice.get(response.headers["Location"]).json["total"] == 12
    stored = raw_db.questionnaire_responses.find_one()
    assert stored["answers"] == [0, 1, 2, 3, 0, 1, 2, 3, 0] and stored["total"] == 12


def test_a_score_sent_by_the_client_is_refused(alice):
    response = answer(alice, total=0, band="minimal")
    assert response.status_code == 422
    assert {"total", "band"} <= set(response.json["errors"]["json"])


@pytest.mark.parametrize(
    ("url", "answers", "band"),
    [
        (f"{QUESTIONNAIRES}/phq2/responses", [1, 2], "screen_positive"),
        (f"{QUESTIONNAIRES}/gad2/responses", [2, 0], "screen_negative"),
        (GAD7, [3] * 7, "severe"),
    ],
)
def test_each_instrument_is_scored(alice, url, answers, band):
    response = answer(alice, url, answers)
    assert response.status_code == 201
    assert response.json["total"] == sum(answers) and response.json["band"] == band


def test_local_date_defaults_to_the_users_own_day(make_account):
    tokyo = make_account(timezone="Asia/Tokyo")
    response = answer(tokyo, recorded_at="2026-03-10T20:00:00Z")
    assert response.json["local_date"] == "2026-03-11"


# --- crisis resources ------------------------------------------------------------------------


def test_item9_above_0_returns_crisis_resources_at_once_and_flags_the_response(alice):
    response = answer(alice, answers=[0] * 8 + [1])
    assert response.status_code == 201
    assert response.json["flags"] == ["item9_positive"]
    resources = response.json["crisis_resources"]
    assert resources["message"] == crisis.AFTER_ANSWER_MESSAGE
    assert resources["message"].endswith(crisis.ITEM9_WHO_SEES)
    assert resources["resources"] and resources["locale"] == "default"
    assert alice.get(response.headers["Location"]).json["flags"] == ["item9_positive"]


def test_item9_at_0_returns_no_crisis_resources(alice):
    response = answer(alice, answers=[3] * 8 + [0])
    assert response.json["total"] == 24
    assert response.json["flags"] == [] and response.json["crisis_resources"] is None


def test_crisis_resources_follow_accept_language(alice):
    german = answer(alice, answers=[0] * 8 + [2], headers={"Accept-Language": "de-AT,de;q=0.9"})
    assert german.json["crisis_resources"]["locale"] == "de"
    assert german.json["crisis_resources"]["resources"] == GERMAN


def test_locale_query_wins_over_accept_language(alice):
    response = alice.post(
        f"{PHQ9}?locale=en-GB",
        json={"client_id": new_id(), "answers": [0] * 8 + [3]},
        headers={"Accept-Language": "de"},
    )
    assert response.json["crisis_resources"]["resources"] == BRITISH


def test_a_replay_shows_crisis_resources_again(alice):
    body = {"client_id": new_id(), "answers": [0] * 8 + [1]}
    alice.post(PHQ9, json=body)
    again = alice.post(PHQ9, json=body)
    assert again.status_code == 200 and again.json["crisis_resources"]["resources"]


def test_a_conflict_still_shows_crisis_resources(app, alice):
    client_id = new_id()
    alice.post(PHQ9, json={"client_id": client_id, "answers": [0] * 9})
    response = alice.post(PHQ9, json={"client_id": client_id, "answers": [0] * 8 + [2]})
    assert response.status_code == 409
    assert response.json["message"] and response.json["crisis_resources"]["resources"]
    # Without item 9 above 0 there are none, and the key is left out. Both answers are what the
    # OpenAPI document says a 409 is (once it was a null its schema did not allow).
    plain = alice.post(PHQ9, json={"client_id": client_id, "answers": [1] * 8 + [0]})
    assert plain.status_code == 409 and "crisis_resources" not in plain.json
    document = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = document["/api/v1/questionnaires/{instrument}/responses"]["POST"]
    for answer in (response, plain):
        operation.validate_response(answer)


def test_unfinished_answers_with_item9_above_0_are_refused_with_crisis_resources(alice, raw_db):
    complete = answer(alice, answers=[0] * 8 + [2]).json["crisis_resources"]
    response = answer(alice, answers=[None, 1, None, 0, 0, 0, 0, 0, 2])
    assert response.status_code == 422
    assert response.json["errors"]["json"]["answers"] == [
        "The PHQ-9 has 9 questions; not answered yet: questions 1 and 3."
    ]
    assert response.json["crisis_resources"] == complete
    assert raw_db.questionnaire_responses.count_documents({}) == 1  # only the complete one


def test_refused_crisis_resources_follow_the_locale(alice):
    response = alice.post(
        f"{PHQ9}?locale=en-GB", json={"client_id": new_id(), "answers": [None] * 8 + [1]}
    )
    assert response.status_code == 422
    assert response.json["crisis_resources"]["resources"] == BRITISH


def test_answers_refused_by_the_schema_still_show_crisis_resources(alice, raw_db):
    response = answer(alice, answers=[0, "x", 0, 0, 0, 0, 0, 0, 3], local_date="tomorrow")
    assert response.status_code == 422
    assert {"answers", "local_date"} <= set(response.json["errors"]["json"])
    assert response.json["crisis_resources"]["message"] == crisis.AFTER_ANSWER_MESSAGE
    assert raw_db.questionnaire_responses.count_documents({}) == 0


def test_a_refusal_without_item9_above_0_has_no_crisis_resources(alice):
    response = answer(alice, answers=[0, "x", 0, 0, 0, 0, 0, 0, 0])
    assert response.status_code == 422 and "crisis_resources" not in response.json


def test_the_spec_says_a_refusal_may_carry_crisis_resources(client):
    spec = client.get("/api/openapi.json").json
    refused = spec["paths"]["/api/v1/questionnaires/{instrument}/responses"]["post"]["responses"]
    schema = refused["422"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert "crisis_resources" in spec["components"]["schemas"][schema]["properties"]


def test_crisis_resources_are_public(client):
    response = client.get(CRISIS)
    assert response.status_code == 200
    assert response.json["locale"] == "default" and response.json["message"] == crisis.MESSAGE
    text = json.dumps(response.json["resources"])
    for fact in ("112", "911", "999", "988", "116 123", "findahelpline.com"):
        assert fact in text


@pytest.mark.parametrize(
    ("query", "header", "locale"),
    [
        ("", "en-GB,en;q=0.8", "en-gb"),
        ("", "fr-FR, de;q=0.5", "de"),
        ("", "en-AU", "default"),
        ("", "de;q=0", "default"),
        ("?locale=de", "en-GB", "de"),
        ("?locale=pt-BR", "en-GB", "en-gb"),
        ("?locale=pt-BR", "", "default"),
    ],
)
def test_crisis_locale_selection_and_fallback(client, query, header, locale):
    headers = {"Accept-Language": header} if header else {}
    assert client.get(f"{CRISIS}{query}", headers=headers).json["locale"] == locale


def test_a_malformed_locale_is_422(client):
    response = client.get(f"{CRISIS}?locale=<script>")
    assert response.status_code == 422 and "locale" in response.json["errors"]["query"]


def test_crisis_resources_come_from_a_json_file_named_in_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "crisis.json"
    path.write_text(json.dumps({"nl": [{"name": "113", "description": "Praat erover."}]}))
    monkeypatch.setenv("PARTWISE_CRISIS_RESOURCES", str(path))
    loaded = config.load()["CRISIS_RESOURCES"]
    assert set(loaded) == {"default", "nl"}
    assert loaded["default"] == tuple(config.INTERNATIONAL_CRISIS_RESOURCES)


@pytest.mark.parametrize("content", ["not json", '{"nl": []}', '{"nl": [{"name": "x"}]}'])
def test_a_bad_crisis_file_fails_at_start(tmp_path, monkeypatch, content):
    path = tmp_path / "crisis.json"
    path.write_text(content)
    monkeypatch.setenv("PARTWISE_CRISIS_RESOURCES", str(path))
    with pytest.raises(ValueError, match="CRISIS_RESOURCES"):
        config.load()


# --- invalid answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (PHQ9, {"answers": [0] * 8}, "answers"),
        (PHQ9, {"answers": [0] * 10}, "answers"),
        (GAD7, {"answers": [0] * 9}, "answers"),
        (PHQ9, {"answers": []}, "answers"),
        (PHQ9, {"answers": [0] * 8 + [4]}, "answers"),
        (PHQ9, {"answers": [0] * 8 + [-1]}, "answers"),
        (PHQ9, {"answers": [0] * 8 + [1.5]}, "answers"),
        (PHQ9, {"answers": [0] * 8 + ["1"]}, "answers"),
        (PHQ9, {"answers": [0] * 8 + [True]}, "answers"),
        (PHQ9, {"answers": [0] * 8 + [None]}, "answers"),
        (PHQ9, {"answers": "000000000"}, "answers"),
        (PHQ9, {}, "answers"),
        (PHQ9, {"answers": [0] * 9, "difficulty": 4}, "difficulty"),
        (PHQ9, {"answers": [0] * 9, "difficulty": False}, "difficulty"),
        (GAD7, {"answers": [0] * 7, "difficulty": 1}, "difficulty"),
        (PHQ9, {"answers": [0] * 9, "client_id": "not-a-uuid"}, "client_id"),
        (PHQ9, {"answers": [0] * 9, **at("2026-03-10"), "local_date": "2026-03-01"}, "local_date"),
        (PHQ9, {"answers": [0] * 9, "local_date": "9998-12-31"}, "local_date"),
        (PHQ9, {"answers": [0] * 9, "local_date": "0001-01-01"}, "local_date"),
        (PHQ9, {"answers": [0] * 9, "recorded_at": "0001-01-01T00:00:00+05:00"}, "recorded_at"),
        (PHQ9, {"answers": [0] * 9, "recorded_at": "9999-12-31T23:59:59Z"}, "recorded_at"),
    ],
)
def test_invalid_answers_are_422_naming_the_field(alice, url, body, field):
    response = alice.post(url, json={"client_id": new_id(), **body})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]


def test_too_many_answers_say_how_many(alice):
    response = answer(alice, GAD7, answers=[0] * 8)
    assert response.json["errors"]["json"]["answers"] == [
        "The GAD-7 has 7 questions: send 7 answers."
    ]


def test_a_short_list_names_the_questions_not_answered(alice):
    response = answer(alice, answers=[0] * 7)
    assert response.status_code == 422
    assert response.json["errors"]["json"]["answers"] == [
        "The PHQ-9 has 9 questions; not answered yet: questions 8 and 9."
    ]


def test_null_answers_name_the_questions_not_answered(alice, raw_db):
    response = answer(alice, answers=[0, None, 1, 1, 1, None, 1, 1, 0])
    assert response.status_code == 422
    assert response.json["errors"]["json"]["answers"] == [
        "The PHQ-9 has 9 questions; not answered yet: questions 2 and 6."
    ]
    assert "crisis_resources" not in response.json
    assert raw_db.questionnaire_responses.count_documents({}) == 0


def test_a_response_from_the_future_is_422(alice):
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    response = answer(alice, recorded_at=tomorrow)
    assert response.status_code == 422 and "recorded_at" in response.json["errors"]["json"]


# --- idempotency -----------------------------------------------------------------------------


def test_the_same_client_id_and_answers_return_the_stored_response(alice):
    body = {"client_id": new_id(), "answers": [2] * 9, **at("2026-03-10")}
    first = alice.post(PHQ9, json=body)
    again = alice.post(PHQ9, json=dict(reversed(list(body.items()))))
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert len(alice.get(PHQ9).json) == 1


def test_the_same_client_id_with_other_answers_is_409(alice):
    client_id = new_id()
    alice.post(PHQ9, json={"client_id": client_id, "answers": [2] * 9})
    response = alice.post(PHQ9, json={"client_id": client_id, "answers": [1] * 9})
    assert response.status_code == 409
    other_instrument = alice.post(GAD7, json={"client_id": client_id, "answers": [2] * 7})
    assert other_instrument.status_code == 409
    assert [r["total"] for r in alice.get(PHQ9).json] == [18]


def test_client_ids_are_per_user(alice, bob):
    body = {"client_id": new_id(), "answers": [0] * 9}
    assert alice.post(PHQ9, json=body).status_code == 201
    assert bob.post(PHQ9, json=body).status_code == 201


# --- access ----------------------------------------------------------------------------------


def test_another_users_response_is_404(alice, bob):
    location = answer(bob).headers["Location"]
    assert alice.get(location).status_code == 404
    assert bob.get(location).status_code == 200
    assert alice.get(PHQ9).json == []


@pytest.mark.parametrize("response_id", ["nope", "0" * 24])
def test_an_unknown_response_is_404(alice, response_id):
    assert alice.get(f"{PHQ9}/{response_id}").status_code == 404


def test_a_response_is_found_only_under_its_own_instrument(alice):
    response_id = answer(alice).json["id"]
    assert alice.get(f"{GAD7}/{response_id}").status_code == 404


def test_therapists_get_403(therapist):
    assert answer(therapist).status_code == 403
    for url in (PHQ9, f"{QUESTIONNAIRES}/phq9/trend"):
        assert therapist.get(url).status_code == 403
    assert therapist.get(QUESTIONNAIRES).status_code == 200


def test_responses_need_a_login(client):
    assert client.get(PHQ9).status_code == 401
    assert client.post(PHQ9, json={"client_id": new_id(), "answers": [0] * 9}).status_code == 401


# --- history and trend -----------------------------------------------------------------------


def test_history_is_newest_first_paginated_and_per_instrument(alice):
    for day in ("2026-03-01", "2026-03-08", "2026-03-15", "2026-03-22", "2026-03-29"):
        answer(alice, **at(day))
    answer(alice, GAD7, [0] * 7, **at("2026-03-02"))
    response = alice.get(f"{PHQ9}?page=2&page_size=2")
    assert [r["local_date"] for r in response.json] == ["2026-03-15", "2026-03-08"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 5


def test_history_filters_by_local_date_range(alice):
    for day in ("2026-03-01", "2026-03-08", "2026-03-15"):
        answer(alice, **at(day))
    dates = [r["local_date"] for r in alice.get(f"{PHQ9}?from=2026-03-02&to=2026-03-15").json]
    assert dates == ["2026-03-15", "2026-03-08"]
    assert alice.get(f"{PHQ9}?from=2026-03-15&to=2026-03-01").status_code == 422


def test_trend_series_and_change(alice):
    for day, answers in (
        ("2026-03-01", [3, 3, 2, 2, 2, 2, 2, 2, 0]),  # 18, moderately severe
        ("2026-03-15", [2, 2, 2, 2, 1, 1, 1, 1, 0]),  # 12, moderate
        ("2026-03-29", [1, 1, 1, 1, 1, 1, 1, 1, 0]),  # 8, mild
    ):
        answer(alice, answers=answers, **at(day))
    trend = alice.get(f"{QUESTIONNAIRES}/phq9/trend").json
    assert [(p["local_date"], p["total"], p["band"]) for p in trend["series"]] == [
        ("2026-03-01", 18, "moderately_severe"),
        ("2026-03-15", 12, "moderate"),
        ("2026-03-29", 8, "mild"),
    ]
    assert trend["first"]["total"] == 18 and trend["last"]["total"] == 8
    assert (trend["change"], trend["reliable"], trend["reliable_change"]) == (-10, True, 6)
    assert "10 points lower" in trend["note"]
    recent = alice.get(f"{QUESTIONNAIRES}/phq9/trend?from=2026-03-10").json
    assert (recent["change"], recent["reliable"]) == (-4, False)
    assert "within the usual range of change" in recent["note"]


def test_trend_without_answers_says_so(alice):
    trend = alice.get(f"{QUESTIONNAIRES}/gad7/trend").json
    assert trend["series"] == [] and trend["first"] is None and trend["change"] is None
    assert "No GAD-7 answers yet" in trend["note"]


def test_trend_of_another_user_is_not_mine(alice, bob):
    answer(bob)
    assert alice.get(f"{QUESTIONNAIRES}/phq9/trend").json["series"] == []


def test_who_learns_of_item_9_is_said_the_same_way_everywhere(alice, therapist):
    """The client's crisis message and form, the sharing scope, the therapist's screens and PDF."""
    share(alice, therapist, ["questionnaires"])
    answered = answer(alice, answers=[0] * 8 + [2]).json
    phq9 = next(x for x in alice.get("/api/v1/questionnaires").json if x["id"] == "phq9")
    assert phq9["crisis_note"] == crisis.ITEM9_WHO_SEES
    assert answered["crisis_resources"]["message"].endswith(crisis.ITEM9_WHO_SEES)
    scopes = {
        s["scope"]: s["label"] for s in alice.get("/api/v1/meta/scales").json["sharing_scopes"]
    }
    assert "item 9 was answered above 0" in scopes["questionnaires"]
    assert "above 0, and on which day" in crisis.ITEM9_WHO_SEES  # what the therapist is shown

    said = crisis.item9_report([dt.date.fromisoformat(answered["local_date"])])
    base = f"/api/v1/therapist/clients/{alice.id}"
    (history,) = therapist.get(f"{base}/questionnaires").json["instruments"]
    assert history["flag_text"] == said
    (row,) = therapist.get("/api/v1/therapist/clients").json
    assert [i["text"] for i in row["attention"] if i["kind"] == "item9"] == [said]
    assert said in pdf.shown_text(therapist.get(f"{base}/export.pdf").data)
