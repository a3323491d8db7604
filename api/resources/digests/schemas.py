from marshmallow import Schema, fields, pre_dump

from api.digests.reading import up_to_date, with_headlines
from api.insights.digest import withheld


class DigestSummarySchema(Schema):
    """The week in plain language; every sentence is true for the numbers in `data`."""

    headline = fields.String(
        required=True,
        metadata={
            "description": "One short sentence that opens the reflection: a change only when "
            "the reliable-change rule found one."
        },
    )
    highlights = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "At most 3 short sentences, the most telling first: further reliable "
            "changes, the most active part, what helped, Self-energy's level."
        },
    )
    paragraph = fields.String(
        required=True, metadata={"description": "The week's days, mood and its comparisons."}
    )
    bullets = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "One line per section: spread, Self-energy, parts, ..."},
    )


def _reason(description: str) -> fields.String:
    return fields.String(metadata={"description": description})


class WithheldFiguresSchema(Schema):
    """Why each figure that is null was withheld, in words; a figure that is shown has no key."""

    sd = _reason("The SD (variability): shown from 5 days with a value.")
    relative_sd = _reason(
        "The SD relative to the largest possible at that mean: shown from 5 days with a value, "
        "and not when every value sits at one end of the scale."
    )
    rmssd = _reason(
        "Day-to-day change (RMSSD): shown from 4 pairs of consecutive days with a value."
    )
    pac = _reason(
        "The share of acute day-to-day changes (PAC): shown from 4 pairs of consecutive days."
    )
    inertia = _reason(
        "Carry-over from one day to the next (lag-1 autocorrelation): shown from 50 pairs of "
        "consecutive days with a value."
    )


class WithheldComparisonSchema(Schema):
    """Why a comparison was not judged against each reference; a judged one has no key."""

    last_week = _reason("Why this week was not compared with last week.")
    last_4_weeks = _reason("Why this week was not compared with the client's last 4 weeks.")


class WithheldComparisonsSchema(Schema):
    """Per weekly value compared (as in data.comparisons), why a comparison was withheld: fewer
    than 4 earlier weeks with that value, or no value this week or last week."""

    mood_mean = fields.Nested(WithheldComparisonSchema)
    mood_variability = fields.Nested(WithheldComparisonSchema)
    mood_instability = fields.Nested(WithheldComparisonSchema)
    self_energy_mean = fields.Nested(WithheldComparisonSchema)
    attachment_anxiety = fields.Nested(WithheldComparisonSchema)
    attachment_avoidance = fields.Nested(WithheldComparisonSchema)


class DigestWithheldSchema(Schema):
    mood = fields.Nested(
        WithheldFiguresSchema,
        required=True,
        metadata={"description": "The week's mood figures in data.mood that are withheld."},
    )
    comparisons = fields.Nested(
        WithheldComparisonsSchema,
        required=True,
        metadata={"description": "The comparisons in data.comparisons that are withheld."},
    )


class DigestSchema(Schema):
    week = fields.String(required=True, metadata={"description": "Local ISO week, e.g. 2026-W47."})
    start = fields.Function(lambda d: _data(d)["start"], metadata={"description": "Monday"})
    end = fields.Function(lambda d: _data(d)["end"], metadata={"description": "Sunday"})
    in_progress = fields.Function(
        lambda d: bool(_get(d, "in_progress", False)),
        metadata={"description": "True for the week under way: computed now, not stored."},
    )
    summary = fields.Nested(DigestSummarySchema, required=True)
    data = fields.Dict(required=True, metadata={"description": "The numbers behind the text."})
    withheld = fields.Nested(
        DigestWithheldSchema,
        required=True,
        metadata={
            "description": "Why each figure or comparison the rules withhold is not given, in "
            "words (too few days, pairs of consecutive days, or earlier weeks)."
        },
    )
    updated_at = fields.DateTime(allow_none=True)

    @pre_dump(pass_collection=True)
    def complete(self, digests, many, **_kwargs):
        """A stale stored digest is rebuilt first (and left out if its week no longer gets
        one); digests stored by an earlier version get their headline and highlights here, and
        every digest the reasons for what it withholds."""
        if many:
            return [_with_reasons(d) for d in with_headlines(up_to_date(digests))]
        return _with_reasons(with_headlines(up_to_date([digests]) or [digests])[0])


def _with_reasons(digest) -> dict:
    return {
        "week": _get(digest, "week"),
        "data": _data(digest),
        "summary": _get(digest, "summary"),
        "in_progress": _get(digest, "in_progress", False),
        "updated_at": _get(digest, "updated_at"),
        "withheld": withheld(_data(digest)),
    }


def _get(digest, key, default=None):
    return digest.get(key, default) if isinstance(digest, dict) else getattr(digest, key, default)


def _data(digest) -> dict:
    return _get(digest, "data")
