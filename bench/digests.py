"""Weekly digests for 10,000 and 20,000 clients with 8 weeks of check-ins each.

Prints, from one run: digests per second, how the time scales from 10k to 20k clients (target
at most 2.2: linear) and the total time over the time of merely reading the check-ins in bulk
(target at most 2).

The embedded store (mongomock) cannot hold a million check-ins in reasonable time (its inserts
check unique indexes by scanning), so by default the engine is fed from generated documents:
they are BSON-encoded in batches the way the server sends a cursor's batches, and "reading" is
decoding them and turning them into records (`api.records.group`), which is the CPU cost of a
bulk read minus the network. Building decodes the batch's parts the same way, runs the very code
`partwise build-digests` runs (`api.digests.building.compose_batch`) as on a first build (no
digests stored yet), and BSON-encodes the upserts it produces as the driver would send them.
Like `build_for`, each batch runs with the cyclic garbage collector paused.
With TEST_MONGODB_URI set, everything runs against that MongoDB.

Both wall and CPU time are printed. The ratios use this process's CPU time for generated batches
(all the work is in this single-threaded process, and on a shared machine other processes
inflate wall time at random) and wall time against MongoDB (which does part of the work).
Even CPU time drifts by 20 % and more between runs on a shared virtual machine (caches, CPU
steal), so the build runs `--repeats` times and, as timeit does, the fastest time counts (noise
only ever adds time): for generated batches each batch's fastest (the 10k build is the first
half of the 20k one: the same batches, built in the same order), against MongoDB each size's
fastest run.

    python bench/digests.py [--clients 10000] [--weeks 8] [--repeats 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
import uuid

import bson
from bson import ObjectId
from bson.codec_options import CodecOptions

from api import records
from api.digests.building import BATCH, BuildCounts, compose_batch
from api.domain.scales import REGULATION_STRATEGIES, SELF_ENERGY_CS
from api.insights import week_range

WEEK = "2026-W47"
TIMEZONE = "Europe/Berlin"
CODEC = CodecOptions(tz_aware=True)


def generate_client(rng: random.Random, weeks: int, sunday: dt.date) -> tuple[ObjectId, list, list]:
    owner = ObjectId()
    parts = [
        {
            "_id": ObjectId(),
            "owner": owner,
            "name": f"Part {i}",
            "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        }
        for i in range(4)
    ]
    level = rng.uniform(3, 8)
    docs = []
    for offset in range(weeks * 7):
        if rng.random() < 0.15:
            continue
        day = sunday - dt.timedelta(days=offset)
        mood = max(0, min(10, round(rng.gauss(level, 1.5))))
        doc = {
            "owner": owner,
            "local_date": dt.datetime.combine(day, dt.time(), dt.UTC),
            "mood": mood,
            "energy": max(0, min(10, mood + rng.randint(-2, 2))),
            "emotions": [{"name": "calm", "intensity": rng.randint(0, 10)}],
            "parts": [
                {"part": p["_id"], "intensity": rng.randint(1, 10), "blended": rng.random() < 0.3}
                for p in rng.sample(parts, 2)
            ],
            "self_energy": {c: rng.randint(2, 9) for c in SELF_ENERGY_CS},
            "attachment": {
                "anxiety": rng.randint(0, 10),
                "avoidance": rng.randint(0, 10),
                "reached_out": rng.random() < 0.5,
                "felt_supported": rng.random() < 0.5,
            },
        }
        if rng.random() < 0.4:
            doc["regulation"] = {
                "peak_intensity": rng.randint(4, 10),
                "strategies": rng.sample(REGULATION_STRATEGIES, 2),
                "success": rng.randint(0, 10),
                "minutes_to_settle": rng.choice([5, 10, 20, 45]),
            }
        docs.append(doc)
    return owner, docs, parts


def generate(n_clients: int, weeks: int, seed: int = 7):
    """Batches of (clients, BSON-encoded check-ins, BSON-encoded parts), BATCH clients each."""
    rng = random.Random(seed)
    sunday = week_range(WEEK)[1]
    batches = []
    for start in range(0, n_clients, BATCH):
        clients, blob, parts = [], bytearray(), bytearray()
        for _ in range(min(BATCH, n_clients - start)):
            owner, docs, owner_parts = generate_client(rng, weeks, sunday)
            clients.append((owner, TIMEZONE))
            for part in owner_parts:
                parts += bson.encode(part)
            for doc in docs:
                blob += bson.encode(doc)
        batches.append((clients, bytes(blob), bytes(parts)))
    return batches


def read_checkins(batch) -> dict:
    clients, blob, _ = batch
    return records.group(bson.decode_all(blob, CODEC), {owner: [] for owner, _ in clients})


def read_parts(batch) -> dict:
    """The batch's parts by owner, as `build_for` reads them (part of building, not of reading
    the check-ins)."""
    clients, _, blob = batch
    grouped: dict = {owner: [] for owner, _ in clients}
    for part in bson.decode_all(blob, CODEC):
        grouped[part["owner"]].append(part)
    return grouped


Timing = dict[str, tuple[float, float]]  # by clock ("wall", "cpu"): (read, total) seconds


def run_generated(batches: list) -> tuple[list[Timing], BuildCounts]:
    """For each batch in turn, merely read it, then read and build it: both timings see the same
    machine load. Returns each batch's timings, in order.

    Reading is timed as a loop of bulk reads runs (and as `run_mongodb` times it): the records are
    made, then let go, and freeing them is part of the read. Building is timed as `build_for`
    runs: read, build, encode the writes, free it all.
    """
    timings = []
    counts = BuildCounts()
    for batch in batches:
        clients = batch[0]
        with records.collector_paused():  # as `build_for` runs a batch
            start = time.perf_counter(), time.process_time()
            checkins = read_checkins(batch)
            del checkins
            read_done = time.perf_counter(), time.process_time()
            checkins = read_checkins(batch)
            parts = read_parts(batch)
            made, writes = compose_batch(clients, WEEK, checkins, parts, {})
            for query, update in writes:  # what the driver would put on the wire
                bson.encode({"q": query, "u": update})
            del checkins, parts, writes
            done = time.perf_counter(), time.process_time()
        timings.append(
            {
                clock: (read_done[i] - start[i], done[i] - read_done[i])
                for i, clock in enumerate(("wall", "cpu"))
            }
        )
        counts.add(made)
    return timings, counts


def summed(timings: list[Timing]) -> Timing:
    return {
        clock: (sum(t[clock][0] for t in timings), sum(t[clock][1] for t in timings))
        for clock in timings[0]
    }


def generated_runs(batches: list, small_n: int, repeats: int):
    """`repeats` builds of all the batches; the smaller size is the first batches of each.

    Each batch's cost at its place in the sequence is taken as its fastest over the builds (noise
    only adds time), so that minutes of drift on a shared machine do not pass for scaling; a cost
    that grew along the sequence would still show, since batch i is always the i-th built.
    """
    builds = [run_generated(batches) for _ in range(repeats)]
    small = small_n // BATCH
    runs = []
    for timings, counts in builds:
        runs += [
            (small_n, (summed(timings[:small]), None)),
            (len(batches) * BATCH, (summed(timings), counts)),
        ]
    best = [min((b[0][i] for b in builds), key=lambda t: t["cpu"][1]) for i in range(len(batches))]
    return runs, summed(best[:small]), summed(best)


def run_mongodb(
    uri: str, n_clients: int, weeks: int
) -> tuple[dict[str, tuple[float, float]], BuildCounts]:
    import mongoengine

    from api import create_app
    from api.crypto import generate_key
    from api.digests import build_week
    from api.models import Checkin, Part, User

    db_name = f"partwise_bench_{uuid.uuid4().hex[:8]}"
    app = create_app(
        {"MONGODB_URI": uri, "MONGODB_DB": db_name, "ENCRYPTION_KEYS": "k1:" + generate_key()}
    )
    try:
        with app.app_context():
            for clients, blob, parts in generate(n_clients, weeks):
                docs = bson.decode_all(blob, CODEC)
                for n, doc in enumerate(docs):
                    doc.update(client_id=f"{doc['owner']}-{n}", payload_hash="bench")
                Checkin._get_collection().insert_many(docs, ordered=False)
                Part._get_collection().insert_many(bson.decode_all(parts, CODEC))
                User._get_collection().insert_many(
                    [
                        {
                            "_id": owner,
                            "email": f"{owner}@bench.invalid",
                            "role": "client",
                            "timezone": tz,
                            "password_hash": "-",
                        }
                        for owner, tz in clients
                    ]
                )
            owners = [u["_id"] for u in User._get_collection().find({}, {"_id": 1})]
            monday, sunday = week_range(WEEK)
            start = time.perf_counter()
            for chunk in records.batched(owners, BATCH):
                records.read_owners(chunk, monday - dt.timedelta(weeks=8), sunday)
            read_s = time.perf_counter() - start
            start = time.perf_counter()
            counts = build_week(WEEK)
            total_s = time.perf_counter() - start
    finally:
        mongoengine.get_connection().drop_database(db_name)
    # Wall time only: this process's CPU time would leave out the server's work.
    return {"wall": (read_s, total_s)}, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clients", type=int, default=10_000, help="the smaller run; twice that too"
    )
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each size (fastest counts)")
    args = parser.parse_args()
    if args.clients <= 0 or args.clients % BATCH:
        parser.error(f"--clients must be a positive multiple of {BATCH} (one batch of clients)")
    uri = os.environ.get("TEST_MONGODB_URI", "")
    small_n, large_n = args.clients, 2 * args.clients
    print(f"source: {'MongoDB at ' + uri if uri else 'generated BSON batches (see the docstring)'}")
    # In-process work is measured in CPU time, which other people's processes on a shared
    # machine do not inflate; against MongoDB in wall time, which includes the server's work.
    clock = "wall" if uri else "cpu"
    if uri:
        # The sizes interleaved, so that drift in the machine's load does not pass for scaling;
        # the fastest run of each size counts.
        runs = [(n, run_mongodb(uri, n, args.weeks)) for n in [small_n, large_n] * args.repeats]
        fastest = {
            size: min((t for n, (t, _) in runs if n == size), key=lambda t: t[clock][1])
            for size in (small_n, large_n)
        }
        small_best, large_best = fastest[small_n], fastest[large_n]
        how = f"the fastest of {args.repeats} runs of each size"
    else:
        runs, small_best, large_best = generated_runs(
            generate(large_n, args.weeks), small_n, args.repeats
        )
        how = f"each batch's fastest of {args.repeats} builds"
    for n, (timings, counts) in runs:
        figures = ", ".join(
            f"{c}: read {read_s:.2f} s, total {total_s:.2f} s"
            for c, (read_s, total_s) in timings.items()
        )
        made = f" ({counts.created} digests, {counts.skipped} without)" if counts else ""
        print(f"{n} clients: {figures}{made}")
    small_total = small_best[clock][1]
    large_read, large_total = large_best[clock]
    print(f"ratios from {clock} time, {how}")
    print(
        f"digests: per_s={large_n / large_total:.0f} "
        f"scale_20k_over_10k={large_total / small_total:.2f} "
        f"total_over_read={large_total / large_read:.2f}"
    )


if __name__ == "__main__":
    main()
