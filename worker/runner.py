"""The worker's clock: APScheduler 3.x with one job in memory, "dispatch what is due", every
WORKER_INTERVAL_SECONDS. The scheduler decides nothing: correctness lives in the database
(see worker/claims.py), so any number of these may run against one MongoDB.

- `run` is the worker process (`python -m worker`, `partwise-worker`): a BlockingScheduler that
  stops claiming on SIGTERM or SIGINT, lets the sends in flight finish, and gives back the rest.
- `start_background` is the embedded mode: a BackgroundScheduler inside the API process
  (`partwise run`), sharing its in-memory store; every unit of database work holds
  `db.store_lock()`.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
from collections.abc import Callable, Mapping
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from api import config as config_module
from api import delivery_metrics
from api.models.base import utcnow
from webpush import VapidSigner
from webpush.vapid import load_private_key
from worker import health
from worker.dispatch import Dispatcher, Settings

logger = logging.getLogger(__name__)

JOB_ID = "dispatch-due-work"


def build_dispatcher(
    settings: config_module.Settings | Mapping[str, Any],
    *,
    clock: Callable[[], dt.datetime] = utcnow,
    worker_id: str | None = None,
) -> Dispatcher:
    """A dispatcher built from the settings (or a configuration mapping that holds them);
    VapidConfigError or ValueError on bad settings, now."""
    settings = config_module.Settings.from_mapping(settings)
    signer = VapidSigner(load_private_key(settings.vapid_private_key), settings.vapid_subject)
    return Dispatcher(Settings.from_settings(settings), signer, clock=clock, worker_id=worker_id)


class Worker:
    """A dispatcher on a scheduler's clock."""

    def __init__(self, dispatcher: Dispatcher, scheduler: BaseScheduler, interval: int) -> None:
        self.dispatcher = dispatcher
        self.scheduler = scheduler
        self.heartbeat = health.Heartbeat(interval)
        self._stopping = False
        delivery_metrics.FINISHED.start()
        scheduler.add_job(
            self._tick,
            "interval",
            seconds=interval,
            id=JOB_ID,
            # One dispatch at a time in a process (several processes share work through the
            # database); runs missed while the process was paused become one run, however late:
            # the database, not the clock, says what is due and what is past its grace window.
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=dt.datetime.now(dt.UTC),
        )

    def _tick(self) -> None:
        # Off the clock while dispatching: a burst longer than the interval would otherwise have
        # the scheduler refuse (and log a warning about) a second instance at every interval.
        # The next dispatch comes at the first interval point after this one ends.
        self._set_clock(paused=True)
        self.heartbeat.started()
        try:
            self.dispatcher.tick()
        except Exception:
            # The top-level guard: nothing stops the clock (a database outage, say); the next
            # tick tries again. Sends in flight are recorded or, failing that, closed by lease.
            logger.exception("dispatching failed; trying again at the next tick")
        finally:
            self.heartbeat.finished()
            if not self._stopping:
                self._set_clock(paused=False)

    def _set_clock(self, *, paused: bool) -> None:
        try:
            if paused:
                self.scheduler.pause_job(JOB_ID)
            else:
                self.scheduler.resume_job(JOB_ID)
        except JobLookupError:  # the scheduler was shut down meanwhile
            pass

    def start(self) -> None:
        self.scheduler.start()

    def stop(self) -> None:
        """Stop claiming and wait for the tick in progress (its sends finish, the rest is given
        back)."""
        self._stopping = True
        self.dispatcher.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
            logger.info("worker %s stopped", self.dispatcher.worker_id)


def start_background(settings: config_module.Settings | Mapping[str, Any]) -> Worker:
    """Run the worker on a background thread of this process (the embedded mode)."""
    settings = config_module.Settings.from_mapping(settings)
    worker = Worker(
        build_dispatcher(settings),
        BackgroundScheduler(daemon=True, timezone=dt.UTC),
        int(settings.worker_interval_seconds),
    )
    worker.start()
    logger.info(
        "worker %s started in this process: dispatching every %s s",
        worker.dispatcher.worker_id,
        settings.worker_interval_seconds,
    )
    return worker


def run(dispatcher: Dispatcher, interval: int, health_port: int = 0) -> None:
    """Run the worker in the foreground until SIGTERM or SIGINT; with `health_port`, answer
    /healthz and /readyz there (see worker/health.py)."""
    worker = Worker(dispatcher, BlockingScheduler(timezone=dt.UTC), interval)
    if health_port:
        health.serve(worker.heartbeat, health_port)

    def shut_down(signum: int, _frame: object) -> None:
        logger.info("signal %s: stopping", signal.Signals(signum).name)
        worker.stop()

    signal.signal(signal.SIGTERM, shut_down)
    signal.signal(signal.SIGINT, shut_down)
    logger.info("worker %s started: dispatching every %s s", dispatcher.worker_id, interval)
    worker.start()  # returns once stopped


def run_once(dispatcher: Dispatcher) -> None:
    """Dispatch what is due now, then return (SIGTERM stops claiming)."""
    signal.signal(signal.SIGTERM, lambda *_: dispatcher.stop())
    dispatcher.tick()
