"""Users: clients who keep a journal and therapists they may share it with."""

from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateTimeField,
    EmbeddedDocument,
    EmbeddedDocumentField,
    IntField,
    ListField,
    StringField,
)

from api.domain.scales import CHECKIN_STEP_KEYS
from api.models.base import TimestampedDocument

ROLES = ("client", "therapist")


class ReminderPreferences(EmbeddedDocument):
    """When the daily check-in reminder comes, in the user's own time zone."""

    enabled = BooleanField(default=True)
    local_time = StringField(default="20:00", regex=r"^([01]\d|2[0-3]):[0-5]\d$")
    #: ISO weekdays, Monday = 1 ... Sunday = 7.
    weekdays = ListField(IntField(min_value=1, max_value=7), default=lambda: [1, 2, 3, 4, 5, 6, 7])


#: Where the weekly digest goes: web push, email, or both.
DIGEST_CHANNELS = ("push", "email", "both")


class DigestPreferences(EmbeddedDocument):
    """When the weekly digest comes, in the user's own time zone, and by which channel."""

    enabled = BooleanField(default=True)
    #: ISO weekday, Monday = 1 ... Sunday = 7.
    weekday = IntField(min_value=1, max_value=7, default=7)
    local_time = StringField(default="18:00", regex=r"^([01]\d|2[0-3]):[0-5]\d$")
    channel = StringField(choices=DIGEST_CHANNELS, default="push")
    #: Privacy by default: the email says the reflection is ready and links to it, no numbers.
    include_summary_in_email = BooleanField(default=False)


class User(TimestampedDocument):
    email = StringField(required=True, unique=True, max_length=254)  # case-folded
    password_hash = StringField(required=True)
    role = StringField(required=True, choices=ROLES)
    display_name = StringField(max_length=80, default="")
    timezone = StringField(required=True, default="UTC")
    reminders = EmbeddedDocumentField(ReminderPreferences, default=ReminderPreferences)
    digest = EmbeddedDocumentField(DigestPreferences, default=DigestPreferences)
    #: The steps the person's full check-in has, in CHECKIN_STEP_KEYS order (every step when
    #: the document predates the choice).
    checkin_steps = ListField(
        StringField(choices=CHECKIN_STEP_KEYS), default=lambda: list(CHECKIN_STEP_KEYS)
    )
    #: When the next reminder and digest are due (UTC); None when there is none. The worker
    #: claims them by compare-and-set on these fields (see worker/claims.py).
    next_reminder_at = DateTimeField()
    next_digest_at = DateTimeField()

    meta = {"collection": "users", "indexes": ["next_reminder_at", "next_digest_at"]}

    @property
    def is_client(self) -> bool:
        return self.role == "client"
