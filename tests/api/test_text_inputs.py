"""Every text field takes any text that can be stored, and refuses by name what cannot.

A lone UTF-16 surrogate ("\\ud83d" in JSON: what JavaScript leaves when text is cut in the
middle of an emoji) decodes into a Python str that UTF-8, BSON and the encryption cannot encode.
Each text field of every request body in the OpenAPI document must answer it with a 422 that
names the field, and take NUL and other odd but whole characters without a server error.

With TESTING on, an exception inside a view propagates into the test instead of becoming a 500.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator

import pytest

from api.digests import build_week
from api.insights import week_key
from tests.support.push import subscription
from tests.support.sharing import ALL_SCOPES, REDEEM, checkin, invite, share

#: The first half of "🙂" without its second: text cut mid-emoji.
CUT_EMOJI = "I felt \ud83d"
#: Odd but whole text: NUL and other control characters, a noncharacter, a byte-order mark,
#: bidirectional overrides, line and paragraph separators, a long emoji sequence.
ODD = "a\x00b\x01\x1f\x7f\ufffe\uffff\ufeff\u202e\u2028\u2029 👩🏽‍❤️‍💋‍👨🏿 \U0010ffff"

PASSWORD = "a long passphrase"
SPEC = "/api/openapi.json"


def _string_paths(schema: dict, components: dict, path=(), seen=frozenset()) -> Iterator[tuple]:
    """Paths (keys, and "[]" for a list's items) of every string a client may send."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            yield from _string_paths(components[name], components, path, seen | {name})
        return
    types = schema.get("type")
    if "string" in (types if isinstance(types, list) else [types]):
        yield path
    for key, sub in (schema.get("properties") or {}).items():
        if not sub.get("readOnly"):
            yield from _string_paths(sub, components, (*path, key), seen)
    if "items" in schema:
        yield from _string_paths(schema["items"], components, (*path, "[]"), seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, ()):
            yield from _string_paths(sub, components, path, seen)


def _text_fields(client) -> list[tuple[str, str, tuple]]:
    spec = client.get(SPEC).json
    components = spec["components"]["schemas"]
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                body = operation["requestBody"]["content"]["application/json"]["schema"]
                for field in _string_paths(body, components):
                    found.append((method.upper(), path, field))
    return found


def _with(body, path: tuple, value):
    """A copy of `body` with the value at `path` replaced (the first item of a list)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if head == "[]":
        items = list(body)
        items[0] = _with(items[0], rest, value)
        return items
    return {**body, head: _with(body[head], rest, value)}


def _send(sender, method: str, url: str, body):
    if hasattr(sender, "request"):  # an account: with its bearer token
        return sender.request(method, url, json=body)
    return sender.open(url, method=method, json=body)


def _named(errors, path: tuple) -> bool:
    """Whether a 422's errors name the field at `path` (list items by index)."""
    for key in path:
        key = "0" if key == "[]" else key
        if not isinstance(errors, dict) or key not in errors:
            return False
        errors = errors[key]
    return True


class Journal:
    """Accounts and documents that every operation with a body can be aimed at."""

    def __init__(self, alice, therapist, make_account):
        self.alice, self.therapist = alice, therapist
        self.part = alice.post("/api/v1/parts", json={"name": "Critic"}).json["id"]
        self.checkin = checkin(alice, dt.date.today(), mood=5)["id"]
        self.grant = share(alice, therapist, ALL_SCOPES)["id"]
        self.exported = alice.get("/api/v1/me/export").json
        self.newcomer = make_account()
        self.make_account = make_account  # for what would change alice's password

    def request(self, method: str, path: str) -> tuple[object, str, dict]:
        """Who sends to `path`, the URL, and a body that would be valid there."""
        alice, day = self.alice, dt.date.today().isoformat()
        now = dt.datetime.now(dt.UTC).isoformat()
        bodies: dict[tuple[str, str], Callable[[], tuple[object, dict]]] = {
            ("POST", "/api/v1/auth/register"): lambda: (
                alice.client,
                {
                    "email": f"{uuid.uuid4().hex}@example.org",
                    "password": PASSWORD,
                    "role": "client",
                    "display_name": "Sam",
                    "timezone": "UTC",
                },
            ),
            ("POST", "/api/v1/auth/login"): lambda: (
                alice.client,
                {"email": alice.email, "password": PASSWORD},
            ),
            ("POST", "/api/v1/auth/password"): lambda: (
                self.make_account(),
                {"current_password": PASSWORD, "new_password": "another long one"},
            ),
            ("PATCH", "/api/v1/me"): lambda: (
                alice,
                {
                    "display_name": "Al",
                    "timezone": "UTC",
                    "reminders": {"local_time": "20:00"},
                    "digest": {"local_time": "18:00", "channel": "push"},
                    "checkin_steps": ["feel"],
                },
            ),
            ("DELETE", "/api/v1/me"): lambda: (self.make_account(), {"password": PASSWORD}),
            ("POST", "/api/v1/parts"): lambda: (alice, _part()),
            ("PATCH", "/api/v1/parts/{part_id}"): lambda: (alice, _part()),
            ("POST", "/api/v1/checkins"): lambda: (
                alice,
                {"client_id": str(uuid.uuid4()), **_checkin(self.part, day, now)},
            ),
            ("PATCH", "/api/v1/checkins/{checkin_id}"): lambda: (
                alice,
                _checkin(self.part, day, now),
            ),
            ("POST", "/api/v1/push/subscriptions"): lambda: (alice, subscription()),
            ("POST", "/api/v1/questionnaires/{instrument}/responses"): lambda: (
                alice,
                {
                    "client_id": str(uuid.uuid4()),
                    "answers": [0] * 9,
                    "local_date": day,
                    "recorded_at": now,
                },
            ),
            ("POST", "/api/v1/sharing/invitations"): lambda: (
                alice,
                {"scopes": ["notes"], "grant_ends_at": "2999-01-01T00:00:00Z"},
            ),
            ("PATCH", "/api/v1/sharing/grants/{grant_id}"): lambda: (
                alice,
                {"scopes": ["weekly_trends"], "ends_at": "2999-01-01T00:00:00Z"},
            ),
            ("POST", REDEEM): lambda: (self.therapist, {"code": invite(alice)["code"]}),
            ("PATCH", "/api/v1/therapist/clients/{client_id}"): lambda: (
                self.therapist,
                {"label": "J."},
            ),
            ("POST", "/api/v1/me/import"): lambda: (self.newcomer, _archive(self.exported)),
        }
        sender, body = bodies[method, path]()
        url = path.format(
            part_id=self.part,
            checkin_id=self.checkin,
            instrument="phq9",
            grant_id=self.grant,
            client_id=alice.id,
        )
        return sender, url, body


def _part() -> dict:
    return {
        "name": "Critic 2",
        "role": "manager",
        "fears": "f",
        "needs": "n",
        "body_location": "chest",
        "notes": "x",
    }


def _checkin(part: str, day: str, now: str) -> dict:
    return {
        "local_date": day,
        "recorded_at": now,
        "mood": 5,
        "emotions": [{"name": "calm", "intensity": 3}],
        "parts": [{"part": part, "intensity": 2}],
        "regulation": {"strategies": ["breathing"]},
        "note": "n",
        "inner_child_note": "i",
    }


def _archive(exported: dict) -> dict:
    """The export, with every list an item long and every optional text present."""
    (part,) = exported["parts"]
    (item,) = exported["checkins"]
    return {
        **exported,
        "parts": [{**part, **_part(), "archived_at": None}],
        "checkins": [
            {**item, **_checkin(part["id"], item["local_date"], item["recorded_at"])},
        ],
        "questionnaire_responses": [
            {
                "client_id": "r1",
                "payload_hash": "h",
                "instrument": "gad7",
                "answers": [0] * 7,
                "local_date": item["local_date"],
                "recorded_at": item["recorded_at"],
                "timezone": "UTC",
                "created_at": item["created_at"],
                "updated_at": item["updated_at"],
            }
        ],
    }


@pytest.fixture
def journal(alice, therapist, make_account) -> Journal:
    return Journal(alice, therapist, make_account)


def test_every_operation_with_a_body_has_a_valid_example(client, journal):
    """Else the tests below skip its fields: add the new operation's body to `Journal`."""
    for method, path, _field in _text_fields(client):
        journal.request(method, path)


def test_the_valid_examples_are_valid(client, journal):
    """A refusal below must come from the cut text, not from the rest of the body."""
    checks = {("POST", "/api/v1/parts"), ("POST", "/api/v1/checkins"), ("POST", REDEEM)}
    for method, path in checks | {("POST", "/api/v1/me/import")}:
        sender, url, body = journal.request(method, path)
        response = _send(sender, method, url, body)
        assert response.status_code in (200, 201), (path, response.json)


def test_text_cut_mid_emoji_is_a_422_naming_the_field_everywhere(client, journal):
    refused_badly = []
    for method, path, field in _text_fields(client):
        sender, url, body = journal.request(method, path)
        try:
            response = _send(sender, method, url, _with(body, field, CUT_EMOJI))
        except Exception as error:  # a 500 outside tests
            refused_badly.append((method, path, field, repr(error)[:80]))
            continue
        errors = (response.json or {}).get("errors", {}).get("json")
        if response.status_code != 422 or not _named(errors, field):
            refused_badly.append((method, path, field, response.status_code, response.json))
    assert refused_badly == []


@pytest.mark.parametrize("text", [ODD, "\x00", " \t\r\n"])
def test_odd_but_whole_text_is_never_a_server_error(client, journal, text):
    for method, path, field in _text_fields(client):
        sender, url, body = journal.request(method, path)
        response = _send(sender, method, url, _with(body, field, text))
        assert response.status_code < 500, (method, path, field, response.json)


def _get_paths(client) -> list[str]:
    spec = client.get(SPEC).json
    return [path for path, item in spec["paths"].items() if "get" in item]


def test_odd_text_stored_everywhere_reads_back_everywhere(client, journal):
    alice, therapist = journal.alice, journal.therapist
    for method, path, field in _text_fields(client):
        sender, url, body = journal.request(method, path)
        _send(sender, method, url, _with(body, field, ODD))
    everywhere = {"emotions": [{"name": ODD}], "note": ODD, "inner_child_note": ODD}
    stored = alice.patch(f"/api/v1/checkins/{journal.checkin}", json=everywhere).json
    assert alice.get(f"/api/v1/checkins/{journal.checkin}").json == stored
    assert stored["note"] == stored["inner_child_note"] == stored["emotions"][0]["name"] == ODD
    response = alice.post(
        "/api/v1/questionnaires/phq9/responses",
        json=journal.request("POST", "/api/v1/questionnaires/{instrument}/responses")[2],
    )
    build_week(week_key(dt.date.today()))
    ids = {
        "part_id": journal.part,
        "checkin_id": journal.checkin,
        "week": week_key(dt.date.today()),
        "instrument": "phq9",
        "response_id": response.json["id"],
        "grant_id": journal.grant,
        "client_id": alice.id,
    }
    urls = [path.format(**ids) for path in _get_paths(client)]
    urls += ["/api/v1/me/export.csv?what=parts", "/api/v1/me/export.csv?what=questionnaires"]
    for url in urls:
        for reader in (alice, therapist):
            response = reader.get(url)
            assert response.status_code < 500, (url, response.json)


def test_a_batch_refuses_only_the_item_with_cut_text_and_replays_the_same(client, journal):
    """The offline queue must not be stuck: the other items are stored, once."""
    fields = [f for m, p, f in _text_fields(client) if (m, p) == ("POST", "/api/v1/checkins")]
    assert ("note",) in fields
    for field in fields:
        items = [journal.request("POST", "/api/v1/checkins")[2] for _ in range(3)]
        items[1] = _with(items[1], field, CUT_EMOJI)
        first = journal.alice.post("/api/v1/checkins/batch", json={"checkins": items})
        assert [r["status"] for r in first.json["results"]] == [201, 422, 201], field
        assert _named(first.json["results"][1]["errors"], field), first.json
        again = journal.alice.post("/api/v1/checkins/batch", json={"checkins": items})
        assert [r["status"] for r in again.json["results"]] == [200, 422, 200], field
