"""A stored digest never outlives a change to the check-ins it read: edits, deletions, late
check-ins and imports make it stale, and the next read rebuilds it (only it)."""

import datetime as dt

import pytest

from api.digests import build_week, building, staleness
from api.models import Checkin, Digest
from api.models.digest import DigestRevision
from api.services import checkins
from tests.support.sharing import checkin, client_url, share

DIGESTS = "/api/v1/digests"
W10 = "2026-W10"  # Monday 2 March to Sunday 8 March 2026
MONDAY = dt.date(2026, 3, 2)


def monday(week_offset: int) -> dt.date:
    """The Monday `week_offset` weeks after (or before) W10's."""
    return MONDAY + dt.timedelta(weeks=week_offset)


def key(week_offset: int) -> str:
    year, week, _ = monday(week_offset).isocalendar()
    return f"{year}-W{week:02d}"


@pytest.fixture
def shared(alice, therapist):
    share(alice, therapist, ("digests",))
    return alice


def therapists_digest(therapist, client, week: str) -> dict | None:
    digests = therapist.get(client_url(client, "digests")).json
    return next((d for d in digests if d["week"] == week), None)


def my_digest_in_list(client, week: str) -> dict | None:
    return next((d for d in client.get(DIGESTS).json if d["week"] == week), None)


def test_deleting_a_checkin_of_a_finished_week_shows_in_every_read(shared, therapist):
    checkin(shared, monday(0) + dt.timedelta(days=1), mood=2)
    gone = checkin(shared, monday(0) + dt.timedelta(days=2), mood=9)
    checkin(shared, monday(0) + dt.timedelta(days=3), mood=3)
    build_week(W10)
    assert therapists_digest(therapist, shared, W10)["data"]["checkin_days"] == 3

    assert shared.delete(f"/api/v1/checkins/{gone['id']}").status_code == 204

    # The lists first: they read what is stored (a read of the week itself builds it anew).
    seen = therapists_digest(therapist, shared, W10)
    assert seen["data"]["checkin_days"] == 2 and seen["data"]["mood"]["max"] == 3
    assert "2 days" in seen["summary"]["paragraph"]
    assert my_digest_in_list(shared, W10)["data"]["checkin_days"] == 2
    assert shared.get(f"{DIGESTS}/{W10}").json["data"]["checkin_days"] == 2


def test_deleting_a_weeks_only_checkin_takes_its_digest_away(shared, therapist):
    only = checkin(shared, monday(0), mood=4)
    build_week(W10)

    shared.delete(f"/api/v1/checkins/{only['id']}")

    assert therapist.get(client_url(shared, "digests")).json == []
    assert Digest.objects.count() == 0
    answer = shared.get(f"{DIGESTS}/{W10}").json
    assert answer["data"]["checkin_days"] == 0 and Digest.objects.count() == 0


def test_the_later_weeks_that_compare_with_a_changed_week_are_rebuilt(shared, therapist):
    for w in range(-5, 1):  # one check-in in each of W05 ... W10
        checkin(shared, monday(w), mood=5 + w % 2)
    build_week(W10)
    before = therapists_digest(therapist, shared, W10)["data"]["comparisons"]["mood_mean"]
    assert before["earlier_weeks"] == 5
    last_week = Checkin.objects.get(local_date=monday(-1))

    shared.delete(f"/api/v1/checkins/{last_week.id}")

    after = therapists_digest(therapist, shared, W10)["data"]["comparisons"]["mood_mean"]
    assert after["earlier_weeks"] == 4
    assert after["last_week"]["verdict"] == "no_data"


def test_a_missed_day_filled_in_later_shows_in_the_stored_digest(shared, therapist):
    checkin(shared, monday(0), mood=4)
    build_week(W10)

    checkin(shared, monday(0) + dt.timedelta(days=4), mood=8)  # Friday, written down later

    assert therapists_digest(therapist, shared, W10)["data"]["checkin_days"] == 2
    assert my_digest_in_list(shared, W10)["data"]["mood"]["max"] == 8


def test_a_correction_shows_in_the_stored_digest(shared, therapist):
    stored = checkin(shared, monday(0), mood=4)
    build_week(W10)

    assert shared.patch(f"/api/v1/checkins/{stored['id']}", json={"mood": 9}).status_code == 200

    assert therapists_digest(therapist, shared, W10)["data"]["mood"]["mean"] == 9


def test_a_checkin_moved_to_another_week_leaves_the_first(shared, therapist):
    checkin(shared, monday(0), mood=4)
    moved = checkin(shared, monday(0) + dt.timedelta(days=1), mood=6)
    checkin(shared, monday(2), mood=5)
    build_week(W10)
    build_week(key(2))
    new_day = monday(2) + dt.timedelta(days=1)
    response = shared.patch(
        f"/api/v1/checkins/{moved['id']}",
        json={"local_date": new_day.isoformat(), "recorded_at": f"{new_day}T12:00:00Z"},
    )
    assert response.status_code == 200, response.json

    assert therapists_digest(therapist, shared, W10)["data"]["checkin_days"] == 1
    assert therapists_digest(therapist, shared, key(2))["data"]["checkin_days"] == 2


def test_only_the_week_and_the_eight_after_it_are_marked(alice, raw_db):
    for w in (-1, 0, 8, 9):
        checkin(alice, monday(w), mood=5)
        build_week(key(w))
    gone = Checkin.objects.get(local_date=monday(0))

    alice.delete(f"/api/v1/checkins/{gone.id}")

    stale = {d["week"]: d["stale"] for d in raw_db.digests.find()}
    assert stale == {key(-1): False, W10: True, key(8): True, key(9): False}


def test_a_read_rebuilds_only_the_stale_weeks(alice, monkeypatch):
    for w in range(12):
        checkin(alice, monday(w), mood=5)
        build_week(key(w))
    built = []
    real = building.build_for
    monkeypatch.setattr(
        "api.digests.reading.build_for", lambda c, week, *a: built.append(week) or real(c, week)
    )
    assert len(alice.get(DIGESTS).json) == 12
    assert built == []  # nothing stale: nothing built

    alice.patch(
        f"/api/v1/checkins/{Checkin.objects.get(local_date=monday(5)).id}", json={"mood": 1}
    )

    assert len(alice.get(DIGESTS).json) == 12
    assert sorted(built) == [key(w) for w in range(5, 12)]  # weeks 5 to 11 (5 to 13 marked)


def test_a_checkin_of_the_week_under_way_costs_no_write(alice):
    checkin(alice, dt.datetime.now(dt.UTC).date(), mood=5)
    assert DigestRevision.objects.count() == 0


def test_a_build_that_read_before_a_deletion_leaves_its_digest_stale(alice, monkeypatch):
    checkin(alice, monday(0), mood=2)
    gone = checkin(alice, monday(0) + dt.timedelta(days=1), mood=9)
    real = building.records.read_owners

    def read_then_delete(*args):
        read = real(*args)  # the build has read the check-ins; then another process deletes one
        checkins.delete(Checkin.objects.get(id=gone["id"]))
        return read

    monkeypatch.setattr(building.records, "read_owners", read_then_delete)
    build_week(W10)
    monkeypatch.undo()

    assert Digest.objects.get(week=W10).stale is True  # built from what was read: not trusted
    assert my_digest_in_list(alice, W10)["data"]["checkin_days"] == 1
    assert Digest.objects.get(week=W10).stale is False


def test_a_deletion_whose_mark_comes_after_the_builds_check_is_still_seen(alice, monkeypatch):
    checkin(alice, monday(0), mood=2)
    gone = checkin(alice, monday(0) + dt.timedelta(days=1), mood=9)
    real_read, real_recheck = building.records.read_owners, staleness.recheck
    deleted = []

    def read_then_write(*args):
        read = real_read(*args)
        # Another process deletes the check-in now but marks the digests only later.
        doc = Checkin.objects.get(id=gone["id"])
        doc.deleted_at = doc.updated_at = dt.datetime.now(dt.UTC)
        doc.save()
        return read

    def recheck_then_mark(*args):
        moved = real_recheck(*args)
        staleness.checkins_changed(alice_id, [monday(0)])  # the late writer's mark
        deleted.append(1)
        return moved

    alice_id = Checkin.objects.get(id=gone["id"]).owner
    monkeypatch.setattr(building.records, "read_owners", read_then_write)
    monkeypatch.setattr(staleness, "recheck", recheck_then_mark)
    build_week(W10)
    monkeypatch.undo()

    assert deleted and Digest.objects.get(week=W10).stale is True
    assert my_digest_in_list(alice, W10)["data"]["checkin_days"] == 1


def test_an_import_into_a_digested_week_shows_in_the_stored_digest(shared, therapist, make_account):
    checkin(shared, monday(0), mood=4)
    build_week(W10)
    elsewhere = make_account()
    checkin(elsewhere, monday(0) + dt.timedelta(days=3), mood=9)
    archive = elsewhere.get("/api/v1/me/export").json

    assert shared.post("/api/v1/me/import", json=archive).status_code == 200

    assert therapists_digest(therapist, shared, W10)["data"]["checkin_days"] == 2
