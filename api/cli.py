"""The `partwise` command: run the product, seed demo data, manage keys."""

from __future__ import annotations

import signal
import sys

import click


@click.group()
def main() -> None:
    """Partwise: a daily journal for parts work and attachment-based therapy."""


def _settings():
    """The settings the environment gives (read once), or a one-line error naming the variable."""
    from api import config as config_module

    try:
        return config_module.Settings.load()
    except config_module.SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def _embedded_config() -> dict:
    from api import config as config_module
    from api import embedded

    # Configuration given explicitly wins over what the embedded mode made for itself.
    try:
        given = config_module.from_environment()
    except config_module.SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    secrets, path = embedded.ensure_secrets(embedded.data_dir(given.get("DATA_DIR", "")))
    click.echo(f"Embedded mode: secrets are kept in {path} (delete it to start afresh).")
    config = {name: value for name, value in secrets.items() if name not in given}
    for name in sorted(secrets.keys() & given.keys()):
        click.echo(f"Embedded mode: PARTWISE_{name} from the environment is used instead.")
    if "VAPID_SUBJECT" not in given:
        # Push services want a contact for the sender; a local run has none to give.
        config["VAPID_SUBJECT"] = EMBEDDED_VAPID_SUBJECT
    return config


EMBEDDED_VAPID_SUBJECT = "mailto:partwise@localhost"


def _create_app_or_explain(create_app, overrides: dict):
    """The application, or a one-line error when a setting (a key, a number) is unusable."""
    from api.config import SettingsError
    from api.crypto import KeyConfigError
    from webpush import VapidConfigError

    try:
        return create_app(overrides)
    except VapidConfigError as exc:
        hint = " (`partwise generate-vapid-keys` makes one)" if "PRIVATE_KEY" in str(exc) else ""
        raise click.ClickException(f"{exc}{hint}") from None
    except (SettingsError, KeyConfigError) as exc:
        raise click.ClickException(str(exc)) from None


def _start_worker(app):
    """The reminder and digest worker on a background thread of this process."""
    from api import logs
    from api.config import settings_of
    from webpush import VapidConfigError
    from worker import runner

    logs.configure()
    try:
        worker = runner.start_background(settings_of(app))
    except (VapidConfigError, ValueError) as exc:
        raise click.ClickException(f"the worker cannot start: {exc}") from None
    click.echo("Worker: reminders and digests are sent from this process.")
    return worker


def _exit_on_sigterm(_signum, _frame) -> None:
    # waitress stops on SystemExit; the `finally` around it then stops the worker gracefully.
    raise SystemExit(0)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option(
    "--worker/--no-worker",
    "with_worker",
    default=None,
    help="Send reminders and digests from this process (default: in the embedded mode only).",
)
def run(host: str, port: int, threads: int, with_worker: bool | None) -> None:
    """Run the API and the PWA (embedded store with demo data unless MONGODB_URI is set)."""
    from waitress import serve

    from api import create_app, demo

    overrides: dict = {}
    settings = _settings()
    embedded = not settings.mongodb_uri
    if embedded:
        overrides.update(_embedded_config())
    elif not settings.encryption_keys:
        raise click.ClickException(
            "MONGODB_URI is set but PARTWISE_ENCRYPTION_KEYS is not: generate one with "
            "`partwise generate-encryption-key` and keep it safe (it decrypts the journal)."
        )
    app = _create_app_or_explain(create_app, overrides)
    url = f"http://{host}:{port}"
    if embedded:
        with app.app_context():
            logins = demo.seed()
        click.echo("Store: embedded (in memory; everything is re-seeded at each start).")
        click.echo(f"Demo client:    {logins['client']} / {logins['password']}")
        click.echo(f"Demo therapist: {logins['therapist']} / {logins['password']}")
    else:
        click.echo("Store: MongoDB from MONGODB_URI (no demo data seeded).")
    worker = _start_worker(app) if (embedded if with_worker is None else with_worker) else None
    click.echo(f"Partwise is running at {url}  (API docs: {url}/api/docs)")
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        serve(app, host=host, port=port, threads=threads, ident="partwise")
    finally:
        if worker is not None:
            worker.stop()  # stop claiming; sends in flight finish, the rest is given back


@main.command("generate-encryption-key")
@click.option("--kid", default="k1", show_default=True, help="A short name for the key.")
def generate_encryption_key(kid: str) -> None:
    """Print a new key for PARTWISE_ENCRYPTION_KEYS."""
    from api import crypto

    click.echo(f"{kid}:{crypto.generate_key()}")


@main.command("build-digests")
@click.option(
    "--week",
    help="Local ISO week such as 2026-W47 (default: each client's last finished week, in their "
    "own time zone).",
)
def build_digests(week: str | None) -> None:
    """Build every client's digest of a week (idempotent: a second run changes nothing).

    Only for clients in whose time zone the week has ended, and who checked in that week.
    """
    from api import create_app
    from api.digests import build_last_complete_weeks, build_week

    embedded = not _settings().mongodb_uri
    overrides = _embedded_config() if embedded else {}
    if embedded:
        click.echo(
            "MONGODB_URI is not set: building on an empty in-memory store (the one inside "
            "`partwise run` is its own; its worker builds digests there)."
        )
    app = _create_app_or_explain(create_app, overrides)
    with app.app_context():
        if week is None:
            # Not one week for everyone: at this instant UTC+14 may be a week ahead of UTC-11.
            built = build_last_complete_weeks()
        else:
            try:
                built = {week: build_week(week)}
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint="--week") from None
    if not built:
        click.echo("No clients: nothing to build.")
    for key, counts in built.items():
        click.echo(
            f"{key}: {counts.created} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged, {counts.skipped} without check-ins that week, "
            f"{counts.unfinished} for whom it has not ended yet, {counts.removed} removed"
        )


@main.command("generate-vapid-keys")
def generate_vapid_keys() -> None:
    """Print a new VAPID key pair for web push (PARTWISE_VAPID_PRIVATE_KEY)."""
    from webpush import generate_keys

    keys = generate_keys()
    click.echo(f"PARTWISE_VAPID_PRIVATE_KEY={keys.private_key}")
    click.echo(f"# public key, served at /api/v1/push/vapid-public-key: {keys.public_key}")


@main.command("openapi")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write it here (default: stdout)."
)
def openapi(output: str | None) -> None:
    """Print the OpenAPI document (/api/openapi.json) as JSON, without starting anything."""
    from api.openapi import text

    if output:
        with open(output, "w", encoding="utf-8") as file:
            file.write(text())
    else:
        click.echo(text(), nl=False)


@main.command("deliveries-status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def deliveries_status(as_json: bool) -> None:
    """Count reminder and digest deliveries by status (pending, sent, failed, missed, skipped)."""
    import json

    from api import db
    from api.models.delivery import STATUSES, status_counts

    settings = _settings()
    if not settings.mongodb_uri:
        raise click.ClickException(
            "MONGODB_URI is not set: the embedded store lives inside `partwise run`; read "
            "GET /api/v1/ops/deliveries there (with PARTWISE_OPS_TOKEN set)."
        )
    db.connect(settings.mongodb_uri, settings.mongodb_db)
    counts = status_counts()
    if as_json:
        click.echo(json.dumps(counts))
        return
    for status in STATUSES:
        by_kind = ", ".join(f"{kind} {row[status]}" for kind, row in counts["by_kind"].items())
        click.echo(f"{status:<8} {counts[status]:>8}  ({by_kind})")


@main.command("migrate")
def migrate() -> None:
    """Create every collection's indexes and apply pending data migrations (idempotent)."""
    from api import migrations

    if not _settings().mongodb_uri:
        raise click.ClickException(
            "MONGODB_URI is not set: the embedded store is created afresh by `partwise run`."
        )
    for line in migrations.migrate_from_environment():
        click.echo(line)


@main.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt every sensitive field with the first configured key."""
    from api import create_app, rotation

    if not _settings().mongodb_uri:
        # A fresh in-memory store would be "rotated" and report 0: say what is true instead.
        raise click.ClickException(
            "MONGODB_URI is not set: the embedded store lives in memory inside `partwise run` "
            "and starts afresh each time, so there is nothing stored to re-encrypt. Rotate on "
            "the MongoDB that holds the journal: MONGODB_URI=... PARTWISE_ENCRYPTION_KEYS="
            '"k2:NEW,k1:OLD" partwise rotate-keys'
        )
    app = _create_app_or_explain(create_app, {})
    with app.app_context():
        counts = rotation.rotate_all()
    for collection, count in counts.items():
        click.echo(f"{collection}: {count} document(s) re-encrypted")


if __name__ == "__main__":
    main()
