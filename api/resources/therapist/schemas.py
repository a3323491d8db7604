import datetime as dt
import unicodedata

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)
from webargs.fields import DelimitedList

from api.domain import consent
from api.insights.series import METRICS
from api.models.consent import LABEL_MAX
from api.resources.fields import Text
from api.resources.sharing.schemas import PersonSchema
from api.resources.therapist import attention
from api.resources.trends.schemas import MAX_DAYS, TrendsQueryArgsSchema, WeeklyPointSchema


class RedeemSchema(Schema):
    code = Text(
        required=True,
        validate=validate.Length(1, 32),
        metadata={"description": "The code the client gave you, e.g. K7QM-3XPD."},
    )


class TherapistGrantSchema(Schema):
    id = fields.String()
    scopes = fields.List(fields.String(), metadata={"description": ", ".join(consent.SCOPES)})
    accepted_at = fields.DateTime()
    ends_at = fields.DateTime(allow_none=True)
    label = fields.String(
        allow_none=True,
        metadata={"description": "The name I keep the client under in my records and downloads."},
    )


#: Unicode categories a one-line name may not hold: control characters, line and paragraph breaks.
_NOT_ON_ONE_LINE = ("Cc", "Zl", "Zp")


class ClientLabelSchema(Schema):
    label = Text(
        required=True,
        allow_none=True,
        metadata={
            "description": f"At most {LABEL_MAX} characters, trimmed; empty or null clears it "
            "(downloads then use the name the client chose)."
        },
    )

    @validates("label")
    def plain_and_short(self, value, **_kwargs):
        if value is None:
            return
        if len(value.strip()) > LABEL_MAX:
            raise ValidationError(f"At most {LABEL_MAX} characters.")
        if any(unicodedata.category(c) in _NOT_ON_ONE_LINE for c in value):
            raise ValidationError("Use a name on one line, without control characters.")

    @post_load
    def trimmed(self, data, **_kwargs):
        return {"label": (data["label"] or "").strip() or None}


class RedeemedSchema(TherapistGrantSchema):
    client = fields.Nested(PersonSchema)


class MeanSchema(Schema):
    mean = fields.Float(allow_none=True)
    n = fields.Integer(metadata={"description": "Days with a value."})


class ClientWeekSchema(Schema):
    week = fields.String()
    start = fields.String()
    end = fields.String()
    checkin_days = fields.Integer()
    adherence = fields.Float()
    mood = fields.Nested(MeanSchema)
    self_energy = fields.Nested(MeanSchema)


class AttentionItemSchema(Schema):
    """Something in the client's shared data that may need attention: what was recorded, in
    plain words, never a diagnosis. Each kind has only some of the fields."""

    kind = fields.String(
        validate=validate.OneOf(attention.KINDS),
        metadata={
            "description": "no_recent_checkins (from weekly_trends), reliable_worsening (a "
            "questionnaire total, from questionnaires; the weekly mood mean, from weekly_trends), "
            "item9 (from questionnaires)."
        },
    )
    text = fields.String(metadata={"description": "One plain sentence, to show as it is."})
    days = fields.Integer(
        allow_none=True,
        metadata={"description": "no_recent_checkins: days since the last one; null: none yet."},
    )
    last_checkin = fields.Date(
        allow_none=True,
        metadata={"description": "no_recent_checkins: its local date; null: none yet."},
    )
    measure = fields.String(
        metadata={"description": "reliable_worsening: phq9, gad7 (a total) or mood (a week)."}
    )
    value = fields.Float(
        metadata={"description": "reliable_worsening: the latest total, or the week's mean."}
    )
    reference = fields.Float(
        metadata={
            "description": "reliable_worsening: the first total, or the mean of the client's "
            "last 4 weeks with ratings."
        }
    )
    change = fields.Float(metadata={"description": "reliable_worsening: value - reference."})
    threshold = fields.Float(
        metadata={
            "description": "reliable_worsening: the change that counts as reliable (the "
            "questionnaire's; for mood, from the client's usual week-to-week change)."
        }
    )
    week = fields.String(metadata={"description": "reliable_worsening of mood: the ISO week."})
    date = fields.Date(
        metadata={
            "description": "reliable_worsening of a total: the latest answer's local date; "
            "item9: the local date of the latest PHQ-9 with item 9 above 0 "
            f"(within {attention.ITEM9_DAYS} days)."
        }
    )


class ConsentingClientSchema(Schema):
    client = fields.Nested(PersonSchema)
    grant = fields.Nested(TherapistGrantSchema)
    latest_week = fields.Nested(
        ClientWeekSchema,
        allow_none=True,
        metadata={"description": "The last complete week; null unless weekly_trends is shared."},
    )
    attention = fields.List(
        fields.Nested(AttentionItemSchema),
        metadata={
            "description": "What may need attention, each item only from a scope shared: "
            f"no check-in for {attention.NO_CHECKIN_DAYS} days or more, a reliable worsening, "
            "PHQ-9 item 9 above 0. Empty: nothing."
        },
    )


class ClientTrendsQueryArgsSchema(TrendsQueryArgsSchema):
    metrics = DelimitedList(
        fields.String(validate=validate.OneOf(sorted(METRICS))),
        load_default=lambda: list(METRICS),
        metadata={"description": "Comma-separated: " + ", ".join(METRICS)},
    )


class WeekSchema(Schema):
    week = fields.String()
    start = fields.String()
    end = fields.String()
    checkin_days = fields.Integer()
    adherence = fields.Float()


class ClientTrendsSchema(Schema):
    client_id = fields.String()
    timezone = fields.String()
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")
    weeks = fields.List(fields.Nested(WeekSchema))
    weekly = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(WeeklyPointSchema)),
        metadata={"description": "Per metric, one point a local ISO week, as in GET /trends."},
    )


class DateRangeArgsSchema(Schema):
    date_from = fields.Date(data_key="from", metadata={"description": "First local date."})
    date_to = fields.Date(data_key="to", metadata={"description": "Last local date."})

    @validates_schema
    def bounded(self, data, **_kwargs):
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                raise ValidationError("'from' is after 'to'.", "from")
            if (end - start).days + 1 > MAX_DAYS:
                raise ValidationError(f"At most {MAX_DAYS} days at once.", "from")


class ScorePointSchema(Schema):
    local_date = fields.Date()
    total = fields.Integer()
    band = fields.String()
    flags = fields.List(fields.String())


class InstrumentHistorySchema(Schema):
    instrument = fields.String()
    title = fields.String()
    series = fields.List(fields.Nested(ScorePointSchema), metadata={"description": "Oldest first."})
    change = fields.Integer(allow_none=True)
    reliable_change = fields.Integer(allow_none=True)
    reliable = fields.Boolean(allow_none=True)
    note = fields.String()
    flag_text = fields.String(
        allow_none=True,
        metadata={"description": "The product's sentence on PHQ-9 item 9 answered above 0, if so."},
    )


class QuestionnaireHistorySchema(Schema):
    client_id = fields.String()
    instruments = fields.List(fields.Nested(InstrumentHistorySchema))


class NoteSchema(Schema):
    local_date = fields.Date()
    note = fields.String(allow_none=True)
    inner_child_note = fields.String(allow_none=True)


class AsGiven(fields.Float):
    """A number dumped as it is: an integer stays an integer."""

    def _format_num(self, value):
        return value


class CellSchema(Schema):
    """One figure over many clients, or nothing when fewer than k clients gave one."""

    value = AsGiven(
        required=True, allow_none=True, metadata={"description": "Null when suppressed."}
    )
    clients = fields.Raw(
        required=True,
        metadata={
            "type": ["integer", "string"],
            "description": "Clients the figure is built from, or 'fewer than k' when suppressed.",
        },
    )
    suppressed = fields.Boolean(required=True)


class CaseloadWeekSchema(Schema):
    week = fields.String(required=True, metadata={"description": "Local ISO week."})
    start = fields.String(required=True)
    end = fields.String(required=True)
    clients_with_data = fields.Nested(CellSchema, required=True)
    mood_mean = fields.Nested(CellSchema, required=True)
    self_energy_mean = fields.Nested(CellSchema, required=True)
    adherence = fields.Nested(CellSchema, required=True)


class CaseloadSchema(Schema):
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")
    k = fields.Integer(metadata={"description": "No figure is built from fewer clients."})
    clients = fields.Nested(
        CellSchema, metadata={"description": "Consenting clients counted (a cell)."}
    )
    weeks = fields.List(
        fields.Nested(CaseloadWeekSchema),
        metadata={
            "description": "Per week: clients_with_data, mood_mean, self_energy_mean, adherence; "
            "each {value, clients, suppressed}: value null and clients 'fewer than k' when "
            "suppressed."
        },
    )


def default_weeks(data: dict, last_day: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """`from`/`to` as given, else the `weeks` whole weeks ending on `last_day` (a Sunday)."""
    end = data.get("date_to") or last_day
    start = data.get("date_from") or end - dt.timedelta(days=7 * weeks - 1)
    return start, end
