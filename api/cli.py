"""The `partwise` command: run the product, seed demo data, manage keys."""

from __future__ import annotations

import os
import sys

import click


@click.group()
def main() -> None:
    """Partwise: a daily journal for parts work and attachment-based therapy."""


def _embedded_config() -> dict:
    from api import embedded

    secrets, path = embedded.ensure_secrets()
    click.echo(f"Embedded mode: secrets are kept in {path} (delete it to start afresh).")
    return secrets


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def run(host: str, port: int, threads: int) -> None:
    """Run the API and the PWA (embedded store with demo data unless MONGODB_URI is set)."""
    from waitress import serve

    from api import create_app, demo

    overrides: dict = {}
    embedded = not os.environ.get("MONGODB_URI")
    if embedded:
        overrides.update(_embedded_config())
    elif not os.environ.get("PARTWISE_ENCRYPTION_KEYS"):
        raise click.ClickException(
            "MONGODB_URI is set but PARTWISE_ENCRYPTION_KEYS is not: generate one with "
            "`partwise generate-encryption-key` and keep it safe (it decrypts the journal)."
        )
    app = create_app(overrides)
    url = f"http://{host}:{port}"
    if embedded:
        with app.app_context():
            logins = demo.seed()
        click.echo("Store: embedded (in memory; everything is re-seeded at each start).")
        click.echo(f"Demo client:    {logins['client']} / {logins['password']}")
        click.echo(f"Demo therapist: {logins['therapist']} / {logins['password']}")
    else:
        click.echo("Store: MongoDB from MONGODB_URI (no demo data seeded).")
    click.echo(f"Partwise is running at {url}  (API docs: {url}/api/docs)")
    sys.stdout.flush()
    serve(app, host=host, port=port, threads=threads, ident="partwise")


@main.command("generate-encryption-key")
@click.option("--kid", default="k1", show_default=True, help="A short name for the key.")
def generate_encryption_key(kid: str) -> None:
    """Print a new key for PARTWISE_ENCRYPTION_KEYS."""
    from api import crypto

    click.echo(f"{kid}:{crypto.generate_key()}")


@main.command("build-digests")
@click.option("--week", help="Local ISO week such as 2026-W47 (default: the last finished week).")
def build_digests(week: str | None) -> None:
    """Build every client's digest of a week (idempotent: a second run changes nothing)."""
    import datetime as dt

    from api import create_app
    from api.digests import build_week, last_complete_week

    overrides = {} if os.environ.get("MONGODB_URI") else _embedded_config()
    week = week or last_complete_week(dt.datetime.now(dt.UTC).date())
    app = create_app(overrides)
    with app.app_context():
        try:
            counts = build_week(week)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--week") from None
    click.echo(
        f"{week}: {counts.created} created, {counts.updated} updated, "
        f"{counts.unchanged} unchanged, {counts.skipped} without check-ins that week"
    )


@main.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt every sensitive field with the first configured key."""
    from api import create_app, rotation

    overrides = {} if os.environ.get("MONGODB_URI") else _embedded_config()
    app = create_app(overrides)
    with app.app_context():
        counts = rotation.rotate_all()
    for collection, count in counts.items():
        click.echo(f"{collection}: {count} document(s) re-encrypted")


if __name__ == "__main__":
    main()
