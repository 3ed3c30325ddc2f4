"""The documentation site, generated from the spec (Swedish markdown for mkdocs-material).

:func:`site_files` returns every generated file (path relative to ``docs/`` ->
text): a page per year, per rule and check, per field, the changes year by
year, the JSON report contract, the JSON Schema downloads and the command
reference.  ``docs/hooks.py`` adds them to mkdocs' file collection at build
time, so ``mkdocs build --strict`` needs no manual step; :func:`nav` gives the
navigation of the generated sections.

Examples on the rule pages come from ``lss_rules.generators`` with a fixed
seed (Hypothesis ``find`` derandomized, never ``.example()``), so the pages are
the same on every build and every personnummer is a Skatteverket test number.

Over 500 lines, on purpose for now: the pages share this module's small writers (``plain``, ``code``,
``_table``, ``_spans``) and another helper of the same session edits the report and profile pages here;
the rule page (``_rule_md`` and its history, examples and "Så rättar du") is the part to move out into
its own module once those changes are merged, with the shared writers in a module of their own.
"""

from __future__ import annotations

import html
import importlib
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

from lss_rules.language import model as m
from lss_rules.backends import Output, SpecInputs
from lss_rules.backends.docs.spec_sections import examples_md, md_text, source_md
from lss_rules.backends.jsonschema import expressed, lss_annotations, record_schema_name

SEVERITY_SV = {"error": "fel", "warning": "varning", "none": "gäller inte"}
SCOPE_SV = {
    "record": "en post",
    "file": "en fil (kommunens rader)",
    "national": "alla kommuners filer",
    "external": "en extern lista (dödsregistret)",
}
TYPE_SV = {
    "MunicipalityType": "kommunkod",
    "PersonnummerType": "personnummer",
    "FlagType": "markering",
    "CountType": "antal",
    "EnumType": "kod",
}


# ----------------------------------------------------------------- helpers


def plain(value: object) -> str:
    r"""Spec text as markdown that renders as exactly that text, never as markup.

    Only the generator's own markup is markup: in spec text (titles, messages, interpretations,
    sources, labels, names) ``&``, ``<`` and ``>`` become entities (no ``<script>``, no
    ``<img onerror>``), markdown's inline punctuation is backslash-escaped (no ``[x](javascript:…)``
    link, no ``__import__`` in bold), so is what would start a heading or a list, ``|`` is an entity
    (a table cell stays one cell) and a line break or other unprintable character is a space (a
    title stays one heading).

    >>> print(plain("<b>__x__</b> [a](javascript:b) | c"))
    &lt;b&gt;\_\_x\_\_&lt;/b&gt; \[a\]\(javascript:b) &#124; c
    >>> print(plain("1. - Lista (ingen) med_understreck"))
    1\. - Lista (ingen) med_understreck
    """
    out = []
    chars = str(value)
    for i, c in enumerate(chars):
        if c in _ENTITIES:
            out.append(_ENTITIES[c])
        elif c == "_" and 0 < i < len(chars) - 1 and chars[i - 1].isalnum() and chars[i + 1].isalnum():
            out.append(c)  # inside a word (personlig_assistans_timmar): never emphasis in Python-Markdown
        elif c in _MARKDOWN_PUNCTUATION:
            out.append("\\" + c)
        elif not c.isprintable():
            out.append(" ")
        else:
            out.append(c)
    text = "".join(out)
    text = re.sub(r"\\\]\(", r"\\]\\(", text)  # belt and braces: no `](` even if a `]` slipped through
    return re.sub(r"^(\s*)([-+]|\d+[.)])", lambda mt: mt.group(1) + mt.group(2)[:-1] + "\\" + mt.group(2)[-1], text)


_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
#: Python-Markdown's backslash-escapable characters that can start markup anywhere in a line
_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]#")


def nav_title(value: object) -> str:
    r"""Spec text as a navigation title: one line, and no character HTML could read as markup.

    mkdocs puts a navigation title into the HTML unescaped, and mkdocs-material's ``<title>`` passes
    it through ``striptags``, which turns ``&lt;`` back into ``<`` (``&lt;/title&gt;&lt;script&gt;``
    would end the title and start a script).  So no escaping survives: ``<``, ``>``, ``&`` and the
    quotes are replaced with look-alikes, which no real title uses.

    >>> nav_title('LSS-R01 <b>"x" & y</b>\nZ')
    'LSS-R01 ‹b›”x” ＆ y‹/b› Z'
    """
    text = "".join(c if c.isprintable() else " " for c in str(value))
    return text.translate(_NAV_LOOKALIKES)


_NAV_LOOKALIKES = str.maketrans({"<": "‹", ">": "›", "&": "＆", '"': "”", "'": "’"})


def code(value: object) -> str:
    """Spec text as an inline code span: a fence longer than any run of backticks inside it."""
    body = "".join(c if c.isprintable() else " " for c in str(value))
    longest = max((len(r) for r in _backtick_runs(body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def _backtick_runs(body: str) -> list[str]:
    return re.findall(r"`+", body)


def fenced(lines: Iterable[str], lang: str = "text") -> list[str]:
    """A fenced code block whose fence no line of ``lines`` can close (spec text may hold backticks)."""
    lines = ["".join(c if c.isprintable() else " " for c in line) for line in lines]
    longest = max((len(r) for line in lines for r in _backtick_runs(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{lang}", *lines, fence]


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(head: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = list(head)
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def _years(ys: m.YearSet) -> str:
    parts = []
    for r in ys.ranges:
        if r.last is None:
            parts.append(f"{r.first}–")
        elif r.last == r.first:
            parts.append(str(r.first))
        else:
            parts.append(f"{r.first}–{r.last}")
    return ", ".join(parts)


def _span(first: int, last: int | None) -> str:
    if last is None:
        return f"{first}–"
    return str(first) if first == last else f"{first}–{last}"


def _spans(years: list[int]) -> str:
    if not years:
        return "inga år"
    out: list[tuple[int, int]] = []
    for y in sorted(years):
        if out and out[-1][1] == y - 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return ", ".join(_span(a, b) for a, b in out)


def field_type(f: m.Field) -> str:
    return TYPE_SV.get(type(f.type).__name__, type(f.type).__name__)


def field_domain(f: m.Field) -> str:
    match f.type:
        case m.MunicipalityType(dataset=ds):
            return f"fyra siffror, en kommunkod som gäller det året (datamängden {code(ds)})"
        case m.PersonnummerType():
            return "tolv siffror (ååååmmddnnnc)"
        case m.FlagType():
            return "0 eller 1"
        case m.CountType():
            return "ett heltal större än eller lika med 0, utan tecken och decimaler"
        case m.EnumType(members=members):
            return "; ".join(f"{plain(x.value)} = {plain(x.label)}" for x in members)
    return ""  # pragma: no cover


def rule_page(ident: str) -> str:
    return f"regler/{ident}.md"


def year_page(year: int) -> str:
    return f"ar/{year}.md"


def field_page(name: str) -> str:
    return f"falt/{name}.md"


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


def examples(ym: m.YearModel, ident: str) -> tuple[list[str], list[str]] | None:
    """A violating and a passing example (lines with file headers) for ``ident`` in ``ym``; None if none."""
    try:
        generators = importlib.import_module("lss_rules.generators")
    except ImportError:  # pragma: no cover
        return None
    try:
        passing = _find(generators.records(ym))
        item = ym.spec.item(ident)
        scope = item.scope
        many = (isinstance(item, m.Rule) and item.unique is not None) or scope != "record"
        if many:
            bad = _find(generators.invalid_files(ym, violating=ident, min_size=2, max_size=3, municipalities=2))
        else:
            bad = _find(generators.invalid_records(ym, violating=ident))
    except Exception:
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
            out += [_table(("Fält", *(f"Rad {n}" for n, _ in shown)), rows)]
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
        params = ", ".join(
            f"{plain(n)} = {plain(v)}" if v is not None else f"{plain(n)}: inget värde detta år" for n, v in h.params
        )
        params = params or "inga"
        rows.append(
            (_span(h.first, h.last), SEVERITY_SV.get(h.severity, h.severity), params, plain(h.condition or "–"))
        )
    return _table(("År", "Allvarlighetsgrad", "Parametrar", "Villkor"), rows)


def _rule_md(spec: m.Spec, ident: str, schemas: dict[int, dict[str, Any]]) -> str:
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
    rows = [("Python (referensutvärderaren och den kompilerade validatorn)", _spans(years))]
    rows.append(("JSON Schema (villkor i schemat)", _spans(schema_years)))
    if warning_years:
        rows.append(("JSON Schema (varning i x-lss-warnings)", _spans(warning_years)))
    out += [_table(("Backend", "År"), rows)]
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
    """"Så rättar du" as the spec writes it, the parameters of each year in force filled in (per span of years
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
        when = _span(first, None if end == last else end)
        out.append(f"- **{plain(when)}:** {plain(text)}")
    return [*out, ""]


def _severity(spec: m.Spec, ident: str, year: int) -> str | None:
    sev = _item(spec, ident).severity.at(year)
    return None if sev in (None, "none") else sev


def _message(spec: m.Spec, item: m.Check | m.Rule, year: int) -> str:
    from lss_rules.language.for_year import resolve_text

    return resolve_text(item.message.sv, dict(spec.for_year(year).parameters))


def _year_md(ym: m.YearModel, schema: dict[str, Any], pdf: str | None = None) -> str:
    y = ym.year
    out = [f"# {y}", ""]
    if pdf is not None:
        out += [f"[Årets postbeskrivning och regler som PDF (för utskrift)](../{pdf})", ""]
    if ym.beyond_spec:
        out += [
            f"!!! note\n    {y} ligger efter det sista år som specifikationen beskriver; de senaste reglerna gäller.",
            "",
        ]
    out += [
        _table(
            ("Uppgift", "Värde"),
            [
                ("Referensdatum (mätdatum)", ym.reference_date.isoformat()),
                ("Sista inlämningsdag", ym.deadline.isoformat()),
                ("Antal fält", len(ym.fields)),
                ("Fältavgränsare", code(ym.layout.separator)),
                ("Giltiga kommunkoder", len(ym.municipalities)),
                ("JSON Schema", f"[{record_schema_name(ym.spec, y)}](../schemas/{record_schema_name(ym.spec, y)})"),
            ],
        )
    ]
    out += ["## Postbeskrivning", ""]
    out += [
        _table(
            ("Position", "Fält", "Typ", "Etikett"),
            [
                (i, f"[{plain(f.name)}](../{field_page(f.name)})", field_type(f), plain(f.label))
                for i, f in enumerate(ym.fields, start=1)
            ],
        )
    ]
    if ym.parameters:
        out += ["## Parametrar", "", _table(("Parameter", "Värde"), [(plain(n), plain(v)) for n, v in ym.parameters])]
    out += ["## Regler och kontroller", ""]
    params = dict(ym.parameters)
    rows = []
    for a in ym.active:
        used = _params_of(a)
        rows.append(
            (
                f"[{a.id}](../{rule_page(a.id)})",
                plain(a.check.title.sv if isinstance(a, m.ActiveCheck) else a.rule.title.sv),
                SEVERITY_SV[a.severity],
                ", ".join(f"{plain(n)} = {plain(params.get(n, '–'))}" for n in used) or "–",
            )
        )
    out += [_table(("Id", "Titel", "Allvarlighetsgrad", "Parametrar"), rows)]
    not_expr = ", ".join(x["rule"] for x in lss_annotations(schema)["x-lss-rules-not-expressed"])
    out += [f"Inte uttryckta som villkor i årets JSON Schema: {not_expr}.", ""]
    return "\n".join(out)


def _params_of(a: m.ActiveCheck | m.ActiveRule) -> list[str]:
    if isinstance(a, m.ActiveCheck):
        return []
    names: list[str] = []
    for e in (a.rule.when, a.rule.require):
        if e is not None:
            names += [n.name for n in m.walk(e) if isinstance(n, m.ParamRef) and n.name not in names]
    return names


def _field_md(spec: m.Spec, f: m.Field) -> str:
    from lss_rules.language.history import listed_years

    out = [f"# {plain(f.name)}", "", f"**{plain(f.label)}**", ""]
    if f.label_en:
        out += [f'<p lang="en"><em>{html.escape(f.label_en)}</em></p>', ""]
    groups = [g.name for g in spec.groups if f.name in g.members]
    in_years = [y for y in listed_years(spec) if f.name in spec.for_year(y).field_names]
    rows = [
        ("Typ", field_type(f)),
        ("Värdemängd", field_domain(f)),
        ("Lagrum", plain(f.law or "–")),
        ("Samlas in", _years(f.collected)),
        ("År i filen", _spans(in_years)),
        *(
            [(f"Används i {spec.register.name.upper()}-utjämningen", "ja" if f.equalisation else "nej")]
            if any(x.equalisation for x in spec.fields)
            else []
        ),
        ("Obligatorisk", "ja" if f.always_required else ("nej" if f.optional else "när villkoret gäller")),
        ("Grupper", ", ".join(plain(g) for g in groups) or "–"),
    ]
    from lss_rules.meaning.diff import expr_text

    if f.required_when is not None:
        rows.append(
            (
                f"Krävs när ({_kind_id(spec, 'required_value')})",
                f"{plain(_expr_words(f.required_when, spec))} ({code(expr_text(f.required_when))})",
            )
        )
    if f.empty_unless is not None:
        rows.append(
            (
                f"Tomt utom när ({_kind_id(spec, 'empty_value')})",
                f"{plain(_expr_words(f.empty_unless, spec))} ({code(expr_text(f.empty_unless))})",
            )
        )
    if f.differs_from is not None:
        rows.append((f"Skiljer sig från ({_kind_id(spec, 'empty_value')})", plain(f.differs_from)))
    out += [_table(("Egenskap", "Värde"), rows)]
    if f.note:
        out += ["## Anmärkning", "", plain(f.note), ""]
    if f.interpretation:
        out += ["## Tolkning", "", plain(f.interpretation), ""]
    used = [
        r.id for r in spec.rules if f.name in r.reads() or any(f.name in spec.group(g).members for g in _groups_of(r))
    ]
    if used:
        out += ["## Regler som läser fältet", "", ", ".join(f"[{i}](../{rule_page(i)})" for i in used), ""]
    return "\n".join(out)


def _expr_words(e: m.Expr, spec: m.Spec) -> str:
    from lss_rules.meaning.wording import expr_words

    return expr_words(e, spec)


def _groups_of(r: m.Rule) -> list[str]:
    names: list[str] = []
    for e in (r.when, r.require):
        if e is not None:
            names += [n.name for n in m.walk(e) if isinstance(n, m.GroupRef)]
    if r.unique is not None and r.unique.each_flag_in is not None:
        names.append(r.unique.each_flag_in.name)
    return names


def _changes_md(spec: m.Spec) -> str:
    from lss_rules.meaning.diff import diff_years, render_text
    from lss_rules.language.history import listed_years

    out = ["# Ändringar år för år", "", "Vad som ändras från ett år till nästa (`lss-rules diff A B`).", ""]
    years = list(listed_years(spec))
    for a, b in itertools.pairwise(years):
        d = diff_years(spec, a, b)
        if d.empty:
            continue
        out += [f"## {a} → {b}", "", *_changes_as_lists(render_text(d)), ""]
    return "\n".join(out)


def _inline(text: str) -> str:
    """Release-note text as markdown inline text: nothing in it is markup (:func:`plain`)."""
    return plain(text)


def _changes_as_lists(text: str) -> list[str]:
    """The release notes of ``lss-rules diff`` as headings and lists (no preformatted lines to scroll)."""
    out: list[str] = []
    for line in text.splitlines()[1:]:  # the first line says "Ändringar från A till B": the page's heading does
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 2
        if not stripped:
            continue
        if depth == 0:
            out += [*([""] if out else []), f"### {_inline(stripped)}", ""]
        elif stripped.startswith("- "):
            out.append("    " * (depth - 1) + "- " + _inline(stripped[2:]))
        else:
            out.append("    " * (depth - 1) + "  " + _inline(stripped))
    return out


def _schema_files() -> dict[str, str]:
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


def _contract_md(spec: m.Spec, shipped: dict[str, str], years: list[int], example: str = "") -> str:
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
            out += [_table(("Fält", "Typ", "Krävs", "Beskrivning"), rows)]
        for k, v in props.items():
            items = v.get("items", {}) if isinstance(v, dict) else {}
            sub = items.get("properties") if isinstance(items, dict) else None
            if not sub:
                continue
            sub_req = set(items.get("required", []))
            out += [f"### Varje element i `{k}`", ""]
            out += [
                _table(
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


def _kind_id(spec: m.Spec, kind: str) -> str:
    """The id of the structural check of ``kind`` (``LSS-S03`` for ``required_value``)."""
    return next((c.id for c in spec.checks if c.kind == kind), kind)


def _id_range(ids: Iterable[str]) -> str:
    """``LSS-R01–R24``: the first and the last id (the last without the register's prefix)."""
    listed = list(ids)
    if not listed:
        return "(inga)"
    first, last = listed[0], listed[-1]
    return first if first == last else f"{first}–{last.rsplit('-', 1)[-1]}"


def _index_md(title: str, intro: str, rows: list[tuple[object, ...]], head: tuple[str, ...]) -> str:
    return "\n".join([f"# {title}", "", intro, "", _table(head, rows)])


# ----------------------------------------------------------------- the site


def site_files(
    spec: m.Spec, cli_reference: str | None = None, *, pdfs: Mapping[int, str] | None = None
) -> dict[str, str]:
    """Every generated file of the site: path relative to ``docs/`` -> text.

    ``cli_reference``: the page of the command line's help texts, as its caller renders it
    (:func:`lss_rules.cli.reference.cli_reference_md`); the docs backend does not import the CLI.
    ``pdfs``: year -> path (from the site's root) of the year's printable PDF, which the docs build writes
    beside the pages (``lss_rules.backends.pdf``); each year's page links its own.
    """
    from lss_rules.backends.docs.check_page import checker_files
    from lss_rules.backends.jsonschema import to_jsonschema
    from lss_rules.language.history import listed_years

    years = list(listed_years(spec))
    models = {y: spec.for_year(y) for y in years}
    schemas = {y: to_jsonschema(ym) for y, ym in models.items()}
    files: dict[str, str] = {}
    for y, s in schemas.items():
        files[f"schemas/{record_schema_name(spec, y)}"] = json.dumps(s, ensure_ascii=False, indent=2) + "\n"
    shipped = _schema_files()
    for name, text in shipped.items():
        files[f"schemas/{name}"] = text
    for y in years:
        files[year_page(y)] = _year_md(models[y], schemas[y], pdf=(pdfs or {}).get(y))
    files["ar/index.md"] = _index_md(
        "År",
        "Varje insamlingsår med postbeskrivning, datum och regler.",
        [
            (
                f"[{y}]({y}.md)",
                models[y].reference_date.isoformat(),
                models[y].deadline.isoformat(),
                len(models[y].fields),
                sum(1 for a in models[y].active if a.severity == "error"),
                sum(1 for a in models[y].active if a.severity == "warning"),
            )
            for y in years
        ],
        ("År", "Referensdatum", "Sista inlämningsdag", "Fält", "Fel", "Varningar"),
    )
    for ident in spec.ids:
        files[rule_page(ident)] = _rule_md(spec, ident, schemas)
    files["regler/index.md"] = _index_md(
        "Regler och kontroller",
        f"Strukturkontrollerna {_id_range(c.id for c in spec.checks)} "
        f"och rimlighetskontrollerna {_id_range(r.id for r in spec.rules)}.",
        [
            (
                f"[{i}]({i}.md)",
                plain(_item(spec, i).title.sv),
                SEVERITY_SV.get(_item(spec, i).severity.at(years[-1]) or "none", "gäller inte"),
            )
            for i in spec.ids
        ],
        ("Id", "Titel", f"Allvarlighetsgrad {years[-1]}"),
    )
    for f in spec.fields:
        files[field_page(f.name)] = _field_md(spec, f)
    files["falt/index.md"] = _index_md(
        "Fält",
        "Alla fält som någon gång samlats in, i postbeskrivningens ordning.",
        [
            (
                f"[{plain(f.name)}]({f.name}.md)",
                plain(f.label),
                field_type(f),
                _years(f.collected),
                "ja" if f.equalisation else "nej",
            )
            for f in spec.fields
        ],
        ("Fält", "Etikett", "Typ", "Samlas in", "Utjämning"),
    )
    files["andringar.md"] = _changes_md(spec)
    files["reference/rapport.md"] = _contract_md(spec, shipped, years, example_report(models[years[-1]]))
    files["reference/kommandon.md"] = cli_reference or "# Kommandon\n\nSe `lss-rules --help`.\n"
    files.update(checker_files(spec))  # the page "Granska fil" (backends/checker.py)
    from lss_rules.generators.profile import site_pages  # the default register of the latest year

    files.update(site_pages(spec, years[-1]))
    return files


def nav(spec: m.Spec) -> list[Any]:
    """Navigation entries of the generated sections (mkdocs ``nav`` syntax)."""
    from lss_rules.language.history import listed_years

    return [
        {
            "Regler": [
                "regler/index.md",
                *[{nav_title(f"{i} {_item(spec, i).title.sv}"): rule_page(i)} for i in spec.ids],
            ]
        },
        {"År": ["ar/index.md", *[{str(y): year_page(y)} for y in listed_years(spec)]]},
        {"Fält": ["falt/index.md", *[{f.name: field_page(f.name)} for f in spec.fields]]},
        {"Ändringar år för år": "andringar.md"},
        {"Rapportformat och scheman": "reference/rapport.md"},
        {"Kommandon": "reference/kommandon.md"},
        {"Syntetiska register": "generator/profil.md"},
    ]


def emit(ym: m.YearModel) -> Output:
    """The backend interface: the year's page of the site (every rule is described: nothing left out)."""
    from lss_rules.backends.jsonschema import to_jsonschema

    return Output(((year_page(ym.year), _year_md(ym, to_jsonschema(ym))),))


def emit_spec(spec: m.Spec, inputs: SpecInputs | None = None) -> Output:
    """The spec-wide form of the interface: every generated file of the site, in order (nothing left out)."""
    given = inputs or SpecInputs()
    return Output(tuple(site_files(spec, given.cli_reference, pdfs=dict(given.pdfs)).items()))
