"""Local due times across DST, zone changes and weekday choices (pure: no database)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest

from api.domain.schedule import (
    digest_period,
    next_digest_at,
    next_local_occurrence,
    next_reminder_at,
    refresh_due_times,
    reminder_period,
)

UTC = dt.UTC
EVERY_DAY = range(1, 8)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def user(**overrides):
    fields = {
        "role": "client",
        "timezone": "Europe/Berlin",
        "reminders": SimpleNamespace(enabled=True, local_time="20:00", weekdays=[1, 2, 3, 4, 5]),
        "digest": SimpleNamespace(enabled=True, weekday=7, local_time="18:00"),
    }
    return SimpleNamespace(**{**fields, **overrides})


def test_a_reminder_at_20_berlin_in_winter_is_19_utc():
    assert next_local_occurrence(utc(2026, 11, 25, 12), "Europe/Berlin", "20:00", EVERY_DAY) == (
        utc(2026, 11, 25, 19)
    )


def test_a_reminder_at_20_berlin_in_summer_is_18_utc():
    assert next_local_occurrence(utc(2026, 7, 1, 12), "Europe/Berlin", "20:00", EVERY_DAY) == (
        utc(2026, 7, 1, 18)
    )


def test_the_next_one_is_strictly_after_the_given_instant():
    due = utc(2026, 11, 25, 19)
    assert next_local_occurrence(due, "Europe/Berlin", "20:00", EVERY_DAY) == utc(2026, 11, 26, 19)


def test_only_chosen_weekdays_count():
    # Friday 2026-11-27 after the reminder: Monday is next when only weekdays are chosen.
    after = utc(2026, 11, 27, 20)
    assert next_local_occurrence(after, "Europe/Berlin", "20:00", [1, 2, 3, 4, 5]) == (
        utc(2026, 11, 30, 19)
    )


def test_no_weekday_means_no_reminder():
    assert next_local_occurrence(utc(2026, 11, 25), "Europe/Berlin", "20:00", []) is None


def test_the_local_weekday_counts_not_the_utc_one():
    # 08:00 Monday in Tokyo is still Sunday in UTC.
    after = utc(2026, 11, 29, 12)  # Sunday 21:00 in Tokyo
    assert next_local_occurrence(after, "Asia/Tokyo", "08:00", [1]) == utc(2026, 11, 29, 23)


def test_the_day_clocks_go_forward_keeps_the_wall_time():
    # Berlin springs forward on Sunday 2026-03-29: 20:00 is CEST (UTC+2) that evening.
    after = utc(2026, 3, 28, 20)
    assert next_local_occurrence(after, "Europe/Berlin", "20:00", EVERY_DAY) == (
        utc(2026, 3, 29, 18)
    )


def test_the_day_clocks_go_back_keeps_the_wall_time():
    after = utc(2026, 10, 24, 19)
    assert next_local_occurrence(after, "Europe/Berlin", "20:00", EVERY_DAY) == (
        utc(2026, 10, 25, 19)
    )


def test_a_time_skipped_by_spring_forward_fires_when_the_clocks_jump():
    # 02:30 does not exist in Berlin on 2026-03-29: 02:00 CET is followed by 03:00 CEST.
    assert next_local_occurrence(utc(2026, 3, 28, 12), "Europe/Berlin", "02:30", EVERY_DAY) == (
        utc(2026, 3, 29, 1)  # = 03:00 CEST, the first valid instant after 02:30
    )


def test_a_skipped_time_is_back_to_normal_the_next_day():
    after = utc(2026, 3, 29, 1)
    assert next_local_occurrence(after, "Europe/Berlin", "02:30", EVERY_DAY) == (
        utc(2026, 3, 30, 0, 30)
    )


def test_a_time_repeated_by_fall_back_fires_once_at_its_first_occurrence():
    # 02:30 happens twice in Berlin on 2026-10-25: at 00:30 UTC (CEST) and 01:30 UTC (CET).
    first = next_local_occurrence(utc(2026, 10, 24, 12), "Europe/Berlin", "02:30", EVERY_DAY)
    assert first == utc(2026, 10, 25, 0, 30)
    assert next_local_occurrence(first, "Europe/Berlin", "02:30", EVERY_DAY) == (
        utc(2026, 10, 26, 1, 30)  # the next day, not the repeat an hour later
    )


def test_a_half_hour_dst_zone_is_handled():
    # Lord Howe Island moves by 30 minutes: 2:00 to 2:30 on 2026-10-04 does not exist.
    after = utc(2026, 10, 3, 0)
    assert next_local_occurrence(after, "Australia/Lord_Howe", "02:15", EVERY_DAY) == (
        utc(2026, 10, 3, 15, 30)  # 02:30 at UTC+11
    )


def test_a_zone_that_skipped_a_whole_day_still_gets_a_reminder():
    # Samoa skipped Friday 2011-12-30 altogether: a Friday reminder fires at the first instant
    # after it, midnight starting the 31st (10:00 UTC).
    after = utc(2011, 12, 29, 12)
    assert next_local_occurrence(after, "Pacific/Apia", "20:00", [5]) == utc(2011, 12, 30, 10)


def test_a_zone_change_moves_the_reminder_to_the_new_local_time():
    berlin = user()
    tokyo = user(timezone="Asia/Tokyo")
    now = utc(2026, 11, 25, 1)
    assert next_reminder_at(berlin, now) == utc(2026, 11, 25, 19)
    assert next_reminder_at(tokyo, now) == utc(2026, 11, 25, 11)


def test_reminders_turned_off_have_no_due_time():
    off = user(reminders=SimpleNamespace(enabled=False, local_time="20:00", weekdays=[1]))
    assert next_reminder_at(off, utc(2026, 11, 25)) is None


def test_therapists_get_no_reminders_or_digests():
    therapist = user(role="therapist")
    assert next_reminder_at(therapist, utc(2026, 11, 25)) is None
    assert next_digest_at(therapist, utc(2026, 11, 25)) is None


def test_the_digest_comes_on_the_chosen_weekday_at_the_chosen_time():
    # Sunday 2026-11-29 at 18:00 in Berlin.
    assert next_digest_at(user(), utc(2026, 11, 25)) == utc(2026, 11, 29, 17)


def test_refresh_sets_both_due_times():
    client = user(next_reminder_at=None, next_digest_at=None)
    refresh_due_times(client, utc(2026, 11, 25, 12))
    assert (client.next_reminder_at, client.next_digest_at) == (
        utc(2026, 11, 25, 19),
        utc(2026, 11, 29, 17),
    )


def test_a_reminder_is_for_the_local_date():
    # 23:30 UTC on the 25th is already the 26th in Berlin.
    assert reminder_period(utc(2026, 11, 25, 23, 30), "Europe/Berlin") == "2026-11-26"
    assert reminder_period(utc(2026, 11, 25, 23, 30), "America/New_York") == "2026-11-25"


@pytest.mark.parametrize(
    ("due_local", "week"),
    [
        (dt.datetime(2026, 11, 29, 18), "2026-W48"),  # Sunday: the week ending today
        (dt.datetime(2026, 11, 30, 9), "2026-W48"),  # Monday: the week that just ended
        (dt.datetime(2026, 12, 5, 9), "2026-W48"),  # Saturday: the last complete week
        (dt.datetime(2027, 1, 3, 18), "2026-W53"),  # across the ISO year
    ],
)
def test_a_digest_is_for_the_local_iso_week_that_is_ending(due_local, week):
    due = due_local.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")).astimezone(UTC)
    assert digest_period(due, "Europe/Berlin") == week
