"""Weekly digests: built from bulk reads of check-ins, stored one per client and local ISO week."""

from api.digests.building import (
    BuildCounts,
    build_last_complete_weeks,
    build_week,
    compose,
    ensure_digest,
    last_complete_week,
    preview,
    week_has_ended,
)
from api.digests.staleness import checkins_changed

__all__ = [
    "BuildCounts",
    "build_last_complete_weeks",
    "build_week",
    "checkins_changed",
    "compose",
    "ensure_digest",
    "last_complete_week",
    "preview",
    "week_has_ended",
]
