from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields, validate, validates_schema

from api.domain import questionnaires as q
from api.resources.checkins.schemas import CheckinQueryArgsSchema
from api.resources.fields import LocalDate, Moment
from api.services import checkins

_LONGEST = max(len(i.items) for i in q.INSTRUMENTS.values())


def _answer(**kwargs) -> fields.Integer:
    return fields.Integer(
        strict=True, validate=validate.Range(q.ANSWER_MIN, q.ANSWER_MAX), **kwargs
    )


class BandSchema(Schema):
    key = fields.String()
    min_total = fields.Integer()
    max_total = fields.Integer()
    label = fields.String(metadata={"description": "A neutral description, never a diagnosis."})


class QuestionnaireSchema(Schema):
    id = fields.String()
    title = fields.String()
    name = fields.String()
    stem = fields.String(metadata={"description": "The instruction above the items."})
    items = fields.List(fields.String())
    answer_options = fields.Function(
        lambda _i: list(q.ANSWER_OPTIONS), metadata={"description": "Scored 0, 1, 2, 3."}
    )
    max_total = fields.Integer()
    bands = fields.List(fields.Nested(BandSchema))
    difficulty_question = fields.String(
        allow_none=True, metadata={"description": "Optional and not scored (PHQ-9 only)."}
    )
    difficulty_options = fields.Function(
        lambda i: list(q.DIFFICULTY_OPTIONS) if i.difficulty_question else None, allow_none=True
    )
    reliable_change = fields.Integer(
        allow_none=True,
        metadata={"description": "Smallest change in total, in points, that counts as reliable."},
    )
    crisis_note = fields.String(
        allow_none=True,
        metadata={"description": "Who learns of an answer above 0 to the crisis item, or null."},
    )
    crisis_item = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Index of the item whose answer above 0 must show crisis resources "
            "at once (PHQ-9 item 9), or null."
        },
    )


class QuestionnaireResponseCreateSchema(Schema):
    client_id = fields.UUID(
        required=True,
        metadata={"description": "A UUID made by the client: replaying it never duplicates."},
    )
    answers = fields.List(
        _answer(allow_none=True),
        required=True,
        validate=validate.Length(1, _LONGEST),
        metadata={
            "description": "One answer per item, in order, each 0-3. The server scores. A form "
            "sent unfinished (null items, or a short list) is refused with 422 naming the "
            "questions not answered yet; nothing is stored."
        },
    )
    difficulty = _answer(
        allow_none=True, metadata={"description": "PHQ-9's optional difficulty question, 0-3."}
    )
    local_date = LocalDate(
        metadata={"description": "The client's local day (defaults to today in my time zone)."}
    )
    recorded_at = Moment(
        metadata={"description": "When it was answered, UTC ISO 8601 (defaults to now)."},
    )

    @validates_schema
    def local_date_matches_recorded_at(self, data, **_kwargs):
        if data.get("local_date") and data.get("recorded_at"):
            checkins.check_local_date(data["local_date"], data["recorded_at"])
        elif data.get("local_date"):
            checkins.check_local_date_has_begun(data["local_date"])


class QuestionnaireResponseSchema(Schema):
    id = fields.String(dump_only=True)
    client_id = fields.String()
    instrument = fields.String()
    answers = fields.List(fields.Integer())
    difficulty = fields.Integer(allow_none=True)
    total = fields.Integer(metadata={"description": "The sum of the answers."})
    band = fields.String()
    band_label = fields.Function(lambda r: q.INSTRUMENTS[r.instrument].band(r.band).label)
    flags = fields.List(
        fields.String(), metadata={"description": f"'{q.ITEM9_POSITIVE}' when item 9 was above 0."}
    )
    local_date = fields.Date()
    recorded_at = fields.DateTime()
    timezone = fields.String()
    created_at = fields.DateTime(dump_only=True)


class CrisisResourceSchema(Schema):
    name = fields.String(required=True)
    description = fields.String(required=True)
    phone = fields.String()
    text = fields.String(metadata={"description": "A number to send a text message to."})
    url = fields.String()


class CrisisResourcesSchema(Schema):
    locale = fields.String(metadata={"description": "The configured locale chosen, or 'default'."})
    message = fields.String()
    resources = fields.List(fields.Nested(CrisisResourceSchema))


class QuestionnaireResponseCreatedSchema(QuestionnaireResponseSchema):
    crisis_resources = fields.Nested(
        CrisisResourcesSchema,
        allow_none=True,
        metadata={"description": "Present when PHQ-9 item 9 was answered above 0; else null."},
    )


class AnswersRefusedSchema(ErrorSchema):
    crisis_resources = fields.Nested(
        CrisisResourcesSchema,
        metadata={
            "description": "Present when the refused answers hold PHQ-9 item 9 above 0: the "
            "same resources a complete answer gets."
        },
    )


class LocaleArgsSchema(Schema):
    locale = fields.String(
        validate=validate.Regexp(r"^[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8}){0,3}$"),
        metadata={"description": "e.g. 'en-GB': overrides Accept-Language for crisis resources."},
    )


class QuestionnaireResponseQueryArgsSchema(CheckinQueryArgsSchema):
    """The same local-date range as for check-ins: `from` and `to`, inclusive."""


class TrendPointSchema(Schema):
    local_date = fields.Date()
    total = fields.Integer()
    band = fields.String()


class QuestionnaireTrendSchema(Schema):
    instrument = fields.String()
    series = fields.List(fields.Nested(TrendPointSchema), metadata={"description": "Oldest first."})
    first = fields.Nested(TrendPointSchema, allow_none=True)
    last = fields.Nested(TrendPointSchema, allow_none=True)
    change = fields.Integer(allow_none=True, metadata={"description": "last - first, in points."})
    reliable_change = fields.Integer(
        allow_none=True, metadata={"description": "Points needed for a reliable change, if known."}
    )
    reliable = fields.Boolean(allow_none=True)
    note = fields.String(metadata={"description": "The change in words."})
