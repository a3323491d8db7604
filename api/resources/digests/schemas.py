from marshmallow import Schema, fields, pre_dump

from api.digests.reading import up_to_date, with_headlines
from api.insights.digest import withheld
from api.resources.summaries import (
    AttachmentSummarySchema,
    CountMeanSchema,
    KeepUndeclaredSchema,
    LevelRangeSchema,
    PartActivitySchema,
    RegulationSummarySchema,
    SelfEnergySummarySchema,
    WithheldFiguresSchema,
)


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


# The numbers behind a digest's text. Digests are stored, and one stored by an earlier version of
# the builder is normally rebuilt when read; but one whose week no longer gets a digest is shown
# as stored, so these keep keys they do not declare (`KeepUndeclaredSchema`), and a key that an
# earlier version did not write (a range, days_last_week) is simply absent.


class DigestMoodSchema(KeepUndeclaredSchema):
    """The week's mood, described as a daily series (no inertia: a week is too short)."""

    n = fields.Integer(required=True, metadata={"description": "Days with a value."})
    mean = fields.Float(allow_none=True)
    min = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)
    sd = fields.Float(allow_none=True, metadata={"description": "From 5 days (n-1 denominator)."})
    relative_sd = fields.Float(allow_none=True)
    pairs = fields.Integer(metadata={"description": "Pairs of consecutive days with a value."})
    rmssd = fields.Float(allow_none=True, metadata={"description": "From 4 consecutive pairs."})
    pac = fields.Float(allow_none=True, metadata={"description": "From 4 consecutive pairs."})
    range = fields.Nested(
        LevelRangeSchema, allow_none=True, metadata={"description": "Null without a day."}
    )
    withheld = fields.Nested(WithheldFiguresSchema)


class DigestSelfEnergySchema(SelfEnergySummarySchema, KeepUndeclaredSchema):
    range = fields.Nested(LevelRangeSchema, allow_none=True)


class DigestCountMeanSchema(CountMeanSchema, KeepUndeclaredSchema):
    range = fields.Nested(LevelRangeSchema, allow_none=True)


class DigestAttachmentSchema(AttachmentSummarySchema, KeepUndeclaredSchema):
    anxiety = fields.Nested(DigestCountMeanSchema, required=True)
    avoidance = fields.Nested(DigestCountMeanSchema, required=True)


class DigestPartActivitySchema(PartActivitySchema, KeepUndeclaredSchema):
    days_last_week = fields.Integer(
        metadata={"description": "Days it was active last week (only with a check-in then)."}
    )


class DigestPartsSchema(KeepUndeclaredSchema):
    active = fields.Integer(required=True, metadata={"description": "Parts active this week."})
    most_active = fields.List(
        fields.Nested(DigestPartActivitySchema),
        required=True,
        metadata={"description": "The 3 most active, most active first."},
    )
    new = fields.List(
        fields.String(), metadata={"description": "Ids of the parts named this week."}
    )


class DigestRegulationSchema(RegulationSummarySchema, KeepUndeclaredSchema):
    pass


class VerdictSchema(KeepUndeclaredSchema):
    reference = fields.Float(allow_none=True, metadata={"description": "The value compared with."})
    change = fields.Float(allow_none=True)
    verdict = fields.String(
        required=True,
        metadata={
            "description": "higher, lower, steadier, more_changeable, about_the_same, "
            "not_enough_history or no_data"
        },
    )


class ComparisonSchema(KeepUndeclaredSchema):
    value = fields.Float(allow_none=True, metadata={"description": "This week's value."})
    earlier_weeks = fields.Integer(
        metadata={"description": "Earlier weeks (of the 8 before) with a value."}
    )
    threshold = fields.Float(
        allow_none=True, metadata={"description": "The reliable-change threshold."}
    )
    last_week = fields.Nested(VerdictSchema, required=True)
    last_4_weeks = fields.Nested(VerdictSchema, required=True)


class ComparisonsSchema(KeepUndeclaredSchema):
    mood_mean = fields.Nested(ComparisonSchema)
    mood_variability = fields.Nested(ComparisonSchema)
    mood_instability = fields.Nested(ComparisonSchema)
    self_energy_mean = fields.Nested(ComparisonSchema)
    attachment_anxiety = fields.Nested(ComparisonSchema)
    attachment_avoidance = fields.Nested(ComparisonSchema)


class DigestDataSchema(KeepUndeclaredSchema):
    """The numbers behind a digest's text (part ids, never names or free text)."""

    version = fields.Integer(metadata={"description": "Of the builder that stored it."})
    week = fields.String()
    start = fields.String(required=True)
    end = fields.String(required=True)
    days_in_week = fields.Integer(required=True)
    checkin_days = fields.Integer(required=True)
    adherence = fields.Float(required=True)
    mood = fields.Nested(DigestMoodSchema, required=True)
    self_energy = fields.Nested(DigestSelfEnergySchema)
    parts = fields.Nested(DigestPartsSchema)
    regulation = fields.Nested(DigestRegulationSchema)
    attachment = fields.Nested(DigestAttachmentSchema)
    comparisons = fields.Nested(ComparisonsSchema, required=True)


class DigestSchema(Schema):
    week = fields.String(required=True, metadata={"description": "Local ISO week, e.g. 2026-W47."})
    start = fields.Function(
        lambda d: _data(d)["start"],
        required=True,
        metadata={"type": "string", "description": "Monday"},
    )
    end = fields.Function(
        lambda d: _data(d)["end"],
        required=True,
        metadata={"type": "string", "description": "Sunday"},
    )
    in_progress = fields.Function(
        lambda d: bool(_get(d, "in_progress", False)),
        required=True,
        metadata={
            "type": "boolean",
            "description": "True for the week under way: computed now, not stored.",
        },
    )
    summary = fields.Nested(DigestSummarySchema, required=True)
    data = fields.Nested(
        DigestDataSchema, required=True, metadata={"description": "The numbers behind the text."}
    )
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
