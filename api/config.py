"""Configuration: the one typed source of every setting, its type, default and meaning.

`Settings` lists them all. Each is read from the environment as PARTWISE_<NAME> (MONGODB_URI also
as it is commonly spelled), once, with a one-line `SettingsError` naming the variable when a value
cannot be used; `create_app(config)` overrides it. The Flask configuration (NAME: value) is derived
from it, and the worker is built from it (see `worker.runner.build_dispatcher`).

Every secret (token pepper, encryption keys, VAPID key) comes from configuration. Nothing secret
has a default: the embedded mode generates its own on first start (see `api.embedded`).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import typing
from collections.abc import Iterator, Mapping, Sequence
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


class SettingsError(ValueError):
    """A setting that cannot be used as given; the message names it and what is wrong."""


def _setting(default: Any, doc: str, *, env: tuple[str, ...] = (), json_file: bool = False) -> Any:
    """A field of `Settings`: its default, what it means, and where the environment gives it.

    `env`: the environment variables read, first found wins (default: PARTWISE_<NAME>).
    `json_file`: the variable names a JSON file that holds the value.
    """
    metadata = {"doc": doc, "env": env, "json_file": json_file}
    if isinstance(default, dict | list):
        return dataclasses.field(default_factory=lambda: copy.deepcopy(default), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclasses.dataclass(frozen=True)
class Settings:
    """Every setting of the API and the worker. A field `foo_bar` is the setting FOO_BAR (in the
    Flask configuration, and PARTWISE_FOO_BAR in the environment); its type is its annotation."""

    mongodb_uri: str = _setting(
        "",
        "MongoDB to use; empty means the embedded store (mongomock, in memory)",
        env=("MONGODB_URI", "PARTWISE_MONGODB_URI"),
    )
    mongodb_db: str = _setting("partwise", "the database's name")
    encryption_keys: str = _setting(
        "",
        "encryption keys for sensitive free text: 'kid:base64key,kid:base64key'; the first "
        "encrypts",
    )
    password_hash_profile: str = _setting(
        "RFC_9106_LOW_MEMORY", "argon2-cffi profile for password hashes (tests use CHEAPEST)"
    )
    token_ttl_seconds: int = _setting(30 * 24 * 3600, "bearer token lifetime")
    # Login throttling (only failed attempts count), in Flask-Limiter's notation. Wrong passwords
    # slow down the next try (api/accounts/login_guard.py): for the account from one address,
    # and for the account from anywhere (whose cap is what a stranger can cost the owner at most).
    login_free_failures: int = _setting(
        3, "wrong passwords for an account from one address before tries are slowed down"
    )
    login_max_delay_seconds: int = _setting(
        900, "the longest wait before the next try for an account from one address"
    )
    login_account_free_failures: int = _setting(
        10, "wrong passwords for an account from anywhere before tries are slowed down"
    )
    login_account_max_delay_seconds: int = _setting(
        30, "the longest wait before the next try for an account from anywhere"
    )
    login_limit_per_address: str = _setting(
        "30 per 15 minutes", "failed logins per address across accounts"
    )
    # Probing which emails have an account (this is a mental-health journal: that alone says
    # something) is slowed down.
    register_conflict_limit_per_address: str = _setting(
        "10 per hour", "sign-ups that meet an existing account (409), per address"
    )
    ratelimit_storage_uri: str = _setting(
        "memory://",
        "where login attempts are counted; shared storage (mongodb://, redis://) when several "
        "API processes run",
    )
    max_content_length: int = _setting(
        2 * 1024 * 1024,
        "requests larger than this are refused with 413 (a batch of 100 check-ins with notes fits)",
    )
    pwa_dir: str = _setting("", "the built PWA to serve; empty: pwa/dist in the checkout")
    proxy_hops: int = _setting(
        0, "proxies in front whose X-Forwarded-* headers are trusted (0: none)"
    )
    cors_origins: str = _setting(
        "", "browser origins allowed to call the API (comma-separated; empty: CORS stays closed)"
    )
    metrics_enabled: int = _setting(1, "Prometheus metrics at /metrics (1) or not (0)")
    invitation_ttl_hours: int = _setting(
        72, "how long a therapist's invitation code can be redeemed"
    )
    redeem_limit_per_therapist: str = _setting(
        "10 per hour", "failed redemptions of invitation codes per therapist account"
    )
    redeem_limit_per_address: str = _setting(
        "30 per hour", "failed redemptions of invitation codes per address"
    )
    caseload_min_clients: int = _setting(
        5, "the therapist's caseload view shows no figure built from fewer clients than this"
    )
    # POST /api/v1/me/import takes a whole export back: larger than any other request, and
    # bounded, so that one import cannot hold the server for minutes. A check-in with every
    # answer and a paragraph of notes exports to about 1.2 KB: 10,000 of them (27 years of one a
    # day) fit in 16 MB. Each kind is counted before any item is checked.
    import_max_content_length: int = _setting(
        16 * 1024 * 1024, "the largest import (POST /api/v1/me/import), in bytes"
    )
    import_max_parts: int = _setting(500, "the most parts one import may hold")
    import_max_checkins: int = _setting(10_000, "the most check-ins one import may hold")
    import_max_questionnaire_responses: int = _setting(
        2_000, "the most questionnaire responses one import may hold"
    )
    vapid_private_key: str = _setting(
        "",
        "web-push (VAPID, RFC 8292) signing key: P-256, raw base64url or PEM "
        "(`partwise generate-vapid-keys`)",
    )
    vapid_subject: str = _setting("", "a contact for push services (mailto: or https:)")
    push_allow_http_loopback: int = _setting(
        0,
        "1 accepts http:// push endpoints on 127.0.0.1 / localhost (a test push service only)",
    )
    # Only the browsers' own push services by default, so that the worker never posts elsewhere.
    push_service_hosts: str = _setting(
        "fcm.googleapis.com,android.googleapis.com,push.services.mozilla.com,push.apple.com,"
        "notify.windows.com",
        "push services subscriptions may point at (a host or any of its subdomains, "
        "comma-separated; '*': any public https host)",
    )
    push_timeout_seconds: int = _setting(
        10, "how long one push may take before it counts as failed"
    )
    push_test_limit_per_account: str = _setting(
        "3 per minute",
        "test notifications (POST /push/test) per account; each posts to every device's push "
        "service",
    )
    push_concurrency: int = _setting(64, "pushes the worker has on the wire at once")
    reminder_grace_seconds: int = _setting(
        2 * 3600,
        "a reminder the worker reaches later than this after its time is recorded missed, never "
        "sent late (and its push expires then)",
    )
    digest_grace_seconds: int = _setting(24 * 3600, "the same for a weekly digest")
    worker_interval_seconds: int = _setting(30, "how often the worker dispatches what is due")
    worker_lease_seconds: int = _setting(
        300, "how long a worker holds a delivery before another may take it over"
    )
    worker_batch_size: int = _setting(500, "deliveries a worker takes at a time")
    worker_health_port: int = _setting(
        0, "the worker process answers /healthz and /readyz on this port for its probes (0: off)"
    )
    # The driver's default is 30 s: this bounds the worker's stop on SIGTERM while the database is
    # away, and is above a replica set's usual election time, so a failover does not fail a tick.
    worker_db_timeout_seconds: int = _setting(
        10,
        "how long the worker process waits for MongoDB to answer before a database operation fails",
    )
    smtp_host: str = _setting("", "digest emails (optional: empty means push only)")
    smtp_port: int = _setting(587, "the SMTP server's port")
    smtp_security: str = _setting("starttls", "starttls, ssl or none")
    smtp_username: str = _setting("", "the SMTP login, if the server wants one")
    smtp_password: str = _setting("", "the SMTP password")
    smtp_from: str = _setting("", "the address digests are sent from")
    smtp_timeout_seconds: int = _setting(10, "how long one email may take")
    smtp_ca_file: str = _setting("", "a private CA the SMTP server's certificate is trusted from")
    public_base_url: str = _setting("http://127.0.0.1:8000", "where links in emails point")
    ops_token: str = _setting(
        "",
        "operators read GET /api/v1/ops/deliveries with 'Authorization: Bearer <OPS_TOKEN>'; "
        "unset, the endpoint does not exist (404)",
    )
    crisis_resources: Mapping[str, Sequence[Mapping[str, str]]] = _setting(
        {crisis.DEFAULT_LOCALE: INTERNATIONAL_CRISIS_RESOURCES},
        'crisis resources by locale: a JSON file of {"en-GB": [{name, description, phone?, '
        'text?, url?}], ...}; "default" is used when no locale matches (the international '
        "list unless the file has its own)",
        json_file=True,
    )
    data_dir: str = _setting(
        "",
        "the embedded mode keeps its own secrets in this directory (default: .partwise in the "
        "checkout)",
    )
    # flask-smorest / OpenAPI
    api_title: str = _setting("Partwise", "flask-smorest: the OpenAPI document's title")
    api_version: str = _setting("v1", "flask-smorest: the API's version")
    openapi_version: str = _setting("3.1.0", "flask-smorest: the OpenAPI version")
    openapi_url_prefix: str = _setting("/api", "flask-smorest: where the document is served")
    openapi_json_path: str = _setting("openapi.json", "flask-smorest: the document's path")
    openapi_swagger_ui_path: str = _setting("docs", "flask-smorest: the Swagger UI's path")
    openapi_swagger_ui_url: str = _setting(
        "/api/docs-assets/", "flask-smorest: where the Swagger UI's assets are served"
    )

    # -- reading -------------------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Defaults, then the environment, then explicit overrides (by NAME; others ignored).

        SettingsError when a value cannot be used, bad crisis resources included.
        """
        given = {**from_environment(environ), **_known(overrides or {})}
        try:
            given["CRISIS_RESOURCES"] = crisis.checked(
                given.get("CRISIS_RESOURCES", DEFAULTS["CRISIS_RESOURCES"]),
                fallback=INTERNATIONAL_CRISIS_RESOURCES,
            )
        except ValueError as error:
            raise SettingsError(str(error)) from None
        return cls(**{name.lower(): value for name, value in given.items()})

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> Settings:
        """The settings a configuration mapping (a Flask app's, or part of one) holds; the
        defaults for the rest. Values are taken as they are (they come from code)."""
        if isinstance(config, Settings):
            return config
        return cls(**{name.lower(): value for name, value in _known(config).items()})

    def as_config(self) -> dict[str, Any]:
        """The Flask configuration: NAME: value for every setting."""
        return {f.name.upper(): getattr(self, f.name) for f in dataclasses.fields(self)}


def describe() -> Iterator[tuple[str, tuple[str, ...], Any, str]]:
    """(NAME, environment variables, default, description) for every setting, in order."""
    for f in dataclasses.fields(Settings):
        name = f.name.upper()
        yield name, _variables(f), DEFAULTS[name], f.metadata["doc"]


def _variables(f: dataclasses.Field) -> tuple[str, ...]:
    return f.metadata["env"] or (f"PARTWISE_{f.name.upper()}",)


def _known(config: Mapping[str, Any]) -> dict[str, Any]:
    return {name: config[name] for name in DEFAULTS if name in config}


_TYPES = typing.get_type_hints(Settings)

#: Every setting's default, by NAME.
DEFAULTS: dict[str, Any] = Settings().as_config()


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


def _parse(f: dataclasses.Field, var: str, value: str) -> Any:
    if f.metadata["json_file"]:
        return _read_json_file(var, value)
    if _TYPES[f.name] is int:
        return _whole_number(var, value)
    return value


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the settings that the environment overrides, by NAME, converted to their types."""
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        for var in _variables(f):
            if environ.get(var):
                found[f.name.upper()] = _parse(f, var, environ[var])
                break
    return found


def load(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Flask configuration: `Settings.load(overrides)`, with any other overrides given."""
    return flask_config(Settings.load(overrides), overrides)


def flask_config(settings: Settings, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The Flask configuration of `settings`, with the overrides that are not settings (such as
    Flask's own TESTING) kept as given."""
    return {**(overrides or {}), **settings.as_config()}


#: Where `create_app` keeps an application's settings (see `settings_of`).
EXTENSION = "partwise.settings"


def settings_of(app: Any) -> Settings:
    """The settings an application was made with."""
    return app.extensions[EXTENSION]
