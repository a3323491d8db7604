"""The worker's health for its probes: GET /healthz and /readyz on PARTWISE_WORKER_HEALTH_PORT.

- /healthz (liveness): 200 while the clock ticks: a dispatch is under way, or the last one ended
  less than `STALE_TICKS` intervals ago; else 503, and the orchestrator restarts the process. A
  dispatch cannot hang for ever: every push and email has a timeout.
- /readyz (readiness): 200 when the database answers, else 503.
- /metrics: Prometheus text, the deliveries this process closed (see api/delivery_metrics.py).

Plain `http.server` on a daemon thread: three fixed answers need no framework.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from api import db, delivery_metrics

#: The probes come from outside the container (the kubelet, compose's healthcheck runs inside).
ALL_INTERFACES = "0.0.0.0"  # noqa: S104
#: The clock counts as stopped after this many intervals without a dispatch.
STALE_TICKS = 3


class Heartbeat:
    """When the worker's dispatches start and end."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self.running_since: float | None = None
        self.last_end = clock()  # starting counts as a beat

    def started(self) -> None:
        self.running_since = self.clock()

    def finished(self) -> None:
        self.running_since = None
        self.last_end = self.clock()

    def alive(self) -> bool:
        if self.running_since is not None:
            return True
        return self.clock() - self.last_end <= STALE_TICKS * self.interval


def _handler(heartbeat: Heartbeat) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            if self.path == "/healthz":
                ok, problem = heartbeat.alive(), "the dispatch clock has stopped"
            elif self.path == "/readyz":
                ok, problem = db.ping(), "the database does not answer"
            elif self.path == "/metrics":
                self._send(200, *delivery_metrics.exposition(self.headers.get("Accept")))
                return
            else:
                self._answer(404, {"status": "not found"})
                return
            self._answer(200 if ok else 503, {"status": "ok"} if ok else {"status": problem})

        def _answer(self, status: int, body: dict) -> None:
            self._send(status, json.dumps(body).encode(), "application/json")

        def _send(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args) -> None:  # probes are not news
            pass

    return Handler


def serve(heartbeat: Heartbeat, port: int, host: str = ALL_INTERFACES) -> ThreadingHTTPServer:
    """Answer the probes on a daemon thread until the process ends (or `.shutdown()`)."""
    server = ThreadingHTTPServer((host, port), _handler(heartbeat))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    return server
