"""Wrong passwords slow down the next try; they never lock anybody out.

A fixed block (5 failures, then 15 minutes of 429 even for the right password) let a stranger
who knows a client's email keep that client out of their own journal. Instead, each key has a
few free failures, then a delay before its next attempt is weighed that doubles with each
failure, up to a cap:

- the account from one address (`pair`): free 3, then 1 s, 2 s, 4 s ... up to 15 minutes.
  Guessing from one place gets slow fast.
- the account from anywhere (`account`): free 10, then 1 s, 2 s ... up to 30 s. Guessing
  spread over many addresses stays slow, and whatever a stranger does elsewhere, the owner
  waits at most 30 s before their right password is taken.

(Each address as a whole is also limited across accounts by Flask-Limiter: see
api/extensions/limiter.py.) A key is forgotten after a right password, or a day after its last
failure. The same budget serves every password check: logging in, changing the password,
deleting the account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests

from api.models import LoginFailures
from api.models.base import utcnow

FORGET_AFTER = dt.timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    key: str
    free: int
    cap_seconds: int

    def delay(self, failures: int) -> float:
        """Seconds to wait after `failures` failures: 0, then 1, 2, 4 ... up to the cap."""
        extra = failures - self.free
        return 0.0 if extra <= 0 else float(min(2 ** (extra - 1), self.cap_seconds))


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def rules_for(email: str, address: str | None = None) -> list[Rule]:
    config = current_app.config
    address = address if address is not None else get_remote_address()
    return [
        Rule(
            _hashed(f"pair:{email}|{address}"),
            config["LOGIN_FREE_FAILURES"],
            config["LOGIN_MAX_DELAY_SECONDS"],
        ),
        Rule(
            _hashed(f"account:{email}"),
            config["LOGIN_ACCOUNT_FREE_FAILURES"],
            config["LOGIN_ACCOUNT_MAX_DELAY_SECONDS"],
        ),
    ]


def wait_seconds(rules: list[Rule], now: dt.datetime | None = None) -> int:
    """Whole seconds before an attempt under these rules is weighed (0: it is weighed now)."""
    now = now or utcnow()
    docs = LoginFailures.objects(key__in=[r.key for r in rules], wait_until__gt=now)
    left = max(((d.wait_until - now).total_seconds() for d in docs), default=0.0)
    return math.ceil(left)


def failed(rules: list[Rule], user_id=None, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    for rule in rules:
        LoginFailures.objects(key=rule.key, last_at__lt=now - FORGET_AFTER).delete()
        doc = LoginFailures.objects(key=rule.key).modify(
            upsert=True, new=True, inc__failures=1, set__last_at=now, set__user=user_id
        )
        delay = rule.delay(doc.failures)
        if delay:
            LoginFailures.objects(key=rule.key).update_one(
                set__wait_until=now + dt.timedelta(seconds=delay)
            )


def succeeded(rules: list[Rule]) -> None:
    LoginFailures.objects(key__in=[r.key for r in rules]).delete()


TOO_SOON = "Too many wrong passwords: wait {seconds} s and try again (see Retry-After)."


def password_checked(email: str, verify: Callable[[], bool], user_id=None) -> bool:
    """Run `verify` (a password check) unless this email and address must wait: then 429.

    True for the right password (which clears the failures), False for a wrong one (counted,
    under `user_id` when the account exists).
    """
    rules = rules_for(email)
    if wait := wait_seconds(rules):
        raise TooManyRequests(description=TOO_SOON.format(seconds=wait), retry_after=wait)
    if verify():
        succeeded(rules)
        return True
    failed(rules, user_id)
    return False
