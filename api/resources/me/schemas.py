from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

from api.domain.scales import CHECKIN_STEP_KEYS
from api.models.user import DIGEST_CHANNELS, ROLES
from api.resources.fields import Text, TimeZone

_LOCAL_TIME = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Use 24-hour HH:MM.")


class ReminderPreferencesSchema(Schema):
    enabled = fields.Boolean()
    local_time = fields.String(
        validate=_LOCAL_TIME,
        metadata={"description": "Local time of day, HH:MM, in the user's time zone."},
    )
    weekdays = fields.List(
        fields.Integer(strict=True, validate=validate.Range(1, 7)),
        validate=validate.Length(max=7),
        metadata={"description": "ISO weekdays: Monday = 1 ... Sunday = 7."},
    )

    @post_load
    def normalise_weekdays(self, data, **_kwargs):
        if "weekdays" in data:
            data["weekdays"] = sorted(set(data["weekdays"]))
        return data


class DigestPreferencesSchema(Schema):
    enabled = fields.Boolean()
    weekday = fields.Integer(
        strict=True,
        validate=validate.Range(1, 7),
        metadata={"description": "ISO weekday the digest comes: Monday = 1 ... Sunday = 7."},
    )
    local_time = fields.String(
        validate=_LOCAL_TIME,
        metadata={"description": "Local time of day, HH:MM, in the user's time zone."},
    )
    channel = fields.String(
        validate=validate.OneOf(DIGEST_CHANNELS),
        metadata={"description": "push, email or both."},
    )
    include_summary_in_email = fields.Boolean(
        metadata={
            "description": "Put the week's summary in the email (default: only a link to it)."
        }
    )


def _checkin_steps() -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(CHECKIN_STEP_KEYS)),
        validate=validate.Length(min=1, error="Keep at least one step."),
        metadata={
            "description": "The steps my full check-in has, from GET /meta/scales "
            "checkin_steps; stored in that order, whatever the order sent. Default: all."
        },
    )


class UserSchema(Schema):
    id = fields.String(dump_only=True, required=True)
    email = fields.String(dump_only=True, required=True)
    role = fields.String(dump_only=True, required=True, validate=validate.OneOf(ROLES))
    display_name = fields.String(required=True, validate=validate.Length(max=80))
    timezone = TimeZone(required=True)
    reminders = fields.Nested(ReminderPreferencesSchema)
    digest = fields.Nested(DigestPreferencesSchema)
    checkin_steps = _checkin_steps()
    next_reminder_at = fields.DateTime(
        dump_only=True, allow_none=True, metadata={"description": "When the next reminder is due."}
    )
    next_digest_at = fields.DateTime(
        dump_only=True, allow_none=True, metadata={"description": "When the next digest is due."}
    )
    created_at = fields.DateTime(dump_only=True)


class UserPatchSchema(Schema):
    display_name = Text(validate=validate.Length(max=80))
    timezone = TimeZone()
    reminders = fields.Nested(ReminderPreferencesSchema)
    digest = fields.Nested(DigestPreferencesSchema)
    checkin_steps = _checkin_steps()

    @validates("checkin_steps")
    def steps_once_each(self, value, **_kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("A step is listed twice.")

    @post_load
    def steps_in_checkin_order(self, data, **_kwargs):
        if "checkin_steps" in data:
            chosen = set(data["checkin_steps"])
            data["checkin_steps"] = [key for key in CHECKIN_STEP_KEYS if key in chosen]
        return data
