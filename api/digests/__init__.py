"""Weekly digests: built from bulk reads of check-ins, stored one per client and local ISO week."""

from api.digests.building import (
    BuildCounts,
    build_week,
    compose,
    ensure_digest,
    last_complete_week,
    preview,
)

__all__ = ["BuildCounts", "build_week", "compose", "ensure_digest", "last_complete_week", "preview"]
