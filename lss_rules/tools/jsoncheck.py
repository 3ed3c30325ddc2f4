"""A linear check of untrusted JSON against the package's own JSON Schemas, stopping at the first failure.

A downloaded conformance suite is checked against ``lss_rules/schemas/suite-*.schema.json`` before
anything in it is used.  python-jsonschema reports every error, and its ``uniqueItems`` compares every
pair of a list it cannot sort: a 218 KB manifest whose ``files`` mixed numbers and strings took 72 s
before "broken suite" (issue 22).  This module reads the same schema files and checks the keywords they
use in one pass over the document, each node's type and size before what it holds (``maxItems`` before
the items, the items before ``uniqueItems``, which hashes instead of comparing pairs), and stops at the
first failure: time linear in the document, whatever it holds.

Where python-jsonschema is lax it is strict, as JSON Schema means it: ``$`` at the end of a pattern
is the end of the string (ECMA-262; Python's ``$`` also matches before a final newline), an
``integer`` is an integer (not ``2023.0``), ``true`` is not ``1``.  A schema keyword it does not know
is an error when the schema is loaded, never silently skipped.
``tests/conformance/test_jsoncheck.py`` checks it against python-jsonschema on drawn documents.

>>> schema = {"type": "array", "maxItems": 3, "uniqueItems": True, "items": {"type": "string"}}
>>> first_problem(["a", 1], schema)
Problem(path=(1,), keyword='type', expected='string')
>>> first_problem(list(range(10**6)), schema).keyword
'maxItems'
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

#: The keywords checked; annotations are read past.
CHECKED = (
    "type",
    "const",
    "enum",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "maxItems",
    "required",
    "properties",
    "items",
    "uniqueItems",
    "$ref",
)
ANNOTATIONS = ("$schema", "$id", "$defs", "title", "description")


@dataclass(frozen=True)
class Problem:
    """The first failure: where (keys and indexes from the root), which keyword, what the schema says."""

    path: tuple[str | int, ...]
    keyword: str
    expected: Any


class _Fail(Exception):
    def __init__(self, keyword: str, expected: Any) -> None:
        self.keyword, self.expected = keyword, expected
        self.path: list[str | int] = []


class SchemaError(ValueError):
    """A schema that uses a keyword this module does not check."""


def first_problem(doc: Any, schema: Mapping[str, Any]) -> Problem | None:
    """The first place where ``doc`` breaks ``schema``, or None (RecursionError for a document too deep)."""
    checker = _Checker(schema)
    try:
        checker.check(doc, schema)
    except _Fail as fail:
        return Problem(tuple(reversed(fail.path)), fail.keyword, fail.expected)
    return None


class _Checker:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.patterns: dict[str, re.Pattern[str]] = {}
        self.refs: dict[str, Mapping[str, Any]] = {}
        _known(root)

    def check(self, doc: Any, schema: Mapping[str, Any]) -> None:
        if "$ref" in schema:
            self.check(doc, self._ref(schema["$ref"]))
        if "type" in schema and not _is_type(doc, schema["type"]):
            raise _Fail("type", schema["type"])
        if "const" in schema and not _equal(doc, schema["const"]):
            raise _Fail("const", schema["const"])
        if "enum" in schema and not any(_equal(doc, v) for v in schema["enum"]):
            raise _Fail("enum", schema["enum"])
        if isinstance(doc, str):
            self._string(doc, schema)
        elif _is_number(doc):
            if "minimum" in schema and doc < schema["minimum"]:
                raise _Fail("minimum", schema["minimum"])
            if "maximum" in schema and doc > schema["maximum"]:
                raise _Fail("maximum", schema["maximum"])
        elif isinstance(doc, list):
            self._array(doc, schema)
        elif isinstance(doc, dict):
            self._object(doc, schema)

    def _string(self, doc: str, schema: Mapping[str, Any]) -> None:
        if "maxLength" in schema and len(doc) > schema["maxLength"]:
            raise _Fail("maxLength", schema["maxLength"])
        if "pattern" in schema and not self._pattern(schema["pattern"]).search(doc):
            raise _Fail("pattern", schema["pattern"])

    def _array(self, doc: list[Any], schema: Mapping[str, Any]) -> None:
        if "maxItems" in schema and len(doc) > schema["maxItems"]:
            raise _Fail("maxItems", schema["maxItems"])
        if "items" in schema:
            for i, item in enumerate(doc):
                try:
                    self.check(item, schema["items"])
                except _Fail as fail:
                    fail.path.append(i)
                    raise
        if schema.get("uniqueItems"):
            seen: set[Hashable] = set()
            for i, item in enumerate(doc):
                key = _key(item)
                if key in seen:
                    twice = _Fail("uniqueItems", True)
                    twice.path.append(i)
                    raise twice
                seen.add(key)

    def _object(self, doc: dict[str, Any], schema: Mapping[str, Any]) -> None:
        for name in schema.get("required", ()):
            if name not in doc:
                raise _Fail("required", name)
        for name, sub in schema.get("properties", {}).items():
            if name in doc:
                try:
                    self.check(doc[name], sub)
                except _Fail as fail:
                    fail.path.append(name)
                    raise

    def _ref(self, ref: str) -> Mapping[str, Any]:
        node: Any = self.refs.get(ref)
        if node is None:
            if not ref.startswith("#/"):
                raise SchemaError(f"$ref {ref}: bara referenser inom schemat")
            node = self.root
            for part in ref[2:].split("/"):
                node = node[part]
            self.refs[ref] = node
        return node

    def _pattern(self, pattern: str) -> re.Pattern[str]:
        found = self.patterns.get(pattern)
        if found is None:
            # ECMA-262: a final $ is the end of the string; Python's $ also matches before a final newline
            body = pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
            found = self.patterns[pattern] = re.compile(body)
        return found


def _known(schema: Any) -> None:
    """SchemaError when a (sub)schema uses a keyword that is neither checked nor an annotation."""
    if not isinstance(schema, Mapping):
        raise SchemaError(f"inget schema: {schema!r}")
    for keyword, value in schema.items():
        if keyword not in CHECKED and keyword not in ANNOTATIONS:
            raise SchemaError(f"nyckelordet {keyword} kontrolleras inte")
        if keyword in ("$defs", "properties"):
            for sub in value.values():
                _known(sub)
        elif keyword == "items":
            _known(value)


def _is_number(doc: Any) -> bool:
    return isinstance(doc, int | float) and not isinstance(doc, bool)


_TYPES = {
    "object": lambda d: isinstance(d, dict),
    "array": lambda d: isinstance(d, list),
    "string": lambda d: isinstance(d, str),
    "integer": lambda d: isinstance(d, int) and not isinstance(d, bool),
    "number": _is_number,
    "boolean": lambda d: isinstance(d, bool),
    "null": lambda d: d is None,
}


def _is_type(doc: Any, expected: str | list[str]) -> bool:
    names = [expected] if isinstance(expected, str) else expected
    return any(_TYPES[n](doc) for n in names)


def _key(doc: Any) -> Hashable:
    """A value to hash that is equal exactly when the JSON values are (1 and 1.0 are, true and 1 are not)."""
    if isinstance(doc, bool):
        return ("bool", doc)
    if _is_number(doc):
        return ("number", doc)
    if isinstance(doc, str):
        return ("string", doc)
    if doc is None:
        return ("null",)
    if isinstance(doc, list):
        return ("array", tuple(_key(d) for d in doc))
    return ("object", frozenset((k, _key(v)) for k, v in doc.items()))


def _equal(a: Any, b: Any) -> bool:
    return _key(a) == _key(b)
