"""Exactly once: two workers, a worker killed mid-batch, clock jumps. Each scenario ends with
every reminder sent once or recorded missed, never twice.

The workers are Dispatchers with their own id, signer and in-memory state over one database, the
way two processes would be. Their steps are interleaved one by one, deterministically; and, finer,
at every single database operation (`Turnstile`), which is what catches a claim that reads and
then writes instead of making one atomic update.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import threading

import pytest

from api.domain.schedule import refresh_due_times
from api.models import PushSubscription, User
from api.models.delivery import Delivery
from tests.support.waiting import wait_until
from worker import claims

from .helpers import REMINDER, T0
from .interleave import Turnstile

STEPS = ("claim", "lease", "prepare", "send", "record")


class Process:
    """One worker's steps, holding between them what a process holds in memory."""

    def __init__(self, dispatcher, clock):
        self.dispatcher, self.clock = dispatcher, clock
        self.leased, self.jobs, self.attempts = [], [], []

    def claim(self):
        for kind in ("reminder", "digest"):
            self.dispatcher.claim(kind, self.clock())

    def lease(self):
        self.leased = self.dispatcher.lease(self.clock())

    def prepare(self):
        self.jobs = self.dispatcher.prepare(self.leased, self.clock())

    def send(self):
        self.attempts = self.dispatcher.send(self.jobs)

    def record(self):
        self.dispatcher.record(self.jobs, self.attempts, self.clock())


def interleavings(a: tuple[str, ...], b: tuple[str, ...]):
    """Every order of a's and b's steps that keeps each worker's own order."""
    n = len(a) + len(b)
    for positions in itertools.combinations(range(n), len(a)):
        steps_a, steps_b = iter(a), iter(b)
        yield [("A", next(steps_a)) if i in positions else ("B", next(steps_b)) for i in range(n)]


@pytest.fixture
def clients(make_client, subscribe):
    """Three clients due at T0, one device each: [(user, browser subscription)]."""

    def make(count: int = 3):
        return [(user, subscribe(user)) for user in (make_client() for _ in range(count))]

    return make


def assert_each_sent_once(push_service, clients):
    for user, browser in clients:
        assert [m.payload for m in push_service.received_for(browser)] == [REMINDER]
        delivery = Delivery.objects.get(user=user.id, kind="reminder")
        assert delivery.status == "sent"


def test_every_interleaving_of_two_workers_sends_each_reminder_once(
    make_dispatcher, clock, clients, push_service
):
    orders = list(interleavings(STEPS, STEPS))
    assert len(orders) == 252
    for order in orders:
        batch = clients(2)
        # A batch of one each: the two workers really do split the work between them.
        workers = {
            name: Process(make_dispatcher(f"worker-{name}", batch_size=1), clock) for name in "AB"
        }
        for name, step in order:
            getattr(workers[name], step)()
        # Whatever either left unfinished, the next ticks finish.
        workers["A"].dispatcher.tick()
        workers["B"].dispatcher.tick()
        for user, browser in batch:
            payloads = [m.payload for m in push_service.received_for(browser)]
            assert payloads == [REMINDER], order
            assert Delivery.objects.get(user=user.id).status == "sent", order
        # A clean slate for the next order (mongomock scans whole collections).
        for model in (User, Delivery, PushSubscription):
            model.objects.delete()


def test_workers_switching_at_every_database_operation_send_each_reminder_once(
    make_dispatcher, clients, push_service, monkeypatch
):
    for seed in range(30):
        batch = clients(3)
        workers = [make_dispatcher(f"worker-{name}", batch_size=1) for name in "ABC"]
        with monkeypatch.context() as patch, Turnstile(seed).installed(patch) as turnstile:
            turnstile.run({worker.worker_id: worker.tick for worker in workers})
        assert turnstile.points > 50, seed  # the workers really did take turns
        for user, browser in batch:
            payloads = [m.payload for m in push_service.received_for(browser)]
            assert payloads == [REMINDER], f"seed {seed}"
            delivery = Delivery.objects.get(user=user.id)
            assert (delivery.status, delivery.attempts) == ("sent", 1), f"seed {seed}"
        for model in (User, Delivery, PushSubscription):
            model.objects.delete()


def test_leases_expiring_under_switching_workers_never_send_twice(
    make_dispatcher, clients, clock, push_service, monkeypatch
):
    """Fifteen seconds pass at every database operation, so leases (5 minutes) run out while
    their holders are busy and other workers take over. Nothing may arrive twice, and the log
    says what happened: sent when it arrived (the late sender corrects the interrupted record),
    missed or failed when it did not."""
    outcomes = collections.Counter()
    late_corrections = []
    real = claims.record_late_success

    def counted(*args, **kwargs):
        corrected = real(*args, **kwargs)
        late_corrections.extend([corrected] if corrected else [])
        return corrected

    monkeypatch.setattr(claims, "record_late_success", counted)
    for seed in range(30):
        clock.now = T0 + dt.timedelta(seconds=30)
        batch = clients(3)
        workers = [make_dispatcher(f"worker-{name}", batch_size=1) for name in "ABC"]
        fast = Turnstile(seed, on_point=lambda: clock.advance(seconds=15))
        with monkeypatch.context() as patch, fast.installed(patch) as turnstile:
            turnstile.run({worker.worker_id: worker.tick for worker in workers})
        clock.advance(minutes=10)
        workers[0].tick()  # closes what a worker left behind when its lease ran out
        for user, browser in batch:
            arrived = len(push_service.received_for(browser))
            delivery = Delivery.objects.get(user=user.id)
            assert arrived <= 1, f"seed {seed}"
            outcomes[delivery.status, arrived] += 1
            assert (delivery.status == "sent") == (arrived == 1), f"seed {seed}"
        for model in (User, Delivery, PushSubscription):
            model.objects.delete()
    # Some leases really did run out mid-send: the late results corrected their records.
    assert late_corrections, outcomes


def test_two_workers_reading_the_same_due_time_make_one_delivery(
    make_dispatcher, clients, clock, push_service
):
    batch = clients()
    a, b = make_dispatcher("worker-a"), make_dispatcher("worker-b")
    seen_by_a = claims.find_due("reminder", clock.now, 100)
    seen_by_b = claims.find_due("reminder", clock.now, 100)

    for user_a, user_b in zip(seen_by_a, seen_by_b, strict=True):
        assert claims.record_due("reminder", user_a) is not None
        assert claims.record_due("reminder", user_b) is None  # the unique index decides
        assert claims.advance("reminder", user_b) is True
        assert claims.advance("reminder", user_a) is False  # compare-and-set: moved already

    a.tick(), b.tick()
    assert Delivery.objects.count() == len(batch)
    assert_each_sent_once(push_service, batch)


def test_a_worker_killed_after_taking_its_leases_is_resumed_once_they_expire(
    make_dispatcher, clients, clock, push_service
):
    batch = clients()
    killed = Process(make_dispatcher("worker-a"), clock)
    killed.claim()
    killed.lease()  # ... and the process dies here, holding the leases
    survivor = make_dispatcher("worker-b")

    survivor.tick()
    assert push_service.requests == []  # the leases still hold

    clock.advance(minutes=5, seconds=1)
    survivor.tick()
    survivor.tick()
    assert_each_sent_once(push_service, batch)


def test_a_worker_killed_while_sending_is_never_sent_again(
    make_dispatcher, clients, clock, push_service
):
    batch = clients()
    killed = Process(make_dispatcher("worker-a"), clock)
    for step in ("claim", "lease", "prepare", "send"):
        getattr(killed, step)()  # the pushes went out; the process dies before recording
    survivor = make_dispatcher("worker-b")

    clock.advance(minutes=5, seconds=1)
    survivor.tick()
    clock.advance(hours=1)
    survivor.tick()

    for user, browser in batch:
        assert len(push_service.received_for(browser)) == 1
        delivery = Delivery.objects.get(user=user.id)
        assert (delivery.status, delivery.last_error) == ("failed", claims.INTERRUPTED)


def test_a_worker_killed_between_logging_and_moving_the_due_time_loses_nothing(
    make_dispatcher, clients, clock, push_service
):
    batch = clients()
    for user in claims.find_due("reminder", clock.now, 100):
        claims.record_due("reminder", user)  # ... and the process dies before `advance`

    make_dispatcher("worker-b").tick()

    assert_each_sent_once(push_service, batch)
    assert {u.next_reminder_at for u in User.objects} == {T0 + dt.timedelta(days=1)}


def test_a_restarted_worker_sends_nothing_again(make_dispatcher, clients, clock, push_service):
    batch = clients()
    make_dispatcher("worker-a").tick()

    restarted = make_dispatcher("worker-a-restarted")
    restarted.tick()
    clock.advance(minutes=10)
    restarted.tick()

    assert_each_sent_once(push_service, batch)


def test_a_shutting_down_worker_gives_back_leases_it_has_not_started(
    make_dispatcher, clients, clock, push_service
):
    batch = clients()
    stopping = make_dispatcher("worker-a")
    for kind in ("reminder", "digest"):
        stopping.claim(kind, clock.now)
    leased = stopping.lease(clock.now)
    stopping.stop()  # SIGTERM
    stopping.process(leased)

    make_dispatcher("worker-b").tick()  # no need to wait for the leases to expire

    assert_each_sent_once(push_service, batch)


def test_a_shutting_down_worker_finishes_and_records_the_sends_in_flight(
    dispatcher, clients, push_service
):
    batch = clients()
    push_service.delay = 0.5
    ticking = threading.Thread(target=dispatcher.tick)
    ticking.start()
    wait_until(lambda: Delivery.objects(sending_since__ne=None).count(), "the first sends to start")

    dispatcher.stop()  # SIGTERM while the pushes are on the wire
    ticking.join(10)

    assert_each_sent_once(push_service, batch)


def test_a_clock_jump_past_the_grace_window_records_missed_and_sends_nothing(
    dispatcher, clients, clock, push_service
):
    batch = clients()
    clock.now = T0 - dt.timedelta(minutes=1)
    dispatcher.tick()

    clock.now = T0 + dt.timedelta(hours=2, minutes=1)
    dispatcher.tick()

    assert push_service.requests == []
    assert [d.status for d in Delivery.objects] == ["missed"] * len(batch)


def test_after_a_long_outage_every_day_missed_is_recorded_and_today_is_sent(
    dispatcher, clients, clock, push_service
):
    [(user, browser)] = clients(1)
    clock.now = T0 + dt.timedelta(days=3, seconds=30)  # Saturday 20:00:30 in Berlin

    dispatcher.tick()

    statuses = {d.period_key: d.status for d in Delivery.objects(user=user.id)}
    assert statuses == {
        "2026-11-25": "missed",
        "2026-11-26": "missed",
        "2026-11-27": "missed",
        "2026-11-28": "sent",
    }
    assert len(push_service.received_for(browser)) == 1


def test_a_clock_jump_backwards_sends_nothing_again(dispatcher, clients, clock, push_service):
    batch = clients()
    dispatcher.tick()

    clock.now = T0 - dt.timedelta(hours=1)
    dispatcher.tick()
    # The API, asked to reschedule while the clock is behind, puts today's 20:00 back.
    for user in User.objects:
        refresh_due_times(user, clock.now)
        user.save()
    clock.now = T0 + dt.timedelta(seconds=30)
    dispatcher.tick()

    assert_each_sent_once(push_service, batch)
    assert Delivery.objects.count() == len(batch)


def test_workers_on_threads_ticking_together_send_each_reminder_once(
    make_dispatcher, clients, push_service
):
    batch = clients(12)
    workers = [make_dispatcher(f"worker-{i}", batch_size=2) for i in range(4)]
    threads = [threading.Thread(target=worker.tick) for worker in workers]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert_each_sent_once(push_service, batch)
