"""Properties that must hold for any data, checked with hypothesis."""

import json
import math
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from api.domain.scales import SCALE_MAX, SCALE_MIN, SELF_ENERGY_CS
from api.insights.change import (
    ABOUT_THE_SAME,
    HIGHER,
    LOWER,
    MORE_CHANGEABLE,
    NO_DATA,
    NOT_ENOUGH_HISTORY,
    STEADIER,
)
from api.insights.digest import build_digest
from api.insights.stats import (
    MIN_CONSECUTIVE_PAIRS,
    consecutive_differences,
    inertia,
    max_sd,
    mean,
    pac,
    relative_sd,
    rmssd,
    sd,
)
from api.insights.text import MAX_HIGHLIGHTS, MUCH_LIKE_RECENT, render_summary, render_text
from api.insights.weeks import week_key, week_range
from tests.support.examples import examples

D0 = date(2026, 1, 5)
ratings = st.integers(SCALE_MIN, SCALE_MAX)
scale_values = st.floats(SCALE_MIN, SCALE_MAX, allow_nan=False) | ratings
series = st.dictionaries(
    st.integers(0, 80).map(lambda i: D0 + timedelta(days=i)), scale_values, max_size=70
)


@given(series, st.floats(-50, 50, allow_nan=False))
def test_rmssd_is_unchanged_by_a_constant_shift(s, shift):
    shifted = {d: v + shift for d, v in s.items()}
    before, after = rmssd(s), rmssd(shifted)
    assert (before is None) == (after is None)
    if before is not None:
        assert math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-9)


@given(series)
def test_relative_sd_is_within_zero_and_one(s):
    r = relative_sd(s)
    assert r is None or 0.0 <= r <= 1.0


@given(series)
def test_sd_never_exceeds_the_largest_possible_sd(s):
    value = sd(s)
    if value is not None:
        m = min(max(mean(s), SCALE_MIN), SCALE_MAX)
        assert value <= max_sd(m, len(s)) + 1e-9


@given(st.integers(2, 60), st.floats(SCALE_MIN, SCALE_MAX, allow_nan=False))
def test_max_sd_is_reached_and_never_above_the_closed_form(n, m):
    # the extreme configuration: k values at the top, one in between, the rest at the bottom
    k = math.floor(n * (m - SCALE_MIN) / (SCALE_MAX - SCALE_MIN))
    if k == n:
        k = n - 1
    r = n * m - k * SCALE_MAX - (n - k - 1) * SCALE_MIN
    values = [SCALE_MAX] * k + [r] + [SCALE_MIN] * (n - k - 1)
    spread = math.sqrt(sum((x - m) ** 2 for x in values) / (n - 1))
    closed_form = math.sqrt((m - SCALE_MIN) * (SCALE_MAX - m) * n / (n - 1))
    assert math.isclose(max_sd(m, n), spread, rel_tol=1e-6, abs_tol=1e-6)
    assert max_sd(m, n) <= closed_form + 1e-9


@given(series)
def test_instability_and_acute_change_share_the_pair_rule(s):
    enough = len(consecutive_differences(s)) >= MIN_CONSECUTIVE_PAIRS
    assert (rmssd(s) is not None) == enough
    assert (pac(s) is not None) == enough
    share = pac(s)
    assert share is None or 0.0 <= share <= 1.0


@given(series)
def test_inertia_is_a_correlation(s):
    r = inertia(s)
    assert r is None or -1.0 <= r <= 1.0


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)))
def test_a_dates_week_contains_it(d):
    monday, sunday = week_range(week_key(d))
    assert monday <= d <= sunday
    assert monday.weekday() == 0 and (sunday - monday).days == 6


checkin = st.fixed_dictionaries(
    {"local_date": st.integers(-70, 6).map(lambda i: date(2026, 11, 16) + timedelta(days=i))},
    optional={
        "mood": st.none() | ratings,
        "energy": st.none() | ratings,
        "self_energy": st.none()
        | st.dictionaries(st.sampled_from(SELF_ENERGY_CS), st.none() | ratings),
        "parts": st.lists(
            st.fixed_dictionaries(
                {"part": st.sampled_from(["a", "b", "c", "d"])},
                optional={"intensity": st.none() | ratings, "blended": st.none() | st.booleans()},
            ),
            max_size=3,
        ),
        "regulation": st.none()
        | st.fixed_dictionaries(
            {},
            optional={
                "occurred": st.none() | st.booleans(),
                "strategies": st.lists(st.sampled_from(["breathing", "reaching_out"])),
                "success": st.none() | ratings,
                "minutes_to_settle": st.none() | st.integers(0, 1440),
                "peak_intensity": st.none() | ratings,
            },
        ),
        "attachment": st.none()
        | st.fixed_dictionaries(
            {},
            optional={
                "anxiety": st.none() | ratings,
                "avoidance": st.none() | ratings,
                "reached_out": st.none() | st.booleans(),
                "felt_supported": st.none() | st.booleans(),
            },
        ),
    },
)


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(checkin, max_size=60))
def test_any_digest_is_json_and_its_text_claims_only_found_changes(checkins):
    digest = build_digest("2026-W47", checkins, checkins)
    json.dumps(digest, allow_nan=False)
    text = render_text(digest)
    verdicts = {
        c[key]["verdict"]
        for c in digest["comparisons"].values()
        for key in ("last_week", "last_4_weeks")
    }
    for verdict, words in (
        (HIGHER, "higher"),
        (LOWER, "lower"),
        (STEADIER, "steadier"),
        (MORE_CHANGEABLE, "more changeable"),
    ):
        if verdict not in verdicts:
            assert words not in text
    assert "nan" not in text.lower().split()


CHANGE_WORDS = (
    (HIGHER, "higher"),
    (LOWER, "lower"),
    (STEADIER, "steadier"),
    (MORE_CHANGEABLE, "more changeable"),
)
REFERENCES = ("last_week", "last_4_weeks")
VERDICTS = (HIGHER, LOWER, STEADIER, MORE_CHANGEABLE, ABOUT_THE_SAME, NOT_ENOUGH_HISTORY, NO_DATA)


@st.composite
def digests(draw):
    """A digest from generated check-ins, its verdicts sometimes replaced by any others, so that
    every mix of changes, "about the same" and missing history is met."""
    checkins = draw(st.lists(checkin, max_size=40))
    digest = build_digest("2026-W47", checkins, checkins)
    if draw(st.booleans()):
        for comparison in digest["comparisons"].values():
            for key in REFERENCES:
                comparison[key]["verdict"] = draw(st.sampled_from(VERDICTS))
    return digest


def _verdicts_of(digest: dict) -> set[str]:
    return {c[key]["verdict"] for c in digest["comparisons"].values() for key in REFERENCES}


def _opening(digest: dict) -> tuple[str, list[str]]:
    summary = render_summary(digest)
    return summary["headline"], summary["highlights"]


@settings(max_examples=examples(300), deadline=None)
@given(digests())
def test_the_headline_is_one_sentence(digest):
    headline, _ = _opening(digest)
    assert headline.endswith(".") and headline[0].isupper()
    assert not any(stop in headline[:-1] for stop in (". ", "! ", "? ", "\n"))


@settings(max_examples=examples(300), deadline=None)
@given(digests())
def test_there_are_at_most_three_highlights(digest):
    assert len(_opening(digest)[1]) <= MAX_HIGHLIGHTS


@settings(max_examples=examples(300), deadline=None)
@given(digests())
def test_about_the_same_is_said_at_most_once_in_headline_and_highlights(digest):
    headline, highlights = _opening(digest)
    assert " ".join([headline, *highlights]).lower().count("about the same") <= 1


@settings(max_examples=examples(300), deadline=None)
@given(digests())
def test_the_headline_and_highlights_name_only_changes_the_rule_found(digest):
    headline, highlights = _opening(digest)
    verdicts = _verdicts_of(digest)
    opening = " ".join([headline, *highlights]).lower()
    for verdict, words in CHANGE_WORDS:
        if verdict not in verdicts:
            assert words not in opening


@settings(max_examples=examples(300), deadline=None)
@given(digests())
def test_a_week_is_called_much_like_recent_ones_only_when_judged_without_a_change(digest):
    headline, _ = _opening(digest)
    if headline == MUCH_LIKE_RECENT:
        assert not _verdicts_of(digest) & {verdict for verdict, _ in CHANGE_WORDS}
        mood = digest["comparisons"]["mood_mean"]
        assert ABOUT_THE_SAME in {mood[key]["verdict"] for key in REFERENCES}
