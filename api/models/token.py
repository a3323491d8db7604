"""Bearer tokens. Only a SHA-256 of the token is stored; the token itself is shown once."""

from __future__ import annotations

from mongoengine import DateTimeField, ObjectIdField, StringField

from api.models.base import TimestampedDocument


class Token(TimestampedDocument):
    user = ObjectIdField(required=True)
    token_hash = StringField(required=True, unique=True)
    expires_at = DateTimeField(required=True)
    revoked_at = DateTimeField()
    user_agent = StringField(max_length=200, default="")

    meta = {
        "collection": "tokens",
        "indexes": [
            "user",
            # MongoDB removes expired tokens itself; the API also checks expires_at on every use.
            {"fields": ["expires_at"], "expireAfterSeconds": 0},
        ],
    }
