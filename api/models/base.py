"""Shared document behaviour."""

from __future__ import annotations

import datetime as dt

from mongoengine import DateTimeField, Document


def utcnow() -> dt.datetime:
    # MongoDB keeps milliseconds: truncate so a value read back equals the value written.
    now = dt.datetime.now(dt.UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class TimestampedDocument(Document):
    """A document that records when it was created and last changed (UTC)."""

    created_at = DateTimeField(required=True, default=utcnow)
    updated_at = DateTimeField(required=True, default=utcnow)

    meta = {"abstract": True}

    def save(self, *args, **kwargs):
        if self.pk is not None and self._get_changed_fields():
            self.updated_at = utcnow()
        return super().save(*args, **kwargs)
