"""The service layer: what the API does with the store, as plain functions the routes call.

A service takes plain values and models, reads and writes the documents, and returns a domain
result (a model, a dataclass) or raises a domain exception defined in its module, whose message is
what the person reads. No Flask, no request, no HTTP status: each resource maps the exceptions to
HTTP in one place. The pure rules they apply (no database) live in `api.domain`.
"""
