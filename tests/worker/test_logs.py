"""One JSON log line per delivery and per push: ids and outcomes, no payload, no endpoint."""

from __future__ import annotations

import json
import logging

from api.logs import JsonFormatter


def lines(caplog) -> list[dict]:
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "partwise.deliveries"
    ]


def test_a_delivery_is_logged_with_its_ids_status_and_attempt(
    dispatcher, make_client, subscribe, push_service, caplog
):
    user = make_client()
    subscribe(user)
    caplog.set_level(logging.INFO, logger="partwise.deliveries")

    dispatcher.tick()

    [line] = [line for line in lines(caplog) if line["event"] == "delivery"]
    assert line["user"] == str(user.id)
    assert (line["kind"], line["period_key"], line["status"], line["attempt"]) == (
        "reminder",
        "2026-11-25",
        "sent",
        1,
    )
    assert line["worker"] == dispatcher.worker_id


def test_each_push_is_logged_with_the_push_service_origin_and_outcome(
    dispatcher, make_client, subscribe, push_service, caplog
):
    subscribe(make_client())
    caplog.set_level(logging.INFO, logger="partwise.deliveries")

    dispatcher.tick()

    [line] = [line for line in lines(caplog) if line["event"] == "push"]
    assert (line["origin"], line["outcome"], line["http_status"]) == (
        push_service.origin,
        "sent",
        201,
    )


def test_no_payload_endpoint_or_address_is_logged(
    dispatcher, make_client, subscribe, push_service, caplog
):
    user = make_client()
    browser = subscribe(user)
    push_service.respond_for(browser, 413)
    caplog.set_level(logging.DEBUG)

    dispatcher.tick()

    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "our_bug" in text
    for secret in (browser["endpoint"], browser["keys"]["auth"], user.email, "check-in", "parts"):
        assert secret not in text


def test_the_formatter_writes_one_json_object_per_record():
    record = logging.LogRecord("partwise.deliveries", logging.INFO, "", 0, "x", None, None)
    record.fields = {"event": "delivery", "status": "sent"}

    line = json.loads(JsonFormatter().format(record))

    assert (line["event"], line["status"], line["level"]) == ("delivery", "sent", "info")
