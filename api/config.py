"""Configuration: defaults here, overridden by environment variables, then by `create_app(config)`.

Every secret (token pepper, encryption keys, VAPID key) comes from configuration. Nothing secret
has a default: the embedded mode generates its own on first start (see `api.embedded`).
"""

from __future__ import annotations

import json
import os
from typing import Any

from api.domain import crisis

#: Shown wherever no locale-specific list is configured: honest and international.
INTERNATIONAL_CRISIS_RESOURCES: list[dict[str, str]] = [
    {
        "name": "Emergency services",
        "description": (
            "If you are in immediate danger or might hurt yourself, please call your local "
            "emergency number now: 112 in the EU, 911 in the US and Canada, 999 in the UK."
        ),
    },
    {
        "name": "988 Suicide & Crisis Lifeline (US)",
        "phone": "988",
        "text": "988",
        "url": "https://988lifeline.org",
        "description": (
            "Call or text 988, any time, day or night. It is free and confidential, and you will "
            "reach someone who wants to listen."
        ),
    },
    {
        "name": "Samaritans (UK & Ireland)",
        "phone": "116 123",
        "url": "https://www.samaritans.org",
        "description": (
            "Call 116 123 for free, any time, day or night. Someone will listen, without judging."
        ),
    },
    {
        "name": "Find A Helpline (other countries)",
        "url": "https://findahelpline.com",
        "description": (
            "Free, confidential helplines in many other countries, so you can find someone to "
            "talk to wherever you are."
        ),
    },
]

DEFAULTS: dict[str, Any] = {
    # An empty MONGODB_URI means the embedded store (mongomock, in memory).
    "MONGODB_URI": "",
    "MONGODB_DB": "partwise",
    # Encryption keys for sensitive free text: "kid:base64key,kid:base64key"; the first encrypts.
    "ENCRYPTION_KEYS": "",
    # argon2-cffi profile for password hashes (tests use CHEAPEST).
    "PASSWORD_HASH_PROFILE": "RFC_9106_LOW_MEMORY",
    # Bearer tokens.
    "TOKEN_TTL_SECONDS": 30 * 24 * 3600,
    # Login throttling (only failed attempts count), in Flask-Limiter's notation.
    # Wrong passwords slow down the next try (api/accounts/login_guard.py): for the account from
    # one address, and for the account from anywhere (whose cap is what a stranger can cost
    # the owner at most).
    "LOGIN_FREE_FAILURES": 3,
    "LOGIN_MAX_DELAY_SECONDS": 900,
    "LOGIN_ACCOUNT_FREE_FAILURES": 10,
    "LOGIN_ACCOUNT_MAX_DELAY_SECONDS": 30,
    "LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes",
    # Sign-ups that meet an existing account (409), per address: probing which emails have an
    # account (this is a mental-health journal: that alone says something) is slowed down.
    "REGISTER_CONFLICT_LIMIT_PER_ADDRESS": "10 per hour",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Requests larger than this are refused with 413 (a batch of 100 check-ins with notes fits).
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "PWA_DIR": "",
    # Production HTTP: proxies in front whose X-Forwarded-* headers are trusted (0: none),
    # browser origins allowed to call the API (comma-separated; empty: CORS stays closed),
    # Prometheus metrics at /metrics (1) or not (0).
    "PROXY_HOPS": 0,
    "CORS_ORIGINS": "",
    "METRICS_ENABLED": 1,
    # Sharing with a therapist: how long an invitation code can be redeemed, and how many failed
    # redemptions a therapist account (and an address) may make (Flask-Limiter's notation).
    "INVITATION_TTL_HOURS": 72,
    "REDEEM_LIMIT_PER_THERAPIST": "10 per hour",
    "REDEEM_LIMIT_PER_ADDRESS": "30 per hour",
    # The therapist's caseload view shows no figure built from fewer clients than this.
    "CASELOAD_MIN_CLIENTS": 5,
    # POST /api/v1/me/import takes a whole export back: larger than any other request, and
    # bounded, so that one import cannot hold the server for minutes. A check-in with every
    # answer and a paragraph of notes exports to about 1.2 KB: 10,000 of them (27 years of one a
    # day) fit in 16 MB. Each kind is counted before any item is checked.
    "IMPORT_MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "IMPORT_MAX_PARTS": 500,
    "IMPORT_MAX_CHECKINS": 10_000,
    "IMPORT_MAX_QUESTIONNAIRE_RESPONSES": 2_000,
    # Web push (VAPID, RFC 8292): a P-256 key (raw base64url or PEM; `partwise
    # generate-vapid-keys`) and a contact for push services (mailto: or https:).
    "VAPID_PRIVATE_KEY": "",
    "VAPID_SUBJECT": "",
    # 1 accepts http:// push endpoints on 127.0.0.1 / localhost (a test push service only).
    "PUSH_ALLOW_HTTP_LOOPBACK": 0,
    # Subscriptions are accepted only for these push services (a host or any of its subdomains,
    # comma-separated): the browsers' own, so that the worker never posts elsewhere. "*" accepts
    # any public https host.
    "PUSH_SERVICE_HOSTS": (
        "fcm.googleapis.com,android.googleapis.com,push.services.mozilla.com,push.apple.com,"
        "notify.windows.com"
    ),
    "PUSH_TIMEOUT_SECONDS": 10,
    # POST /push/test per account (each test posts to every device's push service).
    "PUSH_TEST_LIMIT_PER_ACCOUNT": "3 per minute",
    "PUSH_CONCURRENCY": 64,
    # The worker: a reminder reached later than this after its time is recorded missed, never
    # sent late (and its push expires then); a digest has a day.
    "REMINDER_GRACE_SECONDS": 2 * 3600,
    "DIGEST_GRACE_SECONDS": 24 * 3600,
    "WORKER_INTERVAL_SECONDS": 30,
    "WORKER_LEASE_SECONDS": 300,
    "WORKER_BATCH_SIZE": 500,
    # The worker process answers /healthz and /readyz on this port for its probes (0: off).
    "WORKER_HEALTH_PORT": 0,
    # How long the worker process waits for MongoDB to answer before a database operation fails
    # (the driver's default is 30 s): bounds its stop on SIGTERM while the database is away,
    # and is above a replica set's usual election time, so a failover does not fail a tick.
    "WORKER_DB_TIMEOUT_SECONDS": 10,
    # Digest emails (optional: empty SMTP_HOST means push only). SMTP_SECURITY: starttls, ssl
    # or none; SMTP_CA_FILE trusts a private CA.
    "SMTP_HOST": "",
    "SMTP_PORT": 587,
    "SMTP_SECURITY": "starttls",
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_FROM": "",
    "SMTP_TIMEOUT_SECONDS": 10,
    "SMTP_CA_FILE": "",
    # Where links in emails point.
    "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
    # Operators read GET /api/v1/ops/deliveries with "Authorization: Bearer <OPS_TOKEN>";
    # unset, the endpoint does not exist (404).
    "OPS_TOKEN": "",
    # Crisis resources by locale: {"en-GB": [{name, description, phone?, text?, url?}], ...}.
    # PARTWISE_CRISIS_RESOURCES names a JSON file of that shape; "default" is used when no
    # locale matches (the international list above unless the file has its own).
    "CRISIS_RESOURCES": {crisis.DEFAULT_LOCALE: INTERNATIONAL_CRISIS_RESOURCES},
    # flask-smorest / OpenAPI
    "API_TITLE": "Partwise",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/docs-assets/",
}

#: Settings read from the environment: PARTWISE_<NAME>, and MONGODB_URI as it is commonly spelled.
_ENV_ALIASES = {"MONGODB_URI": ("MONGODB_URI", "PARTWISE_MONGODB_URI")}

_INT_SETTINGS = {
    "TOKEN_TTL_SECONDS",
    "LOGIN_FREE_FAILURES",
    "LOGIN_MAX_DELAY_SECONDS",
    "LOGIN_ACCOUNT_FREE_FAILURES",
    "LOGIN_ACCOUNT_MAX_DELAY_SECONDS",
    "MAX_CONTENT_LENGTH",
    "PROXY_HOPS",
    "METRICS_ENABLED",
    "INVITATION_TTL_HOURS",
    "CASELOAD_MIN_CLIENTS",
    "IMPORT_MAX_CONTENT_LENGTH",
    "IMPORT_MAX_PARTS",
    "IMPORT_MAX_CHECKINS",
    "IMPORT_MAX_QUESTIONNAIRE_RESPONSES",
    "PUSH_ALLOW_HTTP_LOOPBACK",
    "PUSH_TIMEOUT_SECONDS",
    "PUSH_CONCURRENCY",
    "REMINDER_GRACE_SECONDS",
    "DIGEST_GRACE_SECONDS",
    "WORKER_INTERVAL_SECONDS",
    "WORKER_LEASE_SECONDS",
    "WORKER_BATCH_SIZE",
    "WORKER_HEALTH_PORT",
    "SMTP_PORT",
    "SMTP_TIMEOUT_SECONDS",
}
#: Settings whose environment variable names a JSON file holding the value.
_JSON_FILE_SETTINGS = {"CRISIS_RESOURCES"}


class SettingsError(ValueError):
    """A setting that cannot be used as given; the message names it and what is wrong."""


def _read_json_file(var: str, path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except (OSError, ValueError) as error:
        raise SettingsError(f"{var}: cannot read JSON from {path!r}: {error}") from error


def _whole_number(var: str, value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise SettingsError(f"{var} must be a whole number, not {value!r}") from None


def from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, Any]:
    """Return the settings that the environment overrides, converted to their types."""
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for name in DEFAULTS:
        for var in _ENV_ALIASES.get(name, (f"PARTWISE_{name}",)):
            if environ.get(var):
                value: Any = environ[var]
                if name in _INT_SETTINGS:
                    value = _whole_number(var, value)
                elif name in _JSON_FILE_SETTINGS:
                    value = _read_json_file(var, value)
                found[name] = value
                break
    return found


def load(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then the environment, then explicit overrides; bad crisis resources fail here."""
    settings = {**DEFAULTS, **from_environment(), **(overrides or {})}
    try:
        settings["CRISIS_RESOURCES"] = crisis.checked(
            settings["CRISIS_RESOURCES"], fallback=INTERNATIONAL_CRISIS_RESOURCES
        )
    except ValueError as error:
        raise SettingsError(str(error)) from None
    return settings
