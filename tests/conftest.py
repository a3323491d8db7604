"""Shared fixtures. The store is mongomock unless TEST_MONGODB_URI names a real MongoDB.

The app is built once per configuration and session, with an empty database for each test
(tests/support/apps.py).

Hypothesis runs the counts written in the tests under the `ci` profile, chosen when CI is set
(or HYPOTHESIS_PROFILE=ci), and a quarter of them under `dev`, the local default
(tests/support/examples.py).
"""

from __future__ import annotations

import os
import uuid

import mongoengine
import pytest
from hypothesis import settings

from api.crypto import generate_key
from tests.support.apps import SharedApps
from tests.support.fixtures import push_service  # noqa: F401
from tests.support.push import PUSH_SERVICE_HOSTS

settings.register_profile("ci", max_examples=100)
settings.register_profile("dev", max_examples=25)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

TEST_MONGODB_URI = os.environ.get("TEST_MONGODB_URI", "")
#: This session's database on a real server (one per xdist worker), dropped after each test.
TEST_MONGODB_DB = f"partwise_test_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def encryption_keys() -> str:
    return "k1:" + generate_key()


@pytest.fixture
def app_config(encryption_keys) -> dict:
    return {
        "TESTING": True,
        "MONGODB_URI": TEST_MONGODB_URI,
        "MONGODB_DB": TEST_MONGODB_DB,
        "ENCRYPTION_KEYS": encryption_keys,
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        "PUSH_SERVICE_HOSTS": PUSH_SERVICE_HOSTS,
    }


@pytest.fixture(scope="session")
def shared_apps():
    apps = SharedApps()
    yield apps
    apps.close()


@pytest.fixture
def app(app_config, shared_apps):
    """The session's app for this configuration, in an app context, on an empty database."""
    with shared_apps.app_for(app_config) as application:
        yield application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def raw_db(app):
    """The pymongo database behind the app, to look at documents as stored."""
    return mongoengine.get_db()


class Account:
    """A registered user and a test client that sends its bearer token."""

    def __init__(self, client, email: str, role: str, timezone: str = "UTC"):
        response = client.post(
            "/api/v1/auth/register",
            json={
                "email": email,
                "password": "a long passphrase",
                "role": role,
                "timezone": timezone,
            },
        )
        assert response.status_code == 201, response.json
        self.client = client
        self.email = email
        self.id = response.json["user"]["id"]
        self.token = response.json["token"]
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def request(self, method: str, url: str, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(url, method=method.upper(), headers=headers, **kwargs)

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)

    def patch(self, url, **kwargs):
        return self.request("PATCH", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request("DELETE", url, **kwargs)


@pytest.fixture
def make_account(client):
    counter = iter(range(10_000))

    def make(role: str = "client", timezone: str = "UTC", email: str | None = None) -> Account:
        return Account(client, email or f"{role}{next(counter)}@example.org", role, timezone)

    return make


@pytest.fixture
def alice(make_account) -> Account:
    return make_account("client", email="alice@example.org")


@pytest.fixture
def bob(make_account) -> Account:
    return make_account("client", email="bob@example.org")


@pytest.fixture
def therapist(make_account) -> Account:
    return make_account("therapist", email="therapist@example.org")
