"""A client's weekly digest: the week's insights and the plain-language text shown for them."""

from __future__ import annotations

from mongoengine import BooleanField, DictField, Document, IntField, ObjectIdField, StringField

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
    #: True once a check-in its numbers read was created, corrected or deleted after it was
    #: built: the next read rebuilds it (see api.digests.staleness).
    stale = BooleanField(default=False)

    meta = {
        "collection": "digests",
        "indexes": [{"fields": ["owner", "week"], "unique": True}],
    }


class DigestRevision(Document):
    """How many times a client's check-ins changed in a way that made stored digests stale: a
    digest build compares it before and after, to know whether it read in time (see
    api.digests.staleness). A counter and nothing else."""

    owner = ObjectIdField(required=True)
    n = IntField(required=True, default=0)

    meta = {
        "collection": "digest_revisions",
        "indexes": [{"fields": ["owner"], "unique": True}],
    }
