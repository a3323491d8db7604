"""Custom mongoengine fields."""

from __future__ import annotations

from mongoengine.base.common import UPDATE_OPERATORS
from mongoengine.fields import StringField

from api import crypto


class EncryptedStringField(StringField):
    """A string encrypted at rest with the process key ring; stored as `{"enc": "<sealed>"}`.

    In memory the value is plain text (validated like a StringField); only `to_mongo` seals it.
    `purpose` is bound into the ciphertext as associated data and must never change.
    """

    def __init__(self, purpose: str, **kwargs):
        self.purpose = purpose
        super().__init__(**kwargs)

    def to_mongo(self, value):
        if value is None:
            return None
        return {"enc": crypto.keyring().encrypt(value, self.purpose)}

    def to_python(self, value):
        if isinstance(value, dict) and "enc" in value:
            return crypto.keyring().decrypt(value["enc"], self.purpose)
        return super().to_python(value)

    def prepare_query_value(self, op, value):
        # An update must seal like a save does; a filter on sealed text can never match.
        if op in UPDATE_OPERATORS:
            self.validate(value)
            return self.to_mongo(value)
        if value is None or op in ("exists", "ne"):
            return value
        raise TypeError(f"{self.name} is encrypted at rest: it cannot be searched")
