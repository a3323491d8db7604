import copy
import re
from datetime import date, timedelta

import pytest

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
from api.insights.text import (
    BE_GENTLE,
    MAX_HIGHLIGHTS,
    MUCH_LIKE_RECENT,
    NO_CHECKINS,
    NO_CHECKINS_HEADLINE,
    NOT_ENOUGH_HISTORY_TEXT,
    RELIABLE_NOTE,
    render_summary,
    render_text,
)

WEEK = "2026-W47"
MONDAY = date(2026, 11, 16)
LEVELS = ("mood_mean", "self_energy_mean", "attachment_anxiety", "attachment_avoidance")
SPREADS = ("mood_variability", "mood_instability")
CLINICAL = (
    "depress",
    "disorder",
    "symptom",
    "diagnos",
    "unstable",
    "instability",
    "variability",
    "anxious",
    "avoidant",
    "patholog",
    "improved",
    "worse",
    "better",
    "fail",
    "should",
)


def day(i: int) -> date:
    return MONDAY + timedelta(days=i)


def full_week(days: int = 7) -> list[dict]:
    moods = [3, 7, 4, 6, 5, 8, 2]
    return [
        {
            "local_date": day(i),
            "mood": moods[i],
            "self_energy": {"calm": 7, "curiosity": 6, "courage": 3},
            "parts": [{"part": "critic", "intensity": 6, "blended": i % 2 == 0}],
            "regulation": {"strategies": ["reaching_out"], "success": 6, "minutes_to_settle": 15},
            "attachment": {"anxiety": 4, "avoidance": 2, "reached_out": True},
        }
        for i in range(days)
    ]


def history(weeks: int = 4) -> list[dict]:
    """Earlier weeks of 5 days each, with some spread in every weekly value."""
    out = []
    for w in range(1, weeks + 1):
        for i in range(5):
            out.append(
                {
                    "local_date": MONDAY - timedelta(weeks=w) + timedelta(days=i),
                    "mood": (w + i * 3) % 9,
                    "self_energy": {"calm": w + 2},
                    "attachment": {"anxiety": w, "avoidance": 6 - w},
                }
            )
    return out


def with_verdicts(digest: dict, levels: str, spreads: str) -> dict:
    digest = copy.deepcopy(digest)
    for name, comparison in digest["comparisons"].items():
        for key in ("last_week", "last_4_weeks"):
            comparison[key]["verdict"] = spreads if name in SPREADS else levels
    return digest


def words(digest: dict, part_names=None) -> str:
    return render_text(digest, part_names).lower()


@pytest.fixture
def digest() -> dict:
    return build_digest(WEEK, full_week(), history(), new_part_ids=["exile-1"])


def test_about_the_same_never_claims_a_change(digest):
    text = words(with_verdicts(digest, ABOUT_THE_SAME, ABOUT_THE_SAME))
    assert "about the same" in text
    for claim in ("steadier", "more changeable", "improved", "higher", "lower"):
        assert claim not in text
    assert RELIABLE_NOTE.lower() not in text


def test_not_enough_history_says_so(digest):
    text = words(with_verdicts(digest, NOT_ENOUGH_HISTORY, NOT_ENOUGH_HISTORY))
    assert "not yet enough history" in text
    for claim in ("steadier", "more changeable", "higher", "lower", "about the same"):
        assert claim not in text


def test_a_new_client_is_told_there_is_not_enough_history():
    summary = render_summary(build_digest(WEEK, full_week(), history(weeks=3)))
    assert NOT_ENOUGH_HISTORY_TEXT in summary["paragraph"]


def test_a_reliable_change_is_named_with_what_it_means(digest):
    text = words(with_verdicts(digest, HIGHER, STEADIER))
    assert "compared with last week and with your last 4 weeks, your mood was higher." in text
    assert "your mood was steadier, both around its average and from day to day" in text
    assert RELIABLE_NOTE.lower() in text


def test_two_different_verdicts_are_each_stated(digest):
    digest = with_verdicts(digest, ABOUT_THE_SAME, ABOUT_THE_SAME)
    digest["comparisons"]["mood_mean"]["last_4_weeks"]["verdict"] = HIGHER
    paragraph = render_summary(digest)["paragraph"]
    assert (
        "Compared with last week, your mood was about the same; compared with your last 4 "
        "weeks, your mood was higher." in paragraph
    )


def test_a_lower_mood_is_met_gently(digest):
    paragraph = render_summary(with_verdicts(digest, LOWER, MORE_CHANGEABLE))["paragraph"]
    assert "your mood was lower" in paragraph
    assert BE_GENTLE in paragraph


def test_a_higher_mood_needs_no_comfort(digest):
    assert BE_GENTLE not in render_summary(with_verdicts(digest, HIGHER, STEADIER))["paragraph"]


@pytest.mark.parametrize(
    ("levels", "spreads"),
    [
        (HIGHER, STEADIER),
        (LOWER, MORE_CHANGEABLE),
        (ABOUT_THE_SAME, ABOUT_THE_SAME),
        (NOT_ENOUGH_HISTORY, NOT_ENOUGH_HISTORY),
    ],
)
def test_no_clinical_labels_or_blame(digest, levels, spreads):
    text = words(with_verdicts(digest, levels, spreads), {"critic": "the Critic"})
    for word in CLINICAL:
        assert word not in text


def test_little_data_says_less():
    summary = render_summary(build_digest(WEEK, full_week(days=2)))
    assert summary["paragraph"].startswith(
        "You checked in on 2 days this week — a few more days would let the journal show patterns."
    )
    text = render_text(build_digest(WEEK, full_week(days=2)))
    assert "likely between" not in text
    assert "moved about" not in text
    assert "day-to-day change" not in text


def test_a_withheld_spread_is_said_plainly_with_why():
    text = render_text(build_digest(WEEK, full_week(days=4)))
    assert (
        "How much your mood moved around its average is shown from 5 days with a mood rating; "
        "this week had 4." in text
    )
    assert (
        "How your mood changed from one day to the next is shown from 4 pairs of back-to-back "
        "days with a mood rating; this week had 3." in text
    )


def test_a_spread_shown_but_not_yet_comparable_says_why():
    # mood on one day of each of 5 earlier weeks: its level is compared, its spread cannot be
    # (an earlier week needs 5 days for one, 4 pairs of back-to-back days for the other)
    earlier = [{"local_date": MONDAY - timedelta(weeks=w), "mood": 3 + w % 3} for w in range(1, 6)]
    text = render_text(build_digest(WEEK, full_week(), earlier))
    assert "Your mood moved about 2.2 points around its average." in text
    assert (
        "How much your mood moved around its average is compared with earlier weeks once 4 of "
        "them had 5 days with a mood rating; so far none have." in text
    )
    assert "How it changed from one day to the next is compared with earlier weeks" in text


def test_levels_not_yet_comparable_say_why_in_their_own_bullet():
    text = render_text(build_digest(WEEK, full_week(), history(weeks=2)))
    assert NOT_ENOUGH_HISTORY_TEXT in text
    assert (
        "Self-energy is compared with earlier weeks once 4 of them had Self-energy ratings; so "
        "far 2 have." in text
    )
    assert (
        "Worry about closeness and pulling away are compared with earlier weeks once 4 of them "
        "had these ratings; so far 2 have." in text
    )
    # the mood's own spread: said once, in the paragraph, not again in the bullet
    assert "moved around its average is compared" not in text


def test_comparable_levels_say_nothing_of_history(digest):
    text = render_text(digest)
    assert "compared with earlier weeks once" not in text


def test_one_day_is_singular():
    paragraph = render_summary(build_digest(WEEK, full_week(days=1)))["paragraph"]
    assert "You checked in on 1 day this week" in paragraph
    assert "On the day you rated your mood, it was 3.0 out of 10." in paragraph


def test_no_checkins_says_only_that():
    summary = render_summary(build_digest(WEEK, []))
    assert summary == {
        "headline": NO_CHECKINS_HEADLINE,
        "highlights": [],
        "paragraph": NO_CHECKINS,
        "bullets": [],
    }


def test_the_observed_range_is_given_below_five_days():
    # moods 3, 7, 4, 6: mean 5.0, between 3.0 and 7.0
    paragraph = render_summary(build_digest(WEEK, full_week(days=4)))["paragraph"]
    assert "Your mood averaged 5.0 out of 10, between 3.0 and 7.0 on the 4 days" in paragraph


def test_the_95_interval_is_given_from_five_days(digest):
    # moods 3,7,4,6,5,8,2: mean 35/7 = 5.0; SD sqrt(28/6) = 2.1602; half t(6) * SD / sqrt(7)
    # = 2.446912 * 0.8165 = 1.9979 -> between 3.0 and 7.0
    paragraph = render_summary(digest)["paragraph"]
    assert "Your mood averaged 5.0 out of 10" in paragraph
    assert "likely between 3.0 and 7.0" in paragraph


def test_numbers_are_rounded_to_one_decimal(digest):
    for number in re.findall(r"\d+\.\d+", render_text(digest)):
        assert len(number.split(".")[1]) == 1


def test_the_spread_of_a_full_week_is_described(digest):
    # differences 4,-3,2,-1,3,-6: 4 of 6 changes (4, 3, 3, 6) are 3 points or more
    text = render_text(digest)
    assert "Your mood moved about 2.2 points around its average." in text
    assert "4 of 6 day-to-day changes were 3 points or more." in text


def test_self_energy_names_the_strongest_and_quietest_c(digest):
    assert (
        "Self-energy (the 8 Cs) averaged 5.3 out of 10. Calm was strongest, and courage was "
        "quieter." in render_text(digest)
    )


def test_parts_are_named_when_names_are_given(digest):
    # blended on days 0, 2, 4, 6: 4 of 7
    text = render_text(digest, {"critic": "the Critic"})
    assert (
        "The part you call “the Critic” showed up on 7 days (last week: 0 days); you felt "
        "blended with it 4 times out of 7 noted." in text
    )


def test_a_part_is_compared_with_last_week_in_days():
    this_week = [{"local_date": day(i), "parts": [{"part": "critic"}]} for i in range(2)]
    last_week = [
        {"local_date": day(i) - timedelta(weeks=1), "parts": [{"part": "critic"}]} for i in range(5)
    ]
    text = render_text(build_digest(WEEK, this_week, last_week), {"critic": "the Critic"})
    assert "“the Critic” showed up on 2 days (last week: 5 days)." in text


def test_without_checkins_last_week_no_part_is_said_to_have_been_absent(digest):
    alone = build_digest(WEEK, full_week(), [])
    assert "last week:" not in render_text(alone)


def test_parts_stay_unnamed_without_names(digest):
    text = render_text(digest)
    assert "Your most active part showed up on 7 days" in text
    assert "critic" not in text


def test_new_parts_are_counted(digest):
    assert "You named 1 new part this week." in render_text(digest)


def test_regulation_lists_what_helped_in_plain_words(digest):
    text = render_text(digest)
    assert "You noted 7 hard moments." in text
    assert "You used reaching out 7 times; on average it helped 6.0 out of 10." in text
    assert "helped most" not in text  # a strategy that stands alone is not "the best"


def _episodes(*episodes: tuple[list[str], int]) -> list[dict]:
    return [
        {"local_date": day(i), "regulation": {"strategies": strategies, "success": success}}
        for i, (strategies, success) in enumerate(episodes)
    ]


def test_the_strategy_that_helped_most_is_named_only_when_it_did():
    week = _episodes(
        (["breathing"], 8), (["breathing"], 6), (["rumination"], 3), (["rumination"], 4)
    )
    assert (
        "Of what you used more than once, breathing (7.0 out of 10 on average, 2 times) helped "
        "most, then rumination (3.5 out of 10 on average, 2 times)."
        in render_text(build_digest(WEEK, week))
    )
    tied = _episodes((["breathing"], 6), (["breathing"], 6), (["grounding"], 6), (["grounding"], 6))
    text = render_text(build_digest(WEEK, tied))
    assert "helped most" not in text
    assert "how much each helped: breathing (6.0 out of 10 on average, 2 times) and" in text


def test_a_steady_spread_is_called_about_as_steady(digest):
    text = render_text(with_verdicts(digest, ABOUT_THE_SAME, ABOUT_THE_SAME))
    assert "your mood was about as steady, both around its average and from day to day." in text
    assert "about the same, both around" not in text


def test_self_energy_and_attachment_levels_come_with_their_range():
    week = [
        {
            "local_date": day(i),
            "self_energy": {"calm": 4 + i, "courage": 2 + i},
            "attachment": {"anxiety": i, "avoidance": 3},
        }
        for i in range(5)
    ]
    text = render_text(build_digest(WEEK, week))
    assert (
        "Self-energy (the 8 Cs) averaged 5.0 out of 10 (for the week, likely between 3.0 and 7.0)."
        in text
    )
    assert (
        "Worry about closeness averaged 2.0 out of 10 (for the week, likely between 0.0 and 4.0)."
        in text
    )
    assert "Pulling away averaged 3.0 out of 10." in text  # every day alike: nothing to range over
    two_days = render_text(build_digest(WEEK, week[:2]))
    assert "averaged 3.5 out of 10 (between 3.0 and 4.0 on the 2 days you rated it)" in two_days
    one_day = render_text(build_digest(WEEK, week[:1]))
    assert "Self-energy (the 8 Cs) was 3.0 out of 10 on the day you rated it." in one_day
    assert "Worry about closeness was 0.0 out of 10 on the day you noted it." in one_day


def test_attachment_is_described_in_plain_words(digest):
    text = render_text(digest)
    assert "Worry about closeness averaged 4.0 out of 10." in text
    assert "Pulling away averaged 2.0 out of 10." in text
    assert "You reached out 7 times out of 7 noted." in text


def test_a_single_episode_is_not_called_an_average():
    checkins = full_week(days=1)
    text = render_text(build_digest(WEEK, checkins))
    assert "What you tried helped 6.0 out of 10. Settling took 15 minutes." in text
    assert "median" not in text and "On average" not in text


def test_the_days_without_a_hard_moment_are_said_with_the_episodes():
    checkins = full_week(days=2) + [
        {"local_date": day(i), "mood": 5, "regulation": {"occurred": False}} for i in (2, 3, 4)
    ]
    text = render_text(build_digest(WEEK, checkins))
    assert "You noted 2 hard moments. On 3 days you said there was no hard moment." in text


def test_a_week_that_said_only_no_says_so():
    checkins = [{"local_date": day(0), "mood": 5, "regulation": {"occurred": False}}]
    text = render_text(build_digest(WEEK, checkins))
    assert "On 1 day you said there was no hard moment." in text
    assert "You noted" not in text


def test_regulation_without_episodes_is_not_mentioned():
    checkins = [{**c, "regulation": None} for c in full_week()]
    assert "hard moment" not in render_text(build_digest(WEEK, checkins))


def test_render_text_puts_each_bullet_on_its_own_line(digest):
    summary = render_summary(digest)
    lines = render_text(digest).split("\n")
    assert lines[0] == summary["paragraph"]
    assert lines[2:] == [f"• {b}" for b in summary["bullets"]]


# --- the headline and highlights -------------------------------------------------------------


def _only(digest: dict, name: str, key: str, verdict: str) -> dict:
    """Every comparison about the same, except one."""
    digest = with_verdicts(digest, ABOUT_THE_SAME, ABOUT_THE_SAME)
    digest["comparisons"][name][key]["verdict"] = verdict
    return digest


def _bare(digest: dict) -> dict:
    """The digest without parts, strategies or Self-energy: only comparisons to highlight."""
    digest = copy.deepcopy(digest)
    digest["parts"]["most_active"] = []
    digest["regulation"]["best_strategies"] = []
    digest["self_energy"]["mean"] = None
    return digest


def test_the_headline_names_a_reliable_change(digest):
    headline = render_summary(_only(digest, "mood_mean", "last_4_weeks", HIGHER))["headline"]
    assert headline == "Your mood was higher than in your recent weeks."


def test_a_change_found_against_last_week_only_is_said_of_last_week(digest):
    headline = render_summary(_only(digest, "self_energy_mean", "last_week", LOWER))["headline"]
    assert headline == "Your Self-energy was lower than last week."


def test_a_change_found_against_both_says_both(digest):
    headline = render_summary(with_verdicts(digest, HIGHER, ABOUT_THE_SAME))["headline"]
    assert headline == "Your mood was higher than last week and than in your recent weeks."


def test_both_spreads_changed_alike_share_one_sentence(digest):
    summary = render_summary(_bare(with_verdicts(digest, ABOUT_THE_SAME, STEADIER)))
    assert summary["headline"] == (
        "Your mood was steadier than last week and than in your recent weeks, both around its "
        "average and from day to day."
    )


def test_a_week_without_a_change_is_much_like_recent_ones(digest):
    summary = render_summary(with_verdicts(digest, ABOUT_THE_SAME, ABOUT_THE_SAME))
    assert summary["headline"] == MUCH_LIKE_RECENT
    assert not any("about the same" in h for h in summary["highlights"])


def test_too_little_history_gives_the_days_not_a_comparison(digest):
    summary = render_summary(with_verdicts(digest, NOT_ENOUGH_HISTORY, NOT_ENOUGH_HISTORY))
    assert summary["headline"] == "Too few recent weeks to compare yet: 7 check-in days."


def test_a_week_without_a_mood_and_without_a_change_says_the_days(digest):
    digest = with_verdicts(digest, ABOUT_THE_SAME, ABOUT_THE_SAME)
    for key in ("last_week", "last_4_weeks"):
        digest["comparisons"]["mood_mean"][key]["verdict"] = NO_DATA
    assert render_summary(digest)["headline"] == "You checked in on 7 days this week."


def test_each_further_change_is_its_own_highlight(digest):
    digest = _only(digest, "mood_mean", "last_4_weeks", HIGHER)
    digest["comparisons"]["attachment_avoidance"]["last_week"]["verdict"] = LOWER
    highlights = render_summary(_bare(digest))["highlights"]
    assert highlights[0] == "Pulling away was lower than last week."


def test_the_levels_about_the_same_are_said_once_in_one_phrase(digest):
    digest = _only(digest, "mood_mean", "last_4_weeks", HIGHER)
    assert render_summary(_bare(digest))["highlights"] == [
        "Self-energy, worry about closeness and pulling away were about the same as in your "
        "recent weeks."
    ]


def test_the_most_active_part_comes_with_its_days(digest):
    highlights = render_summary(digest, {"critic": "the Critic"})["highlights"]
    assert highlights[0] == "The part you call “the Critic” was the most active, on 7 days."


def test_a_part_tied_with_another_is_not_called_the_most_active():
    week = [
        {"local_date": day(i), "parts": [{"part": "critic"}, {"part": "child"}]} for i in (0, 1)
    ]
    names = {"critic": "the Critic", "child": "the Child"}
    highlights = render_summary(build_digest(WEEK, week), names)["highlights"]
    assert "The part you call “the Child” showed up on 2 days." in highlights
    assert not any("most active" in h for h in highlights)


def test_what_helped_most_is_highlighted_only_when_it_did():
    week = _episodes(
        (["breathing"], 8), (["breathing"], 6), (["rumination"], 3), (["rumination"], 4)
    )
    assert (
        "Of what you used more than once, breathing helped most: 7.0 out of 10 on average."
        in render_summary(build_digest(WEEK, week))["highlights"]
    )
    tied = _episodes((["breathing"], 6), (["breathing"], 6), (["grounding"], 6), (["grounding"], 6))
    highlights = render_summary(build_digest(WEEK, tied))["highlights"]
    assert "Breathing and grounding helped about equally: 6.0 out of 10 on average." in highlights


def test_strategies_only_ever_used_together_are_not_ranked_against_each_other():
    week = _episodes(
        (["breathing", "grounding"], 8),
        (["breathing", "grounding"], 6),
        (["rumination"], 3),
        (["rumination"], 4),
    )
    summary = render_summary(build_digest(WEEK, week))
    text = render_text(build_digest(WEEK, week))
    assert (
        "Of what you used more than once, breathing and grounding together (7.0 out of 10 on "
        "average, 2 times) helped most, then rumination (3.5 out of 10 on average, 2 times). "
        "Each time you rated how it went, you used breathing and grounding together, so the "
        "journal cannot tell which of them helped." in text
    )
    assert "breathing and grounding helped about equally" not in text.lower()
    assert (
        "Of what you used more than once, breathing and grounding together helped most: 7.0 out "
        "of 10 on average." in summary["highlights"]
    )


def test_strategies_used_only_together_and_alone_in_the_week_are_one_line():
    week = _episodes((["breathing", "grounding"], 6), (["breathing", "grounding"], 6))
    text = render_text(build_digest(WEEK, week))
    assert (
        "You used breathing and grounding together 2 times; on average they helped 6.0 out of "
        "10. Each time you rated how it went, you used breathing and grounding together" in text
    )
    assert "how much each helped" not in text and "about equally" not in text


def test_a_strategy_used_once_is_not_highlighted():
    week = _episodes((["breathing"], 8), (["grounding"], 6))
    assert not any("helped" in h for h in render_summary(build_digest(WEEK, week))["highlights"])


def test_self_energy_is_highlighted_with_its_range():
    week = [{"local_date": day(i), "self_energy": {"calm": 4 + i}} for i in range(3)]
    assert render_summary(build_digest(WEEK, week))["highlights"] == [
        "Self-energy averaged 5.0 out of 10 (between 4.0 and 6.0 on the 3 days you rated it)."
    ]


def test_there_are_at_most_three_highlights(digest):
    highlights = render_summary(with_verdicts(digest, HIGHER, STEADIER))["highlights"]
    assert len(highlights) == MAX_HIGHLIGHTS
