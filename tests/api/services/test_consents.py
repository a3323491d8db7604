"""The consent store applying the rules (api.services.consents), without HTTP."""

import datetime as dt

import pytest
from bson import ObjectId

from api.domain import consent as rules
from api.models import Consent, Invitation, User
from api.models.base import utcnow
from api.services import consents

HOUR = dt.timedelta(hours=1)
TTL = dt.timedelta(hours=48)


@pytest.fixture
def client_user(alice) -> User:
    return User.objects.get(id=alice.id)


@pytest.fixture
def therapist_user(therapist) -> User:
    return User.objects.get(id=therapist.id)


def grant(client_user, therapist_user, scopes=("weekly_trends",)) -> Consent:
    _invitation, code = consents.invite(client_user, scopes, None, TTL)
    return consents.redeem(therapist_user, code, utcnow())


def test_the_status_query_agrees_with_the_rule(app):
    now = utcnow()
    for revoked_at in (None, now - HOUR):
        for ends_at in (None, now - HOUR, now, now + HOUR):
            Consent(
                client=ObjectId(),
                therapist=ObjectId(),
                scopes=["weekly_trends"],
                accepted_at=now - 2 * HOUR,
                revoked_at=revoked_at,
                ends_at=ends_at,
                pseudonym=ObjectId().binary.hex(),
            ).save()
    for state in rules.STATUSES:
        selected = {g.id for g in consents.with_status(Consent.objects, state, now)}
        assert selected == {g.id for g in Consent.objects if rules.status(g, now) == state}, state


def test_a_client_may_have_a_limited_number_of_invitations_waiting(client_user):
    for _ in range(rules.MAX_PENDING_INVITATIONS):
        consents.invite(client_user, ["weekly_trends"], None, TTL)
    with pytest.raises(rules.TooManyInvitations):
        consents.invite(client_user, ["weekly_trends"], None, TTL)
    consents.cancel(Invitation.objects.first(), utcnow())
    consents.invite(client_user, ["weekly_trends"], None, TTL)


def test_a_code_works_once(client_user, therapist_user):
    _invitation, code = consents.invite(client_user, ["notes", "digests"], None, TTL)
    redeemed = consents.redeem(therapist_user, code.lower(), utcnow())
    assert (redeemed.client, redeemed.scopes) == (client_user.id, ["digests", "notes"])
    with pytest.raises(rules.CodeDoesNotWork):
        consents.redeem(therapist_user, code, utcnow())


@pytest.mark.parametrize("code", ["nonsense", "0000-0000"])
def test_a_code_that_does_not_exist_does_not_work(therapist_user, code):
    with pytest.raises(rules.CodeDoesNotWork):
        consents.redeem(therapist_user, code, utcnow())


def test_a_cancelled_code_does_not_work(client_user, therapist_user):
    invitation, code = consents.invite(client_user, ["weekly_trends"], None, TTL)
    consents.cancel(invitation, utcnow())
    with pytest.raises(rules.CodeDoesNotWork):
        consents.redeem(therapist_user, code, utcnow())


def test_a_new_grant_replaces_the_active_one_of_the_pair(client_user, therapist_user):
    first = grant(client_user, therapist_user)
    second = grant(client_user, therapist_user, ("digests",))
    assert rules.status(Consent.objects.get(id=first.id), utcnow()) == rules.REVOKED
    assert second.pseudonym == first.pseudonym
    assert consents.latest_active(therapist_user.id, "digests", utcnow()) == [second]
    assert consents.latest_active(therapist_user.id, "weekly_trends", utcnow()) == []


def test_a_read_is_opened_only_within_an_active_grant_and_its_scopes(client_user, therapist_user):
    shared = grant(client_user, therapist_user)
    now = utcnow()
    opened_grant, opened_client = consents.open_read(
        therapist_user.id, str(client_user.id), "weekly_trends", now
    )
    assert (opened_grant.id, opened_client.id) == (shared.id, client_user.id)

    with pytest.raises(rules.ReadRefused, match="it needs the scope notes"):
        consents.open_read(therapist_user.id, str(client_user.id), "notes", now)
    consents.revoke(shared, now)
    with pytest.raises(rules.ReadRefused, match="revoked"):
        consents.open_read(therapist_user.id, str(client_user.id), "weekly_trends", now)


@pytest.mark.parametrize("client_id", ["nope", str(ObjectId())], ids=["nonsense", "unknown"])
def test_a_client_who_never_shared_is_no_such_client(therapist_user, client_id):
    with pytest.raises(rules.NoSuchClient):
        consents.open_read(therapist_user.id, client_id, "clients.list", utcnow())


def test_narrow_saves_a_narrower_grant_and_refuses_a_wider_one(client_user, therapist_user):
    shared = grant(client_user, therapist_user, ("weekly_trends", "digests"))
    ends_at = utcnow() + HOUR
    consents.narrow(shared, {"scopes": ["digests"], "ends_at": ends_at}, utcnow())
    stored = Consent.objects.get(id=shared.id)
    assert stored.scopes == ["digests"]
    assert rules.status(stored, ends_at - dt.timedelta(seconds=1)) == rules.ACTIVE
    assert rules.status(stored, ends_at) == rules.EXPIRED

    with pytest.raises(rules.NarrowingRefused):
        consents.narrow(shared, {"scopes": ["digests", "notes"]}, utcnow())
    assert Consent.objects.get(id=shared.id).scopes == ["digests"]
