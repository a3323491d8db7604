"""The weekly digest in plain language, from templates: a headline, up to three highlights, a
short paragraph and bullet lines.

Every sentence is read off the digest dict and must be true for its numbers: with little data
the text says less; a change is named only when the reliable-change rule found one; no clinical
labels, no diagnosis, no blame. Numbers are rounded to one decimal, counts are whole.

The headline and highlights are read first, so they say the most telling facts once: each
reliable change, then the most active part, what helped, and Self-energy's level; "about the
same" at most once between them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from api.domain.scales import ACUTE_CHANGE_THRESHOLD
from api.insights.change import (
    ABOUT_THE_SAME,
    HIGHER,
    LOWER,
    MIN_EARLIER_WEEKS,
    MORE_CHANGEABLE,
    NOT_ENOUGH_HISTORY,
    STEADIER,
)
from api.insights.change import BASELINE_WEEKS as _BASELINE_WEEKS
from api.insights.digest import RANGE_CI95
from api.insights.stats import MIN_CONSECUTIVE_PAIRS, MIN_DAYS_FOR_VARIABILITY

_PHRASE = {
    HIGHER: "higher",
    LOWER: "lower",
    STEADIER: "steadier",
    MORE_CHANGEABLE: "more changeable",
    ABOUT_THE_SAME: "about the same",
}
#: For a spread, "about the same" would read as a statement about the level.
_SPREAD_PHRASE = {**_PHRASE, ABOUT_THE_SAME: "about as steady"}
_JUDGED = frozenset(_PHRASE)
_REFERENCES = (("last_week", "last week"), ("last_4_weeks", f"your last {_BASELINE_WEEKS} weeks"))

NO_CHECKINS_HEADLINE = "There were no check-ins this week, and that's okay."
NO_CHECKINS = NO_CHECKINS_HEADLINE + " The journal is here whenever you'd like to come back to it."
NOT_ENOUGH_HISTORY_TEXT = (
    "There is not yet enough history to compare your mood with earlier weeks; after a few more "
    "weeks of check-ins the journal can show what is usual for you."
)
BE_GENTLE = "Be gentle with whatever parts of you are carrying this week."
THANKS = "Thank you for making space for your parts."
#: The headline when the rule could judge the week's mood and found no reliable change anywhere.
MUCH_LIKE_RECENT = "A week much like your recent ones."
MAX_HIGHLIGHTS = 3
RELIABLE_NOTE = (
    "The journal only names a change when it is bigger than your own usual week-to-week ups "
    "and downs."
)


def render_summary(
    digest: Mapping[str, Any], part_names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """{"headline": str, "highlights": [str], "paragraph": str, "bullets": [str]} for a digest;
    `part_names` maps part ids to names."""
    return {**render_headline(digest, part_names), **_paragraph_and_bullets(digest, part_names)}


def render_headline(
    digest: Mapping[str, Any], part_names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """{"headline": str, "highlights": [str]}: the sentence that opens the reflection, and at
    most MAX_HIGHLIGHTS more, the most telling first."""
    if digest["checkin_days"] == 0:
        return {"headline": NO_CHECKINS_HEADLINE, "highlights": []}
    changes = _changes(digest["comparisons"])
    headline = changes[0] if changes else _unchanged_headline(digest)
    highlights = [
        *changes[1:],
        *_part_highlight(digest["parts"]["most_active"], part_names or {}),
        *_helped_highlight(digest["regulation"]["best_strategies"]),
        *_self_energy_highlight(digest["self_energy"]),
    ]
    if headline != MUCH_LIKE_RECENT:
        highlights += _about_the_same(digest["comparisons"])
    return {"headline": headline, "highlights": highlights[:MAX_HIGHLIGHTS]}


def _paragraph_and_bullets(
    digest: Mapping[str, Any], part_names: Mapping[str, str] | None
) -> dict[str, Any]:
    names = part_names or {}
    comparisons = digest["comparisons"]
    days = digest["checkin_days"]
    if days == 0:
        return {"paragraph": NO_CHECKINS, "bullets": _new_parts(digest["parts"]["new"], names)}
    sentences = [_days_sentence(days), *_mood_sentences(digest["mood"])]
    if comparisons["mood_mean"]["last_week"]["verdict"] == NOT_ENOUGH_HISTORY:
        sentences.append(NOT_ENOUGH_HISTORY_TEXT)
    else:
        sentences += _compare(comparisons["mood_mean"], "your mood")
        if _verdicts(comparisons["mood_mean"]) & {LOWER}:
            sentences.append(BE_GENTLE)
    sentences.append(THANKS)
    history_said = comparisons["mood_mean"]["last_week"]["verdict"] == NOT_ENOUGH_HISTORY
    bullets = [
        *_spread_bullet(digest["mood"], comparisons, history_said),
        *_self_energy_bullet(digest["self_energy"], comparisons["self_energy_mean"]),
        *_parts_bullets(digest["parts"], names),
        *_new_parts(digest["parts"]["new"], names),
        *_regulation_bullet(digest["regulation"]),
        *_attachment_bullet(digest["attachment"], comparisons),
    ]
    if any(_verdicts(c) - {ABOUT_THE_SAME} for c in comparisons.values()):
        bullets.append(RELIABLE_NOTE)
    return {"paragraph": " ".join(sentences), "bullets": bullets}


def render_text(digest: Mapping[str, Any], part_names: Mapping[str, str] | None = None) -> str:
    """The summary as one plain-text block: the paragraph, then one "• " line per bullet."""
    summary = render_summary(digest, part_names)
    lines = [summary["paragraph"]]
    if summary["bullets"]:
        lines += ["", *(f"• {b}" for b in summary["bullets"])]
    return "\n".join(lines)


# -- the headline and highlights ----------------------------------------------------------------

#: Compared measures by how much a change in them tells, most first: (name, subject, tail).
_CHANGE_ORDER = (
    ("mood_mean", "Your mood", ""),
    ("self_energy_mean", "Your Self-energy", ""),
    ("mood_variability", "Your mood", " around its average"),
    ("mood_instability", "Your mood", " from day to day"),
    ("attachment_anxiety", "Worry about closeness", ""),
    ("attachment_avoidance", "Pulling away", ""),
)
_BOTH_SPREADS = ", both around its average and from day to day"
_THAN = {
    ("last_4_weeks",): "than in your recent weeks",
    ("last_week",): "than last week",
    ("last_4_weeks", "last_week"): "than last week and than in your recent weeks",
}
#: The levels said to be about the same, in one phrase (a spread's "about as steady" is left to
#: the bullets: the headline and highlights say "about the same" of levels only).
_LEVEL_NAMES = (
    ("mood_mean", "mood"),
    ("self_energy_mean", "Self-energy"),
    ("attachment_anxiety", "worry about closeness"),
    ("attachment_avoidance", "pulling away"),
)
_CHANGED = frozenset(_JUDGED - {ABOUT_THE_SAME})


def _changes_of(comparison: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    """Each reliable change of one measure -> the references it was found against, the
    client's recent weeks first."""
    found: dict[str, tuple[str, ...]] = {}
    for key in ("last_4_weeks", "last_week"):
        verdict = comparison[key]["verdict"] if comparison else None
        if verdict in _CHANGED:
            found[verdict] = (*found.get(verdict, ()), key)
    return found


def _changes(comparisons: Mapping[str, Any]) -> list[str]:
    """One sentence per reliable change, in _CHANGE_ORDER. The two spreads of mood share one
    sentence when they changed alike."""
    found = {name: _changes_of(comparisons.get(name)) for name, _, _ in _CHANGE_ORDER}
    spreads_alike = found["mood_variability"] == found["mood_instability"]
    sentences = []
    for name, subject, tail in _CHANGE_ORDER:
        if spreads_alike and name == "mood_instability":
            continue
        for verdict, references in found[name].items():
            than = _THAN[references]
            if spreads_alike and name == "mood_variability":
                sentences.append(f"{subject} was {_PHRASE[verdict]} {than}{_BOTH_SPREADS}.")
            else:
                sentences.append(f"{subject} was {_PHRASE[verdict]}{tail} {than}.")
    return sentences


def _unchanged_headline(digest: Mapping[str, Any]) -> str:
    """The headline of a week with no reliable change: what the rule could say of the mood."""
    days = digest["checkin_days"]
    mood = digest["comparisons"]["mood_mean"]
    if _verdicts(mood):  # judged, and (no change anywhere) about the same
        return MUCH_LIKE_RECENT
    if NOT_ENOUGH_HISTORY in {mood[key]["verdict"] for key, _ in _REFERENCES}:
        return f"Too few recent weeks to compare yet: {_count(days, 'check-in day')}."
    return f"You checked in on {_count(days, 'day')} this week."


def _part_highlight(most_active: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> list:
    """The most active part with its days; "most" only when no other part had as many."""
    if not most_active:
        return []
    top = most_active[0]
    days = _count(top["days"], "day")
    alone = len(most_active) == 1 or most_active[1]["days"] < top["days"]
    name = names.get(top["part"])
    if name and alone:
        return [f"The part you call “{name}” was the most active, on {days}."]
    if name:
        return [f"The part you call “{name}” showed up on {days}."]
    if alone:
        return [f"Your most active part showed up on {days}."]
    return [f"More than one part showed up on {days}."]


def _helped_highlight(best: Sequence[Mapping[str, Any]]) -> list[str]:
    """What helped, among strategies used at least twice: "most" only as _strategies_sentence
    says it, of one that helped more than the next (as rounded)."""
    if not best:
        return []
    mean = _num(best[0]["mean_success"])
    top = [s for s in best if _num(s["mean_success"]) == mean]
    named = [_strategy(s) for s in top]
    if len(best) == 1:
        times = _count(best[0]["n"], "time")
        return [f"{_capital(named[0])}, used {times}, helped {mean} out of 10 on average."]
    if len(top) == 1:
        return [
            f"Of what you used more than once, {named[0]} helped most: {mean} out of 10 on average."
        ]
    return [f"{_capital(_join(named))} helped about equally: {mean} out of 10 on average."]


def _self_energy_highlight(self_energy: Mapping[str, Any]) -> list[str]:
    if self_energy["mean"] is None:
        return []
    return [_level_sentence("Self-energy", self_energy, "rated it")]


def _about_the_same(comparisons: Mapping[str, Any]) -> list[str]:
    """One phrase for every level found about the same as in the client's recent weeks (and not
    changed against last week)."""
    same = [
        label
        for name, label in _LEVEL_NAMES
        if (comparison := comparisons.get(name))
        and comparison["last_4_weeks"]["verdict"] == ABOUT_THE_SAME
        and _verdicts(comparison) == {ABOUT_THE_SAME}
    ]
    if not same:
        return []
    verb = "was" if len(same) == 1 else "were"
    return [f"{_capital(_join(same))} {verb} about the same as in your recent weeks."]


# -- the paragraph and bullets -------------------------------------------------------------------


def _days_sentence(days: int) -> str:
    if days < MIN_DAYS_FOR_VARIABILITY:
        return (
            f"You checked in on {_count(days, 'day')} this week — a few more days would let "
            "the journal show patterns."
        )
    return f"You checked in on {days} days this week."


def _mood_sentences(mood: Mapping[str, Any]) -> list[str]:
    n = mood["n"]
    rng = mood["range"]
    if not n or rng is None:
        return []
    mean = _num(mood["mean"])
    if n == 1:
        return [f"On the day you rated your mood, it was {mean} out of 10."]
    low, high = _num(rng["low"]), _num(rng["high"])
    if rng["kind"] == RANGE_CI95:
        if low == high:
            return [f"Your mood averaged {mean} out of 10."]
        return [
            f"Your mood averaged {mean} out of 10; allowing for day-to-day ups and downs, "
            f"the week's typical level was likely between {low} and {high}."
        ]
    if low == high:
        return [f"Your mood was {mean} out of 10 on each of the {n} days you rated it."]
    return [
        f"Your mood averaged {mean} out of 10, between {low} and {high} on the {n} days "
        "you rated it."
    ]


def _level_sentence(what: str, level: Mapping[str, Any], answered: str) -> str:
    """ "X averaged 6.2 out of 10 (likely between ...)": a weekly level with its range."""
    mean, n, rng = _num(level["mean"]), level["n"], level.get("range")
    if n == 1:
        return f"{what} was {mean} out of 10 on the day you {answered}."
    if rng is None or _num(rng["low"]) == _num(rng["high"]):
        return f"{what} averaged {mean} out of 10."
    low, high = _num(rng["low"]), _num(rng["high"])
    if rng["kind"] == RANGE_CI95:
        return f"{what} averaged {mean} out of 10 (for the week, likely between {low} and {high})."
    days = f"on the {n} days you {answered}"
    return f"{what} averaged {mean} out of 10 (between {low} and {high} {days})."


def _spread_bullet(
    mood: Mapping[str, Any], comparisons: Mapping[str, Any], history_said: bool = False
) -> list[str]:
    """How much the mood moved, or, where the rules withhold it, why not; `history_said`: the
    paragraph already said there is not yet enough history to compare the mood."""
    sentences = []
    if mood["sd"] is not None:
        sentences.append(f"Your mood moved about {_num(mood['sd'])} points around its average.")
    elif mood["n"] > 1:
        sentences.append(
            "How much your mood moved around its average is shown from "
            f"{MIN_DAYS_FOR_VARIABILITY} days with a mood rating; this week had {mood['n']}."
        )
    if mood["rmssd"] is not None:
        sentences.append(
            f"From one day to the next it typically changed by about {_num(mood['rmssd'])} points."
        )
    elif mood["n"] > 1:
        pairs = mood["pairs"] or "none"
        sentences.append(
            "How your mood changed from one day to the next is shown from "
            f"{MIN_CONSECUTIVE_PAIRS} pairs of back-to-back days with a mood rating; this week "
            f"had {pairs}."
        )
    if mood["pac"] is not None:
        big = round(mood["pac"] * mood["pairs"])
        sentences.append(
            f"{big} of {_count(mood['pairs'], 'day-to-day change')} "
            f"{'was' if big == 1 else 'were'} {ACUTE_CHANGE_THRESHOLD} points or more."
        )
    variability, instability = comparisons["mood_variability"], comparisons["mood_instability"]
    if _judged(variability) == _judged(instability):
        both = ", both around its average and from day to day"
        sentences += _compare(variability, "your mood", both, _SPREAD_PHRASE)
    else:
        sentences += _compare(variability, "your mood", " around its average", _SPREAD_PHRASE)
        sentences += _compare(instability, "your mood", " from day to day", _SPREAD_PHRASE)
    if not history_said:
        if mood["sd"] is not None and _lacks_history(variability):
            sentences.append(
                _history_sentence(
                    "How much your mood moved around its average is",
                    f"had {MIN_DAYS_FOR_VARIABILITY} days with a mood rating",
                    variability["earlier_weeks"],
                )
            )
        if mood["rmssd"] is not None and _lacks_history(instability):
            sentences.append(
                _history_sentence(
                    "How it changed from one day to the next is",
                    f"had {MIN_CONSECUTIVE_PAIRS} pairs of back-to-back days with a mood rating",
                    instability["earlier_weeks"],
                )
            )
    return [" ".join(sentences)] if sentences else []


def _lacks_history(comparison: Mapping[str, Any]) -> bool:
    return NOT_ENOUGH_HISTORY in {comparison[key]["verdict"] for key, _ in _REFERENCES}


def _history_sentence(subject: str, condition: str, earlier: int) -> str:
    """ "X is compared with earlier weeks once 4 of them had ...; so far 2 have." """
    so_far = "none have" if earlier == 0 else f"{earlier} {'has' if earlier == 1 else 'have'}"
    return (
        f"{subject} compared with earlier weeks once {MIN_EARLIER_WEEKS} of them {condition}; "
        f"so far {so_far}."
    )


def _self_energy_bullet(self_energy: Mapping[str, Any], comparison: Mapping[str, Any]) -> list[str]:
    if self_energy["mean"] is None:
        return []
    sentences = [_level_sentence("Self-energy (the 8 Cs)", self_energy, "rated it")]
    strongest, weakest = self_energy["strongest"], self_energy["weakest"]
    if strongest and weakest:
        sentences.append(
            f"{_join(strongest).capitalize()} {_be(strongest)} strongest, and "
            f"{_join(weakest)} {_be(weakest)} quieter."
        )
    sentences += _compare(comparison, "your Self-energy")
    if _lacks_history(comparison):
        sentences.append(
            _history_sentence(
                "Self-energy is", "had Self-energy ratings", comparison["earlier_weeks"]
            )
        )
    return [" ".join(sentences)]


def _parts_bullets(parts: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    bullets = []
    for i, row in enumerate(parts["most_active"]):
        name = names.get(row["part"])
        if name:
            who = f"The part you call “{name}”"
        else:
            who = "Your most active part" if i == 0 else "Another part"
        line = f"{who} showed up on {_count(row['days'], 'day')}"
        if row.get("days_last_week") is not None:
            line += f" (last week: {_count(row['days_last_week'], 'day')})"
        if row["blended_known"]:
            line += f"; you felt blended with it {_out_of(row['blended'], row['blended_known'])}"
        bullets.append(line + ".")
    return bullets


def _new_parts(new: Sequence[str], names: Mapping[str, str]) -> list[str]:
    if not new:
        return []
    named = [f"“{names[p]}”" for p in new if names.get(p)]
    line = f"You named {_count(len(new), 'new part')} this week"
    if len(named) == len(new):
        line += ": " + _join(named)
    return [line + "."]


def _regulation_bullet(regulation: Mapping[str, Any]) -> list[str]:
    episodes = regulation["episodes"]
    # Digests stored before version 3 lack the count: nothing is said then.
    calm = regulation.get("no_hard_moment_days") or 0
    said_no = [f"On {_count(calm, 'day')} you said there was no hard moment."] if calm else []
    if not episodes:
        return [" ".join(said_no)] if said_no else []
    sentences = [f"You noted {_count(episodes, 'hard moment')}.", *said_no]
    if regulation["mean_success"] is not None:
        helped = _num(regulation["mean_success"])
        if regulation["success_n"] == 1:
            sentences.append(f"What you tried helped {helped} out of 10.")
        else:
            sentences.append(f"On average, what you tried helped {helped} out of 10.")
    if regulation["median_minutes_to_settle"] is not None:
        minutes = _minutes(regulation["median_minutes_to_settle"])
        if regulation["minutes_n"] == 1:
            sentences.append(f"Settling took {minutes} minutes.")
        else:
            sentences.append(f"Settling took a median of {minutes} minutes.")
    sentences += _strategies_sentence(regulation["best_strategies"])
    return [" ".join(sentences)]


def _strategies_sentence(best: Sequence[Mapping[str, Any]]) -> list[str]:
    """How much each strategy used at least twice helped, best first. "Most" is said only when
    one helped more than the next (as the text rounds), never of a strategy that stands alone."""
    if not best:
        return []
    name = [_strategy(s) for s in best]
    how = [
        f"{_num(s['mean_success'])} out of 10 on average, {_count(s['n'], 'time')}" for s in best
    ]
    apart = _not_told_apart(best)
    if len(best) == 1:
        only = best[0]
        it = "they" if only.get("used_with") else "it"
        return [
            f"You used {name[0]} {_count(only['n'], 'time')}; on average {it} helped "
            f"{_num(only['mean_success'])} out of 10.",
            *apart,
        ]
    each = [f"{n} ({h})" for n, h in zip(name, how, strict=True)]
    if round(best[0]["mean_success"], 1) > round(best[1]["mean_success"], 1):
        return [
            f"Of what you used more than once, {each[0]} helped most, then {_join(each[1:])}.",
            *apart,
        ]
    return [f"Of what you used more than once, how much each helped: {_join(each)}.", *apart]


def _strategy(entry: Mapping[str, Any]) -> str:
    """A strategy's name in words; strategies only ever used together are named together."""
    names = [entry["strategy"], *(entry.get("used_with") or ())]
    together = " together" if len(names) > 1 else ""
    return _join([n.replace("_", " ") for n in names]) + together


def _not_told_apart(best: Sequence[Mapping[str, Any]]) -> list[str]:
    """One sentence for each set of strategies only ever used together."""
    return [
        f"Each time you rated how it went, you used {_join([n.replace('_', ' ') for n in names])} "
        "together, so the journal cannot tell which of them helped."
        for entry in best
        if (names := [entry["strategy"], *(entry.get("used_with") or ())])[1:]
    ]


def _attachment_bullet(attachment: Mapping[str, Any], comparisons: Mapping[str, Any]) -> list[str]:
    sentences = []
    for key, what in (("anxiety", "Worry about closeness"), ("avoidance", "Pulling away")):
        if attachment[key]["mean"] is not None:
            sentences.append(_level_sentence(what, attachment[key], "noted it"))
    for key, what in (("reached_out", "reached out"), ("felt_supported", "felt supported")):
        share = attachment[key]
        if share["n"]:
            sentences.append(f"You {what} {_out_of(share['yes'], share['n'])}.")
    sentences += _compare(comparisons["attachment_anxiety"], "worry about closeness")
    sentences += _compare(comparisons["attachment_avoidance"], "pulling away")
    lacking = {
        what: comparisons[name]["earlier_weeks"]
        for name, key, what in (
            ("attachment_anxiety", "anxiety", "Worry about closeness"),
            ("attachment_avoidance", "avoidance", "Pulling away"),
        )
        if attachment[key]["mean"] is not None and _lacks_history(comparisons[name])
    }
    if len(lacking) == 2 and len(set(lacking.values())) == 1:
        earlier = next(iter(lacking.values()))
        subject = "Worry about closeness and pulling away are"
        sentences.append(_history_sentence(subject, "had these ratings", earlier))
    else:
        for what, earlier in lacking.items():
            sentences.append(_history_sentence(f"{what} is", "had this rating", earlier))
    return [" ".join(sentences)] if sentences else []


def _compare(
    comparison: Mapping[str, Any],
    subject: str,
    tail: str = "",
    phrases: Mapping[str, str] = _PHRASE,
) -> list[str]:
    """One sentence for the judged verdicts (not for no_data or not_enough_history)."""
    judged = _judged(comparison)
    if not judged:
        return []
    if len(judged) == 2 and judged[0][1] == judged[1][1]:
        return [
            f"Compared with {judged[0][0]} and with {judged[1][0]}, {subject} was "
            f"{phrases[judged[0][1]]}{tail}."
        ]
    clauses = [f"compared with {label}, {subject} was {phrases[v]}{tail}" for label, v in judged]
    sentence = "; ".join(clauses)
    return [sentence[0].upper() + sentence[1:] + "."]


def _judged(comparison: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(reference label, verdict) for each comparison the rule could judge."""
    return [
        (label, comparison[key]["verdict"])
        for key, label in _REFERENCES
        if comparison[key]["verdict"] in _JUDGED
    ]


def _verdicts(comparison: Mapping[str, Any]) -> set[str]:
    return {comparison[key]["verdict"] for key, _ in _REFERENCES} & _JUDGED


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _num(x: float) -> str:
    return f"{x:.1f}"


def _minutes(x: float) -> str:
    """Whole minutes read as whole ("20"); a median between two values keeps its half ("37.5")."""
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


def _out_of(yes: int, noted: int) -> str:
    """ "3 times out of 5 noted": reads right for any counts, 1 of 1 included."""
    return f"{_count(yes, 'time')} out of {noted} noted"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _be(items: Sequence[str]) -> str:
    return "was" if len(items) == 1 else "were"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
