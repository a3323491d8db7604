from marshmallow import Schema, fields, post_load, validate

from api.resources.fields import TimeZone


class ReminderPreferencesSchema(Schema):
    enabled = fields.Boolean()
    local_time = fields.String(
        validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Use 24-hour HH:MM."),
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


class UserSchema(Schema):
    id = fields.String(dump_only=True)
    email = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    display_name = fields.String(validate=validate.Length(max=80))
    timezone = TimeZone()
    reminders = fields.Nested(ReminderPreferencesSchema)
    created_at = fields.DateTime(dump_only=True)


class UserPatchSchema(Schema):
    display_name = fields.String(validate=validate.Length(max=80))
    timezone = TimeZone()
    reminders = fields.Nested(ReminderPreferencesSchema)
