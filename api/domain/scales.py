"""The check-in's scales and vocabularies: one source of truth for every range and list.

Schemas validate against these, the insights compute against these, the PWA reads them from
`GET /api/v1/meta/scales`. Change a range here and nowhere else.
"""

from __future__ import annotations

#: Mood (valence), energy, intensities, Self-energy Cs, attachment anxiety/avoidance and
#: regulation success are all rated on one 0-10 scale.
SCALE_MIN = 0
SCALE_MAX = 10

#: The 8 Cs of Self-energy (Schwartz), in the order the check-in asks them.
SELF_ENERGY_CS: tuple[str, ...] = (
    "calm",
    "curiosity",
    "clarity",
    "compassion",
    "confidence",
    "courage",
    "creativity",
    "connectedness",
)

#: IFS part roles. "unknown" until the client has got to know the part.
PART_ROLES: tuple[str, ...] = ("manager", "firefighter", "exile", "unknown")

#: Regulation strategies a client can tick for a hard moment. Adaptive and less adaptive ones are
#: both listed on purpose: the journal records what happened, it does not grade it.
REGULATION_STRATEGIES: tuple[str, ...] = (
    "reappraisal",
    "distraction",
    "reaching_out",
    "breathing",
    "grounding",
    "movement",
    "unblending",
    "self_compassion",
    "journaling",
    "suppression",
    "rumination",
    "avoidance",
    "other",
)

#: The steps of the full check-in, in the order it asks them: (key, label). A person chooses
#: which of them their check-in has (`User.checkin_steps`); the review at the end always stays.
CHECKIN_STEPS: tuple[tuple[str, str], ...] = (
    ("feel", "Mood and energy"),
    ("emotions", "Emotions"),
    ("parts", "Parts"),
    ("self", "Self-energy"),
    ("moment", "A hard moment"),
    ("attachment", "Closeness and distance"),
    ("notes", "Notes"),
)
CHECKIN_STEP_KEYS: tuple[str, ...] = tuple(key for key, _ in CHECKIN_STEPS)

#: Emotions offered by the check-in (clients may also type their own, up to EMOTION_NAME_MAX chars).
SUGGESTED_EMOTIONS: tuple[str, ...] = (
    "joy",
    "calm",
    "gratitude",
    "hope",
    "sadness",
    "grief",
    "loneliness",
    "anxiety",
    "fear",
    "shame",
    "guilt",
    "anger",
    "frustration",
    "overwhelm",
    "numbness",
    "tenderness",
)

EMOTION_NAME_MAX = 40
MAX_EMOTIONS_PER_CHECKIN = 20
MAX_PARTS_PER_CHECKIN = 30
MAX_STRATEGIES_PER_EPISODE = len(REGULATION_STRATEGIES)

#: Minutes until settled is capped at one day: a longer episode is no longer "a hard moment".
MINUTES_TO_SETTLE_MAX = 24 * 60

#: Free text (check-in note, inner-child note, part notes) is capped so one request stays small.
NOTE_MAX_CHARS = 5000
PART_NAME_MAX = 80
PART_FIELD_MAX = 1000

#: A change of at least this many scale points between consecutive days counts as an acute change
#: (PAC, INSIGHTS.md): fixed for the product so weeks and people are comparable.
ACUTE_CHANGE_THRESHOLD = 3
