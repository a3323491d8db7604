"""Crisis resources: checking a deployment's list and choosing the one for the reader's language.

Each deployment configures `CRISIS_RESOURCES` (see `api.config`): a mapping of locale ("de",
"en-GB", ...) to a list of resources, each `{name, description, phone?, text?, url?}`. The
"default" list is shown when no locale matches. A locale names a language and perhaps a country;
helplines are per country, so "en-AU" falls back to "en" and then to "default", never to another
country's "en-GB".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

DEFAULT_LOCALE = "default"
REQUIRED_FIELDS = ("name", "description")
OPTIONAL_FIELDS = ("phone", "text", "url")

#: Shown with the resources wherever they appear.
MESSAGE = (
    "You don't have to carry this alone. If things feel like too much, you can talk to someone "
    "now: the people below are there to listen."
)

#: Who learns of a PHQ-9 item 9 answered above 0. Said in these words wherever the client reads
#: about it (the crisis message after answering, the form while answering), and matched by the
#: sharing scope's label and by what therapists read (`item9_report`).
ITEM9_WHO_SEES = (
    "Partwise alerts nobody about this answer. If you share your questionnaire scores with a "
    "therapist, they can see that this question was answered above 0, and on which day."
)

#: Shown with the resources right after someone tells us about thoughts of being better off dead
#: or of hurting themselves. It says plainly who is told.
#: The app thanks the person for their honesty just before it, so this does not thank again.
AFTER_ANSWER_MESSAGE = (
    "Thoughts like these can be very heavy, and you don't have to carry them alone. If you would "
    "like to talk to someone now, the people below are there to listen. " + ITEM9_WHO_SEES
)


def item9_report(days: Sequence[dt.date]) -> str:
    """What a therapist reads (screens, attention list, PDF) of positive item 9 answers."""
    when = ", ".join(d.isoformat() for d in sorted(days))
    return (
        f"Item 9 (thoughts of being better off dead or of self-harm) was answered above 0 on "
        f"{when}. The client was shown crisis resources at once; nobody was alerted."
    )


def normalise_locale(tag: str) -> str:
    return tag.strip().replace("_", "-").lower()


def _checked_resource(where: str, resource: Any) -> dict[str, str]:
    if not isinstance(resource, Mapping):
        raise ValueError(f"{where}: each resource must be an object")
    unknown = set(resource) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
    for name in REQUIRED_FIELDS:
        if not isinstance(resource.get(name), str) or not resource[name].strip():
            raise ValueError(f"{where}: {name!r} is required text")
    for name in OPTIONAL_FIELDS:
        if name in resource and (not isinstance(resource[name], str) or not resource[name]):
            raise ValueError(f"{where}: {name!r} must be text")
    url = resource.get("url")
    if url is not None and not url.startswith(("https://", "http://")):
        raise ValueError(f"{where}: 'url' must start with https:// or http://")
    return {k: resource[k] for k in (*REQUIRED_FIELDS, *OPTIONAL_FIELDS) if k in resource}


def checked(
    resources: Any, fallback: Sequence[Mapping[str, str]]
) -> dict[str, tuple[dict[str, str], ...]]:
    """Validate a locale -> resources mapping (ValueError names the bad entry).

    Locales are normalised; `fallback` becomes the default list when the mapping has none, so that
    there is always something to show.
    """
    if not isinstance(resources, Mapping):
        raise ValueError("CRISIS_RESOURCES must map locales to lists of resources")
    result = {}
    for locale, entries in {DEFAULT_LOCALE: fallback, **resources}.items():
        if not isinstance(locale, str) or not normalise_locale(locale):
            raise ValueError(f"CRISIS_RESOURCES: {locale!r} is not a locale")
        where = f"CRISIS_RESOURCES[{locale!r}]"
        if isinstance(entries, str | bytes) or not isinstance(entries, Sequence) or not entries:
            raise ValueError(f"{where} must be a non-empty list")
        result[normalise_locale(locale)] = tuple(
            _checked_resource(f"{where}[{i}]", entry) for i, entry in enumerate(entries)
        )
    return result


def choose(
    resources: Mapping[str, Sequence[Mapping[str, str]]], preferred: Sequence[str]
) -> tuple[str, Sequence[Mapping[str, str]]]:
    """The locale and list for the first of `preferred` (best first) that has one, else default.

    Each preference matches its exact locale, then its language alone ("de-AT" -> "de").
    """
    for tag in preferred:
        locale = normalise_locale(tag)
        for candidate in (locale, locale.split("-")[0]):
            if candidate and candidate != DEFAULT_LOCALE and candidate in resources:
                return candidate, resources[candidate]
    return DEFAULT_LOCALE, resources[DEFAULT_LOCALE]
