"""marshmallow fields shared by the resources' schemas."""

from __future__ import annotations

import functools
import zoneinfo

from marshmallow import ValidationError, fields, validate

from api.domain.scales import SCALE_MAX, SCALE_MIN


@functools.cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class TimeZone(fields.String):
    """An IANA time zone name such as "Europe/Berlin"."""

    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs)
        if name not in known_timezones():
            raise ValidationError(
                f"Unknown time zone {name!r}: use an IANA name like 'Europe/Berlin'."
            )
        return name


def Rating(metadata: dict | None = None, **kwargs) -> fields.Integer:
    """A whole number on the product's 0-10 scale."""
    return fields.Integer(
        strict=True,
        validate=validate.Range(SCALE_MIN, SCALE_MAX),
        metadata={"description": f"{SCALE_MIN}-{SCALE_MAX}", **(metadata or {})},
        **kwargs,
    )


class ObjectIdString(fields.String):
    """A 24-hex-digit document id."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) != 24 or any(c not in "0123456789abcdefABCDEF" for c in text):
            raise ValidationError("Not a valid id.")
        return text.lower()
