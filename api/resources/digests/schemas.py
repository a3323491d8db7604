from marshmallow import Schema, fields


class DigestSummarySchema(Schema):
    paragraph = fields.String(required=True)
    bullets = fields.List(fields.String(), required=True)


class DigestSchema(Schema):
    week = fields.String(required=True, metadata={"description": "Local ISO week, e.g. 2026-W47."})
    start = fields.Function(lambda d: _data(d)["start"], metadata={"description": "Monday"})
    end = fields.Function(lambda d: _data(d)["end"], metadata={"description": "Sunday"})
    in_progress = fields.Function(
        lambda d: bool(_get(d, "in_progress", False)),
        metadata={"description": "True for the week under way: computed now, not stored."},
    )
    summary = fields.Nested(DigestSummarySchema, required=True)
    data = fields.Dict(required=True, metadata={"description": "The numbers behind the text."})
    updated_at = fields.DateTime(allow_none=True)


def _get(digest, key, default=None):
    return digest.get(key, default) if isinstance(digest, dict) else getattr(digest, key, default)


def _data(digest) -> dict:
    return _get(digest, "data")
