import datetime as dt
import uuid

import pytest

from api import records
from api.digests import build_last_complete_weeks, build_week, ensure_digest, last_complete_week
from api.models import Checkin, Digest, User

WEEK = "2026-W10"  # Monday 2 March to Sunday 8 March 2026


def checkin(account, day: str, mood: int, **extra):
    response = account.post(
        "/api/v1/checkins",
        json={
            "client_id": str(uuid.uuid4()),
            "mood": mood,
            "local_date": day,
            "recorded_at": f"{day}T12:00:00Z",
            **extra,
        },
    )
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def clients(make_account):
    accounts = [make_account() for _ in range(3)]
    for n, account in enumerate(accounts):
        for day in range(2, 9):
            checkin(account, f"2026-03-{day:02d}", (day + n) % 11)
    return accounts


def test_last_complete_week():
    assert last_complete_week(dt.date(2026, 3, 9)) == "2026-W10"  # a Monday
    assert last_complete_week(dt.date(2026, 3, 8)) == "2026-W09"  # that week's own Sunday


def test_builds_one_digest_per_client_who_checked_in(clients, therapist, make_account):
    quiet = make_account()
    checkin(quiet, "2026-02-25", 5)  # checked in the week before, not this one
    counts = build_week(WEEK)
    assert (counts.created, counts.updated, counts.unchanged, counts.skipped) == (3, 0, 0, 1)
    assert Digest.objects(week=WEEK).count() == 3  # none for the quiet client or the therapist
    digest = Digest.objects.get(owner=clients[0].id)
    assert digest.data["checkin_days"] == 7
    assert digest.summary["paragraph"].startswith("You checked in on 7 days this week.")


def test_building_twice_changes_nothing(clients, raw_db):
    build_week(WEEK)
    before = list(raw_db.digests.find().sort("owner"))
    counts = build_week(WEEK)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 3)
    assert list(raw_db.digests.find().sort("owner")) == before


def test_a_late_checkin_updates_the_digest(clients):
    build_week(WEEK)
    checkin(clients[0], "2026-03-04", 10, note="synced late")
    counts = build_week(WEEK)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 2)


def test_reads_checkins_in_one_bulk_query_per_batch_not_per_client(clients, monkeypatch):
    calls = []
    real = records.read_owners
    monkeypatch.setattr(records, "read_owners", lambda *a: calls.append(a) or real(*a))
    monkeypatch.setattr(records, "read_owner", lambda *a: pytest.fail("a query per client"))
    build_week(WEEK)
    assert len(calls) == 1
    assert len(calls[0][0]) == 3


def test_batches_cover_every_client(clients):
    counts = build_week(WEEK, batch=2)
    assert counts.created == 3


def test_history_is_read_with_the_week(clients, monkeypatch):
    windows = []
    real = records.read_owners
    monkeypatch.setattr(
        records, "read_owners", lambda o, s, e: windows.append((s, e)) or real(o, s, e)
    )
    build_week(WEEK)
    assert windows == [(dt.date(2026, 1, 5), dt.date(2026, 3, 8))]  # 8 earlier weeks + this one


def test_new_parts_are_those_named_this_local_week(make_account):
    client = make_account(timezone="Pacific/Auckland")
    part = client.post("/api/v1/parts", json={"name": "Night Owl"}).json
    from api.models import Part

    # Sunday 8 March 23:30 in Auckland is 10:30 UTC that day: inside the week there.
    named = dt.datetime(2026, 3, 8, 10, 30, tzinfo=dt.UTC)
    Part.objects(id=part["id"]).update(set__created_at=named)
    checkin(client, "2026-03-05", 5)
    digest = ensure_digest(User.objects.get(id=client.id), WEEK)
    assert digest.data["parts"]["new"] == [part["id"]]
    assert "Night Owl" in " ".join(digest.summary["bullets"])
    # 12:30 UTC on the 8th is already Monday 9 March in Auckland: next week's part.
    Part.objects(id=part["id"]).update(set__created_at=named + dt.timedelta(hours=2))
    assert ensure_digest(User.objects.get(id=client.id), WEEK).data["parts"]["new"] == []


def test_a_digest_holds_no_free_text(alice):
    checkin(
        alice,
        "2026-03-03",
        4,
        note="PRIVATE NOTE",
        inner_child_note="PRIVATE CHILD",
        emotions=[{"name": "PRIVATE WORD", "intensity": 3}],
    )
    digest = ensure_digest(User.objects.get(id=alice.id), WEEK)
    assert "PRIVATE" not in repr(digest.data) + repr(digest.summary)


def test_a_new_client_has_not_enough_history(alice):
    checkin(alice, "2026-03-03", 4)
    digest = ensure_digest(User.objects.get(id=alice.id), WEEK)
    assert digest.data["comparisons"]["mood_mean"]["last_week"]["verdict"] == "not_enough_history"
    assert "not yet enough history" in digest.summary["paragraph"]


def test_deleted_checkins_do_not_count(alice):
    stored = checkin(alice, "2026-03-03", 4)
    alice.delete(f"/api/v1/checkins/{stored['id']}")
    assert Checkin.objects.count() == 1  # the tombstone
    digest = ensure_digest(User.objects.get(id=alice.id), WEEK)
    assert digest["data"]["checkin_days"] == 0 and digest["in_progress"] is False
    assert Digest.objects.count() == 0  # a week without a check-in gets no stored digest


def test_a_malformed_week_is_refused():
    with pytest.raises(ValueError):
        build_week("2026-47")


def test_a_digest_is_stored_with_its_headline_and_highlights(clients):
    build_week(WEEK)
    summary = Digest.objects.get(owner=clients[0].id).summary
    assert summary["headline"] and isinstance(summary["highlights"], list)


def test_a_digest_stored_by_an_earlier_version_is_built_again(clients, raw_db):
    build_week(WEEK)
    raw_db.digests.update_many({}, {"$unset": {"summary.headline": "", "summary.highlights": ""}})
    counts = build_week(WEEK)
    assert (counts.updated, counts.unchanged) == (3, 0)
    assert all("headline" in d["summary"] for d in raw_db.digests.find())


def test_ensure_digest_brings_an_earlier_versions_digest_up_to_date(clients, raw_db):
    build_week(WEEK)
    raw_db.digests.update_many({}, {"$unset": {"summary.headline": "", "summary.highlights": ""}})
    user = User.objects.get(id=clients[0].id)
    summary = ensure_digest(user, WEEK).summary
    assert summary["headline"] and "highlights" in summary


# --- a week is finished in the client's own time zone --------------------------------------------

#: Monday 9 March 2026, 05:00 UTC: 19:00 that Monday in Kiritimati (UTC+14), but still Sunday
#: 8 March, 18:00, in Pago Pago (UTC-11): W10 has ended in one and not in the other.
MONDAY_MORNING_UTC = dt.datetime(2026, 3, 9, 5, tzinfo=dt.UTC)
#: Sunday 8 March 2026, 10:30 UTC: already Monday 00:30 in Kiritimati, where W10 has ended.
SUNDAY_UTC = dt.datetime(2026, 3, 8, 10, 30, tzinfo=dt.UTC)


@pytest.fixture
def far_apart(make_account):
    """A client at UTC+14 and one at UTC-11, each with check-ins in W09 and W10."""
    accounts = (
        make_account(timezone="Pacific/Kiritimati"),
        make_account(timezone="Pacific/Pago_Pago"),
    )
    for account in accounts:
        checkin(account, "2026-02-24", 5)
        checkin(account, "2026-03-03", 6)
    return accounts


def test_each_client_gets_the_last_week_that_has_ended_where_they_are(far_apart):
    kiritimati, pago_pago = far_apart
    built = build_last_complete_weeks(MONDAY_MORNING_UTC)
    assert {week: counts.created for week, counts in built.items()} == {WEEK: 1, "2026-W09": 1}
    assert [d.week for d in Digest.objects(owner=kiritimati.id)] == [WEEK]
    assert [d.week for d in Digest.objects(owner=pago_pago.id)] == ["2026-W09"]


def test_a_client_ahead_of_utc_gets_their_finished_week_before_utc_has_finished_it(far_apart):
    kiritimati, _ = far_apart
    build_last_complete_weeks(SUNDAY_UTC)
    assert [d.week for d in Digest.objects(owner=kiritimati.id)] == [WEEK]


def test_a_week_is_not_stored_where_it_has_not_ended(far_apart):
    _, pago_pago = far_apart
    counts = build_week(WEEK, now=MONDAY_MORNING_UTC)
    assert (counts.created, counts.unfinished) == (1, 1)
    assert Digest.objects(owner=pago_pago.id).count() == 0


def test_reading_a_week_not_ended_where_the_client_is_stores_nothing(far_apart):
    _, pago_pago = far_apart
    user = User.objects.get(id=pago_pago.id)
    digest = ensure_digest(user, WEEK, now=MONDAY_MORNING_UTC)
    assert digest["in_progress"] is True and digest["data"]["checkin_days"] == 1
    assert Digest.objects.count() == 0


def test_a_digest_stored_before_its_week_ended_is_taken_away(far_apart, raw_db):
    _, pago_pago = far_apart
    build_week(WEEK)  # now: long after W10, everywhere
    assert Digest.objects(owner=pago_pago.id).count() == 1
    counts = build_week(WEEK, now=MONDAY_MORNING_UTC)  # as if stored too early, then built again
    assert (counts.unfinished, counts.removed) == (1, 1)
    assert Digest.objects(owner=pago_pago.id).count() == 0


def test_the_build_command_builds_each_clients_own_last_week(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import api.digests
    from api.cli import main
    from api.digests import BuildCounts

    monkeypatch.setenv("PARTWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MONGODB_URI", raising=False)
    built = {"2026-W09": BuildCounts(created=1), WEEK: BuildCounts(created=2, unfinished=0)}
    monkeypatch.setattr(api.digests, "build_last_complete_weeks", lambda: built)
    result = CliRunner().invoke(main, ["build-digests"])
    assert result.exit_code == 0, result.output
    assert "2026-W09: 1 created" in result.output and "2026-W10: 2 created" in result.output


# --- no stored digest without a check-in -------------------------------------------------------


def test_a_week_emptied_by_deletions_loses_its_digest_at_the_next_build(alice):
    stored = checkin(alice, "2026-03-03", 4)
    build_week(WEEK)
    Checkin.objects(id=stored["id"]).update(set__deleted_at=dt.datetime.now(dt.UTC))
    counts = build_week(WEEK)
    assert (counts.skipped, counts.removed) == (1, 1)
    assert Digest.objects.count() == 0


def test_a_week_before_the_account_existed_without_checkins_is_not_stored(alice):
    user = User.objects.get(id=alice.id)
    digest = ensure_digest(user, "2020-W10")
    assert digest["data"]["checkin_days"] == 0 and digest["in_progress"] is False
    assert build_week("2020-W10").created == 0
    assert Digest.objects.count() == 0
