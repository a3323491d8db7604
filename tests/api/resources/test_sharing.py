import datetime as dt
import hashlib
import json

import pytest

from api.domain.consent import MAX_PENDING_INVITATIONS
from tests.support.sharing import (
    ACCESS_LOG,
    ALL_SCOPES,
    GRANTS,
    INVITATIONS,
    REDEEM,
    client_url,
    invite,
    share,
)


def _in(hours: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture
def shared(alice, therapist):
    """Alice shares the default scopes with the therapist; the grant as Alice sees it."""
    share(alice, therapist)
    return alice.get(GRANTS).json[0]


# --- invitations -------------------------------------------------------------------------------


def test_an_invitation_shows_its_code_once_with_the_default_scopes(alice):
    invitation = invite(alice)
    assert len(invitation["code"]) == 9 and invitation["code"][4] == "-"
    assert invitation["scopes"] == ["weekly_trends", "digests", "questionnaires"]
    assert "code" not in alice.get(INVITATIONS).json[0]


def test_an_invitation_expires_after_72_hours(alice):
    expires_at = _when(invite(alice)["expires_at"])
    expected = dt.datetime.now(dt.UTC) + dt.timedelta(hours=72)
    assert abs(expires_at - expected) < dt.timedelta(minutes=1)


def test_only_a_hash_of_the_code_is_stored(alice, raw_db):
    code = invite(alice)["code"]
    stored = raw_db.invitations.find_one()
    assert code not in json.dumps(stored, default=str)
    assert code.replace("-", "") not in json.dumps(stored, default=str)
    assert stored["code_hash"] == hashlib.sha256(code.replace("-", "").encode()).hexdigest()


def test_notes_are_shared_only_when_chosen(alice):
    assert invite(alice, ALL_SCOPES)["scopes"] == ALL_SCOPES


@pytest.mark.parametrize(
    "body",
    [
        {"scopes": ["diary"]},
        {"scopes": []},
        {"scopes": ["notes", "notes"]},
        {"grant_ends_at": "2020-01-01T00:00:00Z"},
    ],
)
def test_a_bad_invitation_is_422(alice, body):
    response = alice.post(INVITATIONS, json=body)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == set(body)


def test_an_invitation_expires_no_later_than_the_grant_would_end(alice):
    invitation = invite(alice, grant_ends_at=_in(5))
    assert _when(invitation["expires_at"]) == _when(invitation["grant_ends_at"])


def test_the_pending_list_leaves_out_redeemed_and_cancelled_invitations(alice, therapist):
    share(alice, therapist)
    cancelled = invite(alice)
    alice.delete(f"{INVITATIONS}/{cancelled['id']}")
    waiting = invite(alice)
    assert [i["id"] for i in alice.get(INVITATIONS).json] == [waiting["id"]]


def test_a_cancelled_code_can_no_longer_be_redeemed(alice, therapist):
    invitation = invite(alice)
    assert alice.delete(f"{INVITATIONS}/{invitation['id']}").status_code == 204
    assert therapist.post(REDEEM, json={"code": invitation["code"]}).status_code == 404


def test_a_redeemed_invitation_cannot_be_cancelled(alice, therapist):
    invitation = invite(alice)
    therapist.post(REDEEM, json={"code": invitation["code"]})
    assert alice.delete(f"{INVITATIONS}/{invitation['id']}").status_code == 404


def test_another_clients_invitation_cannot_be_cancelled(alice, bob):
    invitation = invite(alice)
    assert bob.delete(f"{INVITATIONS}/{invitation['id']}").status_code == 404


def test_too_many_waiting_invitations_is_409(alice):
    for _ in range(MAX_PENDING_INVITATIONS):
        invite(alice)
    assert alice.post(INVITATIONS, json={}).status_code == 409


# --- grants ------------------------------------------------------------------------------------


def test_a_grant_shows_the_therapist_scopes_and_status(alice, make_account):
    therapist = make_account("therapist", email="dr.rivera@example.org")
    therapist.patch("/api/v1/me", json={"display_name": "Dr Rivera"})
    share(alice, therapist, ["weekly_trends"])
    (grant,) = alice.get(GRANTS).json
    assert grant["therapist"]["display_name"] == "Dr Rivera"
    assert grant["therapist"]["email"] == "dr.rivera@example.org"
    assert grant["scopes"] == ["weekly_trends"] and grant["status"] == "active"
    assert grant["accepted_at"] and grant["ends_at"] is None


def test_an_ended_grant_is_listed_as_expired(alice, therapist, raw_db):
    share(alice, therapist, grant_ends_at=_in(1))
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    raw_db.consents.update_many({}, {"$set": {"ends_at": past}})
    assert alice.get(GRANTS).json[0]["status"] == "expired"


def test_grants_can_be_filtered_by_status(alice, therapist, make_account, shared):
    share(alice, make_account("therapist"))
    alice.delete(f"{GRANTS}/{shared['id']}")
    revoked = alice.get(f"{GRANTS}?status=revoked").json
    assert [g["id"] for g in revoked] == [shared["id"]]
    assert len(alice.get(f"{GRANTS}?status=active").json) == 1


def test_narrowing_scopes_takes_effect_on_the_next_request(alice, therapist, shared):
    assert therapist.get(client_url(alice, "digests")).status_code == 200
    response = alice.patch(f"{GRANTS}/{shared['id']}", json={"scopes": ["weekly_trends"]})
    assert response.status_code == 200 and response.json["scopes"] == ["weekly_trends"]
    assert therapist.get(client_url(alice, "digests")).status_code == 403


def test_widening_scopes_is_422_pointing_to_a_new_invitation(alice, shared):
    response = alice.patch(f"{GRANTS}/{shared['id']}", json={"scopes": ["notes"]})
    assert response.status_code == 422
    assert "new invitation" in response.json["errors"]["json"]["scopes"][0]


def test_an_end_date_can_be_set_but_not_pushed_back(alice, shared):
    url = f"{GRANTS}/{shared['id']}"
    assert alice.patch(url, json={"ends_at": _in(48)}).status_code == 200
    assert alice.patch(url, json={"ends_at": _in(24)}).status_code == 200
    response = alice.patch(url, json={"ends_at": _in(96)})
    assert response.status_code == 422 and "ends_at" in response.json["errors"]["json"]
    assert alice.patch(url, json={"ends_at": None}).status_code == 422


def test_a_grant_that_ended_cannot_be_changed(alice, shared):
    alice.delete(f"{GRANTS}/{shared['id']}")
    response = alice.patch(f"{GRANTS}/{shared['id']}", json={"scopes": ["digests"]})
    assert response.status_code == 409


def test_revoking_refuses_the_therapists_next_request(alice, therapist, shared):
    assert therapist.get(client_url(alice, "trends")).status_code == 200
    assert alice.delete(f"{GRANTS}/{shared['id']}").status_code == 204
    response = therapist.get(client_url(alice, "trends"))
    assert response.status_code == 403 and "revoked" in response.json["message"]
    assert alice.get(f"{GRANTS}/{shared['id']}").json["status"] == "revoked"


def test_another_clients_grant_is_404(bob, shared):
    assert bob.get(f"{GRANTS}/{shared['id']}").status_code == 404
    assert bob.delete(f"{GRANTS}/{shared['id']}").status_code == 404


# --- the access log ----------------------------------------------------------------------------


def test_every_read_is_in_the_access_log_newest_first(alice, therapist, shared):
    therapist.get(client_url(alice, "trends"))
    therapist.get(client_url(alice, "questionnaires"))
    log = alice.get(ACCESS_LOG).json
    assert [e["what"] for e in log] == ["questionnaires", "weekly_trends"]
    assert log[0]["therapist"]["email"] == "therapist@example.org"
    assert log[0]["grant_id"] == shared["id"] and log[0]["scopes"] == ["questionnaires"]


def test_the_access_log_filters_by_therapist(alice, therapist, make_account, shared):
    other = make_account("therapist")
    share(alice, other)
    therapist.get(client_url(alice, "trends"))
    other.get(client_url(alice, "digests"))
    log = alice.get(f"{ACCESS_LOG}?therapist={other.id}").json
    assert [e["what"] for e in log] == ["digests"]


def test_the_access_log_is_paginated(alice, therapist, shared):
    for _ in range(3):
        therapist.get(client_url(alice, "trends"))
    response = alice.get(f"{ACCESS_LOG}?page_size=2")
    assert len(response.json) == 2 and '"total": 3' in response.headers["X-Pagination"]


def test_a_refused_read_is_not_logged(alice, therapist, shared):
    therapist.get(client_url(alice, "notes"))
    assert alice.get(ACCESS_LOG).json == []


def test_the_access_log_is_only_mine(alice, bob, therapist, shared):
    therapist.get(client_url(alice, "trends"))
    assert bob.get(ACCESS_LOG).json == []
