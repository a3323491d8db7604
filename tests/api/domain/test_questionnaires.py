import pytest

from api.domain import questionnaires as q


def answers(instrument: q.Instrument, total: int) -> list[int]:
    """Answers summing to `total`, filled from the first item; the crisis item last of all."""
    result = [0] * len(instrument.items)
    last = [] if instrument.crisis_item is None else [instrument.crisis_item]
    for index in [i for i in range(len(result)) if i not in last] + last:
        result[index] = min(q.ANSWER_MAX, total - sum(result))
    assert sum(result) == total
    return result


@pytest.mark.parametrize(
    ("instrument", "items", "max_total"),
    [(q.PHQ9, 9, 27), (q.GAD7, 7, 21), (q.PHQ2, 2, 6), (q.GAD2, 2, 6)],
)
def test_item_counts_and_bounds(instrument, items, max_total):
    assert len(instrument.items) == items
    assert instrument.max_total == max_total
    assert q.score(instrument, [0] * items).total == 0
    assert q.score(instrument, [3] * items).total == max_total


def test_scoring_is_the_sum_of_the_answers():
    assert q.score(q.PHQ9, [0, 1, 2, 3, 0, 1, 2, 3, 0]).total == 12
    assert q.score(q.GAD7, [3, 2, 1, 0, 1, 2, 3]).total == 12
    assert q.score(q.PHQ2, [1, 2]).total == 3
    assert q.score(q.GAD2, [0, 2]).total == 2


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(total, band):
    assert q.score(q.PHQ9, answers(q.PHQ9, total)).band.key == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(total, band):
    assert q.score(q.GAD7, answers(q.GAD7, total)).band.key == band


@pytest.mark.parametrize("instrument", [q.PHQ2, q.GAD2])
@pytest.mark.parametrize(
    ("given", "band"),
    [
        ([0, 0], "screen_negative"),
        ([1, 1], "screen_negative"),
        ([2, 0], "screen_negative"),
        ([1, 2], "screen_positive"),
        ([3, 0], "screen_positive"),
        ([3, 3], "screen_positive"),
    ],
)
def test_two_item_screeners_are_positive_from_exactly_3(instrument, given, band):
    assert q.score(instrument, given).band.key == band


def test_bands_cover_every_total_once_without_gaps():
    for instrument in q.INSTRUMENTS.values():
        covered = [t for b in instrument.bands for t in range(b.min_total, b.max_total + 1)]
        assert covered == list(range(instrument.max_total + 1)), instrument.id


def test_band_labels_describe_a_score_range_never_a_diagnosis():
    for instrument in q.INSTRUMENTS.values():
        for band in instrument.bands:
            assert band.label.startswith("score ")
            for word in ("depression", "anxiety", "disorder", "diagnos"):
                assert word not in band.label.lower()
    assert q.PHQ9.band("moderate").label == "score in the moderate range"


def test_short_forms_are_the_first_two_items_of_the_long_ones():
    assert q.PHQ2.items == q.PHQ9.items[:2]
    assert q.GAD2.items == q.GAD7.items[:2]
    assert q.PHQ9.stem == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert q.ANSWER_OPTIONS == (
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    )
    assert "better off dead" in q.PHQ9.items[8]
    assert q.PHQ9.difficulty_question and q.GAD7.difficulty_question is None


def test_item9_above_0_flags_the_response():
    assert q.score(q.PHQ9, [0] * 8 + [1]).flags == (q.ITEM9_POSITIVE,)
    assert q.score(q.PHQ9, [0] * 8 + [3]).flags == (q.ITEM9_POSITIVE,)
    assert q.score(q.PHQ9, [3] * 8 + [0]).flags == ()
    assert q.score(q.GAD7, [3] * 7).flags == ()
    assert q.score(q.PHQ2, [3, 3]).flags == ()


@pytest.mark.parametrize(
    "given",
    [[0] * 8, [0] * 10, [], [0] * 8 + [4], [0] * 8 + [-1], [0] * 8 + [True], [0] * 8 + [1.0]],
)
def test_bad_answers_are_refused(given):
    assert q.answer_errors(q.PHQ9, given)
    with pytest.raises(ValueError):
        q.score(q.PHQ9, given)


def test_answer_errors_name_the_item_count():
    assert q.answer_errors(q.GAD7, [0] * 8) == ["The GAD-7 has 7 questions: send 7 answers."]


def test_answer_errors_name_the_questions_past_a_short_list():
    assert q.answer_errors(q.GAD7, [0] * 5) == [
        "The GAD-7 has 7 questions; not answered yet: questions 6 and 7."
    ]


def test_answer_errors_name_each_question_left_null():
    assert q.answer_errors(q.PHQ9, [0, None, 0, 0, None, 0, 0, 0, None]) == [
        "The PHQ-9 has 9 questions; not answered yet: questions 2, 5 and 9."
    ]


def test_unanswered_counts_from_one():
    assert q.unanswered(q.PHQ2, [None]) == [1, 2]
    assert q.unanswered(q.PHQ2, [0, 3]) == []


@pytest.mark.parametrize(
    ("answers", "positive"),
    [
        ([None] * 8 + [1], True),
        ([0] * 8 + [3], True),
        ([0] * 8 + [7], True),  # out of range, yet perhaps meant: shown all the same
        ([0] * 8 + [0], False),
        ([0] * 8 + [None], False),
        ([0] * 8 + [True], False),
        ([0] * 8 + ["2"], False),
        ([1] * 8, False),
    ],
)
def test_crisis_answered_reads_item_9_of_any_answers(answers, positive):
    assert q.crisis_answered(q.PHQ9, answers) is positive


def test_only_the_phq9_has_a_crisis_item():
    assert not q.crisis_answered(q.GAD7, [3] * 7)


@pytest.mark.parametrize(
    ("totals", "change", "reliable", "phrase"),
    [
        ([], None, None, "No PHQ-9 answers yet"),
        ([12], None, None, "nothing to compare"),
        ([12, 12], 0, False, "the same as at the first answer: within the usual range"),
        ([18, 13], -5, False, "5 points lower than at the first answer: within the usual range"),
        ([12, 18, 11], -1, False, "1 point lower"),
        ([18, 12], -6, True, "6 points lower than at the first answer: more than the usual"),
        ([4, 14], 10, True, "10 points higher"),
    ],
)
def test_phq9_change_is_reliable_only_from_6_points(totals, change, reliable, phrase):
    described = q.describe_change(q.PHQ9, totals)
    assert (described.change, described.reliable) == (change, reliable)
    assert phrase in described.note


def test_gad7_change_of_5_is_within_the_usual_range():
    assert q.describe_change(q.GAD7, [15, 10]).reliable is False
    assert q.describe_change(q.GAD7, [15, 9]).reliable is True


def test_screeners_make_no_reliability_claim():
    described = q.describe_change(q.PHQ2, [6, 0])
    assert described.change == -6 and described.reliable is None
    assert "no established rule" in described.note
