from marshmallow import Schema, fields, pre_dump

from api.digests.reading import with_headlines


class DigestSummarySchema(Schema):
    """The week in plain language; every sentence is true for the numbers in `data`."""

    headline = fields.String(
        required=True,
        metadata={
            "description": "One short sentence that opens the reflection: a change only when "
            "the reliable-change rule found one."
        },
    )
    highlights = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "At most 3 short sentences, the most telling first: further reliable "
            "changes, the most active part, what helped, Self-energy's level."
        },
    )
    paragraph = fields.String(
        required=True, metadata={"description": "The week's days, mood and its comparisons."}
    )
    bullets = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "One line per section: spread, Self-energy, parts, ..."},
    )


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

    @pre_dump(pass_collection=True)
    def complete_older_summaries(self, digests, many, **_kwargs):
        """Digests stored by an earlier version get their headline and highlights here."""
        if many:
            return with_headlines(digests)
        return with_headlines([digests])[0]


def _get(digest, key, default=None):
    return digest.get(key, default) if isinstance(digest, dict) else getattr(digest, key, default)


def _data(digest) -> dict:
    return _get(digest, "data")
