"""Run worker threads one at a time, switching between them at every database operation.

On a real MongoDB each single-document operation is atomic and anything may happen between two
of them. `Turnstile` reproduces exactly that on mongomock: every collection call is a point where
the running thread hands over to one drawn by a seeded RNG (possibly itself), so a claim made of
a read and a later write is interleaved with the other workers, reproducibly for a seed.

Only the threads started by `run` take turns; the push service's thread runs freely.
"""

from __future__ import annotations

import contextlib
import functools
import random
import threading
from collections.abc import Callable, Iterator

import mongomock.collection

from api import db

#: The collection methods mongoengine calls: each is one database operation.
OPERATIONS = (
    "insert_one",
    "insert_many",
    "find",
    "find_one",
    "find_one_and_update",
    "find_one_and_replace",
    "find_one_and_delete",
    "update_one",
    "update_many",
    "replace_one",
    "delete_one",
    "delete_many",
    "count_documents",
    "aggregate",
    "bulk_write",
    "distinct",
)


class Turnstile:
    def __init__(self, seed: int, on_point: Callable[[], object] | None = None) -> None:
        """`on_point` runs at every operation, before the switch (a clock that moves on)."""
        self._rng = random.Random(seed)
        self._on_point = on_point
        self._cond = threading.Condition()
        self._local = threading.local()
        self._live: list[str] = []
        self._turn: str | None = None
        self.errors: list[BaseException] = []
        #: How many times a thread was handed the turn at an operation (a smoke check).
        self.points = 0

    @contextlib.contextmanager
    def installed(self, monkeypatch) -> Iterator[Turnstile]:
        """Make every mongomock collection call a switching point, and take `store_lock` out of
        the way (a thread waiting for its turn inside it would block the others forever; only one
        runs at a time anyway)."""
        for name in OPERATIONS:
            original = getattr(mongomock.collection.Collection, name)
            monkeypatch.setattr(mongomock.collection.Collection, name, self._switching(original))
        monkeypatch.setattr(db, "store_lock", contextlib.nullcontext)
        yield self

    def run(self, bodies: dict[str, Callable[[], object]], timeout: float = 60) -> None:
        """Run each body on its own thread, taking turns; re-raise the first error."""
        with self._cond:
            self._live = list(bodies)
            self._turn = self._rng.choice(self._live)
        threads = [
            threading.Thread(target=self._body, args=(name, body), name=f"turnstile-{name}")
            for name, body in bodies.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
            assert not thread.is_alive(), f"{thread.name} did not finish"
        if self.errors:
            raise self.errors[0]

    def _body(self, name: str, body: Callable[[], object]) -> None:
        self._local.name, self._local.depth = name, 0
        with self._cond:
            self._cond.wait_for(lambda: self._turn == name)
        try:
            body()
        except BaseException as exc:
            self.errors.append(exc)
        finally:
            with self._cond:
                self._live.remove(name)
                self._turn = self._rng.choice(self._live) if self._live else None
                self._cond.notify_all()

    def _point(self) -> None:
        name = getattr(self._local, "name", None)
        if name is None:
            return
        with self._cond:
            self.points += 1
            if self._on_point is not None:
                self._on_point()
            self._turn = self._rng.choice(self._live)
            self._cond.notify_all()
            self._cond.wait_for(lambda: self._turn == name)

    def _switching(self, operation: Callable) -> Callable:
        @functools.wraps(operation)
        def switching(collection, *args, **kwargs):
            local = self._local
            outermost = getattr(local, "depth", 0) == 0
            if outermost:
                # mongomock builds some operations on others: only the outer call is one.
                self._point()
            local.depth = getattr(local, "depth", 0) + 1
            try:
                return operation(collection, *args, **kwargs)
            finally:
                local.depth -= 1

        return switching
