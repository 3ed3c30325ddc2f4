"""The page of each rule and check: its message, "Så rättar du", conditions, source, history, examples and
where it is implemented (:func:`rule_md`), with the generated examples it shows (:func:`examples`,
:func:`example_tables`).

Examples come from ``lss_rules.generators`` with a fixed seed (Hypothesis ``find`` derandomized, never
``.example()``), so the pages are the same on every build and every personnummer is a Skatteverket test number.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from typing import Any

from lss_rules.backends.docs.markdown import fenced, plain, table, year_span, year_spans
from lss_rules.backends.docs.spec_sections import examples_md, md_text, source_md
from lss_rules.backends.jsonschema import expressed, lss_annotations
from lss_rules.language import model as m

SEVERITY_SV = {"error": "fel", "warning": "varning", "none": "gäller inte"}


SCOPE_SV = {
    "record": "en post",
    "file": "en fil (kommunens rader)",
    "national": "alla kommuners filer",
    "external": "en extern lista (dödsregistret)",
}


def _words(spec: m.Spec, ident: str, year: int) -> str:
    try:
        from lss_rules.meaning.history import item_words
    except ImportError:  # pragma: no cover - words is part of the package
        return ""
    return item_words(spec, ident, year)


def _item(spec: m.Spec, ident: str) -> m.Check | m.Rule:
    return spec.item(ident)


def _last_year(spec: m.Spec) -> int:
    from lss_rules.language.history import listed_years

    return list(listed_years(spec))[-1]


# ----------------------------------------------------------------- examples


def _find(strategy: Any) -> Any:
    from hypothesis import HealthCheck, Phase, find, settings

    return find(
        strategy,
        lambda _: True,
        settings=settings(
            database=None,
            derandomize=True,
            max_examples=50,
            phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        ),
    )


#: The examples found, by what they are found from: the year model (compared by value, so the same spec loaded
#: again finds its examples here) and the rule, or "" for the passing example every rule of the year shares.
#: ``find`` is derandomized, so an example found again would be the same one: a page is the same with or
#: without this; it saves finding the passing example again for every rule (29 of a build's 60 searches, ~3 s)
#: and a second generation of the pages in one process (the docs build's tests) all of its searches.
_found: dict[tuple[m.YearModel, str], Any] = {}
_MAX_FOUND = 512


def _found_once(ym: m.YearModel, ident: str, strategy: Callable[[], Any]) -> Any:
    """The example ``strategy()`` finds, or None when it finds none (which is kept too)."""
    key = (ym, ident)
    if key not in _found:
        if len(_found) >= _MAX_FOUND:
            _found.clear()
        try:
            _found[key] = _find(strategy())
        except Exception:
            _found[key] = None
    return _found[key]


def examples(ym: m.YearModel, ident: str) -> tuple[list[str], list[str]] | None:
    """A violating and a passing example (lines with file headers) for ``ident`` in ``ym``; None if none."""
    try:
        generators = importlib.import_module("lss_rules.generators")
    except ImportError:  # pragma: no cover
        return None
    try:
        passing = _found_once(ym, "", lambda: generators.records(ym))
        item = ym.spec.item(ident)
        scope = item.scope
        many = (isinstance(item, m.Rule) and item.unique is not None) or scope != "record"
        if many:
            bad = _found_once(
                ym,
                ident,
                lambda: generators.invalid_files(ym, violating=ident, min_size=2, max_size=3, municipalities=2),
            )
        else:
            bad = _found_once(ym, ident, lambda: generators.invalid_records(ym, violating=ident))
    except Exception:
        return None
    if passing is None or bad is None:
        return None

    def show(d: Any) -> list[str]:
        out: list[str] = []
        for name, lines in d.files.items():
            out.append(f"# {name}")  # a fenced block (fenced()): plain text whatever it holds
            out += list(lines) if lines else ["(tom fil)"]
        if d.deceased:
            out.append("# avlidna")
            out += [f"{p};{day.isoformat()}" for p, day in d.deceased.items()]
        return out

    return show(bad), show(passing)


def _as_text(lines: list[str]) -> list[str]:
    """The example's lines as they stand in a file, folded away (for the one who writes an export)."""
    return ['??? note "Raderna som text"', "", *("    " + x for x in fenced(lines)), ""]


def example_tables(ym: m.YearModel, ident: str, lines: list[str]) -> list[str]:
    """An example's files as small tables: a column for each field that matters (the municipality, the
    personnummer, the fields the rule reads, every field a finding names), headed by the field's Swedish
    label, the values a finding is about in bold and marked "fel"/"varning"; a line of the wrong length is
    said, and shown as it stands in the folded text below."""
    import datetime as dt

    from lss_rules.meaning.derive import rule_exprs
    from lss_rules.meaning.evaluate import Evaluator

    files: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("# "):
            files.append((line[2:], []))
        elif files:
            files[-1][1].append(line)
    data = [(name, body) for name, body in files if name != "avlidna"]
    dead = dict(x.split(";", 1) for name, body in files if name == "avlidna" for x in body)
    deceased = {pnr: dt.date.fromisoformat(day) for pnr, day in dead.items()} or None
    _, found = Evaluator(ym, deceased).run([body for _, body in data])
    marked: dict[tuple[int, int], dict[str, str]] = {}
    for finding in found:
        if finding.line is not None:
            severity = SEVERITY_SV.get(ym.severity_of(finding.rule) or "error", "fel")
            for name in finding.fields:
                marked.setdefault((finding.file, finding.line), {})[name] = severity
    # who and where: the reporting municipality (the first municipality field) and the personnummer
    first = {
        next((f.name for f in ym.fields if isinstance(f.type, kind)), "")
        for kind in (m.MunicipalityType, m.PersonnummerType)
    }
    active = [a for a in ym.active if a.id == ident]
    read = {name for a in active for e in rule_exprs(a) for name in m.reads(e)}
    wanted = first | read | {name for fields in marked.values() for name in fields}
    columns = [f for f in ym.fields if f.name in wanted]
    out: list[str] = []
    for fi, (name, body) in enumerate(data):
        out += [f"Fil {md_text(name)}:", ""]
        if not body:
            out += ["(tom fil)", ""]
            continue
        # a row per field and a column per line: a few columns, never wider than a phone
        shown: list[tuple[int, dict[str, str]]] = []
        odd = []
        for n, line in enumerate(body, start=1):
            values = line.split(ym.layout.separator)
            if len(values) != len(ym.fields):
                odd.append(f"Rad {n} har {len(values)} fält i stället för {len(ym.fields)} (raden som text nedan)")
            else:
                shown.append((n, dict(zip(ym.field_names, values, strict=True))))
        rows = []
        for f in columns:
            cells = [plain(f.label)]
            for n, by_name in shown:
                said = marked.get((fi, n), {}).get(f.name)
                value = md_text(by_name[f.name] or "(tomt)")
                cells.append(f"**{value}** ({said})" if said else value)
            rows.append(cells)
        if shown:
            out += [table(("Fält", *(f"Rad {n}" for n, _ in shown)), rows)]
        out += [f"{x}." for x in odd] + ([""] if odd else [])
    if dead:
        said = ", ".join(f"{md_text(pnr)} (död {md_text(day)})" for pnr, day in dead.items())
        out += [f"Utdrag ur dödsregistret: {said}.", ""]
    return out


# ----------------------------------------------------------------- pages


def _history_table(spec: m.Spec, ident: str) -> str:
    try:
        from lss_rules.meaning.history import history
    except ImportError:  # pragma: no cover
        return ""
    rows = []
    for h in history(spec, ident):
        one_year = h.last == h.first
        none = "inget värde detta år" if one_year else "inget värde dessa år"
        params = "; ".join(parameter_said(spec.parameter(n), v, none) for n, v in h.params) or "inga"
        rows.append(
            (year_span(h.first, h.last), SEVERITY_SV.get(h.severity, h.severity), params, plain(h.condition or "–"))
        )
    return table(("År", "Allvarlighetsgrad", "Parametrar", "Villkor"), rows)


def parameter_said(p: m.Parameter, value: int | None, none: str = "inget värde detta år") -> str:
    """A parameter as a reader understands it: its label and the value in words ("Högsta antal timmar personlig
    assistans per månad: 744 timmar per månad"), never its identifier."""
    return f"{plain(p.label)}: {none if value is None else parameter_value(p, value)}"


def parameter_value(p: m.Parameter, value: int) -> str:
    """A parameter's value with its unit, as Markdown text ("744 timmar per månad")."""
    return plain(f"{value} {p.unit}" if p.unit else str(value))


def rule_md(spec: m.Spec, ident: str, schemas: dict[int, dict[str, Any]]) -> str:
    item = _item(spec, ident)
    years = [y for y, s in schemas.items() if lss_annotations(s)["x-lss-year"] == y and _severity(spec, ident, y)]
    latest = max(years) if years else _last_year(spec)
    out = [f"# {ident} — {plain(item.title.sv)}", ""]
    if item.title.en:
        out += [f'<p lang="en"><em>{html.escape(item.title.en)}</em></p>', ""]
    out += [f"**Meddelande:** {plain(_message(spec, item, latest))}", ""]
    out += _fix_md(spec, item, years or [latest])
    scope = item.scope
    kind = "Strukturkontroll" if isinstance(item, m.Check) else "Rimlighetskontroll"
    out += [f"**Typ:** {kind}, gäller {SCOPE_SV.get(scope, scope)}.", ""]
    out += ["## Villkor", "", f"Så som {ident} gäller {latest}, det senaste året på den här webbplatsen:", ""]
    out += [plain(_words(spec, ident, latest)), ""]
    out += source_md(spec, ident)
    out += ["## Historik", "", _history_table(spec, ident)]
    if item.source:
        out += ["## Källa", "", ", ".join(plain(x) for x in item.source), ""]
    if item.interpretation:
        out += ["## Tolkning", "", plain(item.interpretation), ""]
    if item.note:
        out += ["## Anmärkning", "", plain(item.note), ""]
    ex = examples(spec.for_year(latest), ident) if years else None
    out += ["## Exempel", ""]
    if ex is None:
        out += [f"Inget genererat exempel för {latest}.", ""]
    else:
        bad, good = ex
        ym = spec.for_year(latest)
        out += [f"Rader som bryter mot {ident} år {latest}:", "", *example_tables(ym, ident, bad), ""]
        out += _as_text(bad)
        out += [f"Rader utan fynd år {latest}:", "", *example_tables(ym, ident, good), ""]
        out += _as_text(good)
    out += examples_md(spec, ident)
    schema_years = [y for y, s in schemas.items() if ident in expressed(s) and _severity(spec, ident, y)]
    warning_years = [
        y for y, s in schemas.items() if any(w["rule"] == ident for w in lss_annotations(s)["x-lss-warnings"])
    ]
    out += ["## Genomförande", ""]
    rows = [("Python (referensutvärderaren och den kompilerade validatorn)", year_spans(years))]
    rows.append(("JSON Schema (villkor i schemat)", year_spans(schema_years)))
    if warning_years:
        rows.append(("JSON Schema (varning i x-lss-warnings)", year_spans(warning_years)))
    out += [table(("Backend", "År"), rows)]
    reasons = sorted(
        {
            x["reason"]
            for s in schemas.values()
            for x in lss_annotations(s)["x-lss-rules-not-expressed"]
            if x["rule"] == ident
        }
    )
    if reasons:
        out += ["Inte uttryckt i JSON Schema: " + "; ".join(plain(r) for r in reasons) + ".", ""]
    return "\n".join(out)


def _fix_md(spec: m.Spec, item: m.Check | m.Rule, years: list[int]) -> list[str]:
    """ "Så rättar du" as the spec writes it, the parameters of each year in force filled in (per span of years
    where the filled-in text differs, the latest first)."""
    from lss_rules.language.for_year import resolve_text

    if not item.fix:
        return []
    spans: list[tuple[int, int, str]] = []
    for y in sorted(years):
        text = resolve_text(item.fix, dict(spec.for_year(y).parameters))
        if spans and spans[-1][2] == text:
            spans[-1] = (spans[-1][0], y, text)
        else:
            spans.append((y, y, text))
    out = ["## Så rättar du", ""]
    if len(spans) == 1:
        return [*out, plain(spans[0][2]), ""]
    last = max(years)
    for first, end, text in reversed(spans):
        when = year_span(first, None if end == last else end)
        out.append(f"- **{plain(when)}:** {plain(text)}")
    return [*out, ""]


def _severity(spec: m.Spec, ident: str, year: int) -> str | None:
    sev = _item(spec, ident).severity.at(year)
    return None if sev in (None, "none") else sev


def _message(spec: m.Spec, item: m.Check | m.Rule, year: int) -> str:
    from lss_rules.language.for_year import resolve_text

    return resolve_text(item.message.sv, dict(spec.for_year(year).parameters))
