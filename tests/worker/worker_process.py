"""A real worker process for the SIGTERM test: `python -m tests.worker.worker_process N`.

It runs `worker.runner.run` (the loop `partwise-worker` runs: a BlockingScheduler, the signal
handlers) on the embedded store, with N clients due now and a slow push service of its own, so
that a SIGTERM can arrive while pushes are on the wire. It prints `sending` when the first push
is in flight, and after the worker has stopped one JSON line: what became of each delivery and
how many pushes arrived.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading

from api import create_app, logs
from api.crypto import generate_key
from api.models import PushSubscription, User
from api.models.base import utcnow
from api.models.delivery import Delivery
from api.models.user import DigestPreferences, ReminderPreferences
from tests.support.push_service import PushService
from tests.support.waiting import wait_until
from webpush import generate_keys
from worker import runner

#: Long enough for the parent to see the batch in flight and signal.
PUSH_DELAY_SECONDS = 1.5


def _clients(push_service: PushService, count: int) -> None:
    for n in range(count):
        user = User(
            email=f"client{n}@example.org",
            password_hash="not used",
            role="client",
            timezone="Europe/Berlin",
            reminders=ReminderPreferences(),
            digest=DigestPreferences(enabled=False),
            next_reminder_at=utcnow() - dt.timedelta(minutes=1),
        ).save()
        browser = push_service.make_subscription()
        PushSubscription(
            owner=user.id,
            endpoint=browser["endpoint"],
            p256dh=browser["keys"]["p256dh"],
            auth=browser["keys"]["auth"],
        ).save()


def _announce_first_push(push_service: PushService) -> None:
    try:
        wait_until(lambda: push_service.max_in_flight, "the first push", timeout=30)
    except AssertionError as error:
        print(error, flush=True)  # the test reads this instead of "sending", and fails with it
        return
    print("sending", flush=True)


def main(count: int) -> None:
    logs.configure()
    app = create_app(
        {
            "MONGODB_URI": "",
            "ENCRYPTION_KEYS": "k1:" + generate_key(),
            "VAPID_PRIVATE_KEY": generate_keys().private_key,
            "VAPID_SUBJECT": "mailto:ops@partwise.example",
            "PUSH_ALLOW_HTTP_LOOPBACK": 1,
            "WORKER_BATCH_SIZE": 3,
        }
    )
    with app.app_context(), PushService() as push_service:
        push_service.delay = PUSH_DELAY_SECONDS
        _clients(push_service, count)
        threading.Thread(target=_announce_first_push, args=(push_service,), daemon=True).start()
        runner.run(runner.build_dispatcher(app.config), interval=1)  # until SIGTERM
        deliveries = [
            {
                "status": d.status,
                "lease_owner": d.lease_owner,
                "sending": d.sending_since is not None,
                "attempts": d.attempts,
            }
            for d in Delivery.objects
        ]
        print(json.dumps({"deliveries": deliveries, "arrived": len(push_service.received)}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
