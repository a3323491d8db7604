from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from api.domain import scales as s
from api.models.checkin import ANSWER_FIELDS, is_answered
from api.resources.fields import LocalDate, Moment, ObjectIdString, Rating, Text
from api.services import checkins


class EmotionSchema(Schema):
    name = Text(
        required=True,
        validate=validate.And(validate.Length(1, s.EMOTION_NAME_MAX), validate.Regexp(r"\s*\S")),
        metadata={"description": "e.g. " + ", ".join(s.SUGGESTED_EMOTIONS[:6]) + ", or own words."},
    )
    intensity = Rating(allow_none=True)


class ActivePartSchema(Schema):
    part = ObjectIdString(required=True, metadata={"description": "Id of one of my parts."})
    intensity = Rating(allow_none=True)
    blended = fields.Boolean(
        allow_none=True, metadata={"description": "Did I feel blended with (taken over by) it?"}
    )


class SelfEnergySchema(Schema):
    """The 8 Cs of Self-energy, each 0-10; any may be left out."""

    calm = Rating(allow_none=True)
    curiosity = Rating(allow_none=True)
    clarity = Rating(allow_none=True)
    compassion = Rating(allow_none=True)
    confidence = Rating(allow_none=True)
    courage = Rating(allow_none=True)
    creativity = Rating(allow_none=True)
    connectedness = Rating(allow_none=True)


assert tuple(SelfEnergySchema._declared_fields) == s.SELF_ENERGY_CS


#: What a hard moment's record says about it, beyond whether it happened.
REGULATION_DETAILS = ("peak_intensity", "strategies", "success", "minutes_to_settle")


class RegulationSchema(Schema):
    """A hard moment and how it was regulated: `{"occurred": false}` answers "no hard moment";
    `{"occurred": true, ...}` or the details alone (as older clients send them) is one."""

    occurred = fields.Boolean(
        allow_none=True,
        metadata={
            "description": "Was there a hard moment? false: no (an answer in itself, with no "
            "details); true or left out: the details describe one."
        },
    )
    peak_intensity = Rating(allow_none=True)
    strategies = fields.List(
        fields.String(validate=validate.OneOf(s.REGULATION_STRATEGIES)),
        load_default=list,
        validate=validate.Length(max=s.MAX_STRATEGIES_PER_EPISODE),
    )
    success = Rating(allow_none=True, metadata={"description": "How well it worked, 0-10."})
    minutes_to_settle = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(0, s.MINUTES_TO_SETTLE_MAX)
    )

    @validates("strategies")
    def unique_strategies(self, value, **_kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("A strategy is listed twice.")

    @validates_schema
    def no_details_without_a_hard_moment(self, data, **_kwargs):
        if data.get("occurred") is not False:
            return
        sent = [name for name in REGULATION_DETAILS if data.get(name) not in (None, [])]
        if sent:
            message = "There was no hard moment (occurred is false): leave this out."
            raise ValidationError({name: [message] for name in sent})


class AttachmentSchema(Schema):
    anxiety = Rating(allow_none=True, metadata={"description": "Worry about closeness, 0-10."})
    avoidance = Rating(allow_none=True, metadata={"description": "Pulling away, 0-10."})
    reached_out = fields.Boolean(allow_none=True)
    felt_supported = fields.Boolean(allow_none=True)


def _note() -> Text:
    return Text(
        allow_none=True,
        validate=validate.Length(max=s.NOTE_MAX_CHARS),
        metadata={"description": "Free text, encrypted at rest."},
    )


class _CheckinAnswersSchema(Schema):
    local_date = LocalDate(
        metadata={"description": "The client's local day (defaults to today in my time zone)."}
    )
    recorded_at = Moment(
        metadata={"description": "When it was written, UTC ISO 8601 (defaults to now)."},
    )
    mood = Rating(allow_none=True, metadata={"description": "Mood (valence), 0-10."})
    energy = Rating(allow_none=True)
    emotions = fields.List(
        fields.Nested(EmotionSchema), validate=validate.Length(max=s.MAX_EMOTIONS_PER_CHECKIN)
    )
    parts = fields.List(
        fields.Nested(ActivePartSchema), validate=validate.Length(max=s.MAX_PARTS_PER_CHECKIN)
    )
    self_energy = fields.Nested(SelfEnergySchema, allow_none=True)
    regulation = fields.Nested(RegulationSchema, allow_none=True)
    attachment = fields.Nested(AttachmentSchema, allow_none=True)
    inner_child_note = _note()
    note = _note()

    @validates("emotions")
    def unique_emotions(self, value, **_kwargs):
        # Items that failed their own validation may arrive partial: skip what is missing.
        names = [e["name"].strip().casefold() for e in value if "name" in e]
        if len(set(names)) != len(names):
            raise ValidationError("An emotion is listed twice.")

    @validates("parts")
    def unique_parts(self, value, **_kwargs):
        ids = [p["part"] for p in value if "part" in p]
        if len(set(ids)) != len(ids):
            raise ValidationError("A part is listed twice.")

    @validates_schema
    def local_date_matches_recorded_at(self, data, **_kwargs):
        if data.get("local_date") and data.get("recorded_at"):
            checkins.check_local_date(data["local_date"], data["recorded_at"])
        elif data.get("local_date") and "recorded_at" not in data:
            checkins.check_local_date_has_begun(data["local_date"])


class CheckinCreateSchema(_CheckinAnswersSchema):
    client_id = fields.UUID(
        required=True,
        metadata={"description": "A UUID made by the client: replaying it never duplicates."},
    )

    @validates_schema
    def has_an_answer(self, data, **_kwargs):
        if not any(is_answered(data.get(name)) for name in ANSWER_FIELDS):
            raise ValidationError("A check-in needs at least one answer.", "_schema")


class CheckinPatchSchema(_CheckinAnswersSchema):
    """Correct a check-in: send only what changes; null clears an answer."""


class CheckinSchema(_CheckinAnswersSchema):
    local_date = LocalDate(required=True, metadata={"description": "The client's local day."})
    id = fields.String(dump_only=True, required=True)
    client_id = fields.String(dump_only=True, required=True)
    timezone = fields.String(dump_only=True, required=True)
    created_at = fields.DateTime(dump_only=True, required=True)
    updated_at = fields.DateTime(dump_only=True, required=True)


class CheckinQueryArgsSchema(Schema):
    date_from = LocalDate(data_key="from", metadata={"description": "First local date."})
    date_to = LocalDate(data_key="to", metadata={"description": "Last local date (inclusive)."})

    @validates_schema
    def ordered(self, data, **_kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("'from' is after 'to'.", "from")


class CheckinBatchSchema(Schema):
    # Items are validated one by one in the view, so that one bad item fails alone.
    checkins = fields.List(
        fields.Raw(),
        required=True,
        validate=validate.Length(1, 100),
        metadata={"description": "Up to 100 check-ins (each as in POST /checkins)."},
    )


class CheckinBatchResultSchema(Schema):
    index = fields.Integer(required=True)
    client_id = fields.String(allow_none=True)
    status = fields.Integer(required=True, metadata={"description": "201, 200, 409, 410 or 422"})
    message = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "With a 422: per field, its messages (nested as the field is)."},
    )
    checkin = fields.Nested(CheckinSchema)


class CheckinBatchResponseSchema(Schema):
    results = fields.List(fields.Nested(CheckinBatchResultSchema), required=True)
