from __future__ import annotations

import datetime as dt

import pytest
from bson import ObjectId

from api.models.delivery import Delivery

URL = "/api/v1/ops/deliveries"
TOKEN = "an-operator-token-long-enough"


@pytest.fixture
def app_config(app_config) -> dict:
    return {**app_config, "OPS_TOKEN": TOKEN}


def deliver(status: str, kind: str = "reminder") -> None:
    Delivery(
        user=ObjectId(),
        kind=kind,
        period_key="2026-11-25" if kind == "reminder" else "2026-W48",
        due_at=dt.datetime(2026, 11, 25, 19, tzinfo=dt.UTC),
        status=status,
    ).save()


def test_operators_see_counts_by_status_and_kind(client):
    for status in ("sent", "sent", "missed"):
        deliver(status)
    deliver("failed", kind="digest")

    response = client.get(URL, headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    counts = response.json
    assert {k: counts[k] for k in ("pending", "sent", "failed", "missed", "skipped")} == {
        "pending": 0,
        "sent": 2,
        "failed": 1,
        "missed": 1,
        "skipped": 0,
    }
    assert counts["by_kind"]["digest"]["failed"] == 1
    assert counts["by_kind"]["reminder"]["sent"] == 2


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}"])
def test_anyone_else_is_401(client, header):
    headers = {"Authorization": header} if header else {}
    assert client.get(URL, headers=headers).status_code == 401


def test_a_user_token_is_not_an_operator_token(client, alice):
    assert alice.get(URL).status_code == 401


def test_without_an_operator_token_configured_it_does_not_exist(app, client):
    app.config["OPS_TOKEN"] = ""
    assert client.get(URL, headers={"Authorization": "Bearer "}).status_code == 404
