"""Every endpoint against every actor, generated from the app's URL map: zero leaks.

Each (rule, method) of the app, the API's and every other (health, metrics, docs, the PWA's
files), is one test. It needs an entry in EXPECTED (the statuses each actor may get) or it fails,
so a new endpoint cannot be added untested, wherever it is mounted. In every test:
- each actor gets one of its expected statuses (no 2xx where it is not allowed);
- no response contains the client's free text (a marker in a note and in a part name), except to
  the client and to a therapist whose grant covers a read that shows it (notes, digests);
- a therapist's read of the client's data is logged once when it succeeds, never when refused.
Actors run in a fixed order, the client last: a denied request must change nothing, and the
client's own writes (revoking, deleting the account) come after everyone else's.
"""

from __future__ import annotations

import datetime as dt
import uuid

import mongoengine
import pytest
from bson import ObjectId

from api import create_app
from api.crypto import generate_key
from api.digests import build_week
from api.domain import consent
from api.insights import week_key
from api.models import AccessLog
from tests.conftest import TEST_MONGODB_URI, Account
from tests.support import pdf
from tests.support.push import PUSH_SERVICE_HOSTS, subscription
from tests.support.sharing import (
    ALL_SCOPES,
    GRANTS,
    answer,
    checkin,
    invite,
    last_monday,
    share,
)

NOTE_MARKER = "MARKER-NOTE-7f3a"
PART_MARKER = "MARKER-PART-9c1e"
NARROW_SCOPES = ["weekly_trends"]
PASSWORD = "a long passphrase"

ACTORS = (
    "anonymous",
    "other_client",
    "other_therapist",
    "revoked",
    "expired",
    "narrow",
    "full",
    "client",
)
THERAPISTS = ("other_therapist", "revoked", "expired", "narrow", "full")
CLIENTS = ("client", "other_client")
OK = {200, 201, 204}


# --- expectations ------------------------------------------------------------------------------


def _each(statuses, **overrides) -> dict[str, set[int]]:
    statuses = {statuses} if isinstance(statuses, int) else set(statuses)
    return {actor: {overrides[actor]} if actor in overrides else statuses for actor in ACTORS}


def public(statuses=200) -> dict:
    """Anyone, signed in or not."""
    return _each(statuses)


def signed_in(statuses=200) -> dict:
    """Any account, on its own data."""
    return _each(statuses, anonymous=401)


def clients_own(statuses=200, other_client=None) -> dict:
    """A client's own data: 401 anonymous, 403 for therapists; another client gets `other_client`
    (its own list: the same status; the client's item: 404)."""
    expected = _each(statuses, anonymous=401, **dict.fromkeys(THERAPISTS, 403))
    if other_client is not None:
        expected["other_client"] = {other_client}
    return expected


def therapists_only(statuses=200) -> dict:
    return _each(statuses, anonymous=401, client=403, other_client=403)


def client_read(what: str) -> dict:
    """A therapist's read of the client's data: only an active grant covering `what`."""
    narrow = 200 if consent.allows(NARROW_SCOPES, what) else 403
    return _each(
        200,
        anonymous=401,
        client=403,
        other_client=403,
        other_therapist=404,
        revoked=403,
        expired=403,
        narrow=narrow,
    )


THERAPIST_READS = {
    "trends": "weekly_trends",
    "digests": "digests",
    "questionnaires": "questionnaires",
    "notes": "notes",
    "export.csv": "export.csv",
    "export.fhir": "export.fhir",
    "export.pdf": "export.pdf",
}
#: Reads whose answer may show the client's free text (digests name the parts).
SHOWS_FREE_TEXT = {"notes", "digests"}

V1 = "/api/v1"
EXPECTED: dict[tuple[str, str], dict[str, set[int]]] = {
    # Outside the API: nothing of anyone's, so the same for everyone.
    ("/", "GET"): public(200),
    ("/<path:path>", "GET"): public(200),
    ("/healthz", "GET"): public(200),
    ("/readyz", "GET"): public(200),
    ("/metrics", "GET"): public(200),
    ("/api/openapi.json", "GET"): public(200),
    ("/api/docs", "GET"): public(200),
    ("/api/docs-assets/<path:filename>", "GET"): public(200),
    ("/api/docs-assets/partwise-init.js", "GET"): public(200),
    (f"{V1}/auth/register", "POST"): public(201),
    (f"{V1}/auth/login", "POST"): public(200),
    (f"{V1}/auth/logout", "POST"): signed_in(204),
    (f"{V1}/auth/logout-everywhere", "POST"): signed_in(200),
    (f"{V1}/auth/password", "POST"): signed_in(204),
    (f"{V1}/me", "GET"): signed_in(200),
    (f"{V1}/me", "PATCH"): signed_in(200),
    (f"{V1}/me", "DELETE"): signed_in(204),
    (f"{V1}/me/export", "GET"): signed_in(200),
    (f"{V1}/me/export.csv", "GET"): signed_in(200),
    (f"{V1}/me/import", "POST"): clients_own(200),
    (f"{V1}/meta/scales", "GET"): public(200),
    (f"{V1}/parts", "GET"): clients_own(200),
    (f"{V1}/parts", "POST"): clients_own(201),
    (f"{V1}/parts/<part_id>", "GET"): clients_own(200, other_client=404),
    (f"{V1}/parts/<part_id>", "PATCH"): clients_own(200, other_client=404),
    # The part is named by a check-in: it can only be archived (409), never by anyone else.
    (f"{V1}/parts/<part_id>", "DELETE"): clients_own(409, other_client=404),
    (f"{V1}/checkins", "GET"): clients_own(200),
    (f"{V1}/checkins", "POST"): clients_own(201),
    (f"{V1}/checkins/batch", "POST"): clients_own(200),
    (f"{V1}/checkins/<checkin_id>", "GET"): clients_own(200, other_client=404),
    (f"{V1}/checkins/<checkin_id>", "PATCH"): clients_own(200, other_client=404),
    (f"{V1}/checkins/<checkin_id>", "DELETE"): clients_own(204, other_client=404),
    (f"{V1}/trends", "GET"): clients_own(200),
    (f"{V1}/digests", "GET"): clients_own(200),
    (f"{V1}/digests/<week>", "GET"): clients_own(200),
    (f"{V1}/crisis-resources", "GET"): public(200),
    (f"{V1}/questionnaires", "GET"): public(200),
    (f"{V1}/questionnaires/<instrument>", "GET"): public(200),
    (f"{V1}/questionnaires/<instrument>/responses", "GET"): clients_own(200),
    (f"{V1}/questionnaires/<instrument>/responses", "POST"): clients_own(201),
    (f"{V1}/questionnaires/<instrument>/responses/<response_id>", "GET"): clients_own(
        200, other_client=404
    ),
    (f"{V1}/questionnaires/<instrument>/trend", "GET"): clients_own(200),
    # Without VAPID_PRIVATE_KEY configured (as here) web push does not exist: 404.
    (f"{V1}/push/vapid-public-key", "GET"): public({200, 404}),
    (f"{V1}/push/subscriptions", "GET"): signed_in(200),
    (f"{V1}/push/subscriptions", "POST"): signed_in(201),
    (f"{V1}/push/subscriptions/<subscription_id>", "DELETE"): _each(404, anonymous=401, client=204),
    (f"{V1}/push/test", "POST"): signed_in({200, 404}),
    # Without OPS_TOKEN configured the operators' endpoint does not exist.
    (f"{V1}/ops/deliveries", "GET"): public(404),
    (f"{V1}/sharing/invitations", "GET"): clients_own(200),
    (f"{V1}/sharing/invitations", "POST"): clients_own(201),
    (f"{V1}/sharing/invitations/<invitation_id>", "DELETE"): clients_own(204, other_client=404),
    (f"{V1}/sharing/grants", "GET"): clients_own(200),
    (f"{V1}/sharing/grants/<grant_id>", "GET"): clients_own(200, other_client=404),
    (f"{V1}/sharing/grants/<grant_id>", "PATCH"): clients_own(200, other_client=404),
    (f"{V1}/sharing/grants/<grant_id>", "DELETE"): clients_own(204, other_client=404),
    (f"{V1}/sharing/access-log", "GET"): clients_own(200),
    (f"{V1}/therapist/invitations/redeem", "POST"): therapists_only(201),
    (f"{V1}/therapist/clients", "GET"): therapists_only(200),
    # One client's row of that list, and naming the client in my records: any active grant.
    (f"{V1}/therapist/clients/<client_id>", "GET"): client_read("clients.list"),
    (f"{V1}/therapist/clients/<client_id>", "PATCH"): client_read("clients.list"),
    (f"{V1}/therapist/caseload", "GET"): therapists_only(200),
    **{
        (f"{V1}/therapist/clients/<client_id>/{path}", "GET"): client_read(what)
        for path, what in THERAPIST_READS.items()
    },
}


# --- the endpoints, from the URL map -----------------------------------------------------------


def _endpoints() -> list[tuple[str, str]]:
    app = create_app(
        {"MONGODB_URI": "", "ENCRYPTION_KEYS": "k1:" + generate_key(), "TESTING": True}
    )
    mongoengine.disconnect()
    return sorted(
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


# The GET tests first: they share one world (see `world`).
ENDPOINTS = sorted(_endpoints(), key=lambda endpoint: endpoint[1] != "GET")


# --- the world: a client with data, and everyone around her ------------------------------------


class Anonymous:
    def __init__(self, client):
        self.client = client

    def request(self, method: str, url: str, **kwargs):
        return self.client.open(url, method=method, **kwargs)


class World:
    def __init__(self, client, make_account, raw_db):
        self.actors = {"anonymous": Anonymous(client)}
        alice = self.actors["client"] = make_account("client")
        self.actors["other_client"] = make_account("client")
        for name in THERAPISTS:
            self.actors[name] = make_account("therapist")
        monday = last_monday()
        part = alice.post("/api/v1/parts", json={"name": PART_MARKER}).json["id"]
        made = checkin(alice, monday, mood=4, note=NOTE_MARKER, parts=[{"part": part}])
        response = answer(alice, "phq9", [1] * 9, monday)
        build_week(week_key(monday))
        self.grants = {
            "full": share(alice, self.actors["full"], ALL_SCOPES),
            "narrow": share(alice, self.actors["narrow"], NARROW_SCOPES),
            "revoked": share(alice, self.actors["revoked"], ALL_SCOPES),
            "expired": share(alice, self.actors["expired"], ALL_SCOPES),
        }
        alice.delete(f"{GRANTS}/{self.grants['revoked']['id']}")
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        raw_db.consents.update_one(
            {"therapist": ObjectId(self.actors["expired"].id)}, {"$set": {"ends_at": past}}
        )
        device = alice.post("/api/v1/push/subscriptions", json=subscription()).json
        self.path_values = {
            "part_id": part,
            "checkin_id": made["id"],
            "instrument": "phq9",
            "response_id": response["id"],
            "week": week_key(monday),
            "client_id": alice.id,
            "invitation_id": invite(alice)["id"],
            "grant_id": self.grants["full"]["id"],
            "subscription_id": device.get("id", "0" * 24),
            "path": "today",  # a client-side route of the PWA
            "filename": "swagger-ui.css",
        }

    def url(self, rule: str) -> str:
        url = rule
        for argument in _arguments(rule):
            name = argument.rsplit(":", 1)[-1]  # <path:filename> is filled as <filename>
            assert name in self.path_values, f"add a value for <{name}> to World.path_values"
            url = url.replace(f"<{argument}>", self.path_values[name])
        return url

    def body(self, rule: str, method: str, actor: str) -> dict | None:
        """A body that would succeed for an allowed actor (None: no body)."""
        key = (rule.removeprefix(V1), method)
        if key == ("/therapist/invitations/redeem", "POST"):
            return {"code": invite(self.actors["client"])["code"]}
        if key == ("/auth/login", "POST"):
            return {"email": self.actors["client"].email, "password": PASSWORD}
        return BODIES[key]() if key in BODIES else None


def _arguments(rule: str) -> list[str]:
    return [part[1:-1] for part in rule.split("/") if part.startswith("<")]


BODIES = {
    ("/auth/register", "POST"): lambda: {
        "email": f"{uuid.uuid4().hex}@example.org",
        "password": PASSWORD,
    },
    ("/auth/password", "POST"): lambda: {
        "current_password": PASSWORD,
        "new_password": "a new long passphrase",
    },
    ("/me", "PATCH"): lambda: {"display_name": "Someone"},
    ("/me", "DELETE"): lambda: {"password": PASSWORD},
    ("/me/import", "POST"): lambda: {"format": "partwise-export", "version": 1},
    ("/parts", "POST"): lambda: {"name": f"Part {uuid.uuid4().hex[:6]}"},
    ("/parts/<part_id>", "PATCH"): lambda: {"role": "manager"},
    ("/checkins", "POST"): lambda: {"client_id": str(uuid.uuid4()), "mood": 5},
    ("/checkins/batch", "POST"): lambda: {
        "checkins": [{"client_id": str(uuid.uuid4()), "mood": 5}]
    },
    ("/checkins/<checkin_id>", "PATCH"): lambda: {"mood": 6},
    ("/questionnaires/<instrument>/responses", "POST"): lambda: {
        "client_id": str(uuid.uuid4()),
        "answers": [0] * 9,
    },
    ("/push/subscriptions", "POST"): subscription,
    ("/sharing/invitations", "POST"): lambda: {},
    ("/sharing/grants/<grant_id>", "PATCH"): lambda: {"scopes": ["weekly_trends"]},
    ("/therapist/clients/<client_id>", "PATCH"): lambda: {"label": "Alice (Thursdays)"},
}


# One app for the whole module (creating one per test would cost most of the run); every test
# gets a freshly built world, except that the GET tests, which change nothing an expectation
# depends on, share one.
_shared = {}


@pytest.fixture(scope="module")
def matrix_app():
    config = {
        "TESTING": True,
        "MONGODB_URI": TEST_MONGODB_URI,
        "MONGODB_DB": f"partwise_test_{uuid.uuid4().hex[:12]}",
        "ENCRYPTION_KEYS": "k1:" + generate_key(),
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        "PUSH_SERVICE_HOSTS": PUSH_SERVICE_HOSTS,
    }
    application = create_app(config)
    with application.app_context():
        yield application
    if TEST_MONGODB_URI:
        mongoengine.get_connection().drop_database(config["MONGODB_DB"])
    mongoengine.disconnect()
    _shared.clear()


@pytest.fixture
def world(matrix_app, request) -> World:
    params = getattr(request.node, "callspec", None)
    read_only = params is not None and params.params["method"] == "GET"
    if read_only and "world" in _shared:
        return _shared["world"]
    _shared.clear()
    database = mongoengine.get_db()
    for name in database.list_collection_names():
        database[name].delete_many({})  # keeps the indexes
    client = matrix_app.test_client()

    def make_account(role: str) -> Account:
        return Account(client, f"{role}-{uuid.uuid4().hex[:8]}@example.org", role)

    built = World(client, make_account, database)
    if read_only:
        _shared["world"] = built
    return built


# --- the tests ---------------------------------------------------------------------------------


def test_every_endpoint_has_expectations():
    missing = [f"{method} {rule}" for rule, method in ENDPOINTS if (rule, method) not in EXPECTED]
    assert not missing, "add these to EXPECTED: " + ", ".join(missing)


def test_no_expectations_for_endpoints_that_are_gone():
    assert not set(EXPECTED) - set(ENDPOINTS)


def _may_see_free_text(rule: str, actor: str, status: int) -> bool:
    if actor == "client":
        return True
    read = rule.rsplit("/", 1)[-1]
    return "<client_id>" in rule and read in SHOWS_FREE_TEXT and status in OK


def _text(response) -> str:
    """What a reader of the response sees: a PDF's decompressed text, not its bytes."""
    if response.mimetype == "application/pdf":
        return pdf.text(response.get_data())
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("rule", "method"), ENDPOINTS, ids=[f"{m} {r}" for r, m in ENDPOINTS])
def test_every_actor_gets_only_what_it_may(world, rule, method):
    expected = EXPECTED.get((rule, method))
    if expected is None:
        pytest.fail(f"no expectations for {method} {rule}: add them to EXPECTED")
    url = world.url(rule)
    for actor in ACTORS:
        logged = AccessLog.objects.count()
        body = world.body(rule, method, actor)
        response = world.actors[actor].request(method, url, **({"json": body} if body else {}))
        status = response.status_code
        assert status in expected[actor], f"{actor}: {method} {url} -> {status}"
        text = _text(response)
        if not _may_see_free_text(rule, actor, status):
            assert NOTE_MARKER not in text and PART_MARKER not in text, f"{actor} saw free text"
        if "<client_id>" in rule:
            assert AccessLog.objects.count() == logged + (status in OK), f"{actor}: access log"


def test_the_markers_are_where_the_leak_checks_look(world):
    """The checks above would pass vacuously if the markers were never stored."""
    alice, full = world.actors["client"], world.actors["full"]
    assert NOTE_MARKER in alice.get("/api/v1/checkins").get_data(as_text=True)
    assert PART_MARKER in alice.get("/api/v1/parts").get_data(as_text=True)
    notes = full.get(f"/api/v1/therapist/clients/{alice.id}/notes").get_data(as_text=True)
    assert NOTE_MARKER in notes
