"""The one gate to a client's data for a therapist: every per-client view is wrapped in `reads`.

On every request (nothing is cached) it loads the therapist's grant for the client in the URL:
- no grant ever, or an id that is not such a client: 404, the same as for a client who does not
  exist, so that a therapist cannot probe who uses Partwise;
- a revoked or ended grant, or a scope not granted: 403 with a message saying which;
then it runs the view and, only if the view answered with data (2xx), writes the access-log entry.
Views that read several clients at once (the client list, the caseload) log through
`api.services.consents.log_reads` themselves.
"""

from __future__ import annotations

import functools

from flask import Response

from api.domain import consent as rules
from api.extensions.smorest import current_user
from api.models.base import utcnow
from api.resources.refusals import refused
from api.services import consents


def reads(what: str):
    """Guard a view of one client's data (URL argument `client_id`) and log each read.

    The view is called with `grant` (the active Consent) and `client` (the User) instead of
    `client_id`. Place it right under `login_required`, above `arguments`: the grant is decided
    before anything else about the request.
    """
    if what not in rules.READS:
        raise ValueError(f"unknown read {what!r}: add it to api.domain.consent.READS")

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, client_id, **kwargs):
            therapist = current_user()
            now = utcnow()
            with refused(404, rules.NoSuchClient), refused(403, rules.ReadRefused):
                grant, client = consents.open_read(therapist.id, client_id, what, now)
            result = func(*args, grant=grant, client=client, **kwargs)
            status = result.status_code if isinstance(result, Response) else 200
            if 200 <= status < 300:
                consents.log_reads(therapist.id, [grant], what, utcnow())
            return result

        wrapper.reads = what
        return wrapper

    return decorator
