"""The JSON Schema checks of the tests, each done once for the same schema.

``validate`` is ``jsonschema.validate`` with the schema checked against its metaschema once a process, not on
every call: ``jsonschema.validate(instance, schema)`` checks ``schema`` against the 2020-12 metaschema each
time (about 60 ms for the report's schema: ``$dynamicRef`` is slow in the pure-Python library) before it
validates the instance, and the tests validate hundreds of reports against the same few schemas.  The check
runs the first time a schema is met (raising ``SchemaError`` as ``jsonschema.validate`` does) and its
validator is kept; an invalid instance raises the same ``ValidationError``, the best match among its errors.

``metaschema_check`` (the ``check_schema`` fixture) is ``check_schema`` once a test run for each content.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

_validators: dict[str, Any] = {}


def validate(instance: Any, schema: dict[str, Any], cls: Any = None) -> None:
    """As ``jsonschema.validate(instance, schema, cls)``."""
    key = json.dumps(schema, sort_keys=True)
    validator = _validators.get(key)
    if validator is None:
        kind = cls or jsonschema.validators.validator_for(schema)
        kind.check_schema(schema)
        validator = _validators[key] = kind(schema)
    error = best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def metaschema_check(folder: Path) -> Callable[[dict[str, Any]], None]:
    """``Draft202012Validator.check_schema``, run once a test run for each schema's content: a schema that
    passed is recorded by its digest in ``folder`` (the run's, which both pytest-xdist workers share).

    The 27 years' record schemas are checked as the backend makes them (tests/backends/jsonschema) and again
    as the site holds them (tests/docs/test_site.py), ~0.5 s each; the same content is checked once.  A schema
    whose content was not checked in this run is checked, whoever asks.
    """
    folder.mkdir(parents=True, exist_ok=True)

    def check(schema: dict[str, Any]) -> None:
        text = json.dumps(schema, sort_keys=True, ensure_ascii=False)
        passed = folder / (hashlib.sha256(text.encode("utf-8")).hexdigest() + ".passed")
        if passed.exists():
            return
        jsonschema.Draft202012Validator.check_schema(schema)
        passed.touch()

    return check
