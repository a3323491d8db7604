from __future__ import annotations

import pytest

from webpush import Outcome
from webpush.outcome import classify, parse_retry_after

NOW = 1_445_412_480.0  # Wed, 21 Oct 2015 07:28:00 GMT


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, Outcome.SENT),
        (201, Outcome.SENT),
        (202, Outcome.SENT),
        (404, Outcome.GONE),
        (410, Outcome.GONE),
        (408, Outcome.RETRY),
        (429, Outcome.RETRY),
        (500, Outcome.RETRY),
        (503, Outcome.RETRY),
        (400, Outcome.OUR_BUG),
        (401, Outcome.REFUSED),
        (403, Outcome.REFUSED),
        (413, Outcome.OUR_BUG),
        (301, Outcome.OUR_BUG),
    ],
)
def test_statuses_map_to_outcomes(status, outcome):
    assert classify(status) is outcome


def test_retry_after_in_seconds():
    assert parse_retry_after("120", NOW) == 120


def test_retry_after_as_an_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT", NOW) == 120


def test_retry_after_in_the_past_means_now():
    assert parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", NOW) == 0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5"])
def test_unusable_retry_after_is_none(value):
    assert parse_retry_after(value, NOW) is None
