"""Helpers for tests of sharing with therapists: invite, redeem, and data to share."""

from __future__ import annotations

import datetime as dt
import uuid

INVITATIONS = "/api/v1/sharing/invitations"
GRANTS = "/api/v1/sharing/grants"
ACCESS_LOG = "/api/v1/sharing/access-log"
REDEEM = "/api/v1/therapist/invitations/redeem"
CLIENTS = "/api/v1/therapist/clients"
CASELOAD = "/api/v1/therapist/caseload"
ALL_SCOPES = ["weekly_trends", "digests", "questionnaires", "notes"]


def invite(client, scopes=None, **fields) -> dict:
    """A new invitation of `client` (with its code)."""
    body = {**({"scopes": list(scopes)} if scopes is not None else {}), **fields}
    response = client.post(INVITATIONS, json=body)
    assert response.status_code == 201, response.json
    return response.json


def share(client, therapist, scopes=("weekly_trends", "digests", "questionnaires"), **fields):
    """`client` invites `therapist`, who redeems the code: the grant as the therapist sees it."""
    code = invite(client, scopes, **fields)["code"]
    response = therapist.post(REDEEM, json={"code": code})
    assert response.status_code == 201, response.json
    return response.json


def client_url(client, what: str) -> str:
    return f"{CLIENTS}/{client.id}/{what}"


def checkin(account, day: dt.date, **answers) -> dict:
    """A check-in on `day` (noon UTC, or now if that is still to come)."""
    noon = min(dt.datetime.combine(day, dt.time(12), dt.UTC), dt.datetime.now(dt.UTC))
    body = {
        "client_id": str(uuid.uuid4()),
        "local_date": day.isoformat(),
        "recorded_at": noon.isoformat(),
        **(answers or {"mood": 5}),
    }
    response = account.post("/api/v1/checkins", json=body)
    assert response.status_code == 201, response.json
    return response.json


def answer(account, instrument: str, answers, day: dt.date) -> dict:
    """A questionnaire response on `day`."""
    body = {
        "client_id": str(uuid.uuid4()),
        "answers": list(answers),
        "local_date": day.isoformat(),
        "recorded_at": dt.datetime.combine(day, dt.time(12), dt.UTC).isoformat(),
    }
    response = account.post(f"/api/v1/questionnaires/{instrument}/responses", json=body)
    assert response.status_code == 201, response.json
    return response.json


def last_monday(weeks_back: int = 1) -> dt.date:
    """The Monday `weeks_back` complete weeks ago (UTC calendar)."""
    today = dt.datetime.now(dt.UTC).date()
    return today - dt.timedelta(days=today.weekday(), weeks=weeks_back)
