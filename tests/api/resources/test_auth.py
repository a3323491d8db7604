import datetime as dt

import pytest

from api.models import LoginFailures, Token

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"


def register(client, email="sam@example.org", password="a long passphrase", **extra):
    return client.post(REGISTER, json={"email": email, "password": password, **extra})


def test_register_creates_a_client_and_logs_it_in(client):
    response = register(client)
    assert response.status_code == 201
    assert response.json["user"]["role"] == "client"
    assert response.json["token"]


def test_a_new_accounts_reminders_are_off_and_not_scheduled(client):
    user = register(client).json["user"]
    assert user["reminders"]["enabled"] is False
    assert user["next_reminder_at"] is None


def test_register_as_therapist(client):
    assert register(client, role="therapist").json["user"]["role"] == "therapist"


def test_email_is_case_folded(client):
    response = register(client, email="Sam@Example.ORG")
    assert response.json["user"]["email"] == "sam@example.org"


def test_duplicate_email_in_other_case_is_409(client):
    register(client, email="sam@example.org")
    response = register(client, email="SAM@example.org")
    assert response.status_code == 409
    assert "already exists" in response.json["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": "a long passphrase"}, "email"),
        ({"email": "sam@example.org", "password": "short"}, "password"),
        ({"email": "sam@example.org", "password": "x" * 257}, "password"),
        ({"email": "sam@example.org", "password": "a long passphrase", "role": "admin"}, "role"),
        (
            {"email": "sam@example.org", "password": "a long passphrase", "timezone": "Mars/Base"},
            "timezone",
        ),
        ({"password": "a long passphrase"}, "email"),
    ],
)
def test_bad_registration_is_422_naming_the_field(client, body, field):
    response = client.post(REGISTER, json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_password_is_stored_as_argon2id(client, raw_db):
    register(client)
    stored = raw_db.users.find_one({"email": "sam@example.org"})
    assert stored["password_hash"].startswith("$argon2id$")
    assert "a long passphrase" not in str(stored)


def test_login_returns_a_working_token(client):
    register(client)
    response = client.post(
        LOGIN, json={"email": "SAM@example.org", "password": "a long passphrase"}
    )
    assert response.status_code == 200
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {response.json['token']}"})
    assert me.json["email"] == "sam@example.org"


def test_token_is_stored_only_as_a_hash(client, raw_db):
    token = register(client).json["token"]
    stored = raw_db.tokens.find_one()
    assert token not in str(stored)
    assert len(stored["token_hash"]) == 64


def test_wrong_password_is_401(client):
    register(client)
    response = client.post(LOGIN, json={"email": "sam@example.org", "password": "wrong guess!"})
    assert response.status_code == 401
    assert response.json["message"] == "Email or password is wrong."


def test_unknown_account_gets_the_same_401(client):
    response = client.post(LOGIN, json={"email": "nobody@example.org", "password": "whatever1"})
    assert response.status_code == 401
    assert response.json["message"] == "Email or password is wrong."


def test_logout_revokes_the_token(client, alice):
    assert alice.post("/api/v1/auth/logout").status_code == 204
    response = alice.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_401(client, alice):
    Token.objects.update(set__expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=-1))
    assert alice.get("/api/v1/me").status_code == 401


def test_token_expires_after_the_configured_lifetime(client, app):
    app.config["TOKEN_TTL_SECONDS"] = 3600
    response = register(client)
    expires = dt.datetime.fromisoformat(response.json["expires_at"])
    assert dt.timedelta(minutes=59) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=1)


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nonsense", "Basic abc", "bearer  "])
def test_missing_or_bad_token_is_401(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json["message"]


def fail_login(client, email="sam@example.org", address="10.0.0.1"):
    return client.post(
        LOGIN,
        json={"email": email, "password": "wrong guess!"},
        environ_base={"REMOTE_ADDR": address},
    )


def log_in(client, password="a long passphrase", address="10.0.0.1"):
    return client.post(
        LOGIN,
        json={"email": "Sam@example.org", "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def time_passes() -> None:
    """As if every delay had run out (the guard compares with the clock)."""
    LoginFailures.objects.update(set__wait_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


def test_wrong_passwords_from_one_place_slow_its_next_try_more_and_more(client):
    register(client)
    for _ in range(3):  # free
        assert fail_login(client).status_code == 401
    waits = []
    for _ in range(4):
        assert fail_login(client).status_code == 401
        refused = fail_login(client)
        assert refused.status_code == 429
        assert "wait" in refused.json["message"]
        waits.append(int(refused.headers["Retry-After"]))
        time_passes()
    assert waits == [1, 2, 4, 8]


def test_a_stranger_elsewhere_cannot_keep_the_owner_out(client):
    register(client)
    for n in range(40):  # a stranger, from many addresses
        fail_login(client, address=f"192.0.2.{n}")
    answer = log_in(client)  # the owner, from home, with the right password
    if answer.status_code == 429:
        assert int(answer.headers["Retry-After"]) <= 30
        time_passes()
        answer = log_in(client)
    assert answer.status_code == 200


def test_the_right_password_is_taken_once_the_wait_is_over(client):
    register(client)
    for _ in range(4):
        fail_login(client)
    assert log_in(client).status_code == 429
    time_passes()
    assert log_in(client).status_code == 200
    assert fail_login(client).status_code == 401  # the failures were cleared: free again


def test_no_email_or_address_is_stored_in_the_clear(client, raw_db):
    register(client)
    fail_login(client, address="203.0.113.5")
    stored = str(list(raw_db["login_failures"].find()))
    assert "sam@example.org" not in stored and "203.0.113.5" not in stored


def test_failed_logins_are_limited_per_address(client, app):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "4 per 15 minutes"
    for n in range(4):
        assert fail_login(client, email=f"user{n}@example.org").status_code == 401
    assert fail_login(client, email="someone-else@example.org").status_code == 429
    assert fail_login(client, email="x@example.org", address="10.9.9.9").status_code == 401


def test_successful_logins_do_not_count(client):
    register(client)
    for _ in range(5):
        ok = client.post(LOGIN, json={"email": "sam@example.org", "password": "a long passphrase"})
        assert ok.status_code == 200


def test_sign_ups_that_meet_existing_accounts_are_limited_per_address(client, app):
    app.config["REGISTER_CONFLICT_LIMIT_PER_ADDRESS"] = "3 per hour"

    def sign_up(email, address="10.0.0.7"):
        body = {"email": email, "password": "a long passphrase"}
        return client.post(REGISTER, json=body, environ_base={"REMOTE_ADDR": address})

    for n in range(5):  # new accounts do not count
        assert sign_up(f"u{n}@example.org").status_code == 201
    for n in range(3):
        assert sign_up(f"U{n}@example.org").status_code == 409
    probe = sign_up("u4@example.org")
    assert probe.status_code == 429
    assert int(probe.headers["Retry-After"]) > 0
    assert "already have an account" in probe.json["message"]
    # The address rests for a while; other addresses are not affected.
    assert sign_up("fresh@example.org").status_code == 429
    assert sign_up("fresh@example.org", address="10.0.0.8").status_code == 201


PASSWORD = "/api/v1/auth/password"
EVERYWHERE = "/api/v1/auth/logout-everywhere"


def _device(client) -> dict:
    """Another device's session of Sam's: its Authorization header."""
    token = log_in(client).json["token"]
    return {"Authorization": f"Bearer {token}"}


def test_changing_the_password_keeps_this_device_and_logs_out_the_others(client):
    register(client)
    here, there = _device(client), _device(client)
    change = {"current_password": "a long passphrase", "new_password": "another long one"}
    assert client.post(PASSWORD, json=change, headers=here).status_code == 204
    assert client.get("/api/v1/me", headers=here).status_code == 200
    assert client.get("/api/v1/me", headers=there).status_code == 401
    assert log_in(client).status_code == 401  # the old password
    assert log_in(client, password="another long one").status_code == 200


def test_a_wrong_current_password_changes_nothing_and_counts(client):
    register(client)
    here = _device(client)
    change = {"current_password": "a wrong guess", "new_password": "another long one"}
    response = client.post(PASSWORD, json=change, headers=here)
    assert response.status_code == 401 and "nothing was changed" in response.json["message"]
    assert log_in(client).status_code == 200
    for _ in range(4):
        client.post(PASSWORD, json=change, headers=here, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert log_in(client).status_code == 429


@pytest.mark.parametrize("new", ["short", "x" * 257])
def test_a_new_password_outside_the_rules_is_422(client, new):
    register(client)
    change = {"current_password": "a long passphrase", "new_password": new}
    response = client.post(PASSWORD, json=change, headers=_device(client))
    assert response.status_code == 422 and "new_password" in response.json["errors"]["json"]


def test_logging_out_everywhere_ends_every_session(client):
    register(client)
    here, there = _device(client), _device(client)
    response = client.post(EVERYWHERE, headers=here)
    assert response.status_code == 200 and response.json["revoked"] == 3  # with the sign-up's
    assert client.get("/api/v1/me", headers=here).status_code == 401
    assert client.get("/api/v1/me", headers=there).status_code == 401
    assert log_in(client).status_code == 200
