from marshmallow import Schema, fields, validate

from api.domain.scales import PART_FIELD_MAX, PART_NAME_MAX, PART_ROLES
from api.resources.fields import Text


def _text(limit: int, **kwargs) -> Text:
    return Text(validate=validate.Length(max=limit), **kwargs)


class PartSchema(Schema):
    id = fields.String(dump_only=True, required=True)
    name = fields.String(dump_only=True, required=True)
    role = fields.String(dump_only=True, required=True, validate=validate.OneOf(PART_ROLES))
    fears = fields.String(dump_only=True, required=True)
    needs = fields.String(dump_only=True, required=True)
    body_location = fields.String(dump_only=True, required=True)
    notes = fields.String(dump_only=True, required=True)
    archived = fields.Function(
        lambda part: part.archived_at is not None,
        dump_only=True,
        required=True,
        metadata={"type": "boolean"},
    )
    archived_at = fields.DateTime(dump_only=True, required=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True, required=True)
    updated_at = fields.DateTime(dump_only=True, required=True)


class PartCreateSchema(Schema):
    name = Text(
        required=True,
        validate=validate.And(
            validate.Length(1, PART_NAME_MAX),
            validate.Regexp(r"\s*\S", error="A part needs a name."),
        ),
        metadata={"description": "What the client calls this part, e.g. 'the Inner Critic'."},
    )
    role = fields.String(
        load_default="unknown",
        validate=validate.OneOf(PART_ROLES),
        metadata={"description": "manager, firefighter, exile or unknown."},
    )
    fears = _text(
        PART_FIELD_MAX, metadata={"description": "What this part is afraid would happen."}
    )
    needs = _text(PART_FIELD_MAX, metadata={"description": "What this part needs."})
    body_location = _text(PART_NAME_MAX, metadata={"description": "Where it is felt in the body."})
    notes = _text(PART_FIELD_MAX * 5, metadata={"description": "Free notes (encrypted at rest)."})


class PartPatchSchema(PartCreateSchema):
    name = Text(
        validate=validate.And(
            validate.Length(1, PART_NAME_MAX),
            validate.Regexp(r"\s*\S", error="A part needs a name."),
        )
    )
    role = fields.String(validate=validate.OneOf(PART_ROLES))
    archived = fields.Boolean(metadata={"description": "Archive (true) or bring back (false)."})


class PartQueryArgsSchema(Schema):
    include_archived = fields.Boolean(load_default=False)
