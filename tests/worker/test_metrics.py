"""Deliveries by status for Prometheus: counted by the worker that closes them, exposed at its
/metrics; only the pending ones are counted in the database at a scrape, from an index alone."""

from __future__ import annotations

import urllib.request

import pytest
from bson import ObjectId

from api import delivery_metrics
from api.models import delivery
from api.models.delivery import KINDS, STATUSES, Delivery
from worker import health

from .helpers import T0


@pytest.fixture
def counted():
    """The change of each (kind, status) count since the test began."""
    before = {(k, s): delivery_metrics.FINISHED.value(k, s) for k in KINDS for s in STATUSES}

    def change(kind: str, status: str) -> int:
        return delivery_metrics.FINISHED.value(kind, status) - before[kind, status]

    return change


def test_a_sent_reminder_is_counted_once_when_it_is_closed(
    dispatcher, make_client, subscribe, push_service, counted
):
    subscribe(make_client(digest={"enabled": False}))
    make_client(digest={"enabled": False})  # no device: skipped

    dispatcher.tick()

    assert (counted("reminder", "sent"), counted("reminder", "skipped")) == (1, 1)
    assert counted("reminder", "failed") == counted("reminder", "pending") == 0


def test_a_retry_is_not_a_close(dispatcher, make_client, subscribe, push_service, counted):
    subscribe(make_client(digest={"enabled": False}))
    push_service.respond_next(503)

    dispatcher.tick()

    assert Delivery.objects.get().status == "pending"
    assert sum(counted("reminder", s) for s in STATUSES) == 0


def test_a_delivery_closed_by_the_worker_that_took_over_is_counted_by_that_one_only(
    make_dispatcher, make_client, clock, counted
):
    make_client(digest={"enabled": False})  # no device: whoever prepares it skips it
    first, second = make_dispatcher("worker-a"), make_dispatcher("worker-b")
    first.schedule(clock.now)
    first.claim("reminder", clock.now)
    held = first.lease(clock.now)
    clock.advance(minutes=6)  # its lease ran out: the other worker takes over and closes it
    second.process(second.lease(clock.now))

    first.process(held)  # too late: closed already

    assert Delivery.objects.get().status == "skipped"
    assert counted("reminder", "skipped") == 1


def test_the_worker_serves_its_counts_at_metrics(app, counted):
    delivery_metrics.FINISHED.start()
    delivery_metrics.FINISHED.add("digest", "missed")
    server = health.serve(health.Heartbeat(30), 0, host="127.0.0.1")
    try:
        url = f"http://127.0.0.1:{server.server_port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            text = response.read().decode()
            content_type = response.headers["Content-Type"]
    finally:
        server.shutdown()
        server.server_close()

    assert content_type.startswith("text/plain")
    missed = delivery_metrics.FINISHED.value("digest", "missed")
    assert f'partwise_deliveries_finished_total{{kind="digest",status="missed"}} {missed}.0' in text
    assert 'partwise_deliveries_finished_total{kind="reminder",status="sent"}' in text
    assert "pending" not in text  # a gauge, at the API's /metrics


def test_each_count_the_operators_make_is_answered_from_an_index(app, monkeypatch):
    # Equality on exactly an index's leading keys: MongoDB counts the index keys (a count
    # scan) and reads no delivery, however long the log is.
    filters = []
    collection = Delivery._get_collection()

    class Recording:
        def count_documents(self, query, **kwargs):
            filters.append(query)
            return collection.count_documents(query, **kwargs)

    monkeypatch.setattr(Delivery, "_get_collection", classmethod(lambda cls: Recording()))
    delivery.status_counts()
    delivery.pending_counts()
    monkeypatch.undo()

    from api import migrations

    migrations.ensure_indexes()
    indexes = [list(i["key"]) for i in collection.index_information().values()]
    assert len(filters) == len(KINDS) * (len(STATUSES) + 1)
    for query in filters:
        leading = [
            [name for name, _ in keys[: len(query)]] for keys in indexes if len(keys) >= len(query)
        ]
        assert sorted(query) in [sorted(fields) for fields in leading], query
        assert all(not isinstance(value, dict) for value in query.values()), query


def test_the_api_counts_only_the_pending_deliveries_at_a_scrape(client, monkeypatch):
    asked = []
    real = delivery._count

    def count(status, kind):
        asked.append(status)
        return real(status, kind)

    monkeypatch.setattr(delivery, "_count", count)
    Delivery(user=ObjectId(), kind="reminder", period_key="2026-11-25", due_at=T0).save()
    Delivery(
        user=ObjectId(), kind="reminder", period_key="2026-11-24", due_at=T0, status="sent"
    ).save()

    text = client.get("/metrics").get_data(as_text=True)

    assert asked == ["pending"] * len(KINDS)
    assert 'partwise_deliveries_pending{kind="reminder"} 1.0' in text
    assert 'partwise_deliveries_pending{kind="digest"} 0.0' in text
