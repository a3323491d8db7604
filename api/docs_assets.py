"""Swagger UI's files, served by the API itself (from the flask-swagger-ui package).

The interactive docs then work without reaching a CDN: offline, and under a CSP that allows
scripts from this origin only.
"""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint

URL_PATH = "/api/docs-assets"
DIST = Path(flask_swagger_ui.__file__).resolve().parent / "dist"


def make_blueprint() -> Blueprint:
    return Blueprint("docs_assets", __name__, static_folder=str(DIST), static_url_path=URL_PATH)
