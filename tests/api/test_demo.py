import datetime as dt

from api import demo
from api.models import Checkin, Part, User


def test_demo_seeds_a_client_with_ten_weeks_and_a_therapist(app):
    today = dt.date(2026, 11, 25)
    demo.seed(today=today)
    client = User.objects.get(email=demo.CLIENT_EMAIL)
    assert User.objects.get(email=demo.THERAPIST_EMAIL).role == "therapist"
    checkins = list(Checkin.objects(owner=client.id))
    days = {c.local_date for c in checkins}
    assert min(days) <= today - dt.timedelta(weeks=8)
    assert max(days) == today - dt.timedelta(days=1)  # today is left for the newcomer
    assert 0.7 < len(days) / 70 < 0.95  # some missed days, like a real journal
    assert Part.objects(owner=client.id).count() == 5
    assert len({c.mood for c in checkins}) >= 6  # varied, not flat


def test_demo_has_a_harder_week_and_a_steadier_stretch(app):
    today = dt.date(2026, 11, 25)
    demo.seed(today=today)
    first = today - dt.timedelta(weeks=demo.WEEKS)
    sam = User.objects.get(email=demo.CLIENT_EMAIL)

    def mean_mood(week: int) -> float:
        start = first + dt.timedelta(weeks=week)
        moods = [
            c.mood
            for c in Checkin.objects(
                owner=sam.id, local_date__gte=start, local_date__lt=start + dt.timedelta(days=7)
            )
        ]
        return sum(moods) / len(moods)

    assert mean_mood(4) < mean_mood(2) - 1
    assert mean_mood(8) > mean_mood(4) + 2


def test_seeding_twice_changes_nothing(app):
    demo.seed()
    count = Checkin.objects.count()
    demo.seed()
    assert Checkin.objects.count() == count
    assert User.objects.count() == 2 + len(demo.CASELOAD)


def test_demo_logins_work(app, client):
    logins = demo.seed()
    response = client.post(
        "/api/v1/auth/login", json={"email": logins["client"], "password": logins["password"]}
    )
    assert response.status_code == 200


def test_demo_digests_tell_the_story_by_the_reliable_change_rule(app):
    from api.models import Digest

    demo.seed(today=dt.date(2026, 11, 25))
    digests = list(Digest.objects.order_by("week"))
    assert len(digests) == demo.WEEKS
    hard = digests[4].data["comparisons"]
    assert hard["mood_mean"]["last_4_weeks"]["verdict"] == "lower"
    # The first week after it is steadier than the changeable weeks, by the rule, not by eye.
    after = digests[5].data["comparisons"]["mood_variability"]
    assert after["last_week"]["verdict"] == after["last_4_weeks"]["verdict"] == "steadier"
    verdicts = {
        c[ref]["verdict"]
        for d in digests[5:]
        for c in d.data["comparisons"].values()
        for ref in ("last_week", "last_4_weeks")
    }
    assert {"higher", "steadier"} & verdicts


def test_demo_critic_quiets_down(app):
    from api.models import Digest, Part

    demo.seed(today=dt.date(2026, 11, 25))
    critic = str(Part.objects.get(name="The Inner Critic").id)

    def critic_days(digest):
        return next(
            (p["days"] for p in digest.data["parts"]["most_active"] if p["part"] == critic), 0
        )

    digests = list(Digest.objects.order_by("week"))
    assert critic_days(digests[1]) > critic_days(digests[-1]) + 2


def _token(client, email: str) -> dict:
    response = client.post(
        "/api/v1/auth/login", json={"email": email, "password": demo.DEMO_PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_the_demo_therapist_sees_sam_and_a_caseload_with_small_weeks_hidden(app, client):
    demo.seed()
    therapist = _token(client, demo.THERAPIST_EMAIL)
    clients = client.get("/api/v1/therapist/clients", headers=therapist).json
    sam = next(c for c in clients if c["client"]["display_name"] == "Sam")
    assert sam["grant"]["scopes"] == list(demo.SHARED_SCOPES)  # notes stay private
    assert len(clients) == 1 + len(demo.CASELOAD)
    weeks = client.get("/api/v1/therapist/caseload", headers=therapist).json["weeks"]
    assert any(not w["mood_mean"]["suppressed"] for w in weeks)
    assert any(w["mood_mean"]["suppressed"] for w in weeks)  # older weeks: fewer than k
    scores = client.get(
        f"/api/v1/therapist/clients/{sam['client']['id']}/questionnaires", headers=therapist
    ).json["instruments"]
    phq9 = next(i for i in scores if i["instrument"] == "phq9")
    assert [p["total"] for p in phq9["series"]] == [s[1] for s in demo.SCORES]
    assert not any(p["flags"] for p in phq9["series"])


def test_the_demo_therapist_sees_who_went_quiet_first(app, client):
    demo.seed()
    therapist = _token(client, demo.THERAPIST_EMAIL)
    first, *rest = client.get("/api/v1/therapist/clients", headers=therapist).json
    assert first["client"]["display_name"] == "Jo"
    (quiet,) = first["attention"]
    assert quiet["kind"] == "no_recent_checkins" and quiet["days"] > demo.QUIET_DAYS["Jo"]
    assert not any(c["attention"] for c in rest)


def test_the_demo_access_log_starts_empty(app, client):
    demo.seed()
    sam = _token(client, demo.CLIENT_EMAIL)
    assert client.get("/api/v1/sharing/access-log", headers=sam).json == []


def test_sams_reminders_stay_on(app):
    demo.seed(today=dt.date(2026, 11, 25))
    assert User.objects.get(email=demo.CLIENT_EMAIL).reminders.enabled is True
