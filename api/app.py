"""The application factory: configuration, database, encryption, API and blueprints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from api import config as config_module
from api import crypto, db, docs_assets, security
from api.extensions import metrics, web_security
from api.extensions.limiter import limiter
from api.extensions.smorest import Api
from api.pwa import make_blueprint, pwa_directory
from api.resources.account.routes import blp as account_blp
from api.resources.auth.routes import blp as auth_blp
from api.resources.checkins.routes import blp as checkins_blp
from api.resources.digests.routes import blp as digests_blp
from api.resources.health.routes import blp as health_blp
from api.resources.me.routes import blp as me_blp
from api.resources.meta.routes import blp as meta_blp
from api.resources.ops.routes import blp as ops_blp
from api.resources.parts.routes import blp as parts_blp
from api.resources.push.routes import blp as push_blp
from api.resources.questionnaires.routes import blp as questionnaires_blp
from api.resources.sharing.routes import blp as sharing_blp
from api.resources.therapist.client_routes import blp as therapist_client_blp
from api.resources.therapist.routes import blp as therapist_blp
from api.resources.trends.routes import blp as trends_blp

BLUEPRINTS = (
    health_blp,
    meta_blp,
    auth_blp,
    me_blp,
    parts_blp,
    checkins_blp,
    push_blp,
    ops_blp,
    trends_blp,
    digests_blp,
    questionnaires_blp,
    sharing_blp,
    therapist_blp,
    therapist_client_blp,
    account_blp,
)


def configure_process(config: Mapping[str, Any]) -> None:
    """What an app sets for its whole process: encryption keys, password hashing, the store."""
    crypto.configure(config["ENCRYPTION_KEYS"])
    security.configure(config["PASSWORD_HASH_PROFILE"])
    db.connect(config["MONGODB_URI"], config["MONGODB_DB"])


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the API. `config` overrides the environment, which overrides the defaults."""
    app = Flask(__name__, static_folder=None)
    settings = config_module.Settings.load(config)
    app.config.update(config_module.flask_config(settings, config))
    app.extensions[config_module.EXTENSION] = settings
    app.json.sort_keys = False

    configure_process(app.config)
    limiter.init_app(app)

    api = Api(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    web_security.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(docs_assets.make_blueprint())
    app.register_blueprint(make_blueprint(pwa_directory(app.config["PWA_DIR"])))

    if db.is_embedded():
        app.wsgi_app = db.SerialisedStoreMiddleware(app.wsgi_app)
    return app
