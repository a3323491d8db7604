"""Words every therapist export shares.

Pure.
"""

from __future__ import annotations

#: The one line that says what the variability figures are, after the means.
VARIABILITY = (
    "Variability, after the means: SD is how far a week's daily ratings spread around its mean, "
    "RMSSD how much they changed from one day to the next; higher means more up and down, "
    "neither better nor worse."
)
