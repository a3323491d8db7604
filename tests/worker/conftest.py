"""Worker fixtures: an injected clock, dispatchers sharing the test database, clients with
devices subscribed at the loopback push service."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any

import pytest

from api.domain.schedule import refresh_due_times
from api.models import PushSubscription, User
from api.models.user import DigestPreferences, ReminderPreferences
from webpush import VapidSigner, generate_keys
from worker.dispatch import Dispatcher, Settings
from worker.email import SmtpSettings

from .helpers import BERLIN, CONTACT, T0, Clock
from .smtp_server import running


@pytest.fixture(scope="session")
def vapid():
    return generate_keys()


@pytest.fixture
def app_config(app_config, vapid) -> dict:
    return {
        **app_config,
        "VAPID_PRIVATE_KEY": vapid.private_key,
        "VAPID_SUBJECT": CONTACT,
        "PUSH_ALLOW_HTTP_LOOPBACK": 1,
    }


@pytest.fixture
def clock() -> Clock:
    return Clock(T0 + dt.timedelta(seconds=30))


@pytest.fixture
def make_dispatcher(app, clock):
    """A worker instance of its own (id, signer, settings) on the shared database."""

    def make(worker_id: str = "worker-a", **settings: Any) -> Dispatcher:
        base = Settings.from_config(app.config)
        return Dispatcher(
            dataclasses.replace(base, **settings),
            VapidSigner.from_config(app.config),
            clock=clock,
            worker_id=worker_id,
        )

    return make


@pytest.fixture
def dispatcher(make_dispatcher) -> Dispatcher:
    return make_dispatcher()


@pytest.fixture
def make_client(app):
    """A client scheduled as the API schedules one, as if it had registered an hour before T0."""
    counter = itertools.count()

    def make(
        timezone: str = BERLIN,
        reminders: dict | None = None,
        digest: dict | None = None,
        scheduled_at: dt.datetime = T0 - dt.timedelta(hours=1),
    ) -> User:
        user = User(
            email=f"client{next(counter)}@example.org",
            password_hash="not used",
            role="client",
            timezone=timezone,
            reminders=ReminderPreferences(**(reminders or {})),
            digest=DigestPreferences(**(digest or {})),
            created_at=scheduled_at - dt.timedelta(weeks=4),  # with a few weeks of journal
        )
        refresh_due_times(user, scheduled_at)
        return user.save()

    return make


@pytest.fixture
def subscribe(push_service):
    """Subscribe a device of `user` at the push service; returns the browser's subscription.

    With `application_server_key`, the push service refuses pushes signed with any other key
    (403), as it does for a subscription made with a VAPID key this server no longer has."""

    def subscribe(user: User, application_server_key: str | None = None) -> dict:
        browser = push_service.make_subscription(application_server_key)
        PushSubscription(
            owner=user.id,
            endpoint=browser["endpoint"],
            p256dh=browser["keys"]["p256dh"],
            auth=browser["keys"]["auth"],
        ).save()
        return browser

    return subscribe


@pytest.fixture
def smtp_server():
    """A plain SMTP server on 127.0.0.1 that keeps what it receives."""
    with running() as server:
        yield server


@pytest.fixture
def smtp_settings(smtp_server) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1",
        port=smtp_server.port,
        security="none",
        sender="digest@partwise.example",
        timeout=5.0,
    )
