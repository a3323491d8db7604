"""Storing consent: invitations, their redemption, grants, and the access log.

The rules are in `api.domain.consent`; this module reads and writes the documents. Nothing here
caches a grant: every therapist read asks the database again, so that a revocation or an end
date takes effect on the very next request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from bson import ObjectId
from mongoengine import NotUniqueError, Q

from api.domain import consent as rules
from api.models import AccessLog, Consent, Invitation, User
from api.models.base import utcnow

#: A new code that happens to hash like a stored one is drawn again (2^40 codes: rarely needed).
_CODE_DRAWS = 5


def create_invitation(
    client: User, scopes: Sequence[str], grant_ends_at: dt.datetime | None, ttl: dt.timedelta
) -> tuple[Invitation, str]:
    """A new invitation and its code (the code is not stored: return it to the client once)."""
    now = utcnow()
    expires_at = now + ttl
    if grant_ends_at is not None:
        expires_at = min(expires_at, grant_ends_at)
    for _ in range(_CODE_DRAWS):
        code = rules.new_code()
        invitation = Invitation(
            client=client.id,
            code_hash=rules.code_hash(code),
            scopes=[s for s in rules.SCOPES if s in scopes],
            grant_ends_at=grant_ends_at,
            expires_at=expires_at,
        )
        try:
            return invitation.save(force_insert=True), code
        except NotUniqueError:
            continue
    raise RuntimeError("could not draw an unused invitation code")


def pending_invitations(client_id: ObjectId, now: dt.datetime):
    """A client's invitations that can still be redeemed, newest first."""
    return Invitation.objects(
        client=client_id, redeemed_at=None, cancelled_at=None, expires_at__gt=now
    ).order_by("-created_at")


def redeem(therapist: User, code: str, now: dt.datetime) -> Consent | None:
    """Turn a valid code into a grant to `therapist`; None for any code that does not work.

    The invitation is claimed with a conditional update, so that two redemptions of one code
    cannot both succeed. An active grant of the same pair is replaced (revoked); the new grant
    keeps the pair's pseudonym and the therapist's label for the client.
    """
    canonical = rules.normalize_code(code)
    if canonical is None:
        return None
    claimable = {"redeemed_at": None, "cancelled_at": None, "expires_at__gt": now}
    invitation = Invitation.objects(code_hash=rules.code_hash(canonical), **claimable).first()
    if invitation is None or User.objects(id=invitation.client).first() is None:
        return None
    claimed = Invitation.objects(id=invitation.id, **claimable).update_one(
        set__redeemed_at=now, set__redeemed_by=therapist.id
    )
    if claimed != 1:
        return None
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


def active(queryset, now: dt.datetime):
    """Only the grants of `queryset` that are active at `now`."""
    return queryset.filter(Q(revoked_at=None) & (Q(ends_at=None) | Q(ends_at__gt=now)))


def with_status(queryset, status: str, now: dt.datetime):
    """Only the grants of `queryset` in this status at `now`."""
    if status == rules.ACTIVE:
        return active(queryset, now)
    if status == rules.REVOKED:
        return queryset.filter(revoked_at__ne=None)
    return queryset.filter(revoked_at=None, ends_at__lte=now)


def grant_for(therapist_id: ObjectId, client_id: str, now: dt.datetime) -> Consent | None:
    """The grant that decides a therapist's reads of a client: the active one, else the latest."""
    if not ObjectId.is_valid(client_id):
        return None
    pair = Consent.objects(therapist=therapist_id, client=ObjectId(client_id))
    return active(pair, now).order_by("-created_at").first() or pair.order_by("-created_at").first()


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
