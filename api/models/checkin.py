"""A day's check-in. `client_id` is the PWA's UUID: it makes offline replay idempotent."""

from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateField,
    DateTimeField,
    EmbeddedDocument,
    EmbeddedDocumentField,
    EmbeddedDocumentListField,
    IntField,
    ListField,
    ObjectIdField,
    StringField,
)

from api.domain import scales as s
from api.models.base import TimestampedDocument
from api.models.fields import EncryptedStringField

#: Everything a client can answer; at least one of these makes a check-in.
ANSWER_FIELDS = (
    "mood",
    "energy",
    "emotions",
    "parts",
    "self_energy",
    "regulation",
    "attachment",
    "inner_child_note",
    "note",
)


def is_answered(value) -> bool:
    """False for an empty answer: None, "", [], or a group whose every item is empty."""
    if isinstance(value, EmbeddedDocument):
        value = {name: getattr(value, name) for name in value._fields}
    if isinstance(value, dict):
        return any(is_answered(v) for v in value.values())
    return value not in (None, "", [])


def _rating(**kwargs) -> IntField:
    return IntField(min_value=s.SCALE_MIN, max_value=s.SCALE_MAX, **kwargs)


class Emotion(EmbeddedDocument):
    name = StringField(required=True, max_length=s.EMOTION_NAME_MAX)
    intensity = _rating()


class ActivePart(EmbeddedDocument):
    part = ObjectIdField(required=True)
    intensity = _rating()
    blended = BooleanField()


class SelfEnergy(EmbeddedDocument):
    calm = _rating()
    curiosity = _rating()
    clarity = _rating()
    compassion = _rating()
    confidence = _rating()
    courage = _rating()
    creativity = _rating()
    connectedness = _rating()


class Regulation(EmbeddedDocument):
    #: False: the client said there was no hard moment (an answer; no details come with it).
    #: True, or None with details (as older clients send them): an episode.
    occurred = BooleanField()
    peak_intensity = _rating()
    strategies = ListField(StringField(choices=s.REGULATION_STRATEGIES))
    success = _rating()
    minutes_to_settle = IntField(min_value=0, max_value=s.MINUTES_TO_SETTLE_MAX)


class Attachment(EmbeddedDocument):
    anxiety = _rating()
    avoidance = _rating()
    reached_out = BooleanField()
    felt_supported = BooleanField()


class Checkin(TimestampedDocument):
    owner = ObjectIdField(required=True)
    client_id = StringField(required=True)
    #: SHA-256 of the canonical create body: the same UUID with another body is a conflict.
    payload_hash = StringField(required=True)
    local_date = DateField()
    recorded_at = DateTimeField()
    timezone = StringField()
    mood = _rating()
    energy = _rating()
    emotions = EmbeddedDocumentListField(Emotion)
    parts = EmbeddedDocumentListField(ActivePart)
    self_energy = EmbeddedDocumentField(SelfEnergy)
    regulation = EmbeddedDocumentField(Regulation)
    attachment = EmbeddedDocumentField(Attachment)
    inner_child_note = EncryptedStringField(
        "checkins.inner_child_note", max_length=s.NOTE_MAX_CHARS
    )
    note = EncryptedStringField("checkins.note", max_length=s.NOTE_MAX_CHARS)
    #: A deleted check-in keeps only this tombstone (no health data), so that a late offline
    #: replay of its creation cannot bring it back.
    deleted_at = DateTimeField()

    def has_an_answer(self) -> bool:
        return any(is_answered(getattr(self, name)) for name in ANSWER_FIELDS)

    meta = {
        "collection": "checkins",
        "indexes": [
            {"fields": ["owner", "client_id"], "unique": True},
            ("owner", "local_date"),
        ],
    }
