"""A client's weekly digest: the week's insights and the plain-language text shown for them."""

from __future__ import annotations

from mongoengine import DictField, IntField, ObjectIdField, StringField

from api.models.base import TimestampedDocument


class Digest(TimestampedDocument):
    owner = ObjectIdField(required=True)
    #: Local ISO week, e.g. "2026-W47".
    week = StringField(required=True, regex=r"^\d{4}-W\d{2}$")
    version = IntField(required=True)
    #: The digest as `api.insights.build_digest` made it (numbers and part ids, never free text).
    data = DictField(required=True)
    #: {"paragraph": str, "bullets": [str]}, from `api.insights.render_summary`.
    summary = DictField(required=True)

    meta = {
        "collection": "digests",
        "indexes": [{"fields": ["owner", "week"], "unique": True}],
    }
