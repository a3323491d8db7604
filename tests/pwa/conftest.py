"""Fixtures for the PWA tests: the API serving pwa/dist on a free port, and headless Chromium.

The built app (`npm ci --prefix pwa && npm run build --prefix pwa`), Debian's chromium and the
`playwright` package are needed (scripts/test.sh sets them all up). Without them these tests are
skipped with the reason, except under scripts/test.sh (PARTWISE_REQUIRE_BROWSER=1) or CI
(CI=true), where a missing piece is a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http import HTTPStatus
from pathlib import Path
from typing import TypeVar

import mongoengine
import pytest

from api import create_app, demo
from api.crypto import generate_key
from api.db import store_lock
from webpush import generate_keys

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "pwa" / "dist"
AXE = REPO / "pwa" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("PARTWISE_CHROMIUM", "/usr/bin/chromium")
#: Chromium's headless shell, from the same Debian source and version as the browser: the same
#: Blink, V8, network stack, storage and service workers, without the browser around them (a
#: third less CPU per test). It is what Playwright itself runs headless tests on. What belongs
#: to the browser, notifications and push subscriptions, is tested in the full one
#: (tests/pwa/test_push.py); without the shell every test runs in the full browser.
HEADLESS_SHELL = os.environ.get(
    "PARTWISE_CHROMIUM_HEADLESS_SHELL", "/usr/bin/chromium-headless-shell"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-GB",
    "timezone_id": "Europe/Berlin",
}
PASSWORD = "a long passphrase"
START_CHECKIN = "Full check-in"


def _missing() -> str | None:
    if not (DIST / "index.html").is_file() or not (DIST / "sw.js").is_file():
        return "pwa/dist is not built (npm ci --prefix pwa && npm run build --prefix pwa)"
    if not AXE.is_file():
        return "pwa/node_modules has no axe-core (npm ci --prefix pwa)"
    if not _installed(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="module", autouse=True)
def _requirements() -> None:
    reason = _missing()
    if reason and (os.environ.get("PARTWISE_REQUIRE_BROWSER") or os.environ.get("CI")):
        pytest.fail(reason)
    if reason:
        pytest.skip(reason)


Answer = Callable[[object], tuple[int, object]]
T = TypeVar("T")


class StandIn:
    """WSGI middleware that answers chosen paths itself, the way a failing or refusing server would.

    The faults are made at the server rather than with Playwright's `context.route`: once the
    service worker controls the page, whether a page's request still passes the route is a
    matter of timing in Chromium, and a replay the service worker sends never does.
    """

    def __init__(self, app):
        self.app = app
        self.answers: dict[str, Answer] = {}

    def __call__(self, environ, start_response):
        answer = self.answers.get(environ["PATH_INFO"])
        if answer is None:
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        status, payload = answer(json.loads(raw) if raw else None)
        data = json.dumps(payload).encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [data]


class Server:
    """The API and the built PWA, served by waitress from a thread."""

    def __init__(self, app, stand_in: StandIn, base_url: str, vapid_public_key: str):
        self.app = app
        self.stand_in = stand_in
        self.base_url = base_url
        self.vapid_public_key = vapid_public_key
        self.http = app.test_client()

    @contextlib.contextmanager
    def answering(self, path: str, answer: Answer) -> Iterator[None]:
        """Within the block, `answer(json_body) -> (status, json)` answers `path`, not the API."""
        self.stand_in.answers[path] = answer
        try:
            yield
        finally:
            del self.stand_in.answers[path]

    def seed_demo(self) -> dict:
        """The embedded mode's demo data (Sam, the therapist, a caseload); once per server."""
        with store_lock(), self.app.app_context():
            return demo.seed()

    def login(self, email: str, password: str = PASSWORD) -> str:
        response = self.http.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.json
        return response.json["token"]

    def register(self, role: str = "client", name: str = "Robin") -> dict:
        email = f"{role}-{uuid.uuid4().hex[:10]}@example.org"
        response = self.http.post(
            "/api/v1/auth/register",
            json={
                "email": email,
                "password": PASSWORD,
                "role": role,
                "display_name": name,
                "timezone": "Europe/Berlin",
            },
        )
        assert response.status_code == 201, response.json
        return {"email": email, "token": response.json["token"], **response.json["user"]}

    def api(self, method: str, url: str, token: str, **kwargs):
        headers = {"Authorization": f"Bearer {token}"}
        return self.http.open(url, method=method, headers=headers, **kwargs)

    def checkins(self, token: str) -> list[dict]:
        response = self.api("GET", "/api/v1/checkins?page_size=200", token)
        assert response.status_code == 200, response.json
        return response.json


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    from waitress.server import create_server

    vapid = generate_keys()
    app = create_app(
        {
            "TESTING": True,
            "MONGODB_URI": os.environ.get("TEST_MONGODB_URI", ""),
            "MONGODB_DB": f"partwise_pwa_{uuid.uuid4().hex[:12]}",
            "ENCRYPTION_KEYS": "k1:" + generate_key(),
            "PASSWORD_HASH_PROFILE": "CHEAPEST",
            "PWA_DIR": str(DIST),
            "VAPID_PRIVATE_KEY": vapid.private_key,
            "VAPID_SUBJECT": "mailto:tests@partwise.local",
            # The test push service listens on http://127.0.0.1 (real ones are https only).
            "PUSH_ALLOW_HTTP_LOOPBACK": 1,
        }
    )
    stand_in = StandIn(app)
    wsgi = create_server(stand_in, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=wsgi.run, daemon=True)
    thread.start()
    try:
        yield Server(app, stand_in, f"http://127.0.0.1:{wsgi.effective_port}", vapid.public_key)
    finally:
        wsgi.close()
        thread.join(timeout=5)
        if os.environ.get("TEST_MONGODB_URI"):
            mongoengine.get_connection().drop_database(app.config["MONGODB_DB"])
        mongoengine.disconnect()


def _installed(executable: str) -> bool:
    return bool(shutil.which(executable) or Path(executable).is_file())


@pytest.fixture(scope="module")
def chromium_executable() -> str:
    """The Chromium a test file runs in: the headless shell where installed (see HEADLESS_SHELL);
    a file that needs the full browser overrides this fixture with CHROMIUM."""
    return HEADLESS_SHELL if _installed(HEADLESS_SHELL) else CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


class Console:
    """Console errors and uncaught exceptions seen on a page."""

    def __init__(self):
        self.errors: list[str] = []

    def watch(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def unexpected(self, *allowed: str) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in allowed)]


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture(params=["light"])
def color_scheme(request) -> str:
    return request.param


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.pwa_failed = report.failed
    return report


@pytest.fixture
def phone(request, browser, server, console, color_scheme):
    """A fresh phone-sized browser context (its own storage and service worker) and a page."""
    context = browser.new_context(base_url=server.base_url, color_scheme=color_scheme, **PHONE)
    page = context.new_page()
    console.watch(page)
    yield page
    if getattr(request.node, "pwa_failed", False):
        # What the screen showed when the test failed, for the report.
        print(f"page at {page.url}\n{page.locator('body').aria_snapshot(timeout=2000)}")
        print("console:", console.errors)
        print(
            "idb:",
            page.evaluate("""() => new Promise((resolve) => {
                const t = setTimeout(() => resolve('open hangs'), 2000);
                const r = indexedDB.open('partwise');
                r.onsuccess = () => { clearTimeout(t); resolve('open ok'); r.result.close(); };
                r.onblocked = () => resolve('blocked');
                r.onerror = () => resolve('error ' + r.error);
            })"""),
        )
    context.close()


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").tap()


def sign_up(page, name: str, role_label: str = "Someone in therapy") -> str:
    """Create an account through the sign-up screen; returns its email."""
    email = f"new-{uuid.uuid4().hex[:8]}@example.org"
    page.goto("/#/signup")
    page.get_by_label(role_label).check()
    page.get_by_label("What should we call you?").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").tap()
    return email


def eventually(page, expression: str, timeout_ms: int = 10_000):
    """Evaluate `expression` (a function, may be async) until it gives a truthy value.

    Not `page.wait_for_function`: that takes a returned Promise itself as truthy, so it would
    never wait for an async check. A promise that never settles (`serviceWorker.ready` with no
    service worker) counts as falsy once the time is up, instead of hanging the test.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        left_ms = max(1, round((deadline - time.monotonic()) * 1000))
        value = page.evaluate(
            f"""() => Promise.race([
                Promise.resolve().then({expression}),
                new Promise((resolve) => setTimeout(() => resolve(null), {left_ms})),
            ])"""
        )
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"still falsy after {timeout_ms} ms: {expression}")
        page.wait_for_timeout(100)


def wait_for(page, condition: Callable[[], T], what: str, timeout_ms: int = 10_000) -> T:
    """Call `condition` until it gives something truthy, and return that; fail after
    `timeout_ms` saying that `what` did not happen. Waits with the page's clock, so that
    Playwright's events (a service worker registered, say) keep arriving meanwhile."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not (value := condition()):
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout_ms} ms for {what}")
        page.wait_for_timeout(100)
    return value


def wait_for_service_worker(page) -> None:
    """Wait until the service worker controls the page (the shell is precached by then)."""
    eventually(
        page,
        "() => navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)",
        timeout_ms=15_000,
    )


#: The themes every screen is checked in. The dark one changes colours only (custom properties
#: under prefers-color-scheme), so a screen is checked in both as it stands, not walked twice.
SCHEMES = ("light", "dark")


def in_each_scheme(page, check: Callable[[], T]) -> dict[str, T]:
    """`check()` on the page as it is, in the light theme and then the dark one; the page is
    left light. Media-query listeners (the chart draws its colours anew) have run first."""
    found = {}
    for scheme in SCHEMES:
        _show_in(page, scheme)
        found[scheme] = check()
    _show_in(page, "light")
    return found


def _show_in(page, scheme: str) -> None:
    """Switch prefers-color-scheme and wait two frames, for its listeners to have run."""
    page.emulate_media(color_scheme=scheme)
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.1 A/AA and best practice)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated over the DevTools protocol: the app's CSP (no inline script) stays as it is.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    return page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        }).then(r => r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary),
        })))"""
    )
