"""The API as the image runs it: gunicorn with deploy/gunicorn.conf.py, on 127.0.0.1, with the
Prometheus client's multiprocess directory not yet made (the image's /tmp starts empty)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from api.crypto import generate_key

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "gunicorn.conf.py"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    assert url.startswith("http://127.0.0.1:")
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (checked)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, log file) of gunicorn running the API with two worker processes."""
    home = tmp_path_factory.mktemp("gunicorn")
    port = _free_port()
    env = {
        **os.environ,
        "MONGODB_URI": "",  # each process gets its own embedded store: enough to look at it
        "PARTWISE_ENCRYPTION_KEYS": "k1:" + generate_key(),
        "PARTWISE_BIND": f"127.0.0.1:{port}",
        "PARTWISE_WORKERS": "2",
        "PARTWISE_THREADS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(home / "prometheus"),
    }
    log = home / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "--config", str(CONF), "api.wsgi:app"]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield base, log
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


def test_the_api_boots_and_migrates_before_forking(served):
    _, log = served
    text = log.read_text()
    assert "indexes ensured on" in text and "data migrations applied" in text


def test_metrics_add_up_every_process(served):
    base, _ = served
    for _ in range(6):
        assert _get(f"{base}/api/v1/meta/scales")[0] == 200
    status, text = _get(f"{base}/metrics")
    assert status == 200
    line = next(
        row
        for row in text.splitlines()
        if row.startswith("partwise_http_request_duration_seconds_count")
        and 'url_rule="/api/v1/meta/scales"' in row
    )
    assert float(line.rsplit(" ", 1)[1]) == 6
    assert "partwise_deliveries_pending{" in text


def test_the_access_log_is_json_lines(served):
    base, log = served
    _get(f"{base}/api/v1/meta/scales")

    def logged() -> bool:
        lines = log.read_text().splitlines()
        requests = [json.loads(line) for line in lines if line.startswith('{"time"')]
        return any(r["path"] == "/api/v1/meta/scales" and r["status"] == 200 for r in requests)

    # The access log line is written after the answer: give a busy machine a moment.
    deadline = time.monotonic() + 10
    while not logged():
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
