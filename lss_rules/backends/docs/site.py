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

The rule pages are :mod:`lss_rules.backends.docs.rule_pages`, the report format's page
:mod:`lss_rules.backends.docs.report_page`, the Markdown writers every page uses
:mod:`lss_rules.backends.docs.markdown`; this module makes the other pages and assembles the site.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Iterable, Mapping
from typing import Any

from lss_rules.backends.docs.markdown import code, nav_title, plain, table, year_set, year_spans
from lss_rules.backends.docs.report_page import contract_md, example_report, schema_files
from lss_rules.backends.docs.rule_pages import SEVERITY_SV, parameter_said, parameter_value, rule_md
from lss_rules.backends.jsonschema import lss_annotations, record_schema_name
from lss_rules.backends.output import Output, SpecInputs
from lss_rules.language import model as m

TYPE_SV = {
    "MunicipalityType": "kommunkod",
    "PersonnummerType": "personnummer",
    "FlagType": "markering",
    "CountType": "antal",
    "EnumType": "kod",
}


# ----------------------------------------------------------------- helpers


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


# ----------------------------------------------------------------- pages


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
        table(
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
        table(
            ("Position", "Fält", "Typ", "Etikett"),
            [
                (i, f"[{plain(f.name)}](../{field_page(f.name)})", field_type(f), plain(f.label))
                for i, f in enumerate(ym.fields, start=1)
            ],
        )
    ]
    if ym.parameters:
        rows_p = [(plain(p.label), parameter_value(p, v)) for p, v in _parameters(ym)]
        out += ["## Parametrar", "", table(("Parameter", "Värde"), rows_p)]
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
                "; ".join(parameter_said(ym.spec.parameter(n), params.get(n)) for n in used) or "–",
            )
        )
    out += [table(("Id", "Titel", "Allvarlighetsgrad", "Parametrar"), rows)]
    not_expr = ", ".join(x["rule"] for x in lss_annotations(schema)["x-lss-rules-not-expressed"])
    out += [f"Inte uttryckta som villkor i årets JSON Schema: {not_expr}.", ""]
    return "\n".join(out)


def _parameters(ym: m.YearModel) -> list[tuple[m.Parameter, int]]:
    """The year's parameters and their values (a reader knows them by their labels)."""
    return [(ym.spec.parameter(n), v) for n, v in ym.parameters]


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
        ("Samlas in", year_set(f.collected)),
        ("År i filen", year_spans(in_years)),
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
    out += [table(("Egenskap", "Värde"), rows)]
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
    from lss_rules.language.history import listed_years
    from lss_rules.meaning.diff import diff_years
    from lss_rules.meaning.release_notes import render_text

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
    return "\n".join([f"# {title}", "", intro, "", table(head, rows)])


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
    shipped = schema_files()
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
        files[rule_page(ident)] = rule_md(spec, ident, schemas)
    files["regler/index.md"] = _index_md(
        "Regler och kontroller",
        f"Strukturkontrollerna {_id_range(c.id for c in spec.checks)} "
        f"och rimlighetskontrollerna {_id_range(r.id for r in spec.rules)}.",
        [
            (
                f"[{i}]({i}.md)",
                plain(spec.item(i).title.sv),
                SEVERITY_SV.get(spec.item(i).severity.at(years[-1]) or "none", "gäller inte"),
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
                year_set(f.collected),
                "ja" if f.equalisation else "nej",
            )
            for f in spec.fields
        ],
        ("Fält", "Etikett", "Typ", "Samlas in", "Utjämning"),
    )
    files["andringar.md"] = _changes_md(spec)
    files["reference/rapport.md"] = contract_md(spec, shipped, years, example_report(models[years[-1]]))
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
                *[{nav_title(f"{i} {spec.item(i).title.sv}"): rule_page(i)} for i in spec.ids],
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
