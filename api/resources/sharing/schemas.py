import datetime as dt

from marshmallow import Schema, ValidationError, fields, validate, validates

from api.domain import consent
from api.models.base import utcnow
from api.resources.fields import ObjectIdString

_SCOPES_HELP = "; ".join(f"{s}: {label}" for s, label in consent.SCOPE_LABELS.items())


def _scopes(description: str, **kwargs) -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(consent.SCOPES)),
        metadata={"description": f"{description} {_SCOPES_HELP}"},
        **kwargs,
    )


def _in_order(scopes: list[str]) -> list[str]:
    return [s for s in consent.SCOPES if s in scopes]


class _ScopesMixin(Schema):
    @validates("scopes")
    def unique_scopes(self, value, **_kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("A scope is listed twice.")


class InvitationCreateSchema(_ScopesMixin):
    scopes = _scopes(
        "What to share (default: " + ", ".join(consent.DEFAULT_SCOPES) + "; notes only if named).",
        load_default=lambda: list(consent.DEFAULT_SCOPES),
        validate=validate.Length(min=1, error="Share at least one thing."),
    )
    grant_ends_at = fields.AwareDateTime(
        default_timezone=dt.UTC,
        allow_none=True,
        metadata={"description": "When the grant ends (default: when I revoke it)."},
    )

    @validates("grant_ends_at")
    def in_the_future(self, value, **_kwargs):
        if value is not None and value <= utcnow():
            raise ValidationError("Give a time in the future.")


class InvitationSchema(Schema):
    id = fields.String()
    scopes = fields.Function(lambda i: _in_order(i.scopes))
    grant_ends_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(metadata={"description": "The code works until then."})
    created_at = fields.DateTime()


class InvitationCreatedSchema(InvitationSchema):
    code = fields.String(
        metadata={"description": "Give this to your therapist. It is shown only this once."}
    )


class PersonSchema(Schema):
    id = fields.String()
    display_name = fields.String()
    email = fields.String()


class GrantSchema(Schema):
    id = fields.String()
    therapist = fields.Nested(PersonSchema, allow_none=True)
    scopes = fields.List(fields.String())
    status = fields.String(metadata={"description": ", ".join(consent.STATUSES)})
    accepted_at = fields.DateTime(metadata={"description": "When the therapist redeemed it."})
    ends_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class GrantPatchSchema(_ScopesMixin):
    scopes = _scopes("Only fewer: a subset of the current scopes.")
    ends_at = fields.AwareDateTime(
        default_timezone=dt.UTC,
        allow_none=True,
        metadata={"description": "Set an end, or bring it forward (never later, never removed)."},
    )


class GrantQueryArgsSchema(Schema):
    status = fields.String(validate=validate.OneOf(consent.STATUSES))


class AccessLogQueryArgsSchema(Schema):
    therapist = ObjectIdString(metadata={"description": "Only this therapist's reads."})


class AccessLogEntrySchema(Schema):
    id = fields.String()
    at = fields.DateTime()
    what = fields.String(metadata={"description": ", ".join(consent.READS)})
    scopes = fields.List(fields.String(), metadata={"description": "What the read drew on."})
    grant_id = fields.String(allow_none=True)
    therapist = fields.Nested(
        PersonSchema, allow_none=True, metadata={"description": "null: the account was deleted."}
    )
