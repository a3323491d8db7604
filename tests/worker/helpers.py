"""Constants and small helpers for the worker tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.models.delivery import Delivery

CONTACT = "mailto:ops@partwise.example"
BERLIN = "Europe/Berlin"
#: Wednesday 2026-11-25, 20:00 in Berlin (CET): when the default reminder is due.
T0 = dt.datetime(2026, 11, 25, 19, 0, tzinfo=dt.UTC)
REMINDER = {
    "type": "reminder",
    "title": "Time for your check-in",
    "body": "Two taps for your mood, or a few minutes for yourself and your parts.",
    "url": "/#/today",
}


class Clock:
    """The time a dispatcher sees; tests move it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


def the_delivery(**filters: Any) -> Delivery:
    [delivery] = Delivery.objects(**filters)
    return delivery
