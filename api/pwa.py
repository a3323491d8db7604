"""Serving the PWA's static files from the API (embedded mode and development)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

REPO_PWA = Path(__file__).resolve().parent.parent / "pwa"
#: Paths the server answers itself: never the app shell, even when the route is switched off.
SERVER_PATHS = ("api/", "metrics", "healthz", "readyz")


def pwa_directory(configured: str) -> Path:
    """The built PWA (pwa/dist) when there is one, else the placeholder page in pwa/."""
    if configured:
        return Path(configured)
    built = REPO_PWA / "dist"
    return built if (built / "index.html").is_file() else REPO_PWA / "placeholder"


def make_blueprint(directory: Path) -> Blueprint:
    blp = Blueprint("pwa", __name__)

    @blp.get("/", defaults={"path": "index.html"})
    @blp.get("/<path:path>")
    def static_file(path: str):
        if path.startswith(SERVER_PATHS):
            abort(404)
        if (directory / path).is_file():
            response = send_from_directory(directory, path)
            if path in ("index.html", "sw.js", "manifest.webmanifest"):
                response.cache_control.no_cache = True
            return response
        # Client-side routes fall back to the app shell; files with an extension do not.
        if "." in path.rsplit("/", 1)[-1]:
            abort(404)
        response = send_from_directory(directory, "index.html")
        response.cache_control.no_cache = True
        return response

    return blp
