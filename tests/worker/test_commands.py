"""The operator's commands: `partwise generate-vapid-keys` and `partwise deliveries-status`."""

from __future__ import annotations

import json

from bson import ObjectId
from click.testing import CliRunner

from api.cli import main
from api.models.delivery import Delivery
from webpush import VapidSigner
from webpush.vapid import load_private_key, public_key_b64

from .helpers import CONTACT, T0


def test_generate_vapid_keys_prints_a_usable_pair():
    result = CliRunner().invoke(main, ["generate-vapid-keys"])

    assert result.exit_code == 0
    first, second = result.output.splitlines()
    private = first.removeprefix("PARTWISE_VAPID_PRIVATE_KEY=")
    VapidSigner(private, CONTACT)
    assert second.endswith(public_key_b64(load_private_key(private)))


def test_deliveries_status_counts_by_status(app, monkeypatch):
    for status in ("sent", "sent", "failed"):
        Delivery(
            user=ObjectId(), kind="reminder", period_key="2026-11-25", due_at=T0, status=status
        ).save()
    # The command connects to MONGODB_URI; here, keep the test's database.
    monkeypatch.setattr("api.db.connect", lambda *_args: None)

    result = CliRunner().invoke(
        main, ["deliveries-status", "--json"], env={"MONGODB_URI": "mongodb://db.invalid"}
    )

    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert (counts["sent"], counts["failed"], counts["pending"]) == (2, 1, 0)


def test_deliveries_status_prints_one_line_per_status(app, monkeypatch):
    monkeypatch.setattr("api.db.connect", lambda *_args: None)

    result = CliRunner().invoke(
        main, ["deliveries-status"], env={"MONGODB_URI": "mongodb://db.invalid"}
    )

    assert [line.split()[0] for line in result.output.splitlines()] == [
        "pending",
        "sent",
        "failed",
        "missed",
        "skipped",
    ]


def test_deliveries_status_needs_a_real_database():
    result = CliRunner().invoke(main, ["deliveries-status"], env={"MONGODB_URI": ""})

    assert result.exit_code != 0
    assert "/api/v1/ops/deliveries" in result.output


def test_run_refuses_a_bad_vapid_key_in_one_line(encryption_keys):
    env = {
        "MONGODB_URI": "mongodb://db.invalid",
        "PARTWISE_ENCRYPTION_KEYS": encryption_keys,
        "PARTWISE_VAPID_PRIVATE_KEY": "not-a-key",
        "PARTWISE_VAPID_SUBJECT": CONTACT,
    }

    result = CliRunner().invoke(main, ["run", "--port", "1"], env=env)

    assert result.exit_code == 1
    assert "VAPID_PRIVATE_KEY" in result.output and "generate-vapid-keys" in result.output
    assert "Traceback" not in result.output
