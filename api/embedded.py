"""The embedded mode's own secrets: generated on first start, kept in a local file.

Production never uses this: there every secret comes from the environment (see deploy/).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from api import crypto

DEFAULT_DIR = Path(__file__).resolve().parent.parent / ".partwise"


def data_dir(configured: str = "") -> Path:
    """The directory of the secrets file: DATA_DIR (PARTWISE_DATA_DIR) when set."""
    return Path(configured or DEFAULT_DIR)


def ensure_secrets(directory: Path | None = None) -> tuple[dict[str, str], Path]:
    """Load the embedded secrets, creating any that are missing; returns them and their file."""
    directory = directory or data_dir()
    path = directory / "secrets.json"
    secrets = json.loads(path.read_text()) if path.is_file() else {}
    changed = False
    if not secrets.get("ENCRYPTION_KEYS"):
        secrets["ENCRYPTION_KEYS"] = "k1:" + crypto.generate_key()
        changed = True
    if not secrets.get("VAPID_PRIVATE_KEY"):
        # The key push subscriptions are made with: replacing it silently unsubscribes devices.
        from webpush import generate_keys

        secrets["VAPID_PRIVATE_KEY"] = generate_keys().private_key
        changed = True
    if changed:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        # Owner-only from the first byte: the file holds the keys to the health data.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(secrets, handle, indent=2)
        tmp.replace(path)
    return secrets, path
