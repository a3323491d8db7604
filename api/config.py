"""Configuration: defaults here, overridden by environment variables, then by `create_app(config)`.

Every secret (token pepper, encryption keys, VAPID key) comes from configuration. Nothing secret
has a default: the embedded mode generates its own on first start (see `api.embedded`).
"""

from __future__ import annotations

import os
from typing import Any

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
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
    "LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Requests larger than this are refused with 413 (a batch of 100 check-ins with notes fits).
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "PWA_DIR": "",
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

_INT_SETTINGS = {"TOKEN_TTL_SECONDS", "MAX_CONTENT_LENGTH"}


def from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, Any]:
    """Return the settings that the environment overrides, converted to their types."""
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for name in DEFAULTS:
        for var in _ENV_ALIASES.get(name, (f"PARTWISE_{name}",)):
            if environ.get(var):
                value: Any = environ[var]
                found[name] = int(value) if name in _INT_SETTINGS else value
                break
    return found


def load(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then the environment, then explicit overrides."""
    return {**DEFAULTS, **from_environment(), **(overrides or {})}
