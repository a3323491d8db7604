"""The worker's probes: /healthz while its clock ticks, /readyz while the database answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from api import db
from worker import health


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def heartbeat(clock):
    return health.Heartbeat(interval=30, clock=clock)


@pytest.fixture
def probe(app, heartbeat):
    server = health.serve(heartbeat, 0, host="127.0.0.1")

    def get(path: str) -> tuple[int, dict]:
        url = f"http://127.0.0.1:{server.server_port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    yield get
    server.shutdown()
    server.server_close()


def test_a_worker_that_just_started_is_alive(probe):
    assert probe("/healthz") == (200, {"status": "ok"})


def test_a_clock_that_stopped_ticking_fails_the_liveness_probe(probe, clock, heartbeat):
    heartbeat.started()
    heartbeat.finished()
    clock.now += 3 * 30
    assert probe("/healthz")[0] == 200
    clock.now += 1
    assert probe("/healthz") == (503, {"status": "the dispatch clock has stopped"})


def test_a_long_dispatch_is_not_a_stopped_clock(probe, clock, heartbeat):
    heartbeat.started()
    clock.now += 3600
    assert probe("/healthz")[0] == 200


def test_readiness_follows_the_database(probe, monkeypatch):
    assert probe("/readyz") == (200, {"status": "ok"})
    monkeypatch.setattr(db, "ping", lambda: False)
    assert probe("/readyz") == (503, {"status": "the database does not answer"})


def test_other_paths_are_404(probe):
    assert probe("/nothing-here")[0] == 404


def test_the_worker_beats_around_each_dispatch(app):
    from apscheduler.schedulers.background import BackgroundScheduler

    from worker.runner import Worker

    seen = []

    class Dispatcher:
        def tick(self):
            seen.append(worker.heartbeat.running_since is not None)
            raise RuntimeError("the database went away")

    worker = Worker(Dispatcher(), BackgroundScheduler(), 30)
    worker._tick()
    assert seen == [True] and worker.heartbeat.running_since is None
