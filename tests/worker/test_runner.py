"""The worker on its clock: embedded in the API process, as its own process, and two processes
on one real MongoDB (with TEST_MONGODB_URI)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from api.models import User
from api.models.base import utcnow
from api.models.delivery import Delivery
from tests.conftest import TEST_MONGODB_URI
from worker import runner
from worker.__main__ import main

from .helpers import CONTACT, REMINDER

ROOT = Path(__file__).resolve().parents[2]


def due_now(user: User) -> User:
    """Make the user's reminder due a minute ago on the real clock."""
    User.objects(id=user.id).update_one(set__next_reminder_at=utcnow() - dt.timedelta(minutes=1))
    return user


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_embedded_worker_sends_from_a_background_thread(
    app, make_client, subscribe, push_service
):
    browser = subscribe(due_now(make_client(digest={"enabled": False})))

    worker = runner.start_background(app.config)
    try:
        assert wait_for(lambda: push_service.received_for(browser))
    finally:
        worker.stop()

    assert [m.payload for m in push_service.received_for(browser)] == [REMINDER]
    assert not worker.scheduler.running


def test_a_bad_vapid_key_stops_the_worker_at_start(app):
    with pytest.raises(ValueError, match="VAPID_PRIVATE_KEY"):
        runner.build_dispatcher({**app.config, "VAPID_PRIVATE_KEY": "not a key"})


def test_the_worker_process_needs_a_real_database():
    env = {k: v for k, v in os.environ.items() if k not in ("MONGODB_URI", "PARTWISE_MONGODB_URI")}
    done = subprocess.run(
        [sys.executable, "-m", "worker", "--once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "MONGODB_URI" in done.stderr


def test_the_worker_command_reports_bad_configuration(monkeypatch, capsys):
    monkeypatch.setattr("api.logs.configure", lambda: None)
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:1/never-reached")
    monkeypatch.setenv("PARTWISE_ENCRYPTION_KEYS", "k1:" + "A" * 43 + "=")
    monkeypatch.delenv("PARTWISE_VAPID_PRIVATE_KEY", raising=False)

    assert main(["--once"]) == 2
    assert "VAPID_PRIVATE_KEY is not set" in capsys.readouterr().err


def test_the_worker_command_names_a_setting_that_is_not_a_number(monkeypatch, capsys):
    monkeypatch.setattr("api.logs.configure", lambda: None)
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:1/never-reached")
    monkeypatch.setenv("PARTWISE_WORKER_BATCH_SIZE", "fifty")

    assert main(["--once"]) == 2
    err = capsys.readouterr().err
    assert "PARTWISE_WORKER_BATCH_SIZE must be a whole number, not 'fifty'" in err
    assert "Traceback" not in err


def test_sigterm_lets_the_sends_in_flight_finish_and_gives_back_the_rest():
    # A real process, a real signal: 6 clients due, a batch of 3 on the wire when it comes.
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.worker.worker_process", "6"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stuck = threading.Timer(60, process.kill)  # then the line read below is empty
    stuck.start()
    try:
        assert process.stdout.readline().strip() == "sending"
        stuck.cancel()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        stuck.cancel()
        process.kill()
    assert process.returncode == 0, err

    summary = json.loads(out.strip().splitlines()[-1])
    sent = [d for d in summary["deliveries"] if d["status"] == "sent"]
    rest = [d for d in summary["deliveries"] if d["status"] != "sent"]
    assert len(sent) == summary["arrived"] == 3  # the batch in flight finished and was recorded
    # The others are back in the pool, untouched: the next worker sends them at once.
    assert rest == [{"status": "pending", "lease_owner": None, "sending": False, "attempts": 0}] * 3
    events = [json.loads(line).get("message", "") for line in err.splitlines()]
    assert "signal SIGTERM: stopping" in events
    assert any(message.endswith(" stopped") for message in events)


# -- real processes on a real MongoDB ------------------------------------------------------------

needs_mongodb = pytest.mark.skipif(not TEST_MONGODB_URI, reason="needs TEST_MONGODB_URI")


def worker_env(app_config: dict, **extra: str) -> dict:
    return {
        **os.environ,
        "MONGODB_URI": TEST_MONGODB_URI,
        "PARTWISE_MONGODB_DB": app_config["MONGODB_DB"],
        "PARTWISE_ENCRYPTION_KEYS": app_config["ENCRYPTION_KEYS"],
        "PARTWISE_VAPID_PRIVATE_KEY": app_config["VAPID_PRIVATE_KEY"],
        "PARTWISE_VAPID_SUBJECT": CONTACT,
        "PARTWISE_PUSH_ALLOW_HTTP_LOOPBACK": "1",
        "PARTWISE_WORKER_BATCH_SIZE": "3",
        **extra,
    }


def due_clients(make_client, subscribe, count: int = 20) -> list[dict]:
    """Clients whose reminder is due now (their digests off, whatever day the test runs)."""
    return [subscribe(due_now(make_client(digest={"enabled": False}))) for _ in range(count)]


def assert_each_sent_once(push_service, browsers):
    for browser in browsers:
        assert [m.payload for m in push_service.received_for(browser)] == [REMINDER]
    assert {d.status for d in Delivery.objects} == {"sent"}
    assert Delivery.objects.count() == len(browsers)


@pytest.mark.realmongo
@needs_mongodb
def test_two_worker_processes_started_together_send_each_reminder_once(
    app_config, app, make_client, subscribe, push_service
):
    browsers = due_clients(make_client, subscribe)
    env = worker_env(app_config)

    processes = [
        subprocess.Popen([sys.executable, "-m", "worker", "--once"], cwd=ROOT, env=env)
        for _ in range(2)
    ]
    assert [process.wait(120) for process in processes] == [0, 0]

    assert_each_sent_once(push_service, browsers)


@pytest.mark.realmongo
@needs_mongodb
def test_two_running_worker_processes_stop_cleanly_on_sigterm(
    app_config, app, make_client, subscribe, push_service
):
    browsers = due_clients(make_client, subscribe)
    env = worker_env(app_config, PARTWISE_WORKER_INTERVAL_SECONDS="1")

    processes = [
        subprocess.Popen([sys.executable, "-m", "worker"], cwd=ROOT, env=env) for _ in range(2)
    ]
    try:
        assert wait_for(lambda: Delivery.objects(status="sent").count() == len(browsers), 60)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
    assert [process.wait(60) for process in processes] == [0, 0]

    assert_each_sent_once(push_service, browsers)


def test_a_tick_longer_than_the_interval_is_waited_for_quietly(caplog):
    # A burst that takes longer than the interval: no second dispatch beside it, no warning at
    # each interval while it runs, and the clock goes on once it ends.
    import logging
    import threading

    from apscheduler.schedulers.background import BackgroundScheduler

    ticks: list[tuple[float, float]] = []
    running = threading.Lock()
    overlapped = []

    class SlowDispatcher:
        worker_id = "slow"

        def tick(self):
            if not running.acquire(blocking=False):
                overlapped.append(True)
                return
            try:
                started = time.monotonic()
                time.sleep(2.5 if not ticks else 0)
                ticks.append((started, time.monotonic()))
            finally:
                running.release()

        def stop(self):
            pass

    caplog.set_level(logging.DEBUG, logger="apscheduler")
    worker = runner.Worker(SlowDispatcher(), BackgroundScheduler(timezone=dt.UTC), 1)
    worker.start()
    try:
        assert wait_for(lambda: len(ticks) >= 2, 10)
    finally:
        worker.stop()

    assert not overlapped
    assert ticks[1][0] - ticks[0][1] <= 1.5  # the next interval after the long one ended
    noisy = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert noisy == []


def test_sigterm_stops_a_worker_promptly_while_the_database_is_away(app_config):
    # Nothing listens on port 1: each tick waits for a server until the worker's database
    # timeout. A stop must not wait for the driver's 30 s, Kubernetes' whole grace period.
    env = {
        **os.environ,
        "MONGODB_URI": "mongodb://127.0.0.1:1/partwise",
        "PARTWISE_ENCRYPTION_KEYS": app_config["ENCRYPTION_KEYS"],
        "PARTWISE_VAPID_PRIVATE_KEY": app_config["VAPID_PRIVATE_KEY"],
        "PARTWISE_VAPID_SUBJECT": CONTACT,
        "PARTWISE_WORKER_DB_TIMEOUT_SECONDS": "2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "worker"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        for line in process.stderr:
            if "dispatching every 30 s" in line:
                break
        time.sleep(0.5)  # the first tick is waiting for the database
        process.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        _, err = process.communicate(timeout=20)
        stopped_after = time.monotonic() - sent
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert stopped_after < 2 + 3  # the rest of one database wait, not 30 s
    assert "ServerSelectionTimeoutError" in err  # the tick failed as it should, and said so


def test_the_worker_waits_ten_seconds_for_the_database_unless_told_otherwise():
    from api import config
    from worker.__main__ import database_options

    assert database_options(config.load())["serverSelectionTimeoutMS"] == 10_000
    with pytest.raises(ValueError, match="WORKER_DB_TIMEOUT_SECONDS"):
        database_options({"WORKER_DB_TIMEOUT_SECONDS": 0})
