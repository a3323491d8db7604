"""Login throttling with Flask-Limiter: only failed attempts count, per account and per address.

Storage is in memory for the embedded mode (one process) and should be shared in production
(PARTWISE_RATELIMIT_STORAGE_URI, e.g. mongodb://... or redis://...), so that every API process
counts the same attempts.
"""

from __future__ import annotations

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def _login_account_key() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return "account:" + (email.strip().casefold() if isinstance(email, str) else "")


_TOO_MANY = "Too many failed login attempts: wait and try again (see Retry-After)."


def _failed(response) -> bool:
    return response.status_code == 401


def login_throttle(func):
    """Throttle failed logins: the address limit, then the account limit."""
    per_address = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
        key_func=get_remote_address,
        deduct_when=_failed,
        scope="login-address",
        error_message=_TOO_MANY,
    )
    per_account = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
        key_func=_login_account_key,
        deduct_when=_failed,
        scope="login-account",
        error_message=_TOO_MANY,
    )
    return per_address(per_account(func))
