"""Check-in creations per second through the whole app, against a bare Flask route, in one run.

Both go through Flask's test client (no sockets), so the ratio is what our stack costs per
request over Flask itself: routing, bearer-token lookup, marshmallow validation, the
idempotency check, encryption of the note and the insert.

The embedded store (mongomock) scans whole collections, so by default the store is kept small
(a few thousand check-ins) and the figure says nothing about a real server's speed. With
TEST_MONGODB_URI set it runs against that MongoDB (in a throw-away database).

    python bench/checkin_api.py [--n 1000]
"""

from __future__ import annotations

import argparse
import os
import time
import uuid

import mongoengine
from flask import Flask, jsonify, request

from api import create_app
from api.crypto import generate_key


def bare_app() -> Flask:
    app = Flask("bare")

    @app.post("/checkins")
    def create():
        body = request.get_json()
        return jsonify({"client_id": body["client_id"], "mood": body["mood"]}), 201

    return app


def body(n: int, part_id: str) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "mood": n % 11,
        "energy": (n * 7) % 11,
        "emotions": [{"name": "calm", "intensity": 4}, {"name": "hope", "intensity": 6}],
        "parts": [{"part": part_id, "intensity": 5, "blended": n % 2 == 0}],
        "self_energy": {"calm": 5, "curiosity": 6, "clarity": 4, "compassion": 7},
        "regulation": {
            "peak_intensity": 7,
            "strategies": ["breathing"],
            "success": 6,
            "minutes_to_settle": 15,
        },
        "attachment": {"anxiety": 4, "avoidance": 2, "reached_out": True},
        "note": "A short note about the day, encrypted at rest.",
    }


def rate(send, bodies: list[dict]) -> float:
    start = time.perf_counter()
    for item in bodies:
        send(item)
    return len(bodies) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="check-ins per measurement")
    args = parser.parse_args()
    uri = os.environ.get("TEST_MONGODB_URI", "")
    db_name = f"partwise_bench_{uuid.uuid4().hex[:8]}"
    app = create_app(
        {
            "MONGODB_URI": uri,
            "MONGODB_DB": db_name,
            "TESTING": True,
            "ENCRYPTION_KEYS": "k1:" + generate_key(),
        }
    )
    client = app.test_client()
    session = client.post(
        "/api/v1/auth/register", json={"email": "bench@example.org", "password": "bench passphrase"}
    ).json
    headers = {"Authorization": f"Bearer {session['token']}"}
    part_id = client.post("/api/v1/parts", json={"name": "Critic"}, headers=headers).json["id"]

    def send_app(item):
        response = client.post("/api/v1/checkins", json=item, headers=headers)
        assert response.status_code == 201, response.json

    bare = bare_app().test_client()

    def send_bare(item):
        assert bare.post("/checkins", json=item).status_code == 201

    warmup = [body(i, part_id) for i in range(50)]
    rate(send_app, warmup)
    rate(send_bare, warmup)
    bodies = [body(i, part_id) for i in range(args.n)]
    bare_per_s = rate(send_bare, bodies)
    checkins_per_s = rate(send_app, bodies)
    store = (
        f"MongoDB at {uri}" if uri else "embedded mongomock (small store, whole-collection scans)"
    )
    print(f"store: {store}; {args.n} check-ins after {len(warmup)} warm-up")
    if uri:
        mongoengine.get_connection().drop_database(db_name)
    print(
        f"checkin_api: checkins_per_s={checkins_per_s:.0f} bare_per_s={bare_per_s:.0f} "
        f"ratio={checkins_per_s / bare_per_s:.3f}"
    )


if __name__ == "__main__":
    main()
