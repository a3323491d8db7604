"""Production HTTP behaviour: security headers (flask-talisman), CORS closed unless configured
(flask-cors), and the client's real address behind a proxy (werkzeug's ProxyFix)."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_cors import CORS
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

#: No inline script anywhere: the PWA and the API docs load scripts from this origin only.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    # Swagger UI sets style attributes on its elements; no script can be injected through them.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "connect-src": "'self'",
    "font-src": "'self'",
    "manifest-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    hops = app.config["PROXY_HOPS"]
    if hops:
        # Trust exactly this many proxies' X-Forwarded-* headers (Caddy, an ingress): the login
        # throttle then counts the client's address, not the proxy's.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    Talisman(
        app,
        # TLS ends at the proxy; HSTS is sent on requests that arrived over HTTPS.
        force_https=False,
        strict_transport_security=True,
        strict_transport_security_max_age=63072000,
        strict_transport_security_include_subdomains=True,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="no-referrer",
        session_cookie_secure=True,
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )
    app.after_request(_not_stored)
    origins = [o.strip() for o in app.config["CORS_ORIGINS"].split(",") if o.strip()]
    if origins:
        # Bearer tokens, no cookies: credentials are not needed across origins.
        CORS(
            app,
            resources={r"/api/*": {"origins": origins}},
            supports_credentials=False,
            expose_headers=["X-Pagination", "Retry-After", "Location"],
            max_age=600,
        )


def _not_stored(response: Response) -> Response:
    """API answers carry health data: no browser, proxy or shared phone keeps a copy of them.

    The PWA keeps what it must (the journal, for reading offline) in its own store, which
    logging out clears; an HTTP cache would keep it out of the app's reach.
    """
    if request.path.startswith("/api/v1/"):
        response.headers["Cache-Control"] = "no-store"
    return response
