"""The OpenAPI document, as /api/openapi.json serves it, built without a store or secrets.

The PWA's API types (pwa/src/api-schema.d.ts) are generated from it by openapi-typescript:
`npm run --prefix pwa api-types` after a change to a schema; a test fails while they differ.
"""

from __future__ import annotations

import json
from typing import Any


def document() -> dict[str, Any]:
    """The OpenAPI document of the API, as served at /api/openapi.json."""
    from api import create_app
    from api.crypto import generate_key

    app = create_app(
        {
            "TESTING": True,
            "MONGODB_URI": "",
            "MONGODB_DB": "partwise_openapi",
            "ENCRYPTION_KEYS": "k1:" + generate_key(),
            "PASSWORD_HASH_PROFILE": "CHEAPEST",
        }
    )
    return app.test_client().get("/api/openapi.json").get_json()


def text() -> str:
    """The document as JSON text, keys in the order the API gives them."""
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"
