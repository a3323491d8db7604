"""gunicorn settings for the API in production (deploy/Dockerfile's default command).

Every setting can be overridden by GUNICORN_CMD_ARGS or the PARTWISE_* variables below.
"""

import multiprocessing
import os

bind = os.environ.get("PARTWISE_BIND", "0.0.0.0:8000")
# Requests spend their time in MongoDB and in argon2 (CPU): a few processes with threads.
workers = int(os.environ.get("PARTWISE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("PARTWISE_THREADS", 4))
worker_class = "gthread"
timeout = 30
graceful_timeout = 25  # under Kubernetes' default 30 s termination grace period
keepalive = 5
max_requests = 5000  # recycle processes now and then, jittered so they do not all restart
max_requests_jitter = 500

# Behind Caddy or an ingress: trust its X-Forwarded-* headers (set the proxy's address range).
forwarded_allow_ips = os.environ.get("PARTWISE_FORWARDED_ALLOW_IPS", "*")
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# One JSON line per request on stdout; the application's own logs are JSON too.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time":"%(t)s","method":"%(m)s","path":"%(U)s","status":%(s)s,'
    '"bytes":%(B)s,"duration_ms":%(M)s,"remote":"%(h)s"}'
)


def on_starting(server):
    """Before any worker forks: a fresh directory for the metrics of the processes to come,
    then indexes and pending migrations (idempotent)."""
    from api.migrations import migrate_from_environment

    _fresh_metrics_directory()
    for line in migrate_from_environment():
        server.log.info(line)


def _fresh_metrics_directory():
    """The Prometheus client's multiprocess mode needs its directory to exist (the image's /tmp
    is an empty tmpfs or emptyDir), and files left by an earlier run would count twice."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        return
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.remove(os.path.join(path, name))


def child_exit(server, worker):
    """Let the Prometheus client forget a dead process's live gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
