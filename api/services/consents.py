"""Consent as stored: invitations, their redemption, grants, the therapist's reads, and the log.

The rules, and the exceptions that refuse, are in `api.domain.consent`; this module applies them
to the documents. Nothing here caches a grant: every therapist read asks the database again, so
that a revocation or an end date takes effect on the very next request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bson import ObjectId
from mongoengine import NotUniqueError, Q
from mongoengine.queryset import QuerySet

from api.domain import consent as rules
from api.models import AccessLog, Consent, Invitation, User
from api.models.base import utcnow

#: A new code that happens to hash like a stored one is drawn again (2^40 codes: rarely needed).
_CODE_DRAWS = 5


def create_invitation(
    client: User, scopes: Sequence[str], grant_ends_at: dt.datetime | None, ttl: dt.timedelta
) -> tuple[Invitation, str]:
    """A new invitation and its code (the code is not stored: return it to the client once)."""
    expires_at = rules.invitation_expiry(utcnow(), ttl, grant_ends_at)
    for _ in range(_CODE_DRAWS):
        code = rules.new_code()
        invitation = Invitation(
            client=client.id,
            code_hash=rules.code_hash(code),
            scopes=rules.in_order(scopes),
            grant_ends_at=grant_ends_at,
            expires_at=expires_at,
        )
        try:
            return invitation.save(force_insert=True), code
        except NotUniqueError:
            continue
    raise RuntimeError("could not draw an unused invitation code")


def invite(
    client: User, scopes: Sequence[str], grant_ends_at: dt.datetime | None, ttl: dt.timedelta
) -> tuple[Invitation, str]:
    """`create_invitation`, if the client has room for one more (else TooManyInvitations)."""
    rules.check_room_for_invitation(pending_invitations(client.id, utcnow()).count())
    return create_invitation(client, scopes, grant_ends_at, ttl)


def pending_invitations(client_id: ObjectId, now: dt.datetime) -> QuerySet:
    """A client's invitations that can still be redeemed, newest first."""
    return Invitation.objects(client=client_id, **rules.pending_conditions(now)).order_by(
        "-created_at"
    )


def cancel(invitation: Invitation, now: dt.datetime) -> None:
    """Cancel an invitation: its code no longer works."""
    invitation.update(set__cancelled_at=now, set__updated_at=now)


def redeem(therapist: User, code: str, now: dt.datetime) -> Consent:
    """Turn a valid code into a grant to `therapist`; CodeDoesNotWork for any code that does not.

    The invitation is claimed with a conditional update, so that two redemptions of one code
    cannot both succeed. An active grant of the same pair is replaced (revoked); the new grant
    keeps the pair's pseudonym and the therapist's label for the client.
    """
    canonical = rules.normalize_code(code)
    if canonical is None:
        raise rules.CodeDoesNotWork()
    claimable = rules.pending_conditions(now)
    invitation = Invitation.objects(code_hash=rules.code_hash(canonical), **claimable).first()
    if invitation is None or User.objects(id=invitation.client).first() is None:
        raise rules.CodeDoesNotWork()
    claimed = Invitation.objects(id=invitation.id, **claimable).update_one(
        set__redeemed_at=now, set__redeemed_by=therapist.id
    )
    if claimed != 1:
        raise rules.CodeDoesNotWork()
    previous = Consent.objects(client=invitation.client, therapist=therapist.id).order_by(
        "-created_at"
    )
    latest = previous.only("pseudonym", "label").first()
    active(previous, now).update(set__revoked_at=now, set__updated_at=now)
    return Consent(
        client=invitation.client,
        therapist=therapist.id,
        scopes=list(invitation.scopes),
        accepted_at=now,
        ends_at=invitation.grant_ends_at,
        invitation=invitation.id,
        pseudonym=latest.pseudonym if latest else uuid.uuid4().hex,
        label=latest.label if latest else None,
    ).save()


def active(queryset: QuerySet, now: dt.datetime) -> QuerySet:
    """Only the grants of `queryset` that are active at `now`."""
    return with_status(queryset, rules.ACTIVE, now)


def with_status(queryset: QuerySet, status: str, now: dt.datetime) -> QuerySet:
    """Only the grants of `queryset` in this status at `now` (see `rules.status`)."""
    first, *others = rules.status_conditions(status, now)
    condition = Q(**first)
    for other in others:
        condition |= Q(**other)
    return queryset.filter(condition)


def latest_active(therapist_id: ObjectId, what: str, now: dt.datetime) -> list[Consent]:
    """A therapist's active grants that allow the read `what`, one per client (the newest)."""
    grants = active(Consent.objects(therapist=therapist_id), now).order_by("-created_at")
    latest = {}
    for grant in grants:
        if rules.allows(grant.scopes, what):
            latest.setdefault(grant.client, grant)
    return list(latest.values())


def grant_for(therapist_id: ObjectId, client_id: str, now: dt.datetime) -> Consent | None:
    """The grant that decides a therapist's reads of a client: the active one, else the latest."""
    if not ObjectId.is_valid(client_id):
        return None
    pair = Consent.objects(therapist=therapist_id, client=ObjectId(client_id))
    return active(pair, now).order_by("-created_at").first() or pair.order_by("-created_at").first()


def open_read(
    therapist_id: ObjectId, client_id: str, what: str, now: dt.datetime
) -> tuple[Consent, User]:
    """The grant and the client for a therapist's read `what` of one client, if the grant allows
    it now: else NoSuchClient (never a grant, or no such client) or ReadRefused (saying why)."""
    grant = grant_for(therapist_id, client_id, now)
    client = User.objects(id=grant.client).first() if grant is not None else None
    if client is None:
        raise rules.NoSuchClient()
    rules.check_read(grant, what, now)
    return grant, client


def narrow(grant: Consent, change: Mapping[str, Any], now: dt.datetime) -> Consent:
    """Apply a client's change to a grant, if it only narrows an active one (see
    `rules.narrowing`: GrantNotActive, NarrowingRefused)."""
    for key, value in rules.narrowing(grant, change, now).items():
        setattr(grant, key, value)
    return grant.save()


def set_label(grant: Consent, label: str | None, now: dt.datetime) -> None:
    """Give the client a name in this therapist's records and downloads (None: none)."""
    change = {"set__label": label} if label else {"unset__label": True}
    Consent.objects(id=grant.id).update_one(**change, set__updated_at=now)
    grant.label = label or None


def revoke(grant: Consent, now: dt.datetime) -> None:
    """Revoke a grant (a second revocation changes nothing)."""
    Consent.objects(id=grant.id, revoked_at=None).update_one(
        set__revoked_at=now, set__updated_at=now
    )


def log_reads(
    therapist_id: ObjectId, grants: Iterable[Consent], what: str, now: dt.datetime
) -> None:
    """Record that a therapist read `what` of each grant's client (one entry per client)."""
    entries = [
        AccessLog(
            client=g.client,
            therapist=therapist_id,
            consent=g.id,
            what=what,
            scopes=rules.scopes_used(g.scopes, what),
            at=now,
        )
        for g in grants
    ]
    if entries:
        AccessLog.objects.insert(entries, load_bulk=False)
