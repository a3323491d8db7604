"""Passwords (argon2id) and bearer tokens (random, stored only as a SHA-256 hash)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from api.models import Token, User
from api.models.base import utcnow

_state: dict = {}


def configure(profile: str) -> None:
    """Choose the argon2id parameters by argon2-cffi profile name.

    RFC_9106_LOW_MEMORY (argon2id, 64 MiB, t=3, p=4) is the default; the tests use CHEAPEST.
    A stored hash made with other parameters is rehashed at the next successful login.
    """
    if _state.get("profile") == profile:
        return
    hasher = PasswordHasher.from_parameters(getattr(profiles, profile))
    _state.update(
        profile=profile,
        hasher=hasher,
        # Verifying against this when the account does not exist keeps login timing the same.
        dummy=hasher.hash("no such account: constant-time placeholder"),
    )


def _hasher() -> PasswordHasher:
    if "hasher" not in _state:
        configure("RFC_9106_LOW_MEMORY")
    return _state["hasher"]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """Check a password; also rehashes when the parameters changed. Constant time for no user."""
    hasher = _hasher()
    stored = user.password_hash if user is not None else _state["dummy"]
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None:
        return False
    if hasher.check_needs_rehash(stored):
        user.password_hash = hasher.hash(password)
        user.save()
    return True


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user: User, ttl_seconds: int, user_agent: str = "") -> tuple[str, Token]:
    """Create a token for `user`; returns the token (shown once) and its stored record."""
    token = secrets.token_urlsafe(32)
    record = Token(
        user=user.id,
        token_hash=_digest(token),
        expires_at=utcnow() + dt.timedelta(seconds=ttl_seconds),
        user_agent=user_agent[:200],
    ).save()
    return token, record


def authenticate(token: str) -> tuple[User, Token] | None:
    """The user and token record a bearer token stands for, if it is valid now."""
    record = Token.objects(token_hash=_digest(token), revoked_at=None).first()
    if record is None or record.expires_at <= utcnow():
        return None
    user = User.objects(id=record.user).first()
    return (user, record) if user is not None else None


def revoke(record: Token) -> None:
    Token.objects(id=record.id, revoked_at=None).update_one(set__revoked_at=utcnow())


def revoke_all(user_id, keep: Token | None = None) -> int:
    """Revoke every token of a user (all their devices), but `keep`; how many were revoked."""
    query = Token.objects(user=user_id, revoked_at=None)
    if keep is not None:
        query = query.filter(id__ne=keep.id)
    return query.update(set__revoked_at=utcnow())
