import datetime as dt
import uuid

import pytest

from api.digests import build_week
from api.digests.reading import with_headlines
from api.models import Digest

WEEK = "2026-W10"  # Monday 2 March to Sunday 8 March 2026


@pytest.fixture
def stored(alice):
    """A digest of `alice` as an earlier version stored it: no headline, no highlights."""
    part = alice.post("/api/v1/parts", json={"name": "the Critic"}).json
    for day in range(2, 6):
        response = alice.post(
            "/api/v1/checkins",
            json={
                "client_id": str(uuid.uuid4()),
                "mood": day,
                "parts": [{"part": part["id"]}],
                "local_date": f"2026-03-{day:02d}",
                "recorded_at": dt.datetime(2026, 3, day, 12, tzinfo=dt.UTC).isoformat(),
            },
        )
        assert response.status_code == 201
    build_week(WEEK)
    Digest.objects(week=WEEK).update(
        unset__summary__headline=True, unset__summary__highlights=True, set__version=2
    )
    return Digest.objects.get(week=WEEK)


def test_an_older_digest_gets_its_headline_and_highlights_at_read(stored):
    [digest] = with_headlines([stored])
    assert digest["summary"]["headline"] == "Too few recent weeks to compare yet: 4 check-in days."
    assert digest["summary"]["highlights"][0] == (
        "The part you call “the Critic” was the most active, on 4 days."
    )


def test_an_older_digest_keeps_its_stored_paragraph_and_bullets(stored):
    [digest] = with_headlines([stored])
    assert digest["summary"]["paragraph"] == stored.summary["paragraph"]
    assert digest["summary"]["bullets"] == stored.summary["bullets"]


def test_a_complete_digest_is_passed_through_as_it_is(alice, stored):
    build_week(WEEK)  # stored again, complete
    fresh = Digest.objects.get(week=WEEK)
    assert with_headlines([fresh]) == [fresh]
