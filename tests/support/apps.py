"""One Flask app per configuration for the whole test session, with an empty database per test.

Building the app (registering every route in the OpenAPI document) took about a quarter of the
suite's time when each test built its own. A test gets the app built for its configuration, in
the state it was built in:

- the process-wide state that `create_app` sets (encryption keys, password hashing, the
  database connection, the rate limiter's storage) is set again, because any app built since
  (a test's own `create_app`, the PWA's server) replaces it;
- the database is a fresh one: a new mongomock store, or on a real MongoDB the session's
  database, dropped after each test (mongoengine creates the indexes again on first use, as
  it does in a new process);
- after the test, `app.config` is put back as it was built (tests change a setting in place)
  and the in-process state the app keeps is emptied.

A test that needs an app of its own still calls `create_app` itself.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import mongoengine
from flask import Flask

from api import create_app
from api.app import configure_process
from api.extensions.limiter import limiter

#: State an app keeps in `app.extensions` for its process, emptied after each test by building
#: a new one of its type (api/resources/push/routes.py: which push services took our pushes).
PER_PROCESS_EXTENSIONS = ("partwise.push_acceptances",)


def _key(config: dict[str, Any]) -> str:
    return json.dumps(config, sort_keys=True, default=repr)


class SharedApps:
    """The apps of one test session, one per configuration."""

    def __init__(self) -> None:
        self._apps: dict[str, tuple[Flask, dict[str, Any]]] = {}

    @contextmanager
    def app_for(self, config: dict[str, Any]) -> Iterator[Flask]:
        key = _key(config)
        if key in self._apps:
            app, built = self._apps[key]
            _restore_process_state(app)
        else:
            app = create_app(config)
            built = copy.deepcopy(dict(app.config))
            self._apps[key] = (app, built)
        try:
            with app.app_context():
                yield app
        finally:
            _empty_database(app)
            app.config.clear()
            app.config.update(copy.deepcopy(built))
            for name in PER_PROCESS_EXTENSIONS:
                if name in app.extensions:
                    app.extensions[name] = type(app.extensions[name])()

    def close(self) -> None:
        self._apps.clear()
        mongoengine.disconnect()


def _restore_process_state(app: Flask) -> None:
    """Set again what `create_app` set for the whole process; the database starts empty."""
    configure_process(app.config)  # mongomock: a new, empty store
    limiter.reset()


def _empty_database(app: Flask) -> None:
    if app.config["MONGODB_URI"]:
        mongoengine.get_connection().drop_database(app.config["MONGODB_DB"])
    mongoengine.disconnect()
