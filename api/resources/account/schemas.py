import datetime as dt

from flask import current_app
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from api import db
from api.accounts.archive import FORMAT, VERSION
from api.domain import questionnaires as q
from api.domain.local_time import possible_local_days
from api.models.base import utcnow
from api.resources.checkins.schemas import CheckinPatchSchema
from api.resources.fields import LocalDate, Moment, ObjectIdString, Text, TimeZone
from api.resources.parts.schemas import PartCreateSchema
from api.resources.sharing.schemas import PersonSchema
from api.resources.summaries import KeepUndeclaredSchema
from api.services.checkins import FUTURE_SKEW


def _when(**kwargs) -> fields.AwareDateTime:
    return fields.AwareDateTime(default_timezone=dt.UTC, **kwargs)


class _Archived(Schema):
    """Read back what an export wrote: its extra, informative fields are ignored."""

    class Meta:
        unknown = EXCLUDE

    created_at = _when()
    updated_at = _when()


class PartArchiveSchema(PartCreateSchema, _Archived):
    """A part as POST /parts takes it, with the id check-ins name it by."""

    class Meta:
        unknown = EXCLUDE

    id = ObjectIdString(required=True, metadata={"description": "Check-ins name parts by it."})
    archived_at = _when(allow_none=True)


class CheckinArchiveSchema(CheckinPatchSchema, _Archived):
    """A check-in as stored: its answers as PATCH /checkins/{id} takes them, and its keys."""

    class Meta:
        unknown = EXCLUDE

    client_id = Text(required=True, validate=validate.Length(1, 100))
    payload_hash = Text(validate=validate.Length(max=128))
    timezone = TimeZone(allow_none=True)
    local_date = LocalDate(required=True)
    recorded_at = Moment(required=True)

    @validates_schema
    def local_date_matches_recorded_at(self, data, **_kwargs):
        """A day may be written down later (a past day filled in, as POST /checkins takes it
        without recorded_at), never before it has begun, nor in the future."""
        if "recorded_at" not in data:
            return
        if data["recorded_at"] > utcnow() + FUTURE_SKEW:
            raise ValidationError("This time is in the future.", "recorded_at")
        if (
            "local_date" in data
            and data["local_date"] > possible_local_days(data["recorded_at"])[1]
        ):
            raise ValidationError(
                "local_date had not begun in any time zone at recorded_at.", "local_date"
            )


class QuestionnaireResponseArchiveSchema(_Archived):
    client_id = Text(required=True, validate=validate.Length(1, 100))
    payload_hash = Text(validate=validate.Length(max=128))
    instrument = fields.String(required=True, validate=validate.OneOf(q.INSTRUMENTS))
    answers = fields.List(
        fields.Integer(strict=True, validate=validate.Range(q.ANSWER_MIN, q.ANSWER_MAX)),
        required=True,
    )
    difficulty = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(q.ANSWER_MIN, q.ANSWER_MAX)
    )
    total = fields.Integer(dump_only=True, metadata={"description": "Scored again on import."})
    band = fields.String(dump_only=True)
    flags = fields.List(fields.String(), dump_only=True)
    local_date = LocalDate(required=True)
    recorded_at = Moment(required=True)
    timezone = TimeZone(allow_none=True)


class ArchivedGrantSchema(Schema):
    id = fields.String()
    client = fields.Nested(PersonSchema, allow_none=True)
    therapist = fields.Nested(PersonSchema, allow_none=True)
    scopes = fields.List(fields.String())
    status = fields.String()
    accepted_at = fields.DateTime()
    ends_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class ArchivedReadSchema(Schema):
    at = fields.DateTime()
    what = fields.String()
    scopes = fields.List(fields.String())
    grant_id = fields.String(allow_none=True)
    client = fields.Nested(PersonSchema, allow_none=True)
    therapist = fields.Nested(PersonSchema, allow_none=True)


_RECORD = {"description": "For the record: not imported."}
#: What an import takes, each up to IMPORT_MAX_<KIND> items (see api.config).
IMPORTED = ("parts", "checkins", "questionnaire_responses")


class ProfileArchiveSchema(KeepUndeclaredSchema):
    """Everything stored about me except secrets and scheduling bookkeeping, as stored: the keys
    below, and any other the account's document holds."""

    email = fields.String()
    role = fields.String()
    display_name = fields.String()
    timezone = fields.String()
    reminders = fields.Dict(keys=fields.String(), metadata={"description": "As in GET /me."})
    digest = fields.Dict(keys=fields.String(), metadata={"description": "As in GET /me."})
    checkin_steps = fields.List(fields.String())
    created_at = fields.String()
    updated_at = fields.String()


class ArchiveSchema(Schema):
    """Everything I entered, in one document: GET /me/export writes it, POST /me/import reads it."""

    class Meta:
        unknown = EXCLUDE

    format = fields.String(required=True, validate=validate.Equal(FORMAT))
    version = fields.Integer(required=True, validate=validate.Equal(VERSION))
    exported_at = fields.DateTime(dump_only=True)
    profile = fields.Nested(
        ProfileArchiveSchema, dump_only=True, metadata={"description": "Not imported."}
    )
    parts = fields.List(fields.Nested(PartArchiveSchema), load_default=list)
    checkins = fields.List(fields.Nested(CheckinArchiveSchema), load_default=list)
    questionnaire_responses = fields.List(
        fields.Nested(QuestionnaireResponseArchiveSchema), load_default=list
    )
    grants = fields.List(fields.Nested(ArchivedGrantSchema), dump_only=True, metadata=_RECORD)
    access_log = fields.List(fields.Nested(ArchivedReadSchema), dump_only=True, metadata=_RECORD)

    def load(self, *args, **kwargs):
        # Checking a large archive is seconds of work that needs no store: let other requests
        # use the embedded store meanwhile (a no-op on MongoDB and outside a request).
        with db.store_released():
            return super().load(*args, **kwargs)

    @pre_load
    def not_too_many(self, data, **_kwargs):
        """Count the items before checking each (IMPORT_MAX_<KIND> in the configuration)."""
        if not isinstance(data, dict):
            return data
        errors = {}
        for kind in IMPORTED:
            limit, items = current_app.config[f"IMPORT_MAX_{kind.upper()}"], data.get(kind)
            if isinstance(items, list) and len(items) > limit:
                what = kind.replace("_", " ")
                errors[kind] = [f"An import takes {limit} {what} at most; this has {len(items)}."]
        if errors:
            raise ValidationError(errors)
        return data


class CsvExportArgsSchema(Schema):
    what = fields.String(
        load_default="checkins",
        validate=validate.OneOf(("checkins", "parts", "questionnaires")),
        metadata={"description": "checkins (default), parts or questionnaires."},
    )


class CountsSchema(Schema):
    created = fields.Integer()
    existing = fields.Integer(metadata={"description": "Already in the account: left as they are."})


class ImportResultSchema(Schema):
    parts = fields.Nested(CountsSchema)
    checkins = fields.Nested(CountsSchema)
    questionnaire_responses = fields.Nested(CountsSchema)


class AccountDeleteSchema(Schema):
    password = Text(
        required=True,
        load_only=True,
        validate=validate.Length(1, 256),
        metadata={"description": "My password, to confirm."},
    )
