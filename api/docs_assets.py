"""Swagger UI's files, served by the API itself (from the flask-swagger-ui package).

The interactive docs then work without reaching a CDN: offline, and under a CSP that allows
scripts from this origin only.
"""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, send_from_directory

URL_PATH = "/api/docs-assets"
DIST = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
OWN = Path(__file__).resolve().parent / "static"


def make_blueprint() -> Blueprint:
    blp = Blueprint("docs_assets", __name__, static_folder=str(DIST), static_url_path=URL_PATH)

    @blp.get(f"{URL_PATH}/partwise-init.js")
    def init_script():
        """Starts Swagger UI (api/templates/swagger_ui.html replaces flask-smorest's page)."""
        return send_from_directory(OWN, "swagger-init.js", mimetype="text/javascript")

    return blp
