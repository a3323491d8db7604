import datetime as dt
import uuid

import pytest

from api.digests import build_week
from api.insights import week_key
from api.models import Digest, User
from tests.support.sharing import client_url, share

DIGESTS = "/api/v1/digests"


def checkin(account, day: dt.date, mood: int = 5):
    noon = dt.datetime.combine(day, dt.time(12), dt.UTC)
    recorded_at = min(noon, dt.datetime.now(dt.UTC))
    response = account.post(
        "/api/v1/checkins",
        json={
            "client_id": str(uuid.uuid4()),
            "mood": mood,
            "local_date": day.isoformat(),
            "recorded_at": recorded_at.isoformat(),
        },
    )
    assert response.status_code == 201


@pytest.fixture
def weeks(alice):
    for day in (dt.date(2026, 3, 3), dt.date(2026, 3, 10), dt.date(2026, 3, 17)):
        checkin(alice, day)
    for week in ("2026-W10", "2026-W11", "2026-W12"):
        build_week(week)
    return ["2026-W12", "2026-W11", "2026-W10"]


def test_list_is_newest_first_and_paginated(alice, weeks):
    response = alice.get(f"{DIGESTS}?page_size=2")
    assert [d["week"] for d in response.json] == weeks[:2]
    assert '"total": 3' in response.headers["X-Pagination"]
    first = response.json[0]
    assert first["start"] == "2026-03-16" and first["end"] == "2026-03-22"
    assert first["in_progress"] is False
    assert first["summary"]["paragraph"]


def test_read_one_week(alice, weeks):
    digest = alice.get(f"{DIGESTS}/2026-W11").json
    assert digest["week"] == "2026-W11" and digest["data"]["checkin_days"] == 1


def test_a_finished_week_not_built_yet_is_built_on_first_read(alice):
    checkin(alice, dt.date(2026, 3, 3))
    assert Digest.objects.count() == 0
    assert alice.get(f"{DIGESTS}/2026-W10").json["data"]["checkin_days"] == 1
    assert Digest.objects.count() == 1


def test_the_week_under_way_is_a_preview_that_is_not_stored(alice):
    today = dt.datetime.now(dt.UTC).date()
    checkin(alice, today, 7)
    digest = alice.get(f"{DIGESTS}/current").json
    assert digest["week"] == week_key(today)
    assert digest["in_progress"] is True
    assert digest["data"]["checkin_days"] == 1
    assert alice.get(f"{DIGESTS}/{week_key(today)}").json["in_progress"] is True
    assert Digest.objects.count() == 0


@pytest.mark.parametrize("week", ["2099-W01", "2026-W99", "last-week", "2026W10"])
def test_future_or_malformed_weeks_are_404(alice, week):
    assert alice.get(f"{DIGESTS}/{week}").status_code == 404


def test_another_clients_digests_are_not_mine(alice, bob, weeks):
    assert bob.get(DIGESTS).json == []
    assert bob.get(f"{DIGESTS}/2026-W11").json["data"]["checkin_days"] == 0


def test_an_empty_week_before_the_journal_began_is_answered_but_not_stored(alice):
    digest = alice.get(f"{DIGESTS}/2020-W10").json
    assert digest["in_progress"] is False and digest["data"]["checkin_days"] == 0
    assert Digest.objects.count() == 0
    assert alice.get(DIGESTS).json == []


def test_an_empty_week_since_the_journal_began_gets_a_gentle_digest_not_stored(alice):
    last_week = week_key(dt.datetime.now(dt.UTC).date() - dt.timedelta(weeks=1))
    User.objects(id=alice.id).update(set__created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    digest = alice.get(f"{DIGESTS}/{last_week}").json
    assert digest["data"]["checkin_days"] == 0 and digest["in_progress"] is False
    assert "no check-ins" in digest["summary"]["paragraph"]
    assert Digest.objects.count() == 0
    assert alice.get(DIGESTS).json == []


@pytest.mark.parametrize("week", ["0001-W01", "1899-W52", "9999-W52", "9998-W53"])
def test_weeks_at_the_edges_of_the_calendar_are_404(alice, week):
    response = alice.get(f"{DIGESTS}/{week}")
    assert response.status_code == 404 and response.json["message"]


def test_the_first_week_a_journal_can_hold_is_answered(alice):
    assert alice.get(f"{DIGESTS}/1900-W01").status_code == 200


def test_therapists_have_no_digests_of_their_own(therapist):
    assert therapist.get(DIGESTS).status_code == 403


def _as_an_earlier_version_stored_them():
    Digest.objects.update(unset__summary__headline=True, unset__summary__highlights=True)


def test_the_summary_has_a_headline_and_highlights(alice, weeks):
    summary = alice.get(f"{DIGESTS}/2026-W11").json["summary"]
    assert summary["headline"] == "Too few recent weeks to compare yet: 1 check-in day."
    assert isinstance(summary["highlights"], list)


def test_the_list_gives_older_digests_a_headline_too(alice, weeks):
    _as_an_earlier_version_stored_them()
    for digest in alice.get(DIGESTS).json:
        assert digest["summary"]["headline"]
        assert "highlights" in digest["summary"]


def test_reading_an_older_digests_week_stores_its_headline(alice, weeks):
    _as_an_earlier_version_stored_them()
    assert alice.get(f"{DIGESTS}/2026-W11").json["summary"]["headline"]
    assert "headline" in Digest.objects.get(week="2026-W11").summary


def test_a_therapists_read_gives_older_digests_a_headline_too(alice, therapist, weeks):
    share(alice, therapist, ("digests",))
    _as_an_earlier_version_stored_them()
    digests = therapist.get(client_url(alice, "digests")).json
    assert [d["week"] for d in digests] == weeks
    assert all(d["summary"]["headline"] and "highlights" in d["summary"] for d in digests)


def test_the_spec_describes_the_summary(client):
    schemas = client.get("/api/openapi.json").json["components"]["schemas"]
    summary = schemas["DigestSummary"]
    assert set(summary["required"]) == {"headline", "highlights", "paragraph", "bullets"}
    assert all(field.get("description") for field in summary["properties"].values())


def test_a_digest_says_why_it_withholds_a_figure_or_a_comparison(alice):
    for day in (3, 4, 6):  # 3 days, 1 pair of consecutive days
        checkin(alice, dt.date(2026, 3, day))
    digest = alice.get(f"{DIGESTS}/2026-W10").json
    assert digest["data"]["mood"]["sd"] is None
    withheld = digest["withheld"]
    assert withheld["mood"]["sd"] == "Needs at least 5 days with a value; there are only 3."
    assert withheld["mood"]["rmssd"].startswith(
        "Needs at least 4 pairs of consecutive days with a value; there is only 1"
    )
    assert withheld["comparisons"]["mood_mean"]["last_week"] == (
        "Needs at least 4 earlier weeks with this figure (of the 8 before this one); there are "
        "none."
    )
    assert (
        "how much your mood moved around its average is shown from 5 days"
        in " ".join(digest["summary"]["bullets"]).lower()
    )


def test_the_spec_describes_what_a_digest_withholds(client):
    schemas = client.get("/api/openapi.json").json["components"]["schemas"]
    assert schemas["Digest"]["properties"]["withheld"]["$ref"].endswith("/DigestWithheld")
    assert set(schemas["DigestWithheld"]["required"]) == {"mood", "comparisons"}
    assert "inertia" in schemas["WithheldFigures"]["properties"]
    assert "mood_variability" in schemas["WithheldComparisons"]["properties"]
