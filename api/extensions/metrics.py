"""Prometheus metrics at /metrics: request latency by endpoint and status, and the pending
deliveries by kind (counted in MongoDB at each scrape: few, and answered from an index).

The deliveries that were sent, failed, missed or skipped are counted by the worker that closed
them, at its own /metrics (see api/delivery_metrics.py): counting the whole delivery log at every
scrape of every API pod would grow with it. With the worker in this process (the embedded mode,
`partwise run --worker`), its counts are here too.
"""

from __future__ import annotations

import os

from flask import Flask, Response, request
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_flask_exporter import PrometheusMetrics
from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

from api import delivery_metrics


class PendingDeliveriesCollector:
    """partwise_deliveries_pending{kind}: due or waiting for a retry, not yet closed."""

    def collect(self):
        from api.models.delivery import pending_counts

        family = GaugeMetricFamily(
            "partwise_deliveries_pending",
            "Reminder and digest deliveries due or waiting for a retry",
            labels=["kind"],
        )
        try:
            counts = pending_counts()
        except Exception:  # a scrape must not fail because the database is briefly away
            return
        for kind, count in counts.items():
            family.add_metric([kind], count)
        yield family


class GunicornMetrics(GunicornInternalPrometheusMetrics):
    """Under gunicorn, each scrape reads every process's samples into a fresh registry (the
    library's own `generate_metrics` registers nothing else there): add the deliveries to it."""

    def generate_metrics(self, accept_header=None, names=None):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(PendingDeliveriesCollector())
        if names:
            registry = registry.restricted_registry(names)
        generate_latest, content_type = choose_encoder(accept_header)
        return generate_latest(registry).decode("utf-8"), content_type


def init_app(app: Flask) -> None:
    if not app.config["METRICS_ENABLED"]:
        return
    options = {
        # By URL rule, not path: /checkins/<id> is one series, whatever the id.
        "group_by": "url_rule",
        "defaults_prefix": "partwise",
        "excluded_paths": ["^/metrics$", "^/healthz$", "^/readyz$"],
    }
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Under gunicorn: each process writes its samples to files that /metrics adds up.
        GunicornMetrics(app, **options)
    else:
        # One registry per app, so that several apps in one process (tests) do not collide.
        metrics = PrometheusMetrics(app, registry=CollectorRegistry(auto_describe=True), **options)
        metrics.registry.register(PendingDeliveriesCollector())
        metrics.registry.register(delivery_metrics.FINISHED)  # shown once a worker runs here
    # Registered after the exporter's, so it runs before it (Flask runs them in reverse).
    app.after_request(_bounded_method)


#: HTTP methods counted by name; any other (a made-up one, answered 405) is counted as "other",
#: so that nobody can grow /metrics by a new series per request.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _bounded_method(response: Response) -> Response:
    # The exporter labels each series with request.method as it finds it; the view is done.
    if request.method not in KNOWN_METHODS:
        request.method = "other"
    return response
