import pytest

from api import create_app


@pytest.fixture
def make_client(app_config):
    def make(**overrides):
        return create_app({**app_config, **overrides}).test_client()

    return make


def test_every_response_carries_a_strict_csp_and_security_headers(client):
    response = client.get("/healthz")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_no_api_answer_may_be_kept_in_a_cache(client, alice):
    for response in (
        client.get("/api/v1/checkins", headers=alice.headers),
        client.get("/api/v1/me", headers=alice.headers),
        client.get("/api/v1/checkins"),  # a refusal too
    ):
        assert response.headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_on_https(client):
    response = client.get("/healthz", base_url="https://journal.example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_the_api_docs_page_has_no_inline_script(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert page.count("<script") == page.count("<script src=")
    assert client.get("/api/docs-assets/partwise-init.js").status_code == 200


def test_cors_is_closed_by_default(client):
    response = client.get("/api/v1/meta/scales", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_opens_only_to_configured_origins(make_client):
    client = make_client(CORS_ORIGINS="https://app.example.org")
    allowed = client.options(
        "/api/v1/checkins",
        headers={"Origin": "https://app.example.org", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.org"
    other = client.get("/api/v1/meta/scales", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_behind_a_trusted_proxy_the_client_address_counts(make_client):
    client = make_client(PROXY_HOPS=1, LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes")

    def fail(address):
        return client.post(
            "/api/v1/auth/login",
            json={"email": f"x{address}@example.org", "password": "wrong guess!"},
            headers={"X-Forwarded-For": address},
        )

    assert [fail("203.0.113.1").status_code for _ in range(3)] == [401, 401, 429]
    assert fail("203.0.113.2").status_code == 401  # another client behind the same proxy


def test_metrics_report_request_latency_by_route(client, alice):
    alice.get("/api/v1/checkins")
    text = client.get("/metrics").get_data(as_text=True)
    assert (
        'partwise_http_request_duration_seconds_count{method="GET",status="200",url_rule="/api/v1/checkins"}'
        in text
    )


def test_made_up_methods_and_paths_do_not_grow_the_metrics(make_client):
    client = make_client()  # an app of its own: no series from the requests of other tests
    for i in range(20):
        assert client.open("/api/v1/checkins", method=f"MADEUP{i}").status_code == 405
        client.get(f"/no-such-page-{i}")
    text = client.get("/metrics").get_data(as_text=True)
    series = [line for line in text.splitlines() if "duration_seconds_count" in line]
    assert not any("MADEUP" in line or "no-such-page" in line for line in series)
    assert any('method="other",status="405"' in line for line in series)
    assert len(series) <= 3


def test_metrics_report_pending_deliveries_by_kind(client):
    text = client.get("/metrics").get_data(as_text=True)
    assert 'partwise_deliveries_pending{kind="reminder"} 0.0' in text


def test_metrics_report_what_a_worker_in_this_process_closed(client):
    from api import delivery_metrics as metrics

    metrics.FINISHED.start()  # as the embedded worker does when it starts
    text = client.get("/metrics").get_data(as_text=True)
    assert 'partwise_deliveries_finished_total{kind="reminder",status="sent"}' in text


def test_metrics_can_be_turned_off(make_client):
    assert make_client(METRICS_ENABLED=0).get("/metrics").status_code == 404


def test_two_apps_in_one_process_do_not_collide(make_client):
    make_client()
    make_client()  # a second registration of the same metrics would raise here
