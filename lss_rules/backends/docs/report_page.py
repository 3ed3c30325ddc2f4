"""The page "Rapportformat och scheman": the JSON report's contract as tables from its schema, an example
report of the reference evaluator on generated lines, and the downloads (the shipped schemas, each year's
record schema).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from lss_rules.backends.docs.markdown import fenced, table
from lss_rules.backends.docs.rule_pages import examples
from lss_rules.backends.jsonschema import record_schema_name
from lss_rules.language import model as m


def schema_files() -> dict[str, str]:
    """The JSON schemas shipped with the package (report contract, diff)."""
    out: dict[str, str] = {}
    base = resources.files("lss_rules") / "schemas"
    if not base.is_dir():
        return out
    for entry in sorted(base.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            out[entry.name] = entry.read_text(encoding="utf-8")
    return out


def example_report(ym: m.YearModel) -> str:
    """A report of the reference evaluator on generated lines: a passing one and one breaking a rule.

    The rule is the year's first record rule with a ``when`` for which lines can be derived.
    """
    import tempfile
    from pathlib import Path

    from lss_rules.meaning.evaluate import evaluate_files

    candidates = [a.id for a in ym.rules if a.rule.scope == "record" and a.when is not None and a.require is not None]
    ex = next((found for found in (examples(ym, i) for i in candidates) if found is not None), None)
    if ex is None:
        return ""
    name = f"{min(ym.municipalities, default='fil')}.txt"
    bad, good = ex
    lines = [x for x in good if not x.startswith("#")] + [x for x in bad if not x.startswith("#")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = evaluate_files(ym, [str(path)], None)
        text = json.dumps(report, ensure_ascii=False, indent=2).replace(json.dumps(str(path))[1:-1], name)
    return text + "\n"


def contract_md(spec: m.Spec, shipped: dict[str, str], years: list[int], example: str = "") -> str:
    out = ["# Rapportformat och scheman", ""]
    report = shipped.get("report.schema.json")
    if report is None:
        out += ["!!! warning\n    Rapportens JSON Schema (`report.schema.json`) finns inte i paketet ännu.", ""]
    else:
        doc = json.loads(report)
        out += [
            "## Rapporten",  # a heading before the elements' ### ones: no level skipped (WCAG 1.3.1)
            "",
            "`lss-rules validate --format json` och de kompilerade validerarna skriver en rapport enligt "
            "[report.schema.json](../schemas/report.schema.json).",
            "",
        ]
        # the schema's descriptions are English: marked so (a screen reader reads them with English rules; the
        # Nu Html Checker took the page for English)
        if doc.get("description"):
            out += [_english(doc["description"]), ""]
        props = doc.get("properties", {})
        req = set(doc.get("required", []))
        rows = [
            (f"`{k}`", _jtype(v), "ja" if k in req else "nej", _english(v.get("description", "")))
            for k, v in props.items()
        ]
        if rows:
            out += [table(("Fält", "Typ", "Krävs", "Beskrivning"), rows)]
        for k, v in props.items():
            items = v.get("items", {}) if isinstance(v, dict) else {}
            sub = items.get("properties") if isinstance(items, dict) else None
            if not sub:
                continue
            sub_req = set(items.get("required", []))
            out += [f"### Varje element i `{k}`", ""]
            out += [
                table(
                    ("Fält", "Typ", "Krävs", "Beskrivning"),
                    [
                        (f"`{n}`", _jtype(d), "ja" if n in sub_req else "nej", _english(d.get("description", "")))
                        for n, d in sub.items()
                    ],
                )
            ]
        out += ['??? example "report.schema.json"', "", "    ```json"]
        out += ["    " + line for line in report.rstrip("\n").splitlines()]
        out += ["    ```", ""]
    if example:
        out += [
            "## Exempel",
            "",
            "Rapporten (`lss-rules validate --format json`) för en fil med en rad utan fynd och en rad med ett fel:",
            "",
            *fenced(example.rstrip("\n").split("\n"), "json"),
            "",
        ]
    out += ["## Nedladdning", ""]
    for name in shipped:
        out += [f"- [{name}](../schemas/{name})"]
    out += ["", "## JSON Schema för en post, per år", ""]
    out += [
        "Schemat beskriver en post som `lss-rules convert --to json` ger den. Varje regel som kan uttryckas "
        "har sitt id i `title`; varningar står i `x-lss-warnings` och det som inte kan uttryckas i "
        "`x-lss-rules-not-expressed`, båda som data i `$defs/lss-annotations` (`const`), så att schemat "
        "laddas i ajv:s strikta standardläge. Samma fil ger `lss-rules schema --year ÅR`.",
        "",
    ]
    out += [f"- [{y}](../schemas/{record_schema_name(spec, y)})" for y in years]
    return "\n".join(out) + "\n"


def _english(text: str) -> str:
    return f'<span lang="en">{text}</span>' if text else ""


def _jtype(v: dict[str, Any]) -> str:
    if "enum" in v:
        return "en av " + ", ".join(f"`{x}`" for x in v["enum"])
    t = v.get("type")
    if isinstance(t, list):
        return " eller ".join(t)
    return str(t or ("$ref" if "$ref" in v else "–"))
