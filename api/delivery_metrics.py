"""The deliveries this process closed, as Prometheus metrics: served by the worker at /metrics
beside its probes (worker/health.py), and by the API's /metrics when the worker runs inside the
API process (the embedded mode).

`partwise_deliveries_finished_total{kind, status}` counts the deliveries this process closed
(sent, failed, missed, skipped), at the moment it closed them. Counting where the work is done
costs nothing at a scrape, however long the delivery log grows; the database count it replaces
read the whole log at every scrape of every API pod. A counter starts at zero with each process:
read it as `sum by (kind, status) (increase(partwise_deliveries_finished_total[1h]))` over all
workers; the totals since the start are `GET /api/v1/ops/deliveries`. One case counts twice: a
delivery whose lease ran out mid-send is closed as failed (interrupted) by the worker that found
it, and, if its push service had accepted after all, counted as sent by the worker that sent it
(`claims.record_late_success`); the delivery log holds it once, as sent. Pending deliveries go
up and down, so they are a gauge, counted in the database at each scrape of the API (few
documents).

Plain counts under a lock, not `prometheus_client.Counter`: the image sets
PROMETHEUS_MULTIPROC_DIR for gunicorn, which would turn a Counter in this process into files.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily
from prometheus_client.exposition import choose_encoder

from api.models.delivery import FINAL_STATUSES, KINDS


class FinishedDeliveries:
    """A collector of how many deliveries this process closed, by kind and final status."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], int] = {}
        self._created = time.time()

    def start(self) -> None:
        """Show every series from zero once a worker runs here (so that `increase` sees the
        first delivery), and nothing in a process that runs none."""
        with self._lock:
            for kind in KINDS:
                for status in FINAL_STATUSES:
                    self._counts.setdefault((kind, status), 0)

    def add(self, kind: str, status: str) -> None:
        with self._lock:
            self._counts[kind, status] = self._counts.get((kind, status), 0) + 1

    def value(self, kind: str, status: str) -> int:
        with self._lock:
            return self._counts.get((kind, status), 0)

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily(
            "partwise_deliveries_finished",
            "Reminder and digest deliveries closed by this worker process, by final status",
            labels=["kind", "status"],
        )
        with self._lock:
            counts = sorted(self._counts.items())
        for (kind, status), count in counts:
            family.add_metric([kind, status], count, created=self._created)
        yield family


FINISHED = FinishedDeliveries()
REGISTRY = CollectorRegistry(auto_describe=True)
REGISTRY.register(FINISHED)


def exposition(accept_header: str | None) -> tuple[bytes, str]:
    """The worker's metrics in the format the scraper asked for, and its content type."""
    generate_latest, content_type = choose_encoder(accept_header or "")
    return generate_latest(REGISTRY), content_type
