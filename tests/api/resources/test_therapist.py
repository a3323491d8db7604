import csv
import datetime as dt
import io
import json

import pytest
from bson import ObjectId
from fhir.resources.R4B.bundle import Bundle
from fpdf import FPDF

from api.digests import build_week
from api.insights import week_key
from api.resources.therapist.attention import ITEM9_DAYS, NO_CHECKIN_DAYS
from tests.support import pdf
from tests.support.fhir import r4_errors
from tests.support.sharing import (
    ACCESS_LOG,
    ALL_SCOPES,
    CASELOAD,
    CLIENTS,
    GRANTS,
    REDEEM,
    answer,
    checkin,
    client_url,
    invite,
    last_monday,
    share,
)

MONDAY = last_monday()  # of the last complete week
SELF = {"calm": 6, "curiosity": 8}  # a Self-energy of 7


def week_of_checkins(account, moods, monday=MONDAY, **answers):
    for offset, mood in enumerate(moods):
        checkin(account, monday + dt.timedelta(days=offset), mood=mood, **answers)


def access_log(account) -> list[str]:
    return [entry["what"] for entry in account.get(ACCESS_LOG).json]


# --- redeeming ---------------------------------------------------------------------------------


def test_redeeming_a_code_grants_its_scopes(alice, therapist):
    code = invite(alice, ["weekly_trends", "notes"])["code"]
    response = therapist.post(REDEEM, json={"code": code})
    assert response.status_code == 201
    assert response.json["scopes"] == ["weekly_trends", "notes"]
    assert response.json["client"]["email"] == "alice@example.org"


def test_a_code_is_read_however_it_is_typed(alice, therapist):
    code = invite(alice)["code"]
    typed = code.replace("-", " ").lower()
    assert therapist.post(REDEEM, json={"code": typed}).status_code == 201


def test_a_code_works_once(alice, therapist, make_account):
    code = invite(alice)["code"]
    therapist.post(REDEEM, json={"code": code})
    assert make_account("therapist").post(REDEEM, json={"code": code}).status_code == 404


def test_every_code_that_does_not_work_gets_the_same_404(alice, therapist, raw_db):
    used = invite(alice)["code"]
    therapist.post(REDEEM, json={"code": used})
    expired = invite(alice)["code"]
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    raw_db.invitations.update_many({"redeemed_at": None}, {"$set": {"expires_at": past}})
    answers = [
        therapist.post(REDEEM, json={"code": code})
        for code in (used, expired, "K7QM-3XPD", "not a code")
    ]
    assert {r.status_code for r in answers} == {404}
    assert len({r.json["message"] for r in answers}) == 1


def test_failed_codes_are_limited_per_therapist(app, alice, therapist):
    app.config["REDEEM_LIMIT_PER_THERAPIST"] = "3 per hour"
    for _ in range(3):
        assert therapist.post(REDEEM, json={"code": "0000-0000"}).status_code == 404
    response = therapist.post(REDEEM, json={"code": invite(alice)["code"]})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_a_redeemed_code_does_not_count_against_the_limit(app, alice, therapist):
    app.config["REDEEM_LIMIT_PER_THERAPIST"] = "1 per hour"
    for _ in range(3):
        assert therapist.post(REDEEM, json={"code": invite(alice)["code"]}).status_code == 201


def test_a_client_cannot_redeem(alice, bob):
    assert bob.post(REDEEM, json={"code": invite(alice)["code"]}).status_code == 403


def test_a_new_invitation_for_the_same_pair_replaces_the_grant(alice, therapist):
    first = share(alice, therapist, ["weekly_trends"])
    second = share(alice, therapist, ["weekly_trends", "digests"])
    statuses = {g["id"]: g["status"] for g in alice.get(GRANTS).json}
    assert statuses == {first["id"]: "revoked", second["id"]: "active"}
    assert therapist.get(client_url(alice, "digests")).status_code == 200


def test_the_grant_ends_when_the_invitation_said(alice, therapist):
    ends = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).replace(microsecond=0)
    grant = share(alice, therapist, grant_ends_at=ends.isoformat())
    assert dt.datetime.fromisoformat(grant["ends_at"]) == ends


# --- who may see what --------------------------------------------------------------------------


#: Therapist endpoints that are not about one client: each logs its reads itself (or reads none).
OWN_LOGGING = {
    "/api/v1/therapist/invitations/redeem",  # reads no client data
    "/api/v1/therapist/clients",  # logs "clients.list" for each client listed
    "/api/v1/therapist/caseload",  # logs "caseload" for each client counted
}


def test_every_view_of_one_client_goes_through_the_grant_check(app):
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/therapist/")]
    assert {r.rule for r in rules if "<client_id>" not in r.rule} == OWN_LOGGING
    for rule in (r for r in rules if r.rule not in OWN_LOGGING):
        view = app.view_functions[rule.endpoint].view_class
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert getattr(getattr(view, method.lower()), "reads", None), rule.rule


def test_a_client_who_never_shared_is_404(alice, therapist):
    response = therapist.get(client_url(alice, "trends"))
    assert response.status_code == 404 and "No such client" in response.json["message"]


@pytest.mark.parametrize("client_id", ["nonsense", str(ObjectId())], ids=["nonsense", "unknown"])
def test_an_id_that_is_no_client_is_404(therapist, client_id):
    assert therapist.get(f"{CLIENTS}/{client_id}/trends").status_code == 404


def test_sharing_with_another_therapist_shows_me_nothing(alice, therapist, make_account):
    share(alice, make_account("therapist"))
    assert therapist.get(client_url(alice, "trends")).status_code == 404


def test_a_scope_not_granted_is_403_naming_it(alice, therapist):
    share(alice, therapist)
    response = therapist.get(client_url(alice, "notes"))
    assert response.status_code == 403 and "notes" in response.json["message"]


def test_an_ended_grant_is_403_from_the_next_request_on(alice, therapist, raw_db):
    share(alice, therapist)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    raw_db.consents.update_many({}, {"$set": {"ends_at": past}})
    response = therapist.get(client_url(alice, "trends"))
    assert response.status_code == 403 and "ended" in response.json["message"]


# --- my clients --------------------------------------------------------------------------------


def test_my_clients_come_with_their_last_complete_week(alice, therapist):
    week_of_checkins(alice, [4, 6, 8], self_energy=SELF)
    checkin(alice, MONDAY - dt.timedelta(days=1), mood=0)  # the week before: not counted
    share(alice, therapist)
    (listed,) = therapist.get(CLIENTS).json
    assert listed["client"]["email"] == "alice@example.org"
    week = listed["latest_week"]
    assert week["week"] == week_key(MONDAY) and week["checkin_days"] == 3
    assert week["mood"] == {"mean": 6.0, "n": 3}
    assert week["self_energy"] == {"mean": 7.0, "n": 3}


def test_no_figures_without_weekly_trends(alice, therapist):
    week_of_checkins(alice, [5])
    share(alice, therapist, ["digests"])
    assert therapist.get(CLIENTS).json[0]["latest_week"] is None


def test_clients_who_stopped_sharing_are_not_listed(alice, bob, therapist):
    share(alice, therapist)
    share(bob, therapist)
    grant = bob.get(GRANTS).json[0]
    bob.delete(f"{GRANTS}/{grant['id']}")
    assert [c["client"]["email"] for c in therapist.get(CLIENTS).json] == ["alice@example.org"]


def test_listing_my_clients_is_logged_for_each(alice, bob, therapist):
    share(alice, therapist)
    share(bob, therapist, ["digests"])
    therapist.get(CLIENTS)
    assert access_log(alice) == access_log(bob) == ["clients.list"]
    # The list draws on the last week and on questionnaires (what may need attention).
    assert alice.get(ACCESS_LOG).json[0]["scopes"] == ["weekly_trends", "questionnaires"]
    assert bob.get(ACCESS_LOG).json[0]["scopes"] == []


# --- what may need attention -------------------------------------------------------------------

TODAY = dt.datetime.now(dt.UTC).date()  # the accounts' zone is UTC


def attention(therapist, account=None) -> list[dict]:
    rows = therapist.get(CLIENTS).json
    if account is None:
        (row,) = rows
    else:
        row = next(r for r in rows if r["client"]["id"] == account.id)
    return row["attention"]


def kinds(items) -> list[str]:
    return [i["kind"] for i in items]


def test_no_check_in_for_days_is_said_with_the_days_and_the_last_date(alice, therapist):
    last = TODAY - dt.timedelta(days=NO_CHECKIN_DAYS + 1)
    checkin(alice, last)
    share(alice, therapist)
    assert attention(therapist) == [
        {
            "kind": "no_recent_checkins",
            "text": f"No check-in for {NO_CHECKIN_DAYS + 1} days: the last was on {last}.",
            "days": NO_CHECKIN_DAYS + 1,
            "last_checkin": last.isoformat(),
        }
    ]


@pytest.mark.parametrize(("days", "said"), [(NO_CHECKIN_DAYS - 1, False), (NO_CHECKIN_DAYS, True)])
def test_a_few_days_without_a_check_in_are_not_said(alice, therapist, days, said):
    checkin(alice, TODAY - dt.timedelta(days=days))
    share(alice, therapist)
    assert kinds(attention(therapist)) == (["no_recent_checkins"] if said else [])


def test_a_check_in_long_ago_is_found_outside_the_weeks_read(alice, therapist):
    last = TODAY - dt.timedelta(days=200)
    checkin(alice, last)
    share(alice, therapist)
    (item,) = attention(therapist)
    assert (item["days"], item["last_checkin"]) == (200, last.isoformat())


def test_a_client_who_never_checked_in_is_said_so(alice, therapist):
    share(alice, therapist)
    assert attention(therapist) == [
        {
            "kind": "no_recent_checkins",
            "text": "No check-in yet.",
            "days": None,
            "last_checkin": None,
        }
    ]


def test_a_deleted_check_in_is_no_check_in(alice, therapist):
    made = checkin(alice, TODAY)
    alice.delete(f"/api/v1/checkins/{made['id']}")
    share(alice, therapist)
    assert attention(therapist)[0]["days"] is None


@pytest.mark.parametrize(
    ("first", "last", "said"),
    [
        ([0] * 9, [1] * 6 + [0] * 3, True),  # 0 -> 6: a reliable change
        ([0] * 9, [1] * 5 + [0] * 4, False),  # 0 -> 5: within the usual range
        ([1] * 6 + [0] * 3, [0] * 9, False),  # lower: not a worsening
    ],
)
def test_a_reliably_higher_questionnaire_total_is_said(alice, therapist, first, last, said):
    checkin(alice, TODAY)
    answer(alice, "phq9", first, TODAY - dt.timedelta(weeks=6))
    answer(alice, "phq9", last, TODAY - dt.timedelta(days=1))
    share(alice, therapist)
    items = attention(therapist)
    assert kinds(items) == (["reliable_worsening"] if said else [])
    if said:
        day = TODAY - dt.timedelta(days=1)
        assert items[0] == {
            "kind": "reliable_worsening",
            "text": f"PHQ-9: 6 on {day}. The score is 6 points higher than at the first answer: "
            "more than the usual range of change on the PHQ-9 (a change of 6 points or more "
            "counts as reliable).",
            "measure": "phq9",
            "value": 6.0,
            "reference": 0.0,
            "change": 6.0,
            "threshold": 6.0,
            "date": day.isoformat(),
        }


def test_a_reliably_higher_total_is_judged_as_the_client_sees_it(alice, therapist):
    answer(alice, "gad7", [0] * 7, TODAY - dt.timedelta(weeks=8))
    answer(alice, "gad7", [1] * 7, TODAY - dt.timedelta(days=2))
    share(alice, therapist)
    (item,) = [i for i in attention(therapist) if i["kind"] == "reliable_worsening"]
    mine = alice.get("/api/v1/questionnaires/gad7/trend").json
    assert mine["reliable"] is True and item["text"].endswith(mine["note"])
    assert (item["measure"], item["change"]) == ("gad7", mine["change"])


def steady_weeks_then(alice, last_week_moods):
    """Five weeks of mood 6 or 7 a day, then the last complete week's moods."""
    for weeks_back in range(2, 7):
        week_of_checkins(alice, [6, 7, 6, 7, 6], last_monday(weeks_back))
    week_of_checkins(alice, last_week_moods)
    checkin(alice, TODAY)


def test_a_reliably_lower_weekly_mood_is_said_as_the_clients_digest_says(alice, therapist):
    steady_weeks_then(alice, [2, 3, 2, 2])
    share(alice, therapist)
    (item,) = attention(therapist)
    assert item["kind"] == "reliable_worsening" and item["measure"] == "mood"
    assert item["week"] == week_key(MONDAY) and item["value"] == 2.25
    build_week(week_key(MONDAY))
    digest = alice.get(f"/api/v1/digests/{week_key(MONDAY)}").json["data"]
    compared = digest["comparisons"]["mood_mean"]
    assert compared["last_4_weeks"]["verdict"] == "lower"
    assert item["reference"] == pytest.approx(compared["last_4_weeks"]["reference"])
    assert item["threshold"] == pytest.approx(compared["threshold"])
    assert item["text"].startswith(f"Mood in the week of {MONDAY} averaged 2.2 out of 10: lower")


def test_a_usual_week_says_nothing(alice, therapist):
    steady_weeks_then(alice, [6, 6, 7])
    share(alice, therapist)
    assert attention(therapist) == []


def test_mood_is_not_compared_without_four_earlier_weeks(alice, therapist):
    for weeks_back in (2, 3, 4):
        week_of_checkins(alice, [7, 7, 7], last_monday(weeks_back))
    week_of_checkins(alice, [1, 1, 1])
    checkin(alice, TODAY)
    share(alice, therapist)
    assert attention(therapist) == []


def item9_positive(alice, day):
    answer(alice, "phq9", [0] * 8 + [1], day)


def test_item9_above_0_is_said_in_the_products_words(alice, therapist):
    checkin(alice, TODAY)
    day = TODAY - dt.timedelta(days=10)
    item9_positive(alice, day)
    answer(alice, "phq9", [0] * 9, TODAY - dt.timedelta(days=3))  # a later 0 does not hide it
    share(alice, therapist)
    assert attention(therapist) == [
        {
            "kind": "item9",
            "text": "Item 9 (thoughts of being better off dead or of self-harm) was answered above "
            f"0 on {day}. The client was shown crisis resources at once; nobody was alerted.",
            "date": day.isoformat(),
        }
    ]


@pytest.mark.parametrize(("days_ago", "said"), [(ITEM9_DAYS - 1, True), (ITEM9_DAYS, False)])
def test_item9_is_said_for_four_weeks(alice, therapist, days_ago, said):
    checkin(alice, TODAY)
    item9_positive(alice, TODAY - dt.timedelta(days=days_ago))
    share(alice, therapist)
    assert kinds(attention(therapist)) == (["item9"] if said else [])


@pytest.fixture
def everything_to_say(alice):
    """A client about whom every kind of item could be said: the last check-in, last week's
    Wednesday, is at least 5 days ago, whatever day today is."""
    for weeks_back in range(2, 7):
        week_of_checkins(alice, [6, 7, 6, 7, 6], last_monday(weeks_back))
    week_of_checkins(alice, [2, 3, 2])
    answer(alice, "phq9", [0] * 9, TODAY - dt.timedelta(weeks=6))
    answer(alice, "phq9", [2] * 8 + [1], TODAY - dt.timedelta(days=NO_CHECKIN_DAYS + 2))
    return alice


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        (
            ALL_SCOPES,
            [
                ("no_recent_checkins", None),
                ("reliable_worsening", "phq9"),
                ("reliable_worsening", "mood"),
                ("item9", None),
            ],
        ),
        (["weekly_trends"], [("no_recent_checkins", None), ("reliable_worsening", "mood")]),
        (["questionnaires"], [("reliable_worsening", "phq9"), ("item9", None)]),
        (["digests", "notes"], []),
    ],
)
def test_each_item_comes_only_from_a_scope_shared(everything_to_say, therapist, scopes, expected):
    share(everything_to_say, therapist, scopes)
    items = attention(therapist)
    assert [(i["kind"], i.get("measure")) for i in items] == expected


def test_clients_who_may_need_attention_come_first(make_account, therapist):
    quiet, never, later = (make_account() for _ in range(3))
    for account in (quiet, later):
        checkin(account, TODAY)
    share(never, therapist)
    share(quiet, therapist)
    share(later, therapist)
    listed = [r["client"]["id"] for r in therapist.get(CLIENTS).json]
    assert listed == [never.id, later.id, quiet.id]  # then the newest grant first, as before


def test_the_list_reads_each_collection_once_for_a_page(make_account, therapist, monkeypatch):
    from api.resources.therapist import overview

    calls = []
    read_owners = overview.records.read_owners
    monkeypatch.setattr(
        overview.records, "read_owners", lambda *a: calls.append(a) or read_owners(*a)
    )
    for _ in range(4):
        account = make_account()
        checkin(account, TODAY)
        answer(account, "phq9", [1] * 9, TODAY)
        share(account, therapist)
    assert len(therapist.get(CLIENTS).json) == 4
    assert len(calls) == 1 and len(calls[0][0]) == 4


# --- the name in my records --------------------------------------------------------------------


def label_url(account) -> str:
    return f"{CLIENTS}/{account.id}"


def test_one_client_reads_like_their_row_in_my_list(alice, therapist):
    share(alice, therapist)
    response = therapist.get(label_url(alice))
    assert response.status_code == 200
    assert response.json == therapist.get(CLIENTS).json[0]


def test_a_label_is_trimmed_kept_and_shown_in_my_list(alice, therapist):
    share(alice, therapist)
    response = therapist.patch(label_url(alice), json={"label": "  Maya R. (Tuesdays) "})
    assert response.status_code == 200
    assert response.json["grant"]["label"] == "Maya R. (Tuesdays)"
    assert therapist.get(CLIENTS).json[0]["grant"]["label"] == "Maya R. (Tuesdays)"


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_an_empty_label_clears_it(alice, therapist, raw_db, empty):
    share(alice, therapist)
    therapist.patch(label_url(alice), json={"label": "Maya"})
    response = therapist.patch(label_url(alice), json={"label": empty})
    assert response.status_code == 200 and response.json["grant"]["label"] is None
    assert "label" not in raw_db.consents.find_one()


@pytest.mark.parametrize(
    "body",
    [
        {"label": "x" * 81},
        {"label": "two\nlines"},
        {"label": 42},
        {},
        {"label": "Maya", "pseudonym": "mine"},
    ],
)
def test_a_bad_label_is_422(alice, therapist, body):
    share(alice, therapist)
    response = therapist.patch(label_url(alice), json=body)
    assert response.status_code == 422
    assert therapist.get(CLIENTS).json[0]["grant"]["label"] is None


def test_eighty_characters_after_trimming_are_fine(alice, therapist):
    share(alice, therapist)
    response = therapist.patch(label_url(alice), json={"label": " " + "x" * 80 + " "})
    assert response.status_code == 200


def test_no_label_for_a_client_who_does_not_share_with_me(alice, therapist, make_account):
    share(alice, make_account("therapist"))
    assert therapist.patch(label_url(alice), json={"label": "Maya"}).status_code == 404
    assert therapist.patch(f"{CLIENTS}/nonsense", json={"label": "Maya"}).status_code == 404


def test_no_label_once_the_client_stopped_sharing(alice, therapist):
    grant = share(alice, therapist)
    alice.delete(f"{GRANTS}/{grant['id']}")
    response = therapist.patch(label_url(alice), json={"label": "Maya"})
    assert response.status_code == 403 and "revoked" in response.json["message"]


def test_the_label_stays_when_a_grant_is_replaced(alice, therapist):
    share(alice, therapist)
    therapist.patch(label_url(alice), json={"label": "Maya"})
    share(alice, therapist, ALL_SCOPES)
    assert therapist.get(CLIENTS).json[0]["grant"]["label"] == "Maya"


def test_labelling_is_logged_as_a_read_of_the_client_row(alice, therapist):
    share(alice, therapist)
    therapist.patch(label_url(alice), json={"label": "Maya"})
    assert access_log(alice) == ["clients.list"]


# --- one client's data -------------------------------------------------------------------------


def test_trends_are_weekly_aggregates_of_five_measures(alice, therapist):
    week_of_checkins(alice, [2, 4, 6], attachment={"anxiety": 3, "avoidance": 1})
    share(alice, therapist)
    monday = MONDAY.isoformat()
    sunday = (MONDAY + dt.timedelta(days=6)).isoformat()
    trends = therapist.get(client_url(alice, f"trends?from={monday}&to={sunday}")).json
    assert "daily" not in trends
    assert set(trends["weekly"]) == {"mood", "energy", "self_energy", "anxiety", "avoidance"}
    (mood,) = trends["weekly"]["mood"]
    assert mood["week"] == week_key(MONDAY) and mood["mean"] == 4 and mood["n"] == 3
    assert trends["weeks"][0]["checkin_days"] == 3
    assert trends["weekly"]["anxiety"][0]["mean"] == 3


def test_trends_hold_no_free_text(alice, therapist):
    part = alice.post("/api/v1/parts", json={"name": "Secret Keeper"}).json["id"]
    checkin(alice, MONDAY, mood=5, note="private words", parts=[{"part": part, "intensity": 5}])
    share(alice, therapist)
    body = therapist.get(client_url(alice, "trends")).get_data(as_text=True)
    assert "private words" not in body and "Secret Keeper" not in body


def test_a_read_is_logged_with_its_grant(alice, therapist):
    grant = share(alice, therapist)
    therapist.get(client_url(alice, "trends"))
    (entry,) = alice.get(ACCESS_LOG).json
    assert entry["what"] == "weekly_trends" and entry["grant_id"] == grant["id"]


def test_digests_are_the_stored_ones(alice, therapist):
    week_of_checkins(alice, [5, 6])
    build_week(week_key(MONDAY))
    share(alice, therapist, ["digests"])
    (digest,) = therapist.get(client_url(alice, "digests")).json
    assert digest["week"] == week_key(MONDAY) and digest["summary"]["paragraph"]


def test_questionnaires_show_totals_bands_and_flags_not_answers(alice, therapist):
    answer(alice, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1], MONDAY)
    answer(alice, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0], MONDAY + dt.timedelta(days=1))
    answer(alice, "gad7", [2, 2, 2, 2, 2, 2, 2], MONDAY)
    share(alice, therapist, ["questionnaires"])
    history = therapist.get(client_url(alice, "questionnaires")).json["instruments"]
    assert [i["instrument"] for i in history] == ["phq9", "gad7"]
    phq9 = history[0]
    assert [p["total"] for p in phq9["series"]] == [9, 0]
    assert phq9["series"][0] == {
        "local_date": MONDAY.isoformat(),
        "total": 9,
        "band": "mild",
        "flags": ["item9_positive"],
    }
    assert phq9["change"] == -9 and phq9["reliable"] is True
    assert "answers" not in json.dumps(history)


def test_notes_come_with_their_dates_under_the_notes_scope(alice, therapist):
    checkin(alice, MONDAY, note="felt held", inner_child_note="she was scared")
    checkin(alice, MONDAY + dt.timedelta(days=1), mood=5)
    share(alice, therapist, ["notes"])
    notes = therapist.get(client_url(alice, "notes")).json
    assert notes == [
        {
            "local_date": MONDAY.isoformat(),
            "note": "felt held",
            "inner_child_note": "she was scared",
        }
    ]


# --- the caseload ------------------------------------------------------------------------------


@pytest.fixture
def four_clients(make_account, therapist):
    clients = [make_account() for _ in range(4)]
    for mood, client in zip((2, 4, 6, 8), clients, strict=True):
        week_of_checkins(client, [mood, mood], self_energy=SELF)
        share(client, therapist)
    return clients


def caseload_week(therapist):
    monday, sunday = MONDAY.isoformat(), (MONDAY + dt.timedelta(days=6)).isoformat()
    return therapist.get(f"{CASELOAD}?from={monday}&to={sunday}").json


def test_caseload_cells_from_fewer_than_k_clients_are_suppressed(therapist, four_clients):
    caseload = caseload_week(therapist)
    assert caseload["k"] == 5
    assert caseload["clients"] == {"value": None, "clients": "fewer than 5", "suppressed": True}
    (week,) = caseload["weeks"]
    for name in ("clients_with_data", "mood_mean", "self_energy_mean", "adherence"):
        assert week[name] == {"value": None, "clients": "fewer than 5", "suppressed": True}


def test_caseload_means_are_means_of_client_means(app, therapist, four_clients):
    app.config["CASELOAD_MIN_CLIENTS"] = 4
    (week,) = caseload_week(therapist)["weeks"]
    assert week["clients_with_data"] == {"value": 4, "clients": 4, "suppressed": False}
    assert week["mood_mean"] == {"value": 5.0, "clients": 4, "suppressed": False}
    assert week["self_energy_mean"]["value"] == 7.0
    assert week["adherence"]["value"] == pytest.approx(2 / 7)


def test_caseload_counts_only_clients_who_share_weekly_trends(app, therapist, four_clients):
    app.config["CASELOAD_MIN_CLIENTS"] = 4
    grant = four_clients[0].get(GRANTS).json[0]
    four_clients[0].patch(f"{GRANTS}/{grant['id']}", json={"scopes": ["digests"]})
    (week,) = caseload_week(therapist)["weeks"]
    assert week["mood_mean"]["suppressed"] is True


def test_caseload_is_logged_only_when_it_showed_something(app, therapist, four_clients):
    caseload_week(therapist)
    assert "caseload" not in access_log(four_clients[0])
    app.config["CASELOAD_MIN_CLIENTS"] = 4
    caseload_week(therapist)
    assert access_log(four_clients[0])[0] == "caseload"


# --- exports -----------------------------------------------------------------------------------


@pytest.fixture
def history(alice):
    week_of_checkins(alice, [4, 6], note="do not export me")
    answer(alice, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], MONDAY)
    answer(alice, "gad7", [1, 1, 1, 1, 1, 1, 1], MONDAY)
    return alice


def test_csv_export_is_an_attachment_of_weekly_figures_and_totals(history, therapist):
    share(history, therapist)
    response = therapist.get(client_url(history, "export.csv"))
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=partwise-")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    mood = [r for r in rows if r["measure"] == "mood_mean" and r["week"] == week_key(MONDAY)]
    assert mood[0]["value"] == "5.0" and mood[0]["n"] == "2"
    phq9 = next(r for r in rows if r["measure"] == "phq9_total")
    assert phq9["value"] == "8" and phq9["band"] == "mild"
    assert "do not export me" not in response.get_data(as_text=True)


def test_csv_export_holds_only_the_scopes_granted(history, therapist):
    share(history, therapist, ["questionnaires"])
    response = therapist.get(client_url(history, "export.csv"))
    kinds = {r["kind"] for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    assert kinds == {"questionnaire"}


def test_fhir_export_is_a_valid_r4_bundle_of_observations(history, therapist):
    share(history, therapist)
    response = therapist.get(client_url(history, "export.fhir"))
    assert response.mimetype == "application/fhir+json"
    assert r4_errors(response.json) == []
    bundle = Bundle.model_validate(response.json)
    assert bundle.type == "collection"
    patient, *observations = [e.resource for e in bundle.entry]
    assert patient.get_resource_type() == "Patient"
    assert {o.get_resource_type() for o in observations} == {"Observation"}
    assert {o.status for o in observations} == {"final"}
    codes = {o.code.coding[0].code: o for o in observations}
    assert codes["44261-6"].valueQuantity.value == 8
    assert codes["70274-6"].valueQuantity.value == 7
    mood = codes["weekly-mood-mean"]
    assert mood.valueQuantity.value == 5 and str(mood.effectivePeriod.start) == str(MONDAY)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda o: o.update(status="done"), "status"),  # not in R4's required binding
        (lambda o: o.pop("code"), "code"),  # required
        (lambda o: o.update(triggeredBy=[]), "triggeredBy"),  # an R5 element
        (lambda o: o.update(effectiveDateTime="2024-13-01"), "effectiveDateTime"),
    ],
)
def test_the_r4_check_would_catch_a_broken_export(history, therapist, change, where):
    share(history, therapist)
    bundle = therapist.get(client_url(history, "export.fhir")).json
    change(bundle["entry"][1]["resource"])  # the first Observation, after the Patient
    assert any(where in problem for problem in r4_errors(bundle))


def test_fhir_export_identifies_the_client_by_a_pseudonym(history, therapist, raw_db):
    share(history, therapist)
    bundle = therapist.get(client_url(history, "export.fhir")).json
    (pseudonym,) = {c["pseudonym"] for c in raw_db.consents.find()}
    patient, *observations = [e["resource"] for e in bundle["entry"]]
    assert patient == {"resourceType": "Patient", "id": pseudonym}  # no name to give
    assert {o["subject"]["reference"] for o in observations} == {f"Patient/{pseudonym}"}
    text = json.dumps(bundle)
    assert "alice" not in text and history.id not in text and "do not export me" not in text


def test_the_pseudonym_stays_when_a_grant_is_replaced(history, therapist):
    share(history, therapist)
    first = therapist.get(client_url(history, "export.fhir")).json["entry"][1]
    share(history, therapist, ALL_SCOPES)
    again = therapist.get(client_url(history, "export.fhir")).json["entry"][1]
    assert first["resource"]["subject"] == again["resource"]["subject"]


def test_exports_are_logged(history, therapist):
    share(history, therapist)
    therapist.get(client_url(history, "export.csv"))
    therapist.get(client_url(history, "export.fhir"))
    therapist.get(client_url(history, "export.pdf"))
    assert access_log(history) == ["export.pdf", "export.fhir", "export.csv"]


@pytest.mark.parametrize("kind", ["export.csv", "export.fhir", "export.pdf"])
def test_an_export_without_any_of_its_scopes_is_403_and_not_logged(history, therapist, kind):
    share(history, therapist, ["digests", "notes"])
    response = therapist.get(client_url(history, kind))
    assert response.status_code == 403
    assert "questionnaires or weekly_trends" in response.json["message"]
    assert kind not in access_log(history)


@pytest.mark.parametrize("kind", ["export.csv", "export.pdf"])
def test_an_export_of_a_client_who_never_shared_is_404(history, therapist, kind):
    assert therapist.get(client_url(history, kind)).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["?from=yesterday", "?from=2026-03-01&to=2026-02-01", "?from=2024-01-01&to=2026-01-01"],
)
def test_a_pdf_export_of_a_bad_range_is_422(history, therapist, query):
    share(history, therapist)
    response = therapist.get(client_url(history, "export.pdf") + query)
    assert response.status_code == 422 and "from" in json.dumps(response.json["errors"])


def pdf_export(account, therapist, query=""):
    response = therapist.get(client_url(account, "export.pdf") + query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def test_pdf_export_is_one_page_naming_an_unnamed_client_by_pseudonym_and_the_range(
    history, therapist, raw_db
):
    share(history, therapist)
    start, end = MONDAY - dt.timedelta(weeks=3), MONDAY + dt.timedelta(days=6)
    response = pdf_export(history, therapist, f"?from={start}&to={end}")
    assert response.mimetype == "application/pdf"
    (pseudonym,) = {c["pseudonym"][:8] for c in raw_db.consents.find()}
    disposition = response.headers["Content-Disposition"]
    assert disposition == f"attachment; filename=partwise-client-{pseudonym}-{start}-{end}.pdf"
    body = response.get_data()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert pdf.page_count(body) == 1
    text = pdf.text(body)
    assert "Session preparation summary" in text
    assert f"Client: Client {pseudonym}" in text and f"Period: {start} to {end}" in text
    assert "Generated: " in text
    assert "alice" not in text and history.id not in text
    assert "do not export me" not in text


def test_pdf_export_shows_the_totals_and_the_weeks_n(history, therapist):
    share(history, therapist)
    text = pdf.text(pdf_export(history, therapist).get_data())
    assert "Not shared" not in text
    assert "(PHQ-9)" in text and "(8 of 27)" in text and "(7 of 21)" in text
    assert "(score in the mild range)" in text
    assert "Check-in days in this period: 2 of" in text


@pytest.mark.parametrize(
    ("scopes", "shown", "not_shared"),
    [
        (["questionnaires"], "(8 of 27)", "does not share weekly trends"),
        (["weekly_trends", "digests"], "Check-in days in this period", "does not share questionn"),
    ],
)
def test_pdf_export_says_what_is_not_shared(history, therapist, scopes, shown, not_shared):
    share(history, therapist, scopes)
    text = pdf.text(pdf_export(history, therapist).get_data())
    assert shown in text and f"Not shared: the client {not_shared}" in text
    assert ("(8 of 27)" in text) is ("questionnaires" in scopes)
    assert ("Mood" in text) is ("weekly_trends" in scopes)


def test_pdf_export_of_a_year_with_many_questionnaires_is_one_page(alice, therapist):
    first = MONDAY - dt.timedelta(weeks=51)
    for week in range(52):
        if week % 5 != 2:  # a few weeks without check-ins
            checkin(alice, first + dt.timedelta(weeks=week, days=week % 7), mood=week % 11)
    for i in range(60):
        answer(alice, "gad7" if i % 2 else "phq9", [i % 4] * (7 if i % 2 else 9), first)
    share(alice, therapist)
    query = f"?from={first}&to={MONDAY + dt.timedelta(days=6)}"
    body = pdf_export(alice, therapist, query).get_data()
    assert pdf.page_count(body) == 1
    text = pdf.text(body)
    rows = text.count(" of 27)") + text.count(" of 21)")
    assert 0 < rows < 60
    assert f"... and {60 - rows} earlier in this period" in text


# --- how exports name the client -----------------------------------------------------------------


def filename(response) -> str:
    return response.headers["Content-Disposition"].removeprefix("attachment; filename=")


def test_exports_name_the_client_by_my_label(history, therapist):
    share(history, therapist)
    therapist.patch(f"{CLIENTS}/{history.id}", json={"label": "Zoë Ng (Tuesdays)"})
    csv_file = therapist.get(client_url(history, "export.csv"))
    assert filename(csv_file).startswith("partwise-zoe-ng-tuesdays-")
    assert filename(csv_file).endswith(".csv")
    bundle = therapist.get(client_url(history, "export.fhir"))
    assert filename(bundle).startswith("partwise-zoe-ng-tuesdays-")
    assert bundle.json["entry"][0]["resource"]["name"] == [{"text": "Zoë Ng (Tuesdays)"}]
    pdf_file = pdf_export(history, therapist)
    assert filename(pdf_file).startswith("partwise-zoe-ng-tuesdays-")
    # In the PDF's text operators, parentheses are escaped.
    assert "Client: Zo\xeb Ng \\(Tuesdays\\)" in pdf.text(pdf_file.get_data())


def test_exports_name_the_client_by_the_name_they_chose_without_a_label(history, therapist):
    history.patch("/api/v1/me", json={"display_name": "Alice"})
    share(history, therapist)
    csv_file = therapist.get(client_url(history, "export.csv"))
    assert filename(csv_file).startswith("partwise-alice-")
    bundle = therapist.get(client_url(history, "export.fhir")).json
    assert bundle["entry"][0]["resource"]["name"] == [{"text": "Alice"}]
    assert "Client: Alice" in pdf.text(pdf_export(history, therapist).get_data())
    assert "alice@example.org" not in json.dumps(bundle)


def test_a_label_without_latin_letters_names_the_file_by_pseudonym(history, therapist, raw_db):
    share(history, therapist)
    therapist.patch(f"{CLIENTS}/{history.id}", json={"label": "Анна"})
    (pseudonym,) = {c["pseudonym"][:8] for c in raw_db.consents.find()}
    csv_file = therapist.get(client_url(history, "export.csv"))
    assert filename(csv_file).startswith(f"partwise-client-{pseudonym}-")
    bundle = therapist.get(client_url(history, "export.fhir")).json
    assert bundle["entry"][0]["resource"]["name"] == [{"text": "Анна"}]
    text = pdf.text(pdf_export(history, therapist).get_data())
    assert f"Client: ???? \\(Client {pseudonym}\\)" in text  # the font holds Latin-1 only


def test_the_csv_export_gives_every_mean_before_variability(history, therapist):
    week_of_checkins(history, [4, 6, 5, 7, 6], MONDAY - dt.timedelta(weeks=1))
    share(history, therapist)
    text = therapist.get(client_url(history, "export.csv")).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    measures = [r["measure"] for r in rows if r["kind"] != "questionnaire"]
    note = measures.index("variability")
    assert measures[0] == "checkin_days"
    assert {m for m in measures[:note] if m != "checkin_days"} == {
        f"{m}_mean" for m in ("mood", "energy", "self_energy", "anxiety", "avoidance")
    }
    assert all(m.endswith(("_sd", "_rmssd")) for m in measures[note + 1 :])
    assert rows[note]["value"].startswith("Variability, after the means: SD is how far")
    week = week_key(MONDAY - dt.timedelta(weeks=1))
    sd = next(r for r in rows if r["measure"] == "mood_sd" and r["week"] == week)
    assert (round(float(sd["value"]), 2), sd["n"]) == (1.14, "5")
    rmssd = next(r for r in rows if r["measure"] == "mood_rmssd" and r["week"] == week)
    assert rmssd["n"] == "4"


def test_the_export_check_would_catch_a_second_page():
    two = FPDF()
    two.add_page()
    two.add_page()
    assert pdf.page_count(bytes(two.output())) == 2
