"""The PWA's API types are generated from the OpenAPI document: the committed file must be what
openapi-typescript makes of the current document. After a change to a schema, regenerate it with
`npm run --prefix pwa api-types` (or `partwise openapi | openapi-typescript`) and commit it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from api import openapi

PWA = Path(__file__).resolve().parents[2] / "pwa"
GENERATED = PWA / "src" / "api-schema.d.ts"
CLI = PWA / "node_modules" / "openapi-typescript" / "bin" / "cli.js"


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not CLI.exists():
        return "openapi-typescript is not installed (npm ci in pwa/)"
    return None


def test_the_pwa_api_types_are_generated_from_the_current_document():
    if reason := _missing():
        if os.environ.get("PARTWISE_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    generated = subprocess.run(
        [shutil.which("node"), str(CLI)],
        input=openapi.text(),
        capture_output=True,
        text=True,
        check=True,
        cwd=PWA,
        timeout=120,
    ).stdout
    assert generated == GENERATED.read_text(encoding="utf-8"), (
        "pwa/src/api-schema.d.ts is out of date with the OpenAPI document: run "
        "`npm run --prefix pwa api-types` and commit the result."
    )
