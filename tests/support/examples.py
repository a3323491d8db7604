"""How many examples a Hypothesis test runs: the count written in the test under the `ci`
profile, proportionally fewer under a lighter one (the local default; see tests/conftest.py)."""

from __future__ import annotations

from hypothesis import settings

#: max_examples of the `ci` profile, which the counts written in the tests are for.
CI_MAX_EXAMPLES = 100
#: Never fewer than this, whatever the profile (the explicit @example cases run besides).
AT_LEAST = 5


def examples(count: int) -> int:
    """`count` under the `ci` profile, scaled by the loaded profile's max_examples otherwise."""
    scaled = round(count * settings().max_examples / CI_MAX_EXAMPLES)
    return max(scaled, min(count, AT_LEAST))


def full() -> bool:
    """Whether the full counts run (the `ci` profile): the slow exhaustive phases run only then."""
    return settings().max_examples >= CI_MAX_EXAMPLES
