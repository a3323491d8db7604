"""Every collection the application stores documents in, found from the code itself."""

from __future__ import annotations

import importlib
import pkgutil

import mongoengine
from mongoengine.base.common import _document_registry

import api
import webpush
import worker

#: Modules that start something when imported.
_ENTRY_POINTS = {"wsgi", "__main__"}


def all_collections() -> set[str]:
    """The collection of every document class defined anywhere in api/, worker/ or webpush/."""
    for package in (api, webpush, worker):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if module.name.rsplit(".", 1)[-1] not in _ENTRY_POINTS:
                importlib.import_module(module.name)
    return {
        cls._get_collection_name()
        for cls in _document_registry.values()
        if issubclass(cls, mongoengine.Document) and not cls._meta.get("abstract")
    }
