"""A client's invitation to a therapist: a one-time code, stored only as its SHA-256."""

from __future__ import annotations

from mongoengine import DateTimeField, ListField, ObjectIdField, StringField

from api.domain.consent import SCOPES
from api.models.base import TimestampedDocument


class Invitation(TimestampedDocument):
    client = ObjectIdField(required=True)
    code_hash = StringField(required=True, unique=True)
    #: What the grant made from this invitation will cover.
    scopes = ListField(StringField(choices=SCOPES), required=True)
    #: When that grant ends (None: until the client revokes it).
    grant_ends_at = DateTimeField()
    #: The code can be redeemed until then (never after grant_ends_at).
    expires_at = DateTimeField(required=True)
    redeemed_at = DateTimeField()
    redeemed_by = ObjectIdField()
    cancelled_at = DateTimeField()

    meta = {"collection": "invitations", "indexes": [("client", "-created_at"), "redeemed_by"]}
