from marshmallow import Schema, fields, post_load, validate

from api.models.user import ROLES
from api.resources.fields import Text, TimeZone
from api.resources.me.schemas import UserSchema

PASSWORD_MIN = 10
# argon2 would happily hash megabytes: cap the input so a login cannot be made expensive.
PASSWORD_MAX = 256


class _EmailMixin(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))

    @post_load
    def fold_email(self, data, **_kwargs):
        data["email"] = data["email"].strip().casefold()
        return data


def _new_password() -> Text:
    return Text(
        required=True,
        load_only=True,
        validate=validate.Length(PASSWORD_MIN, PASSWORD_MAX),
        metadata={"description": f"{PASSWORD_MIN} to {PASSWORD_MAX} characters."},
    )


class RegisterSchema(_EmailMixin):
    password = _new_password()
    role = fields.String(load_default="client", validate=validate.OneOf(ROLES))
    display_name = Text(load_default="", validate=validate.Length(max=80))
    timezone = TimeZone(load_default="UTC")


class LoginSchema(_EmailMixin):
    password = Text(required=True, load_only=True, validate=validate.Length(1, PASSWORD_MAX))


class SessionSchema(Schema):
    token = fields.String(required=True, metadata={"description": "Send as 'Bearer <token>'."})
    expires_at = fields.DateTime(required=True)
    user = fields.Nested(UserSchema, required=True)


class PasswordChangeSchema(Schema):
    current_password = Text(
        required=True, load_only=True, validate=validate.Length(1, PASSWORD_MAX)
    )
    new_password = _new_password()


class LogoutEverywhereSchema(Schema):
    revoked = fields.Integer(
        required=True, metadata={"description": "How many sessions (devices) were logged out."}
    )
