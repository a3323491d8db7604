"""Standard questionnaires as data: PHQ-9, GAD-7, PHQ-2 and GAD-2, their scoring and trend.

Pfizer released the PHQ and GAD-7 without copyright restriction; the item texts below are the
official English ones (PHQ-2 and GAD-2 are the first two items of PHQ-9 and GAD-7). Every
cut-off lives in the instruments' data, once: scoring, the API and the PWA read it from here.

A band describes where a score falls ("score in the moderate range"). It is not a diagnosis,
and PHQ-9 item 9 is not a risk assessment: a positive answer only makes the product show crisis
resources to the person who answered, at once. Nobody else is alerted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from api.domain import crisis

#: Every item is answered on this 0-3 scale; the option's position is its score.
ANSWER_OPTIONS: tuple[str, ...] = (
    "Not at all",
    "Several days",
    "More than half the days",
    "Nearly every day",
)
ANSWER_MIN = 0
ANSWER_MAX = len(ANSWER_OPTIONS) - 1

#: The PHQ-9's functional-difficulty question: optional and not part of the score.
DIFFICULTY_QUESTION = (
    "If you checked off any problems, how difficult have these problems made it for you to do "
    "your work, take care of things at home, or get along with other people?"
)
DIFFICULTY_OPTIONS: tuple[str, ...] = (
    "Not difficult at all",
    "Somewhat difficult",
    "Very difficult",
    "Extremely difficult",
)

#: Stored on a response whose PHQ-9 item 9 (thoughts of being better off dead or of hurting
#: oneself) was answered above 0.
ITEM9_POSITIVE = "item9_positive"

PHQ_STEM = (
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)
GAD_STEM = "Over the last 2 weeks, how often have you been bothered by the following problems?"

PHQ9_ITEMS: tuple[str, ...] = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself \N{EM DASH} or that you are a failure or have let yourself or "
    "your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite "
    "\N{EM DASH} being so fidgety or restless that you have been moving around a lot more than "
    "usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)

GAD7_ITEMS: tuple[str, ...] = (
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid, as if something awful might happen",
)


@dataclass(frozen=True)
class Band:
    """A range of total scores, described neutrally."""

    key: str
    min_total: int
    max_total: int
    label: str


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    name: str
    stem: str
    items: tuple[str, ...]
    bands: tuple[Band, ...]
    #: 0-based index of the item whose positive answer shows crisis resources, if any.
    crisis_item: int | None = None
    difficulty_question: str | None = None
    #: The smallest change in total score, in points, that counts as reliable (beyond what
    #: measurement error alone produces). None: no published rule, so a change is not judged.
    reliable_change: int | None = None

    @property
    def crisis_note(self) -> str | None:
        """Who learns of a positive answer to the crisis item, in the product's one wording."""
        return crisis.ITEM9_WHO_SEES if self.crisis_item is not None else None

    @property
    def max_total(self) -> int:
        return len(self.items) * ANSWER_MAX

    def band_for(self, total: int) -> Band:
        """The band that contains `total`."""
        for band in self.bands:
            if band.min_total <= total <= band.max_total:
                return band
        raise ValueError(f"{self.id}: {total} is outside 0-{self.max_total}")

    def band(self, key: str) -> Band:
        return next(b for b in self.bands if b.key == key)


def _bands(max_total: int, lower_bounds: Sequence[tuple[int, str, str]]) -> tuple[Band, ...]:
    """Bands from their lower bounds, (min_total, key, label) in ascending order."""
    uppers = [low - 1 for low, _, _ in lower_bounds[1:]] + [max_total]
    return tuple(
        Band(key, low, high, label)
        for (low, key, label), high in zip(lower_bounds, uppers, strict=True)
    )


def _severity_bands(max_total: int, *lower_bounds: tuple[int, str]) -> tuple[Band, ...]:
    return _bands(
        max_total,
        [(low, name.replace(" ", "_"), f"score in the {name} range") for low, name in lower_bounds],
    )


def _screening_bands(max_total: int, cutoff: int) -> tuple[Band, ...]:
    return _bands(
        max_total,
        [
            (0, "screen_negative", f"score below the screening cut-off of {cutoff}"),
            (cutoff, "screen_positive", f"score at or above the screening cut-off of {cutoff}"),
        ],
    )


#: Kroenke, Spitzer & Williams 2001 (J Gen Intern Med 16:606): 5 / 10 / 15 / 20.
PHQ9 = Instrument(
    id="phq9",
    title="PHQ-9",
    name="Patient Health Questionnaire-9",
    stem=PHQ_STEM,
    items=PHQ9_ITEMS,
    bands=_severity_bands(
        27, (0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately severe"), (20, "severe")
    ),
    crisis_item=8,
    difficulty_question=DIFFICULTY_QUESTION,
    # Jacobson & Truax 1991 reliable change index for the PHQ-9: about 6 points (McMillan,
    # Gilbody & Richards 2010, J Affect Disord 127:122, doi 10.1016/j.jad.2010.04.030); NHS
    # Talking Therapies (IAPT) likewise counts a change of 6 or more as reliable.
    reliable_change=6,
)

#: Spitzer, Kroenke, Williams & Löwe 2006 (Arch Intern Med 166:1092): 5 / 10 / 15.
GAD7 = Instrument(
    id="gad7",
    title="GAD-7",
    name="Generalized Anxiety Disorder-7",
    stem=GAD_STEM,
    items=GAD7_ITEMS,
    bands=_severity_bands(21, (0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
    # Jacobson-Truax RCI for the GAD-7 = 5.59 points (Bischoff, Anderson, Heafner & Tambling
    # 2020, Psychol Community Health 8:176, doi 10.5964/pch.v8i1.309): a whole-point change must
    # be 6 or more to exceed it. NHS Talking Therapies uses 4, a service convention; we keep the
    # stricter figure so that "reliable" is never said of a change that measurement error explains.
    reliable_change=6,
)

#: Kroenke, Spitzer & Williams 2003 (Med Care 41:1284): >= 3 screens positive.
PHQ2 = Instrument(
    id="phq2",
    title="PHQ-2",
    name="Patient Health Questionnaire-2",
    stem=PHQ_STEM,
    items=PHQ9_ITEMS[:2],
    bands=_screening_bands(6, cutoff=3),
)

#: Kroenke, Spitzer, Williams, Monahan & Löwe 2007 (Ann Intern Med 146:317): >= 3 screens positive.
GAD2 = Instrument(
    id="gad2",
    title="GAD-2",
    name="Generalized Anxiety Disorder-2",
    stem=GAD_STEM,
    items=GAD7_ITEMS[:2],
    bands=_screening_bands(6, cutoff=3),
)

INSTRUMENTS: dict[str, Instrument] = {i.id: i for i in (PHQ9, GAD7, PHQ2, GAD2)}

for _instrument in INSTRUMENTS.values():
    assert _instrument.bands[-1].max_total == _instrument.max_total, _instrument.id


@dataclass(frozen=True)
class Score:
    total: int
    band: Band
    flags: tuple[str, ...]


def unanswered(instrument: Instrument, answers: Sequence[int | None]) -> list[int]:
    """The 1-based numbers of the questions without an answer: null, or past a short list."""
    count = len(instrument.items)
    return [i + 1 for i in range(count) if i >= len(answers) or answers[i] is None]


def crisis_answered(instrument: Instrument, answers: Sequence[int | None]) -> bool:
    """Was the crisis item answered above 0, in answers that may be incomplete or invalid?

    Said yes to any number above 0, valid or not: the crisis resources are shown whenever the
    person may have meant it.
    """
    i = instrument.crisis_item
    if i is None or i >= len(answers):
        return False
    answer = answers[i]
    return isinstance(answer, int | float) and not isinstance(answer, bool) and answer > 0


def answer_errors(instrument: Instrument, answers: Sequence[int | None]) -> list[str]:
    """What is wrong with `answers` for this instrument (nothing: an empty list)."""
    errors = []
    count = len(instrument.items)
    if len(answers) > count:
        errors.append(f"The {instrument.title} has {count} questions: send {count} answers.")
    if missing := unanswered(instrument, answers):
        errors.append(
            f"The {instrument.title} has {count} questions; not answered yet: "
            f"{_questions(missing)}."
        )
    for position, answer in enumerate(answers, start=1):
        if answer is None:
            continue
        if isinstance(answer, bool) or not isinstance(answer, int):
            errors.append(f"Answer {position} is not a whole number.")
        elif not ANSWER_MIN <= answer <= ANSWER_MAX:
            errors.append(f"Answer {position} must be between {ANSWER_MIN} and {ANSWER_MAX}.")
    return errors


def _questions(numbers: Sequence[int]) -> str:
    """ "question 9", "questions 2 and 9", "questions 1, 3 and 9"."""
    if len(numbers) == 1:
        return f"question {numbers[0]}"
    return "questions " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def score(instrument: Instrument, answers: Sequence[int]) -> Score:
    """The total (the sum of the answers), its band and flags; raises ValueError on bad answers."""
    errors = answer_errors(instrument, answers)
    if errors:
        raise ValueError(" ".join(errors))
    total = sum(answers)
    flags = []
    if instrument.crisis_item is not None and answers[instrument.crisis_item] > 0:
        flags.append(ITEM9_POSITIVE)
    return Score(total, instrument.band_for(total), tuple(flags))


@dataclass(frozen=True)
class Change:
    """How the last total compares with the first, in words that claim no more than is known."""

    change: int | None
    reliable: bool | None
    note: str


def describe_change(instrument: Instrument, totals: Sequence[int]) -> Change:
    """Compare the last of `totals` (oldest first) with the first."""
    if not totals:
        return Change(None, None, f"No {instrument.title} answers yet.")
    if len(totals) == 1:
        return Change(None, None, "One answer so far: there is nothing to compare it with yet.")
    change = totals[-1] - totals[0]
    if change == 0:
        moved = "The score is the same as at the first answer"
    else:
        points = "point" if abs(change) == 1 else "points"
        direction = "higher" if change > 0 else "lower"
        moved = f"The score is {abs(change)} {points} {direction} than at the first answer"
    if instrument.reliable_change is None:
        return Change(
            change,
            None,
            f"{moved}. The {instrument.title} is a short screener with no established rule "
            "for how large a change is more than the usual ups and downs.",
        )
    if abs(change) >= instrument.reliable_change:
        return Change(
            change,
            True,
            f"{moved}: more than the usual range of change on the {instrument.title} (a change "
            f"of {instrument.reliable_change} points or more counts as reliable).",
        )
    return Change(change, False, f"{moved}: within the usual range of change.")
