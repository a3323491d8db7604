"""Users: clients who keep a journal and therapists they may share it with."""

from __future__ import annotations

from mongoengine import (
    BooleanField,
    EmbeddedDocument,
    EmbeddedDocumentField,
    IntField,
    ListField,
    StringField,
)

from api.models.base import TimestampedDocument

ROLES = ("client", "therapist")


class ReminderPreferences(EmbeddedDocument):
    """When the daily check-in reminder comes, in the user's own time zone."""

    enabled = BooleanField(default=True)
    local_time = StringField(default="20:00", regex=r"^([01]\d|2[0-3]):[0-5]\d$")
    #: ISO weekdays, Monday = 1 ... Sunday = 7.
    weekdays = ListField(IntField(min_value=1, max_value=7), default=lambda: [1, 2, 3, 4, 5, 6, 7])


class User(TimestampedDocument):
    email = StringField(required=True, unique=True, max_length=254)  # case-folded
    password_hash = StringField(required=True)
    role = StringField(required=True, choices=ROLES)
    display_name = StringField(max_length=80, default="")
    timezone = StringField(required=True, default="UTC")
    reminders = EmbeddedDocumentField(ReminderPreferences, default=ReminderPreferences)

    meta = {"collection": "users"}

    @property
    def is_client(self) -> bool:
        return self.role == "client"
