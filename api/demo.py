"""Demo data for the embedded mode: a client with ten weeks of varied check-ins, and a therapist.

The story, so that trends and digests have something true to say: a changeable start, a hard
fifth week (low, and as up and down as before) in which the Inner Critic takes over, then a
steadier stretch in which the Critic quiets down and Self-energy grows. PHQ-9 and GAD-7 every
other week follow it. Sam shares weekly trends, digests and scores (not notes) with the
therapist, as do six lighter demo clients who joined at different times, so that the caseload
view shows figures for recent weeks and hides the older weeks that fewer than k clients stand
behind. Deterministic (seeded), relative to today in the client's zone.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zoneinfo

from api import security
from api.digests import ensure_digest
from api.domain import questionnaires
from api.domain.scales import SCALE_MAX, SCALE_MIN, SELF_ENERGY_CS
from api.insights import week_key
from api.models import Part, User
from api.services import checkins, consents
from api.services import questionnaire_responses as answering

DEMO_PASSWORD = "partwise-demo"  # noqa: S105 - printed for newcomers, embedded mode only
CLIENT_EMAIL = "demo-client@partwise.local"
THERAPIST_EMAIL = "demo-therapist@partwise.local"
CLIENT_TZ = "Europe/Berlin"
WEEKS = 10

PARTS = (
    ("The Inner Critic", "manager", "That I will be rejected if I make a mistake.", "To rest."),
    ("The Worrier", "manager", "Being caught off guard.", "Reassurance that someone is here."),
    ("The Numb-Out", "firefighter", "The pain getting too big.", "To know the pain can be held."),
    ("Little One", "exile", "Being left alone.", "To be seen and comforted."),
    ("The People-Pleaser", "manager", "Conflict and being disliked.", "Permission to say no."),
)

NOTES = (
    "Noticed the Critic before the meeting and took three breaths before answering it.",
    "Walked by the river after work. Felt more like myself.",
    "Hard call with my sister. Little One felt very young afterwards.",
    "Slept badly, everything felt heavy.",
    "Spent time with a friend and laughed properly.",
    "Asked the Worrier what it needed; it mostly wanted to be heard.",
)
#: (week of the story, PHQ-9 total, GAD-7 total): worse in the hard week, easing after it.
SCORES = ((0, 9, 10), (2, 10, 9), (4, 14, 13), (6, 8, 7), (8, 5, 5))
SHARED_SCOPES = ("weekly_trends", "digests", "questionnaires")
#: Other clients of the therapist: (name, weeks since they started, their usual mood).
CASELOAD = (
    ("Alex", 8, 6.0),
    ("Jo", 8, 4.5),
    ("Kim", 6, 5.5),
    ("Ren", 5, 7.0),
    ("Tay", 4, 5.0),
    ("Uma", 3, 6.5),
)
#: Jo has not checked in for the last days: the therapist's list says so (what may need
#: attention), as it would for a real client who went quiet.
QUIET_DAYS = {"Jo": 6}

INNER_CHILD_NOTES = (
    "I told Little One she did nothing wrong.",
    "Imagined sitting next to my younger self on the stairs.",
    "Little One wanted to play today, so I drew for a while.",
)


def _clamp(value: float) -> int:
    return max(SCALE_MIN, min(SCALE_MAX, round(value)))


def _phase(week: int) -> dict:
    """How the week goes: 0-3 changeable, 4 hard, 5 recovering, 6-9 steadier."""
    if week == 4:  # low, and as up and down as the weeks before it
        return {
            "mood": 3.0,
            "swing": 2.0,
            "critic": 8,
            "critic_p": 1.0,
            "blend": 0.8,
            "self": 3.5,
            "anx": 7,
        }
    if week <= 3:
        return {
            "mood": 5.3,
            "swing": 2.2,
            "critic": 6,
            "critic_p": 0.9,
            "blend": 0.55,
            "self": 4.5,
            "anx": 5,
        }
    if week == 5:
        return {
            "mood": 5.4,
            "swing": 1.0,
            "critic": 5,
            "critic_p": 0.7,
            "blend": 0.35,
            "self": 5.4,
            "anx": 4.5,
        }
    return {
        "mood": 6.7,
        "swing": 0.4,
        "critic": 3,
        "critic_p": 0.4,
        "blend": 0.1,
        "self": 6.8,
        "anx": 3,
    }


def _checkin_body(rng: random.Random, direction: int, week: int, part_ids: dict[str, str]) -> dict:
    p = _phase(week)
    # Changeable weeks swing from one day to the next around a steady level (`direction` is +1
    # or -1): high instability, a stable weekly mean. The harder week drops the level; the
    # steadier weeks calm the swing.
    mood = _clamp(p["mood"] + direction * p["swing"] * rng.uniform(0.7, 1.0) + rng.gauss(0, 0.4))
    parts = []
    if rng.random() < p["critic_p"]:
        parts.append(
            {
                "part": part_ids["The Inner Critic"],
                "intensity": max(1, _clamp(rng.gauss(p["critic"], 1.0))),
                "blended": rng.random() < p["blend"],
            }
        )
    for name in ("The Worrier", "Little One", "The Numb-Out", "The People-Pleaser"):
        if rng.random() < (0.5 if week == 4 else 0.3):
            parts.append(
                {
                    "part": part_ids[name],
                    "intensity": _clamp(rng.gauss(5, 2)),
                    "blended": rng.random() < p["blend"] / 2,
                }
            )
    body = {
        "mood": mood,
        "energy": _clamp(rng.gauss(mood - 0.5, 1.5)),
        "emotions": [
            {"name": name, "intensity": _clamp(rng.gauss(6, 2))}
            for name in rng.sample(
                ["calm", "anxiety", "sadness", "hope", "shame", "joy", "loneliness", "gratitude"],
                k=rng.randint(1, 3),
            )
        ],
        "parts": parts,
        "self_energy": {c: _clamp(rng.gauss(p["self"], 1.3)) for c in SELF_ENERGY_CS},
        "attachment": {
            "anxiety": _clamp(rng.gauss(p["anx"], 1.5)),
            "avoidance": _clamp(rng.gauss(p["anx"] - 1, 1.5)),
            "reached_out": rng.random() < (0.3 if week == 4 else 0.6),
            "felt_supported": rng.random() < 0.6,
        },
    }
    if rng.random() < (0.8 if week == 4 else 0.35):
        strategies = rng.sample(
            ["breathing", "unblending", "reaching_out", "distraction", "rumination", "grounding"],
            k=rng.randint(1, 2),
        )
        helpful = {"breathing", "unblending", "reaching_out", "grounding"} & set(strategies)
        body["regulation"] = {
            "occurred": True,
            "peak_intensity": _clamp(rng.gauss(7 if week == 4 else 5.5, 1.5)),
            "strategies": strategies,
            "success": _clamp(rng.gauss(6.5 if helpful else 3.5, 1.5)),
            "minutes_to_settle": rng.choice([10, 15, 20, 30, 45, 60, 90]),
        }
    else:
        body["regulation"] = {"occurred": False}  # "Was there a hard moment?" "No."
    if rng.random() < 0.3:
        body["note"] = rng.choice(NOTES)
    if rng.random() < 0.12:
        body["inner_child_note"] = rng.choice(INNER_CHILD_NOTES)
    return body


def _answers(q: questionnaires.Instrument, total: int, rng: random.Random) -> list[int]:
    """Item answers summing to `total`; the crisis item (PHQ-9's item 9) is left at 0."""
    answers = [0] * len(q.items)
    for _ in range(total):
        free = [
            i for i, a in enumerate(answers) if a < questionnaires.ANSWER_MAX and i != q.crisis_item
        ]
        answers[rng.choice(free)] += 1
    return answers


def _seed_scores(client: User, first_day: dt.date, zone, rng: random.Random) -> None:
    for week, phq9, gad7 in SCORES:
        day = first_day + dt.timedelta(weeks=week, days=2)
        local = dt.datetime.combine(day, dt.time(20, 30), zone)
        for instrument, total in (("phq9", phq9), ("gad7", gad7)):
            q = questionnaires.INSTRUMENTS[instrument]
            data = {
                "client_id": uuid.UUID(int=rng.getrandbits(128)),
                "answers": _answers(q, total, rng),
                "local_date": day,
                "recorded_at": local.astimezone(dt.UTC),
            }
            answering.create(client, q, data)


def _share(client: User, therapist: User, scopes) -> None:
    """The client invites, the therapist redeems: the same path as in the app."""
    _invitation, code = consents.create_invitation(client, scopes, None, dt.timedelta(hours=1))
    consents.redeem(therapist, code, dt.datetime.now(dt.UTC))


def _seed_caseload(therapist: User, password_hash: str, today: dt.date, zone, rng) -> None:
    monday = today - dt.timedelta(days=today.weekday())
    for name, weeks, usual in CASELOAD:
        client = User(
            email=f"demo-{name.lower()}@partwise.local",
            password_hash=password_hash,
            role="client",
            display_name=name,
            timezone=CLIENT_TZ,
        ).save()
        start = monday - dt.timedelta(weeks=weeks)
        last = today - dt.timedelta(days=QUIET_DAYS.get(name, 0))
        for offset in range((today - start).days):
            if rng.random() < 0.2 or start + dt.timedelta(days=offset) >= last:
                continue
            day = start + dt.timedelta(days=offset)
            mood = _clamp(rng.gauss(usual + offset / 40, 1.3))
            local = dt.datetime.combine(day, dt.time(21), zone)
            body = {
                "client_id": uuid.UUID(int=rng.getrandbits(128)),
                "recorded_at": local.astimezone(dt.UTC),
                "local_date": day,
                "mood": mood,
                "energy": _clamp(rng.gauss(mood, 1.5)),
                "self_energy": {c: _clamp(rng.gauss(mood, 1.2)) for c in SELF_ENERGY_CS},
            }
            checkins.create(client, body, set())
        _share(client, therapist, ("weekly_trends",))


def seed(today: dt.date | None = None) -> dict[str, str]:
    """Create the demo accounts and data unless they exist; returns the logins."""
    logins = {"client": CLIENT_EMAIL, "therapist": THERAPIST_EMAIL, "password": DEMO_PASSWORD}
    if User.objects(email=CLIENT_EMAIL).first() is not None:
        return logins
    zone = zoneinfo.ZoneInfo(CLIENT_TZ)
    today = today or dt.datetime.now(zone).date()
    password_hash = security.hash_password(DEMO_PASSWORD)
    client = User(
        email=CLIENT_EMAIL,
        password_hash=password_hash,
        role="client",
        display_name="Sam",
        timezone=CLIENT_TZ,
    ).save()
    therapist = User(
        email=THERAPIST_EMAIL,
        password_hash=password_hash,
        role="therapist",
        display_name="Dr. Rivera",
        timezone=CLIENT_TZ,
    ).save()
    rng = random.Random(20261125)
    # From a Monday, so that each week of the story is one digest, up to yesterday: today's
    # check-in is left for the newcomer to make.
    first_day = today - dt.timedelta(weeks=WEEKS, days=today.weekday())
    # The Worrier is named only ten days ago: a new part in this week's digest.
    worrier_named = today - dt.timedelta(days=10)
    part_ids = {}
    for name, role, fears, needs in PARTS:
        named_on = worrier_named if name == "The Worrier" else first_day
        part = Part(owner=client.id, name=name, role=role, fears=fears, needs=needs)
        part.created_at = part.updated_at = dt.datetime.combine(named_on, dt.time(9), zone)
        part_ids[name] = str(part.save().id)
    owned = set(part_ids.values())
    direction = 1
    for offset in range((today - first_day).days):
        day = first_day + dt.timedelta(days=offset)
        week = min(offset // 7, WEEKS - 1)
        # Mostly up one day and down the next, not like clockwork.
        direction = -direction if rng.random() < 0.8 else direction
        if rng.random() < (0.25 if week == 4 else 0.12):
            continue  # a missed day
        body = _checkin_body(rng, direction, week, part_ids)
        if day < worrier_named:
            body["parts"] = [p for p in body["parts"] if p["part"] != part_ids["The Worrier"]]
        local = dt.datetime.combine(day, dt.time(rng.randint(19, 22), rng.randint(0, 59)), zone)
        body.update(
            client_id=uuid.UUID(int=rng.getrandbits(128)),
            recorded_at=local.astimezone(dt.UTC),
            local_date=day,
        )
        checkins.create(client, body, owned)
    # The digests of every finished week, as the worker would have built them each Sunday.
    for monday in range(0, (today - first_day).days - today.weekday(), 7):
        ensure_digest(client, week_key(first_day + dt.timedelta(days=monday)))
    _seed_scores(client, first_day, zone, rng)
    _share(client, therapist, SHARED_SCOPES)
    _seed_caseload(therapist, password_hash, today, zone, rng)
    return logins
