"""marshmallow fields shared by the resources' schemas."""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo

from marshmallow import ValidationError, fields, validate

from api.domain.scales import SCALE_MAX, SCALE_MIN


@functools.cache
def known_timezones() -> frozenset[str]:
    """IANA zone names a person can live in: "Area/Location" (and "UTC").

    The system's list also holds names that are not places: "localtime" (whatever the server's
    clock is set to), "Factory", and bare abbreviations such as "EST" or "GMT" that people
    mistake for their zone (EST never observes daylight time). A day and a reminder must follow
    where the person lives, so only the Area/Location names are taken.
    """
    return frozenset(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


#: A UTF-16 surrogate that JSON's "\\ud83d" escape left without its other half. A whole pair
#: decodes to one character, so any surrogate left in a decoded str is a lone one.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Text(fields.String):
    """Text as a person writes it: any Unicode characters, but only whole ones.

    JSON can carry a lone UTF-16 surrogate ("\\ud83d"), which is what JavaScript leaves when
    text is cut in the middle of an emoji. Python decodes it, but nothing that stores or hashes
    text (UTF-8, BSON, the encryption, argon2) can encode it: refuse it here, by field, before
    any of them is reached. Every text field a client sends is one of these.
    """

    default_error_messages = {
        "cut": "This text holds half of a character (a lone UTF-16 surrogate, as when an emoji "
        "is cut in two): send whole characters."
    }

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if _LONE_SURROGATE.search(text):
            raise self.make_error("cut")
        return text


class TimeZone(Text):
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


class ObjectIdString(Text):
    """A 24-hex-digit document id."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) != 24 or any(c not in "0123456789abcdefABCDEF" for c in text):
            raise ValidationError("Not a valid id.")
        return text.lower()


#: The dates a journal can hold. The bounds keep week and time-zone arithmetic (a week's Sunday,
#: the weeks of history before it, UTC-12 to UTC+14) inside what Python's dates can represent.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(9998, 12, 31)
_OUT_OF_RANGE = f"Give a date between {EARLIEST_DATE} and {LATEST_DATE}."


class LocalDate(fields.Date):
    """A calendar day (ISO 8601) within the dates a journal can hold."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValidationError(_OUT_OF_RANGE)
        return day


class Moment(fields.AwareDateTime):
    """A point in time (ISO 8601, UTC when no offset is given) within the dates a journal can
    hold. It keeps the offset it was sent with, so a replayed body hashes as it did before."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=dt.UTC, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            utc_day = moment.astimezone(dt.UTC).date()
        except OverflowError:  # an offset that carries it past year 1 or 9999
            raise ValidationError(_OUT_OF_RANGE) from None
        if not EARLIEST_DATE <= utc_day <= LATEST_DATE:
            raise ValidationError(_OUT_OF_RANGE)
        return moment
