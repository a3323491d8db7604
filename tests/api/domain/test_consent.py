import datetime as dt
import random
from dataclasses import dataclass

import pytest

from api.domain import consent

NOW = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@dataclass
class Grant:
    scopes: tuple[str, ...] = ("weekly_trends", "questionnaires")
    revoked_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None


def test_notes_are_a_scope_but_never_a_default():
    assert "notes" in consent.SCOPES
    assert "notes" not in consent.DEFAULT_SCOPES


def test_every_scope_has_a_label_for_the_client():
    assert set(consent.SCOPE_LABELS) == set(consent.SCOPES)


def test_a_grant_without_end_or_revocation_is_active():
    assert consent.status(Grant(), NOW) == "active"


def test_a_grant_is_expired_from_its_end_on():
    assert consent.status(Grant(ends_at=NOW + HOUR), NOW) == "active"
    assert consent.status(Grant(ends_at=NOW), NOW) == "expired"


def test_revoked_wins_over_expired():
    grant = Grant(revoked_at=NOW - 2 * HOUR, ends_at=NOW - HOUR)
    assert consent.status(grant, NOW) == "revoked"


@pytest.mark.parametrize(
    ("what", "allowed"),
    [
        ("weekly_trends", True),
        ("caseload", True),
        ("questionnaires", True),
        ("export.csv", True),
        ("export.fhir", True),
        ("export.pdf", True),
        ("clients.list", True),
        ("digests", False),
        ("notes", False),
    ],
)
def test_each_read_needs_its_scope(what, allowed):
    assert consent.allows(("weekly_trends", "questionnaires"), what) is allowed


def test_an_export_needs_one_of_its_scopes():
    assert consent.allows(("questionnaires",), "export.fhir")
    assert not consent.allows(("digests", "notes"), "export.csv")


def test_the_log_names_the_scopes_a_read_drew_on():
    scopes = ("weekly_trends", "digests", "questionnaires")
    assert consent.scopes_used(scopes, "export.csv") == ["weekly_trends", "questionnaires"]
    assert consent.scopes_used(scopes, "clients.list") == ["weekly_trends", "questionnaires"]
    assert consent.scopes_used(("digests",), "clients.list") == []


def test_no_refusal_for_an_active_grant_covering_the_read():
    assert consent.refusal(Grant(), "weekly_trends", NOW) is None


def test_refusal_says_when_the_grant_was_revoked():
    message = consent.refusal(Grant(revoked_at=NOW - HOUR), "weekly_trends", NOW)
    assert "revoked" in message and "2026-03-10 11:00 UTC" in message


def test_refusal_says_when_the_grant_ended():
    message = consent.refusal(Grant(ends_at=NOW - HOUR), "weekly_trends", NOW)
    assert "ended on 2026-03-10 11:00 UTC" in message


def test_refusal_names_the_scope_missing():
    assert "notes" in consent.refusal(Grant(), "notes", NOW)


def test_narrowing_scopes_is_allowed():
    assert consent.change_errors(Grant(), {"scopes": ["weekly_trends"]}, NOW) == {}


def test_widening_scopes_is_refused_with_the_way_to_do_it():
    errors = consent.change_errors(Grant(), {"scopes": ["weekly_trends", "notes"]}, NOW)
    assert "new invitation" in errors["scopes"][0] and "notes" in errors["scopes"][0]


def test_no_scopes_left_is_refused():
    assert "revoke" in consent.change_errors(Grant(), {"scopes": []}, NOW)["scopes"][0]


def test_an_end_date_can_be_set_or_brought_forward():
    assert consent.change_errors(Grant(), {"ends_at": NOW + HOUR}, NOW) == {}
    ending = Grant(ends_at=NOW + 5 * HOUR)
    assert consent.change_errors(ending, {"ends_at": NOW + HOUR}, NOW) == {}


def test_an_end_date_cannot_be_pushed_back_or_removed():
    ending = Grant(ends_at=NOW + HOUR)
    assert "ends_at" in consent.change_errors(ending, {"ends_at": NOW + 2 * HOUR}, NOW)
    assert "ends_at" in consent.change_errors(ending, {"ends_at": None}, NOW)


def test_an_end_date_in_the_past_is_refused():
    assert "ends_at" in consent.change_errors(Grant(), {"ends_at": NOW - HOUR}, NOW)


def test_codes_are_eight_unambiguous_characters_in_two_groups():
    code = consent.new_code(random.Random(1).randrange)
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(consent.CODE_ALPHABET)
    assert not set("ILOU") & set(consent.CODE_ALPHABET)


def test_a_typed_code_is_read_the_way_people_type_it():
    assert consent.normalize_code(" k7qm 3xpd ") == "K7QM3XPD"
    assert consent.normalize_code("O1IL-0000") == "01110000"


@pytest.mark.parametrize("text", ["", "K7QM-3XP", "K7QM-3XPDD", "K7QM-3XP!", "UUUU-UUUU"])
def test_a_malformed_code_is_none(text):
    assert consent.normalize_code(text) is None


def test_a_code_hashes_the_same_however_it_is_typed():
    assert consent.code_hash("K7QM-3XPD") == consent.code_hash("k7qm3xpd")
    assert len(consent.code_hash("K7QM-3XPD")) == 64


# -- the status as query conditions ------------------------------------------------------------


def _matches(grant: Grant, condition: dict) -> bool:
    """Whether a grant's fields meet one condition in mongoengine's keyword form."""
    for key, wanted in condition.items():
        name, _, op = key.partition("__")
        value = getattr(grant, name)
        met = {
            "": lambda v, w: v == w,
            "ne": lambda v, w: v != w,
            "gt": lambda v, w: v is not None and v > w,
            "lte": lambda v, w: v is not None and v <= w,
        }[op](value, wanted)
        if not met:
            return False
    return True


GRANTS = [
    Grant(revoked_at=revoked_at, ends_at=ends_at)
    for revoked_at in (None, NOW - HOUR, NOW)
    for ends_at in (None, NOW - HOUR, NOW, NOW + HOUR)
]


@pytest.mark.parametrize("state", consent.STATUSES)
def test_the_query_conditions_select_exactly_the_grants_in_each_status(state):
    conditions = consent.status_conditions(state, NOW)
    for grant in GRANTS:
        selected = any(_matches(grant, c) for c in conditions)
        assert selected == (consent.status(grant, NOW) == state), grant


def test_an_unknown_status_has_no_conditions():
    with pytest.raises(ValueError):
        consent.status_conditions("paused", NOW)


# -- scopes, reads, invitations and narrowing as refusals ----------------------------------------


def test_scopes_are_put_in_their_order_and_unknown_ones_dropped():
    assert consent.in_order({"notes", "digests", "everything"}) == ["digests", "notes"]


def test_check_read_raises_the_refusal_and_passes_an_allowed_read():
    consent.check_read(Grant(), "weekly_trends", NOW)
    with pytest.raises(consent.ReadRefused) as refused:
        consent.check_read(Grant(), "notes", NOW)
    assert str(refused.value) == consent.refusal(Grant(), "notes", NOW)


def test_a_client_may_have_a_limited_number_of_invitations_waiting():
    consent.check_room_for_invitation(consent.MAX_PENDING_INVITATIONS - 1)
    with pytest.raises(consent.TooManyInvitations) as refused:
        consent.check_room_for_invitation(consent.MAX_PENDING_INVITATIONS)
    assert str(refused.value) == "Too many invitations are waiting: cancel one first."


def test_an_invitation_expires_after_its_ttl_but_never_after_its_grant_ends():
    day = dt.timedelta(days=1)
    assert consent.invitation_expiry(NOW, day, None) == NOW + day
    assert consent.invitation_expiry(NOW, day, NOW + HOUR) == NOW + HOUR
    assert consent.invitation_expiry(NOW, HOUR, NOW + day) == NOW + HOUR


def test_pending_invitations_are_neither_redeemed_nor_cancelled_nor_expired():
    assert consent.pending_conditions(NOW) == {
        "redeemed_at": None,
        "cancelled_at": None,
        "expires_at__gt": NOW,
    }


def test_narrowing_gives_the_fields_to_set_in_scope_order():
    grant = Grant(scopes=("weekly_trends", "digests", "questionnaires"))
    change = {"scopes": ["questionnaires", "weekly_trends"], "ends_at": NOW + HOUR}
    assert consent.narrowing(grant, change, NOW) == {
        "scopes": ["weekly_trends", "questionnaires"],
        "ends_at": NOW + HOUR,
    }
    assert consent.narrowing(grant, {}, NOW) == {}


@pytest.mark.parametrize("grant", [Grant(revoked_at=NOW - HOUR), Grant(ends_at=NOW)])
def test_only_an_active_grant_can_be_narrowed(grant):
    with pytest.raises(consent.GrantNotActive) as refused:
        consent.narrowing(grant, {"scopes": ["weekly_trends"]}, NOW)
    assert str(refused.value) == "This grant is no longer active: there is nothing to narrow."


def test_widening_is_refused_with_the_errors_per_field():
    change = {"scopes": ["notes"], "ends_at": NOW - HOUR}
    with pytest.raises(consent.NarrowingRefused) as refused:
        consent.narrowing(Grant(), change, NOW)
    assert str(refused.value) == "A grant can only be narrowed."
    assert refused.value.errors == consent.change_errors(Grant(), change, NOW)
    assert set(refused.value.errors) == {"scopes", "ends_at"}
