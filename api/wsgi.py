"""The WSGI application for gunicorn: `gunicorn api.wsgi:app` (see deploy/gunicorn.conf.py)."""

from api import create_app, logs

# Application log records as JSON lines, like the worker's and gunicorn's access log.
logs.configure()
app = create_app()
