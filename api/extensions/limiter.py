"""Throttling with Flask-Limiter: only failed attempts count (logins per address, invitation
codes, sign-ups with an email that has an account); wrong passwords per account slow down the
next try instead (api/accounts/login_guard.py); and test notifications, which reach out to push
services, count every time.

Storage is in memory for the embedded mode (one process) and should be shared in production
(PARTWISE_RATELIMIT_STORAGE_URI, e.g. mongodb://... or redis://...), so that every API process
counts the same attempts.
"""

from __future__ import annotations

import math
import time

from flask import current_app, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# No rate-limit headers on every answer: Flask-Limiter would set Retry-After on each one (even a
# 200) to its window's end, over any Retry-After the view set. A 429 says how long to wait
# (api/extensions/smorest.py adds it for the limits here).
limiter = Limiter(key_func=get_remote_address, headers_enabled=False)


def retry_after_seconds() -> int | None:
    """For a 429 of these limits: whole seconds until the limit that was hit lets a try in."""
    current = limiter.current_limit
    if current is None:
        return None
    return max(1, math.ceil(current.reset_at - time.time()))


_TOO_MANY = "Too many failed login attempts from here: wait and try again (see Retry-After)."


def _failed(response) -> bool:
    return response.status_code == 401


def login_throttle(func):
    """Throttle failed logins per address, across accounts (per account: login_guard)."""
    return limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
        key_func=get_remote_address,
        deduct_when=_failed,
        scope="login-address",
        error_message=_TOO_MANY,
    )(func)


def _conflict(response) -> bool:
    return response.status_code == 409


def register_throttle(func):
    """Throttle sign-ups that meet an existing account (409), per address."""
    return limiter.limit(
        lambda: current_app.config["REGISTER_CONFLICT_LIMIT_PER_ADDRESS"],
        key_func=get_remote_address,
        deduct_when=_conflict,
        scope="register-address",
        error_message="Too many sign-ups with emails that already have an account: wait and "
        "try again (see Retry-After).",
    )(func)


def _not_found(response) -> bool:
    return response.status_code == 404


def _therapist_key() -> str:
    return "therapist:" + str(g.current_user.id)


_TOO_MANY_CODES = "Too many codes that did not work: wait and try again (see Retry-After)."


def redeem_throttle(func):
    """Throttle failed invitation redemptions, per address and per therapist account.

    Use under `login_required`: the therapist is known by then. Only a code that does not work
    (404) counts, so that guessing the 2^40 codes is hopeless.
    """
    per_address = limiter.limit(
        lambda: current_app.config["REDEEM_LIMIT_PER_ADDRESS"],
        key_func=get_remote_address,
        deduct_when=_not_found,
        scope="redeem-address",
        error_message=_TOO_MANY_CODES,
    )
    per_therapist = limiter.limit(
        lambda: current_app.config["REDEEM_LIMIT_PER_THERAPIST"],
        key_func=_therapist_key,
        deduct_when=_not_found,
        scope="redeem-therapist",
        error_message=_TOO_MANY_CODES,
    )
    return per_address(per_therapist(func))


def _user_key() -> str:
    return "user:" + str(g.current_user.id)


def push_test_throttle(func):
    """Test notifications per account: each one posts to every device's push service.

    Use under `login_required`.
    """
    return limiter.limit(
        lambda: current_app.config["PUSH_TEST_LIMIT_PER_ACCOUNT"],
        key_func=_user_key,
        scope="push-test",
        error_message="Too many test notifications: wait a minute and try again.",
    )(func)
