import re
import subprocess
import sys

import pytest


def test_importing_the_api_connects_to_nothing():
    code = (
        "import api, api.app, api.models, api.demo, api.cli, mongoengine.connection as c;"
        "print(len(c._connections), len(c._connection_settings))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0"]


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_when_the_database_answers(client):
    assert client.get("/readyz").json == {"status": "ready"}


def test_readyz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr("api.db.ping", lambda: False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["message"] == "The database does not answer."


def test_unknown_route_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json == {"code": 404, "status": "Not Found", "message": "Not found."}


def test_wrong_method_is_a_json_405_with_allow(client):
    response = client.put("/api/v1/me")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.json["message"]


def test_malformed_json_is_400_not_500(alice):
    response = alice.post(
        "/api/v1/checkins", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json["message"]


def test_a_body_over_the_limit_is_413(alice, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = alice.post("/api/v1/checkins", json={"client_id": "x", "note": "x" * 5000})
    assert response.status_code == 413
    assert response.json["status"] == "Request Entity Too Large"


def test_scales_are_published_for_clients(client):
    scales = client.get("/api/v1/meta/scales").json
    assert scales["scale_max"] == 10
    assert len(scales["self_energy_cs"]) == 8
    assert "unblending" in scales["regulation_strategies"]
    assert scales["acute_change_threshold"] == 3
    notes = next(s for s in scales["sharing_scopes"] if s["scope"] == "notes")
    assert notes["default"] is False and "notes" in notes["label"]


def test_the_placeholder_page_is_served_at_root(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Partwise" in response.data


def test_interactive_docs_are_served_with_their_own_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert b"/api/docs-assets/swagger-ui-bundle.js" in page.data
    assert client.get("/api/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/api/docs-assets/swagger-ui.css").status_code == 200


# --- the OpenAPI document ------------------------------------------------------------------


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").json


def _api_rules(app):
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        if path.startswith(("/api/v1/", "/healthz", "/readyz")):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                yield path, method.lower()


def test_openapi_documents_every_endpoint(app, spec):
    missing = [(p, m) for p, m in _api_rules(app) if m not in spec["paths"].get(p, {})]
    assert missing == []


def test_every_authenticated_operation_documents_401(app, spec):
    for path, method in _api_rules(app):
        operation = spec["paths"][path][method]
        if operation.get("security"):
            assert "401" in operation["responses"], (path, method)


def test_every_operation_that_reads_input_documents_422(app, spec):
    for path, method in _api_rules(app):
        operation = spec["paths"][path][method]
        if "requestBody" in operation or operation.get("parameters"):
            takes_input = "requestBody" in operation or any(
                p["in"] == "query" for p in operation["parameters"]
            )
            if takes_input:
                assert "422" in operation["responses"], (path, method)


def test_operations_on_one_item_document_404(app, spec):
    for path, method in _api_rules(app):
        if path.endswith("_id}"):
            assert "404" in spec["paths"][path][method]["responses"], (path, method)


def test_bearer_auth_is_declared(spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
