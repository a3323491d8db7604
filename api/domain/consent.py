"""Consent: what a client shares with a therapist, and the rules every therapist read obeys.

Pure: no database, no Flask. The scope list, which scope each kind of therapist read needs,
whether a grant is active at a given moment (and the same rule as query conditions), how a grant
may be changed, when an invitation can be redeemed, and the invitation codes live here and
nowhere else; the API, the PWA (through the API) and the tests read them. `api.services.consents`
applies them to the stored documents. A rule that says no raises one of the exceptions below,
whose message is what the person reads; the resources answer them over HTTP.

A grant is any object with `scopes`, `revoked_at` and `ends_at` (UTC datetimes or None).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Collection, Mapping
from types import MappingProxyType
from typing import Any, Protocol

#: Everything a client can share. Free text is its own scope, and never a default.
SCOPES: tuple[str, ...] = ("weekly_trends", "digests", "questionnaires", "notes")

#: What each scope lets a therapist see, in the words the client reads.
SCOPE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "weekly_trends": "weekly trends (weekly means and spread of mood, energy, Self-energy "
        "and attachment activation; check-in days)",
        "digests": "weekly digests (the weekly reflection and its numbers; it names the parts "
        "that were most active)",
        "questionnaires": "questionnaire scores (totals and bands, and whether PHQ-9's item 9 "
        "was answered above 0; not the other answers)",
        "notes": "your written notes (check-in notes and inner-child notes)",
    }
)

#: Ticked when a client invites a therapist without naming scopes: never free text.
DEFAULT_SCOPES: tuple[str, ...] = ("weekly_trends", "digests", "questionnaires")

#: Every kind of therapist read and the scopes that allow it (any one of them). An empty set
#: means any active grant: the therapist's client list shows who shares, figures need more.
#: Each access-log entry names one of these.
READS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "clients.list": frozenset(),
        "weekly_trends": frozenset({"weekly_trends"}),
        "caseload": frozenset({"weekly_trends"}),
        "digests": frozenset({"digests"}),
        "questionnaires": frozenset({"questionnaires"}),
        "notes": frozenset({"notes"}),
        "export.csv": frozenset({"weekly_trends", "questionnaires"}),
        "export.fhir": frozenset({"weekly_trends", "questionnaires"}),
        "export.pdf": frozenset({"weekly_trends", "questionnaires"}),
    }
)

#: The scopes each read draws on when granted, for the access log: the client list needs only
#: an active grant, but shows the latest week's figures when weekly trends are shared.
_DRAWS_ON: Mapping[str, frozenset[str]] = MappingProxyType(
    # The list shows the last week (weekly trends) and what may need attention, which also
    # reads questionnaire totals and item 9 (questionnaires).
    {**READS, "clients.list": frozenset({"weekly_trends", "questionnaires"})}
)

ACTIVE, REVOKED, EXPIRED = "active", "revoked", "expired"
STATUSES: tuple[str, ...] = (ACTIVE, REVOKED, EXPIRED)

#: A client may have this many invitations waiting at once.
MAX_PENDING_INVITATIONS = 10

#: Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
#: Letters people type for the digits they resemble (Crockford's decoding rules).
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_")

assert set(DEFAULT_SCOPES) <= set(SCOPES) and "notes" not in DEFAULT_SCOPES
assert set().union(*READS.values()) <= set(SCOPES)


class TooManyInvitations(Exception):
    """The client has MAX_PENDING_INVITATIONS waiting already."""

    def __init__(self) -> None:
        super().__init__("Too many invitations are waiting: cancel one first.")


class CodeDoesNotWork(Exception):
    """Any code that cannot be redeemed: nobody learns which of the reasons it was."""

    def __init__(self) -> None:
        super().__init__(
            "This code does not work: it may be mistyped, expired, cancelled or already used."
        )


class GrantNotActive(Exception):
    """A revoked or ended grant cannot be changed."""

    def __init__(self) -> None:
        super().__init__("This grant is no longer active: there is nothing to narrow.")


class NarrowingRefused(Exception):
    """A change that would widen a grant, or is otherwise wrong: `errors` per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("A grant can only be narrowed.")
        self.errors = errors


class NoSuchClient(Exception):
    """No grant of this client to this therapist, ever (or no such client): the same answer,
    so that a therapist cannot probe who uses Partwise."""

    def __init__(self) -> None:
        super().__init__("No such client: nobody with this id shares anything with you.")


class ReadRefused(Exception):
    """The grant does not allow this read now: revoked, ended, or the scope is not shared."""


class Grant(Protocol):
    scopes: Collection[str]
    revoked_at: dt.datetime | None
    ends_at: dt.datetime | None


def status(grant: Grant, at: dt.datetime) -> str:
    """ "active", "revoked" or "expired" (its end date has come) at the moment `at`."""
    if grant.revoked_at is not None:
        return REVOKED
    if grant.ends_at is not None and grant.ends_at <= at:
        return EXPIRED
    return ACTIVE


def is_active(grant: Grant, at: dt.datetime) -> bool:
    return status(grant, at) == ACTIVE


def status_conditions(state: str, at: dt.datetime) -> tuple[dict[str, Any], ...]:
    """`status(grant, at) == state` for a query: a stored grant is in `state` if it matches any
    one of these conditions on its fields (mongoengine's keyword form)."""
    if state == ACTIVE:
        return ({"revoked_at": None, "ends_at": None}, {"revoked_at": None, "ends_at__gt": at})
    if state == REVOKED:
        return ({"revoked_at__ne": None},)
    if state == EXPIRED:
        return ({"revoked_at": None, "ends_at__lte": at},)
    raise ValueError(f"unknown grant status {state!r}")


def in_order(scopes: Collection[str]) -> list[str]:
    """These scopes in SCOPES order (how they are stored and shown), without unknown ones."""
    return [s for s in SCOPES if s in scopes]


def allows(scopes: Collection[str], what: str) -> bool:
    """Do these scopes allow the read `what` (a key of READS)?"""
    needed = READS[what]
    return not needed or bool(needed & set(scopes))


def scopes_used(scopes: Collection[str], what: str) -> list[str]:
    """The granted scopes the read `what` draws on, in SCOPES order (for the access log)."""
    return [s for s in SCOPES if s in scopes and s in _DRAWS_ON[what]]


def check_read(grant: Grant, what: str, at: dt.datetime) -> None:
    """ReadRefused, saying why, unless this grant allows the read `what` at `at`."""
    if reason := refusal(grant, what, at):
        raise ReadRefused(reason)


def refusal(grant: Grant, what: str, at: dt.datetime) -> str | None:
    """Why this grant does not allow the read `what` at `at`, in plain words; None if it does."""
    state = status(grant, at)
    if state == REVOKED:
        return (
            f"The client revoked this grant on {_day(grant.revoked_at)}: "
            "their data is no longer shared with you."
        )
    if state == EXPIRED:
        return (
            f"This grant ended on {_day(grant.ends_at)}: the client's data is no longer "
            "shared with you. The client can invite you again."
        )
    if not allows(grant.scopes, what):
        needed = " or ".join(sorted(READS[what]))
        return f"The client has not shared this with you: it needs the scope {needed}."
    return None


def _day(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "?"


def change_errors(
    grant: Grant, change: Mapping[str, Any], now: dt.datetime
) -> dict[str, list[str]]:
    """What is wrong with a client's change to a grant: it may only narrow it.

    `change` holds the fields sent: `scopes` (a subset of the current ones, at least one) and
    `ends_at` (set, or brought forward; never removed or pushed back, never in the past).
    """
    errors: dict[str, list[str]] = {}
    if "scopes" in change:
        wider = [s for s in change["scopes"] if s not in grant.scopes]
        if wider:
            errors["scopes"] = [
                "A grant can only be narrowed. To share "
                + ", ".join(wider)
                + " as well, create a new invitation for this therapist: "
                "when they redeem it, it replaces this grant."
            ]
        elif not change["scopes"]:
            errors["scopes"] = ["Keep at least one scope, or revoke the grant."]
    if "ends_at" in change:
        ends_at = change["ends_at"]
        if ends_at is None:
            if grant.ends_at is not None:
                errors["ends_at"] = [
                    "An end date can be brought forward but not removed: to share for longer, "
                    "create a new invitation for this therapist."
                ]
        elif ends_at <= now:
            errors["ends_at"] = ["Give a time in the future; to stop sharing now, revoke it."]
        elif grant.ends_at is not None and ends_at > grant.ends_at:
            errors["ends_at"] = [
                "An end date can only be brought forward: to share for longer, create a new "
                "invitation for this therapist."
            ]
    return errors


def narrowing(grant: Grant, change: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    """The fields a client's change sets on a grant, once checked: only an active grant, only
    narrowed (else GrantNotActive, or NarrowingRefused with the errors of `change_errors`)."""
    if not is_active(grant, now):
        raise GrantNotActive()
    if errors := change_errors(grant, change, now):
        raise NarrowingRefused(errors)
    fields = {"ends_at": change["ends_at"]} if "ends_at" in change else {}
    if "scopes" in change:
        fields["scopes"] = in_order(change["scopes"])
    return fields


def check_room_for_invitation(pending: int) -> None:
    """TooManyInvitations if a client with `pending` invitations waiting may not add one."""
    if pending >= MAX_PENDING_INVITATIONS:
        raise TooManyInvitations()


def invitation_expiry(
    now: dt.datetime, ttl: dt.timedelta, grant_ends_at: dt.datetime | None
) -> dt.datetime:
    """Until when a new invitation's code can be redeemed: `ttl`, never after its grant ends."""
    expires_at = now + ttl
    return expires_at if grant_ends_at is None else min(expires_at, grant_ends_at)


def pending_conditions(at: dt.datetime) -> dict[str, Any]:
    """An invitation that can still be redeemed (or cancelled) at `at`: neither redeemed nor
    cancelled, and not expired (conditions on its stored fields, mongoengine's keyword form)."""
    return {"redeemed_at": None, "cancelled_at": None, "expires_at__gt": at}


def new_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A fresh invitation code, shown once, e.g. "K7QM-3XPD" (40 random bits)."""
    chars = "".join(CODE_ALPHABET[randbelow(len(CODE_ALPHABET))] for _ in range(CODE_LENGTH))
    half = CODE_LENGTH // 2
    return f"{chars[:half]}-{chars[half:]}"


def normalize_code(text: str) -> str | None:
    """A typed code in canonical form (no separators, upper case, look-alikes mapped), or None."""
    code = text.translate(_SEPARATORS).upper().translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def code_hash(code: str) -> str:
    """SHA-256 of a code's canonical form: only this is stored."""
    canonical = normalize_code(code)
    if canonical is None:
        raise ValueError("not an invitation code")
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
