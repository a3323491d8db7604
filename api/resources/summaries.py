"""Schemas of the figures `api.insights` builds, shared by trends, digests and the therapist view.

Each one declares every key its builder produces (a test dumps real payloads through them and
compares), so the OpenAPI document says what the answers hold. Counts are integers; every other
number is a float, null where the builder gives None.
"""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, post_dump


class KeepUndeclaredSchema(Schema):
    """Dumps every key of the original that it does not declare, as it is.

    For what is stored and read back later, such as a digest's numbers: a digest stored by an
    earlier version of the builder may hold keys that the current one no longer writes, and
    they are given back as they were stored (the document says `additionalProperties`).
    """

    class Meta:
        unknown = INCLUDE

    @post_dump(pass_original=True)
    def keep_undeclared(self, data, original, **_kwargs):
        if not isinstance(original, dict):
            return data
        declared = {f.data_key or name for name, f in self.dump_fields.items()}
        extra = {k: v for k, v in original.items() if k not in declared and k not in data}
        return {**data, **extra} if extra else data


def _count(description: str | None = None, **kwargs) -> fields.Integer:
    return fields.Integer(
        required=True, metadata={"description": description} if description else {}, **kwargs
    )


def _number(description: str | None = None) -> fields.Float:
    return fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": description} if description else {},
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


class DailyPointSchema(Schema):
    """One day of a daily series."""

    date = fields.String(required=True, metadata={"description": "Local date."})
    value = _number("The day's mean; null without a value that day.")
    n = _count("Check-ins with a value that day.")
    ewma = _number("Smoothed (EWMA), for charts.")


class CountMeanSchema(Schema):
    """A mean over days, and its number of days."""

    n = _count("Days with a value.")
    mean = _number()


class LevelRangeSchema(Schema):
    """How sure a week's level is: the 95% interval of its mean from 5 days, the lowest and
    highest day below that."""

    kind = fields.String(required=True, metadata={"description": "ci95 or observed"})
    low = fields.Float(required=True)
    high = fields.Float(required=True)


class SelfEnergySummarySchema(Schema):
    n = _count("Days with a rated C.")
    mean = _number("Mean over days of each check-in's mean of the rated Cs.")
    by_c = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(CountMeanSchema),
        required=True,
        metadata={"description": "Per C rated: days and mean."},
    )
    strongest = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The Cs with the highest mean (empty unless 2 Cs differ)."},
    )
    weakest = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The Cs with the lowest mean (empty unless 2 Cs differ)."},
    )


class PartActivitySchema(Schema):
    part = fields.String(required=True, metadata={"description": "The part's id."})
    days = _count("Days it was active.")
    appearances = _count()
    mean_intensity = _number()
    intensity_n = _count("Appearances with an intensity.")
    blended = _count("Appearances that were blended.")
    blended_known = _count("Appearances that said whether it was blended.")
    blended_share = _number("blended / blended_known.")


class WeeklyPartsSchema(Schema):
    week = fields.String(required=True, metadata={"description": "Local ISO week."})
    checkin_days = _count()
    parts = fields.List(
        fields.Nested(PartActivitySchema),
        required=True,
        metadata={"description": "Most active first."},
    )


class BestStrategySchema(Schema):
    strategy = fields.String(required=True)
    used_with = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Strategies only ever used together with this one."},
    )
    mean_success = fields.Float(required=True)
    n = _count("Rated episodes that used it.")


class RegulationSummarySchema(Schema):
    episodes = _count("Check-ins with a hard moment.")
    mean_success = _number()
    success_n = _count()
    median_minutes_to_settle = _number()
    minutes_n = _count()
    mean_peak_intensity = _number()
    peak_n = _count()
    best_strategies = fields.List(
        fields.Nested(BestStrategySchema),
        required=True,
        metadata={
            "description": "Used in at least 2 rated episodes, best first; strategies only ever "
            "used together share one entry."
        },
    )
    no_hard_moment_days = _count("Days that said there was no hard moment.")


class ShareSchema(Schema):
    n = _count("Check-ins that answered.")
    yes = _count()
    share = _number("yes / n.")


class AttachmentSummarySchema(Schema):
    anxiety = fields.Nested(CountMeanSchema, required=True)
    avoidance = fields.Nested(CountMeanSchema, required=True)
    reached_out = fields.Nested(ShareSchema, required=True)
    felt_supported = fields.Nested(ShareSchema, required=True)


class EmotionCountSchema(Schema):
    name = fields.String(required=True, metadata={"description": "Trimmed and lower-cased."})
    count = _count()
    mean_intensity = _number()
    intensity_n = _count()
