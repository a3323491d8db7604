import datetime as dt

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from webargs.fields import DelimitedList

from api.insights.series import METRICS
from api.insights.weeks import week_start
from api.resources.fields import LocalDate
from api.resources.summaries import (
    AttachmentSummarySchema,
    DailyPointSchema,
    EmotionCountSchema,
    PartActivitySchema,
    RegulationSummarySchema,
    SelfEnergySummarySchema,
    WeeklyPartsSchema,
    WithheldFiguresSchema,
)

#: A year of daily points is the most a chart asks for in one request.
MAX_DAYS = 366
#: By default: this week and the seven before it, from a Monday, so every weekly point is whole.
DEFAULT_WEEKS = 8


class TrendsQueryArgsSchema(Schema):
    date_from = LocalDate(
        data_key="from",
        metadata={
            "description": f"First local date (default: the Monday {DEFAULT_WEEKS - 1} weeks "
            "before the week of 'to')."
        },
    )
    date_to = LocalDate(data_key="to", metadata={"description": "Last local date (default today)."})
    metrics = DelimitedList(
        fields.String(validate=validate.OneOf(sorted(METRICS))),
        load_default=lambda: ["mood", "energy", "self_energy"],
        metadata={"description": "Comma-separated: " + ", ".join(sorted(METRICS))},
    )

    @validates_schema
    def bounded(self, data, **_kwargs):
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                raise ValidationError("'from' is after 'to'.", "from")
            if (end - start).days + 1 > MAX_DAYS:
                raise ValidationError(f"At most {MAX_DAYS} days at once.", "from")


class DescribedSchema(Schema):
    """A daily series described: null where a figure's rule is not met, and `withheld` says why."""

    n = fields.Integer(required=True, metadata={"description": "Days with a value."})
    mean = fields.Float(required=True, allow_none=True)
    min = fields.Float(required=True, allow_none=True)
    max = fields.Float(required=True, allow_none=True)
    sd = fields.Float(
        required=True, allow_none=True, metadata={"description": "From 5 days (n-1 denominator)."}
    )
    relative_sd = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "SD / the largest SD possible at that mean."},
    )
    ci95 = fields.List(
        fields.Float(),
        required=True,
        allow_none=True,
        metadata={"description": "95% interval of the mean [low, high], from 5 days."},
    )
    pairs = fields.Integer(
        required=True, metadata={"description": "Pairs of consecutive days with a value."}
    )
    rmssd = fields.Float(
        required=True, allow_none=True, metadata={"description": "From 4 consecutive pairs."}
    )
    pac = fields.Float(
        required=True, allow_none=True, metadata={"description": "From 4 consecutive pairs."}
    )
    withheld = fields.Nested(
        WithheldFiguresSchema,
        required=True,
        metadata={"description": "Why each figure above that is null was withheld, in words."},
    )


class WeeklyPointSchema(DescribedSchema):
    week = fields.String(required=True, metadata={"description": "Local ISO week."})
    start = fields.String(required=True, metadata={"description": "Its Monday."})
    end = fields.String(required=True, metadata={"description": "Its Sunday."})


class WindowDescribedSchema(DescribedSchema):
    inertia = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "Lag-1 autocorrelation, from 50 pairs of consecutive days."},
    )


class TrendsSummarySchema(Schema):
    """Everything measured over the whole range."""

    start = fields.String(required=True)
    end = fields.String(required=True)
    days = fields.Integer(required=True)
    checkin_days = fields.Integer(required=True)
    checkins = fields.Integer(required=True)
    adherence = fields.Float(required=True)
    mood = fields.Nested(WindowDescribedSchema, required=True)
    energy = fields.Nested(WindowDescribedSchema, required=True)
    self_energy = fields.Nested(SelfEnergySummarySchema, required=True)
    parts = fields.List(
        fields.Nested(PartActivitySchema),
        required=True,
        metadata={"description": "Per part, most active first."},
    )
    regulation = fields.Nested(
        RegulationSummarySchema,
        required=True,
        metadata={
            "description": "episodes, mean_success, median minutes to settle, and "
            "best_strategies (used at least twice; strategies only ever used together share "
            "one entry: `strategy` and `used_with`)."
        },
    )
    attachment = fields.Nested(AttachmentSummarySchema, required=True)
    emotions = fields.List(
        fields.Nested(EmotionCountSchema),
        required=True,
        metadata={"description": "The 5 emotions named most often, most often first."},
    )


class TrendsSchema(Schema):
    timezone = fields.String(required=True)
    date_from = fields.Date(data_key="from", required=True)
    date_to = fields.Date(data_key="to", required=True)
    daily = fields.Dict(
        keys=fields.String(),
        required=True,
        values=fields.List(fields.Nested(DailyPointSchema)),
        metadata={
            "description": "Per metric, one point a day: date, value (the day's mean), "
            "n (check-ins with a value), ewma (smoothed, for charts)."
        },
    )
    weekly = fields.Dict(
        keys=fields.String(),
        required=True,
        values=fields.List(fields.Nested(WeeklyPointSchema)),
        metadata={
            "description": "Per metric, one point a local ISO week: n days, mean, range, "
            "sd and relative sd (from 5 days), rmssd and pac (from 4 "
            "consecutive-day pairs); null where the data is too little, and why in withheld."
        },
    )
    weekly_parts = fields.List(
        fields.Nested(WeeklyPartsSchema),
        required=True,
        metadata={
            "description": "One entry a local ISO week: week, checkin_days, and parts (per part: "
            "days, appearances, mean intensity, blended share), most active first."
        },
    )
    summary = fields.Nested(TrendsSummarySchema, required=True)


def default_range(data: dict, today: dt.date) -> tuple[dt.date, dt.date]:
    end = data.get("date_to") or today
    start = data.get("date_from") or week_start(end) - dt.timedelta(weeks=DEFAULT_WEEKS - 1)
    return start, end
