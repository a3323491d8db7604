"""A client's parts (IFS): the inner protectors and exiles they are getting to know."""

from __future__ import annotations

from mongoengine import DateTimeField, ObjectIdField, StringField

from api.domain.scales import PART_FIELD_MAX, PART_NAME_MAX, PART_ROLES
from api.models.base import TimestampedDocument
from api.models.fields import EncryptedStringField


class Part(TimestampedDocument):
    owner = ObjectIdField(required=True)
    name = StringField(required=True, max_length=PART_NAME_MAX)
    role = StringField(required=True, choices=PART_ROLES, default="unknown")
    fears = EncryptedStringField("parts.fears", max_length=PART_FIELD_MAX, default="")
    needs = EncryptedStringField("parts.needs", max_length=PART_FIELD_MAX, default="")
    body_location = StringField(max_length=PART_NAME_MAX, default="")
    notes = EncryptedStringField("parts.notes", max_length=PART_FIELD_MAX * 5, default="")
    archived_at = DateTimeField()

    meta = {"collection": "parts", "indexes": [("owner", "archived_at", "name")]}
