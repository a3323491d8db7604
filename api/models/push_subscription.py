"""A browser's Web Push subscription: where to send, and the keys to encrypt for it.

A user may have several (one per device). The endpoint is unique: the same browser subscribing
again, or another account signing in on that device, takes the existing subscription over.
"""

from __future__ import annotations

from mongoengine import DateTimeField, IntField, ObjectIdField, StringField

from api.models.base import TimestampedDocument

#: Longest endpoint accepted; real ones (FCM, Mozilla, Apple) are a few hundred characters.
ENDPOINT_MAX_CHARS = 2048


class PushSubscription(TimestampedDocument):
    owner = ObjectIdField(required=True)
    endpoint = StringField(required=True, unique=True, max_length=ENDPOINT_MAX_CHARS)
    #: The browser's P-256 public key (uncompressed point) and auth secret, base64url.
    p256dh = StringField(required=True)
    auth = StringField(required=True)
    user_agent = StringField(max_length=200, default="")
    last_success_at = DateTimeField()
    last_failure_at = DateTimeField()
    #: Failed sends since the last success (a gone subscription is deleted, not counted).
    failures = IntField(default=0)
    #: VAPID refusals (401, 403) in a row, counted while the same push service accepts our other
    #: pushes: a subscription made with an old key; it is deleted at a few (api/devices.py).
    refusals = IntField(default=0)

    meta = {"collection": "push_subscriptions", "indexes": ["owner"]}
