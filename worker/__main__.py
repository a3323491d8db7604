"""`python -m worker` / `partwise-worker`: reminders and digests against MONGODB_URI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

from api import config as config_module
from api import crypto, db, logs
from webpush import VapidConfigError
from worker import runner


def database_options(settings: config_module.Settings | Mapping[str, Any]) -> dict:
    """MongoClient timeouts for the worker: a database that is away fails a tick (and lets a
    SIGTERM through) after WORKER_DB_TIMEOUT_SECONDS, not after the driver's 30 s."""
    seconds = int(config_module.Settings.from_mapping(settings).worker_db_timeout_seconds)
    if seconds < 1:
        raise ValueError("PARTWISE_WORKER_DB_TIMEOUT_SECONDS must be at least 1")
    return {"serverSelectionTimeoutMS": seconds * 1000, "connectTimeoutMS": seconds * 1000}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="partwise-worker",
        description="Send web-push reminders and weekly digests when they are due.",
    )
    parser.add_argument("--once", action="store_true", help="dispatch what is due now and exit")
    args = parser.parse_args(argv)

    logs.configure()
    try:
        settings = config_module.Settings.load()  # the environment, read once
    except config_module.SettingsError as exc:
        print(f"partwise-worker: {exc}", file=sys.stderr)
        return 2
    if not settings.mongodb_uri:
        print(
            "partwise-worker: MONGODB_URI is not set. The embedded store lives inside one "
            "process: `partwise run` runs the worker there.",
            file=sys.stderr,
        )
        return 2
    try:
        crypto.configure(settings.encryption_keys)  # digests read the journal
        dispatcher = runner.build_dispatcher(settings)
        options = database_options(settings)
    except (VapidConfigError, crypto.KeyConfigError, ValueError) as exc:
        print(f"partwise-worker: {exc}", file=sys.stderr)
        return 2
    db.connect(settings.mongodb_uri, settings.mongodb_db, **options)
    if args.once:
        runner.run_once(dispatcher)
    else:
        interval, port = settings.worker_interval_seconds, settings.worker_health_port
        runner.run(dispatcher, interval, health_port=port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
