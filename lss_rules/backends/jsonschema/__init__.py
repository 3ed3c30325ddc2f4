"""JSON Schema (draft 2020-12) for one record of one year.

A record is what ``lss-rules convert --to json`` produces from a line: an
object with the year's field names as keys and the values exactly as written
(strings, ``""`` for an empty value).

The schema is derived from the :class:`~lss_rules.language.model.YearModel` by walking
the rule expressions (:mod:`~lss_rules.backends.jsonschema.conditions` translates a condition and a
field's form), nothing is written per rule:

- ``properties``/``required``/``additionalProperties`` give the record's shape;
- ``allOf`` holds one subschema per structural check and rule of severity
  *error* that JSON Schema can express; each carries the id as its ``title``,
  so an error names its rule (:func:`rule_of_error`);
- a rule reads only *known* values, as in the reference evaluator: a value
  with an LSS-S02 or LSS-S03 finding silences every rule that reads it, so
  each rule is an ``if`` (its fields are known and ``when`` holds) ``then``
  (``require``);
- warnings never make a record invalid: they are listed in ``x-lss-warnings``
  (their subschemas live in ``$defs``);
- whatever cannot be expressed (a check digit, a date, a comparison across
  lines or files, an external list) is listed with the reason in
  ``x-lss-rules-not-expressed``; nothing is silently dropped.

The ``x-lss-*`` annotations (year, spec digest, warnings, rules not expressed)
are data, not keywords: they are the ``const`` of ``$defs/lss-annotations``
(:func:`lss_annotations`), a subschema nothing refers to.  An unknown keyword such
as ``x-lss-year`` makes ajv's default strict mode refuse the whole schema; a
``const`` inside ``$defs`` is plain JSON Schema that every validator loads.

>>> from lss_rules.language.load import load_spec
>>> s = to_jsonschema(load_spec().for_year(2023))
>>> [x["rule"] for x in lss_annotations(s)["x-lss-rules-not-expressed"]][:3]
['LSS-S01', 'LSS-S05', 'LSS-R01']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lss_rules.backends.jsonschema.conditions import (
    NOT_DECEASED,
    Schema,
    Translator,
    Unsupported,
    all_of,
    if_then,
    negated,
    props,
)
from lss_rules.backends.output import NotExpressed, Output
from lss_rules.language import model as m
from lss_rules.language import truth

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _tag(ident: str, schema: Schema, comment: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"title": ident}
    if comment:
        out["$comment"] = comment
    if schema is False:
        out["not"] = {}
    elif isinstance(schema, dict):
        if set(schema) & set(out):
            out["allOf"] = [schema]
        else:
            out.update(schema)
    return out


# ----------------------------------------------------------------- checks and rules


def _check_schema(t: Translator, ac: m.ActiveCheck) -> Schema:
    ym = t.ym
    match ac.check.kind:
        case "value_form":
            return {"properties": {f.name: {"anyOf": [{"const": ""}, t.form(f)]} for f in ym.fields}}
        case "required_value":
            parts: list[Schema] = []
            for f in ym.fields:
                if f.always_required:
                    parts.append(props({f.name: {"minLength": 1}}))
                elif f.required_when is not None:
                    cond = [*t.all_base(m.reads(f.required_when)), t.expr(truth.is_true(f.required_when))]
                    parts.append(if_then(cond, props({f.name: {"minLength": 1}})))
            return all_of(parts)
        case "empty_value":
            parts = []
            for f in ym.fields:
                if f.empty_unless is not None:
                    cond = [props({f.name: {"minLength": 1}}), *t.all_base(m.reads(f.empty_unless))]
                    parts.append(if_then(cond, t.expr(truth.is_true(f.empty_unless))))
                if f.differs_from is not None and f.differs_from in t.names:
                    other = f.differs_from
                    guard = [props({f.name: {"minLength": 1}}), t.known_base(f.name), t.known_base(other)]
                    codes = sorted(ym.municipalities) if isinstance(f.type, m.MunicipalityType) else None
                    if codes is None:
                        raise Unsupported(f"{f.name} skiljer sig från {other}: bara för kommunkoder")
                    differs = all_of(
                        [if_then([props({other: {"const": c}})], props({f.name: {"not": {"const": c}}})) for c in codes]
                    )
                    parts.append(if_then(guard, differs))
            return all_of(parts)
        case "field_count":
            raise Unsupported("en post i JSON har alltid årets fält; fel antal fält på en rad rapporterar convert")
        case "empty_file":
            raise Unsupported("gäller hela filen, inte en post")
    raise Unsupported(f"okänd kontroll {ac.check.kind}")  # pragma: no cover


def _rule_schema(t: Translator, ar: m.ActiveRule) -> Schema:
    rule = ar.rule
    if rule.scope == "file":
        raise Unsupported("jämför rader i samma fil (unique)")
    if rule.scope == "national":
        raise Unsupported("jämför filer från flera kommuner")
    if rule.scope == "external":
        raise Unsupported(NOT_DECEASED)
    if ar.unique is not None:
        raise Unsupported("unique jämför flera rader")
    # a finding where `when` is true and `require` false (lss_rules.language.truth): an unknown `require` passes.
    # Where it reads only fields that are always filled in (known, so present), nothing in it is
    # unknown: it reads as a plain two-valued condition, as written.
    require: Schema = True
    if ar.require is not None:
        if all(n in t.names and t.ym.field(n).always_required for n in m.reads(ar.require)):
            require = t.expr(ar.require)
        else:
            require = negated(t.expr(truth.is_false(ar.require)))
    cond = [*t.all_known(ar.reads)]
    if ar.when is not None:
        cond.append(t.expr(truth.is_true(ar.when)))
    return if_then(cond, require)


def _items(ym: m.YearModel) -> Iterator[m.ActiveCheck | m.ActiveRule]:
    yield from ym.checks
    yield from ym.rules


def to_jsonschema(ym: m.YearModel) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one record of the year ``ym``."""
    t = Translator(ym)
    constraints: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    defs: dict[str, Any] = {
        "kommunkod": {
            "title": f"Kommunkod som gäller {ym.year}",
            "enum": sorted(ym.municipalities),
        }
    }
    not_expressed: list[dict[str, str]] = []
    for item in _items(ym):
        try:
            schema = _check_schema(t, item) if isinstance(item, m.ActiveCheck) else _rule_schema(t, item)
        except Unsupported as exc:
            not_expressed.append({"rule": item.id, "reason": str(exc)})
            continue
        tagged = _tag(item.id, schema, item.message)
        if item.severity == "warning":
            defs[f"warning-{item.id}"] = tagged
            warnings.append({"rule": item.id, "severity": "warning", "schema": f"#/$defs/warning-{item.id}"})
            not_expressed.append(
                {"rule": item.id, "reason": "varning: gör inte posten ogiltig; villkoret finns i x-lss-warnings"}
            )
        else:
            constraints.append(tagged)
    order = {ident: i for i, ident in enumerate(ym.spec.ids)}
    not_expressed.sort(key=lambda x: order.get(x["rule"], 0))
    out: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"https://lss-rules.example/schemas/{record_schema_name(ym.spec, ym.year)}",
        "title": f"{ym.spec.register.name.upper()}-registret {ym.year}: en post",
        "description": (
            f"En post i {ym.spec.register.name.upper()}-registrets fil för {ym.year} ({len(ym.fields)} fält, "
            f"referensdatum {ym.reference_date.isoformat()}), som `lss-rules convert --to json` ger den: "
            "fältnamn till värdet som det står på raden, tom sträng för ett tomt värde. Genererad från specifikationen."
        ),
        "type": "object",
        "properties": {f.name: {"type": "string", "title": f.label} for f in ym.fields},
        "required": list(ym.field_names),
        "additionalProperties": False,
        "allOf": constraints,
    }
    defs[ANNOTATIONS] = {
        "$comment": (
            "lss-rules annotations as data (never referred to, never validates anything): the year, the spec's "
            "sha256, the warnings (their subschemas in $defs) and the rules not expressed, with the reason."
        ),
        "const": {
            "x-lss-year": ym.year,
            "x-lss-spec-digest": ym.spec.digest,
            "x-lss-warnings": warnings,
            "x-lss-rules-not-expressed": not_expressed,
        },
    }
    out["$defs"] = defs
    return _typed(out)


_STRING_KEYWORDS = ("pattern", "minLength", "maxLength")


def _typed(node: Any) -> Any:
    """``"type": "string"`` beside every string keyword (ajv's strictTypes asks for it; every value is a string)."""
    if isinstance(node, list):
        return [_typed(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k in ("const", "enum") else _typed(v)) for k, v in node.items()}
    if "type" not in out and any(k in out for k in _STRING_KEYWORDS):
        out = {"type": "string", **out}
    return out


#: The ``$defs`` entry whose ``const`` holds the annotations (:func:`lss_annotations`).
ANNOTATIONS = "lss-annotations"


def lss_annotations(schema: dict[str, Any]) -> dict[str, Any]:
    """``x-lss-year``, ``x-lss-spec-digest``, ``x-lss-warnings`` and ``x-lss-rules-not-expressed`` of a schema."""
    return dict(schema["$defs"][ANNOTATIONS]["const"])


# ----------------------------------------------------------------- reading errors


def record_schema_name(spec: m.Spec, year: int) -> str:
    """The file name of a year's record schema: ``lss-record-2023.schema.json`` (the register's name first)."""
    return f"{spec.register.name}-record-{year}.schema.json"


def rule_of_error(schema: dict[str, Any], error: Any) -> str | None:
    """The rule id of a ``jsonschema`` validation error (the outermost tagged subschema on its path)."""
    node: Any = schema
    for step in error.absolute_schema_path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
        if isinstance(node, dict) and isinstance(node.get("title"), str) and _RULE_ID.fullmatch(node["title"]):
            return str(node["title"])
    return None


_RULE_ID = re.compile(r"LSS-[SR][0-9]{2}")


def expressed(schema: dict[str, Any]) -> tuple[str, ...]:
    """The ids of the rules the schema expresses as constraints."""
    return tuple(s["title"] for s in schema["allOf"])


def violated(schema: dict[str, Any], record: dict[str, str]) -> set[str]:
    """The ids of the expressed rules a record violates (uses the ``jsonschema`` package)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    out: set[str] = set()
    for err in validator.iter_errors(record):
        ident = rule_of_error(schema, err)
        out.add(ident if ident is not None else "shape")
    return out


def emit(ym: m.YearModel) -> Output:
    """The backend interface: the year's record schema, and the rules it cannot express."""
    schema = to_jsonschema(ym)
    left_out = tuple(NotExpressed(x["rule"], x["reason"]) for x in lss_annotations(schema)["x-lss-rules-not-expressed"])
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return Output(((record_schema_name(ym.spec, ym.year), text),), left_out)
