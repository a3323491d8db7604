from marshmallow import Schema, fields, post_load, validate

from api.models.user import DIGEST_CHANNELS
from api.resources.fields import TimeZone

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


class UserSchema(Schema):
    id = fields.String(dump_only=True)
    email = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    display_name = fields.String(validate=validate.Length(max=80))
    timezone = TimeZone()
    reminders = fields.Nested(ReminderPreferencesSchema)
    digest = fields.Nested(DigestPreferencesSchema)
    next_reminder_at = fields.DateTime(
        dump_only=True, allow_none=True, metadata={"description": "When the next reminder is due."}
    )
    next_digest_at = fields.DateTime(
        dump_only=True, allow_none=True, metadata={"description": "When the next digest is due."}
    )
    created_at = fields.DateTime(dump_only=True)


class UserPatchSchema(Schema):
    display_name = fields.String(validate=validate.Length(max=80))
    timezone = TimeZone()
    reminders = fields.Nested(ReminderPreferencesSchema)
    digest = fields.Nested(DigestPreferencesSchema)
