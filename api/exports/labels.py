"""Words every therapist export shares: the client's name, the file's name, what variability is.

The client is named by the name the therapist gave them (the grant's label), else by the name
the client chose for their account (which the therapist already sees), else by a neutral
"Client" and the start of the pseudonym: never by an email address or an account id. Pure.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

#: How many characters of the pseudonym stand for a client who has no name.
PSEUDONYM_CHARS = 8
#: The longest part of a file name that a name becomes.
_SLUG_MAX = 40

#: The one line that says what the variability figures are, after the means.
VARIABILITY = (
    "Variability, after the means: SD is how far a week's daily ratings spread around its mean, "
    "RMSSD how much they changed from one day to the next; higher means more up and down, "
    "neither better nor worse."
)


def chosen_name(label: str | None, display_name: str | None) -> str | None:
    """The therapist's label, else the client's own display name; None when there is neither."""
    for name in (label, display_name):
        if name and name.strip():
            return name.strip()
    return None


def client_name(label: str | None, display_name: str | None, pseudonym: str) -> str:
    """The name an export gives the client: `chosen_name`, else "Client" and the pseudonym."""
    return chosen_name(label, display_name) or f"Client {pseudonym[:PSEUDONYM_CHARS]}"


def slug(name: str) -> str:
    """`name` as a safe part of a file name: ASCII letters and digits joined by "-", lower case
    ("Zoë Ng (Tue)" -> "zoe-ng-tue"); empty when nothing of it is Latin."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))[:_SLUG_MAX].strip("-")


def file_name(name: str, pseudonym: str, start: dt.date, end: dt.date, extension: str) -> str:
    """ "partwise-<name>-<from>-<to>.<extension>", the pseudonym's start when the name has no
    Latin letter or digit to show."""
    stem = slug(name) or slug(client_name(None, None, pseudonym))
    return f"partwise-{stem}-{start.isoformat()}-{end.isoformat()}.{extension}"
