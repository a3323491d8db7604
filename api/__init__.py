"""Partwise API: a Flask + flask-smorest application over MongoDB (mongoengine)."""


def create_app(config=None):
    """Build the Flask application (see `api.app.create_app`)."""
    from api.app import create_app as factory

    return factory(config)
