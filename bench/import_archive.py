"""How long a large import takes, and how long another user's request waits meanwhile.

In the embedded mode every request holds the store lock (api.db.SerialisedStoreMiddleware), so
an import that holds it from start to end freezes every other user. One thread imports an
export of N check-ins into a new account while another asks GET /api/v1/me in a loop; the
figures are the import's duration and the longest (and median) wait of the other requests,
measured in one run. Through Flask's test client: no sockets.

mongomock checks a unique index by scanning the whole collection on every insert, so an
insert costs more the more check-ins the store holds: --store puts that many check-ins of
other people in it first (a store in use), written before the indexes exist.

    python bench/import_archive.py [--n 1000] [--store 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import threading
import time
import uuid

import mongoengine
from bson import ObjectId

from api import create_app
from api.crypto import generate_key


def checkin(n: int, part_id: str, today: dt.date) -> dict:
    day = today - dt.timedelta(days=n // 2 + 1)
    return {
        "client_id": str(uuid.uuid4()),
        "local_date": day.isoformat(),
        "recorded_at": dt.datetime.combine(day, dt.time(12 + n % 2), dt.UTC).isoformat(),
        "mood": n % 11,
        "energy": (n * 7) % 11,
        "emotions": [{"name": "calm", "intensity": 4}, {"name": "hope", "intensity": 6}],
        "parts": [{"part": part_id, "intensity": 5, "blended": n % 2 == 0}],
        "self_energy": {"calm": 5, "curiosity": 6, "clarity": 4, "compassion": 7},
        "regulation": {"strategies": ["breathing"], "success": 6, "minutes_to_settle": 15},
        "attachment": {"anxiety": 4, "avoidance": 2, "reached_out": True},
        "note": "A note about the day, a few sentences long, encrypted at rest. " * 4,
    }


def fill(count: int) -> None:
    """`count` check-ins of 100 other people, inserted before any index exists (fast)."""
    if not count:
        return
    today = dt.datetime.now(dt.UTC).date()
    people = [ObjectId() for _ in range(100)]
    mongoengine.get_db()["checkins"].insert_many(
        {
            "owner": people[n % 100],
            "client_id": str(uuid.uuid4()),
            "payload_hash": "x",
            "local_date": dt.datetime.combine(today - dt.timedelta(days=n // 100), dt.time()),
            "recorded_at": dt.datetime.now(dt.UTC),
            "mood": n % 11,
        }
        for n in range(count)
    )


def register(client, email: str) -> dict:
    body = {"email": email, "password": "bench passphrase"}
    token = client.post("/api/v1/auth/register", json=body).json["token"]
    return {"Authorization": f"Bearer {token}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="check-ins in the export")
    parser.add_argument("--store", type=int, default=0, help="other people's check-ins stored")
    args = parser.parse_args()
    app = create_app(
        {
            "MONGODB_URI": "",
            "MONGODB_DB": f"partwise_bench_{uuid.uuid4().hex[:8]}",
            "ENCRYPTION_KEYS": "k1:" + generate_key(),
            "PASSWORD_HASH_PROFILE": "CHEAPEST",
        }
    )
    fill(args.store)
    client = app.test_client()
    source = register(client, "source@example.org")
    part_id = client.post("/api/v1/parts", json={"name": "Critic"}, headers=source).json["id"]
    today = dt.datetime.now(dt.UTC).date()
    items = [checkin(n, part_id, today) for n in range(args.n)]
    for start in range(0, args.n, 100):
        batch = {"checkins": items[start : start + 100]}
        client.post("/api/v1/checkins/batch", json=batch, headers=source)
    export = client.get("/api/v1/me/export", headers=source).json
    assert len(export["checkins"]) == args.n
    target, other = register(client, "target@example.org"), register(client, "other@example.org")

    other_client = app.test_client()
    waits: list[float] = []
    done = threading.Event()

    def other_user() -> None:
        while not done.is_set():
            start = time.perf_counter()
            assert other_client.get("/api/v1/me", headers=other).status_code == 200
            waits.append(time.perf_counter() - start)

    idle = []
    for _ in range(20):
        start = time.perf_counter()
        client.get("/api/v1/me", headers=other)
        idle.append(time.perf_counter() - start)

    poller = threading.Thread(target=other_user)
    poller.start()
    time.sleep(0.05)
    start = time.perf_counter()
    response = client.post("/api/v1/me/import", json=export, headers=target)
    took = time.perf_counter() - start
    done.set()
    poller.join()
    assert response.status_code == 200, response.json
    assert response.json["checkins"]["created"] == args.n, response.json
    print(
        f"import_archive: n={args.n} import_s={took:.2f} "
        f"other_max_wait_s={max(waits):.3f} other_median_wait_s={statistics.median(waits):.4f} "
        f"other_requests={len(waits)} idle_median_s={statistics.median(idle):.4f}"
    )


if __name__ == "__main__":
    main()
