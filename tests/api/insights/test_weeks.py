from datetime import date

import pytest

from api.insights.weeks import (
    mondays_between,
    shift_week,
    week_key,
    week_keys_between,
    week_range,
    week_start,
)


def test_week_key_of_a_monday():
    assert week_key(date(2026, 11, 16)) == "2026-W47"


def test_week_key_of_a_sunday_is_the_same_week():
    assert week_key(date(2026, 11, 22)) == "2026-W47"


def test_week_key_pads_the_week_number():
    assert week_key(date(2026, 1, 5)) == "2026-W02"


def test_week_key_uses_the_iso_year_at_a_year_boundary():
    # 2026 starts on a Thursday, so it has 53 ISO weeks; 2027-01-01 (a Friday) is in its last
    assert week_key(date(2027, 1, 1)) == "2026-W53"
    assert week_key(date(2025, 12, 29)) == "2026-W01"


def test_week_range_is_monday_to_sunday():
    assert week_range("2026-W47") == (date(2026, 11, 16), date(2026, 11, 22))


def test_week_range_of_the_53rd_week():
    assert week_range("2026-W53") == (date(2026, 12, 28), date(2027, 1, 3))


@pytest.mark.parametrize(
    "key", ["2026-47", "2026-W7", "2026W47", "2026-W47x", "2025-W53", "2026-W00", "9999-W52"]
)
def test_week_range_rejects_a_malformed_or_absent_week(key):
    with pytest.raises(ValueError):
        week_range(key)


def test_week_start_is_the_monday():
    assert week_start(date(2026, 11, 19)) == date(2026, 11, 16)


def test_shift_week_crosses_a_year():
    assert shift_week("2026-W01", -1) == "2025-W52"
    assert shift_week("2026-W53", 1) == "2027-W01"


def test_week_keys_between_covers_partial_weeks():
    assert week_keys_between(date(2026, 11, 22), date(2026, 11, 30)) == [
        "2026-W47",
        "2026-W48",
        "2026-W49",
    ]


def test_week_keys_between_an_empty_range():
    assert week_keys_between(date(2026, 11, 22), date(2026, 11, 21)) == []


def test_mondays_between_reach_the_last_week_python_can_hold():
    # 9999-12-31 is a Friday: stepping a week past its Monday would overflow.
    assert mondays_between(date(9999, 12, 20), date(9999, 12, 31)) == [
        date(9999, 12, 20),
        date(9999, 12, 27),
    ]
