"""What a notification says. Never health data: a lock screen is not private, and push services
see the size and timing of what we send. The digest itself is fetched by the app after login.
"""

from __future__ import annotations

REMINDER_TOPIC = "reminder"
DIGEST_TOPIC = "digest"
TEST_TOPIC = "test"


def reminder() -> dict:
    return {
        "type": "reminder",
        "title": "Time for your check-in",
        "body": "Two taps for your mood, or a few minutes for yourself and your parts.",
        "url": "/#/today",
    }


def digest(week: str) -> dict:
    return {
        "type": "digest",
        "title": "Your week in the journal",
        "body": "Your weekly reflection is ready.",
        "url": f"/#/digests/{week}",
    }


def test() -> dict:
    return {
        "type": "test",
        "title": "Partwise notifications work",
        "body": "This device will get your reminders.",
        "url": "/#/",
    }


def for_delivery(kind: str, period_key: str) -> tuple[dict, str]:
    """The payload and Topic of a scheduled delivery; a newer one replaces an older one with the
    same Topic on the device."""
    if kind == "reminder":
        return reminder(), REMINDER_TOPIC
    return digest(period_key), DIGEST_TOPIC
