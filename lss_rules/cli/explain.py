"""``lss-rules explain RULE --year Y``: one rule or check as it stands in one year, and its history."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "explain",
        help="förklara en regel eller kontroll ett visst år",
        description="Visa en regel eller strukturkontroll som den gäller ett år: allvarlighetsgrad, meddelande, "
        "villkoret i ord med årets parametrar, fält som läses, källa, tolkning och historik över åren. "
        "Med --line FIL:RAD förklaras regeln på en rad i en fil: om den ger ett fynd där, och varför "
        "(varje del av villkoret med sitt värde på raden). "
        "Avslutningskod 0 klart, 2 okänt id eller år, eller en fil eller rad som inte kan läsas.",
    )
    p.add_argument("rule", metavar="RULE", help="regelns id, t.ex. LSS-R04")
    p.add_argument("--year", type=int, required=True, help="året att förklara")
    p.add_argument(
        "--line",
        nargs="+",
        metavar=("FIL:RAD", "FIL"),
        help="förklara regeln på rad RAD i filen FIL (t.ex. --line 0114.txt:12); filerna efter den är de andra "
        "kommunernas (LSS-R09:s nationella granskning). Som validate med den installerade specifikationen, "
        "om inte --spec anges",
    )
    p.add_argument("--deceased", metavar="FIL", help="med --line: utdrag ur dödsregistret (för LSS-R02)")
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="med --line: text, eller json med spårningen som trace-objektet i validate --explain (standard: text)",
    )
    p.add_argument(
        "--show-personnummer",
        action="store_true",
        help="med --line: visa personnummer i klartext (standard: maskerade)",
    )
    p.add_argument("--lang", choices=("sv", "en"), default="sv", help="språk (standard: sv)")
    add_spec_argument(p, working_copy=True)
    p.set_defaults(func=run)


_L: dict[str, dict[str, Any]] = {
    "sv": {
        "severity": "Allvarlighetsgrad",
        "not_applicable": "gäller inte detta år",
        "message": "Meddelande",
        "fix": "Så rättar du",
        "scope": "Omfattning",
        "condition": "Villkor",
        "reads": "Fält som läses",
        "source": "Källa",
        "interpretation": "Tolkning",
        "note": "Anmärkning",
        "history": "Historik",
        "years": "År",
        "params": "Parametrar",
        "error": "fel",
        "warning": "varning",
        "none": "ingen (kontrolleras inte)",
        "beyond": "(inga ändringar efter {y} är kända; reglerna från {y} gäller)",
        "why_none": "allvarlighetsgraden är `none` {y} i specifikationen",
        "why_fields": "fält som regeln läser samlas inte in {y}: {f}",
        "scopes": {
            "record": "en rad",
            "file": "en kommuns fil",
            "national": "alla kommuners filer",
            "external": "en rad mot dödsregistret",
        },
    },
    "en": {
        "severity": "Severity",
        "not_applicable": "does not apply this year",
        "message": "Message",
        "fix": "How to fix (in Swedish)",
        "scope": "Scope",
        "condition": "Condition",
        "reads": "Fields read",
        "source": "Source",
        "interpretation": "Interpretation",
        "note": "Note",
        "history": "History",
        "years": "Years",
        "params": "Parameters",
        "error": "error",
        "warning": "warning",
        "none": "none (not checked)",
        "beyond": "(no changes after {y} are known; the rules of {y} apply)",
        "why_none": "the severity is `none` in {y} in the spec",
        "why_fields": "fields the rule reads are not collected in {y}: {f}",
        "scopes": {
            "record": "one line",
            "file": "one municipality's file",
            "national": "all municipalities' files",
            "external": "one line against the register of deaths",
        },
    },
}


def run(args: argparse.Namespace) -> int:
    import sys

    from lss_rules.cli import load_spec_of
    from lss_rules.language import model as m
    from lss_rules.language.diagnostics import did_you_mean
    from lss_rules.language.for_year import resolve_text
    from lss_rules.meaning import wording as words
    from lss_rules.meaning.check_words import check_words
    from lss_rules.meaning.history import history, item_words

    if args.line is not None:  # a verdict on a file, as validate gives: the published rules unless --spec is given
        args.spec_working_copy = False
    spec, source = load_spec_of(args)
    ident = str(args.rule).strip()
    import re

    padded = re.sub(r"^(LSS-[A-Z])(\d)$", r"\g<1>0\2", ident.upper())
    if padded in spec.ids:
        ident = padded
    if ident not in spec.ids:
        hint = did_you_mean(padded, spec.ids)
        from lss_rules.runtime.python import printable

        print(f"lss-rules: okänt id `{printable(ident)}`" + (f"; {hint}" if hint else ""), file=sys.stderr)
        return 2
    year = args.year
    ym = spec.for_year(year)  # DataError (exit 2) for a year outside the register
    if args.line is not None:
        from lss_rules.cli.explain_line import explain_line_command

        return explain_line_command(args, ym, ident)
    lang = args.lang
    t = _L[lang]
    item = spec.item(ident)
    params = dict(ym.parameters)
    active = next((a for a in ym.active if a.id == ident), None)

    def text(tx: m.Text) -> str:
        s = tx.en if lang == "en" and tx.en else tx.sv
        return resolve_text(s, params)

    out: list[str] = []
    out.append(f"{ident} — {text(item.title)}")
    out.append(f"{t['years']}: {year}" + (" " + t["beyond"].format(y=spec.last_change_year) if ym.beyond_spec else ""))
    if active is None:
        why = [t["why_none"].format(y=year)]
        missing = [n for n in _reads(item) if not any(f.name == n for f in ym.fields)]
        if missing:
            said_missing = words.names_of(spec)
            why.append(
                t["why_fields"].format(y=year, f=", ".join(_named(said_missing.field(n, lang), n) for n in missing))
            )
        out.append(f"{t['severity']}: {t['none']} — {t['not_applicable']} ({'; '.join(why)})")
    else:
        out.append(f"{t['severity']}: {t[active.severity]}")
    out.append(f"{t['message']}: {text(item.message)}")
    if item.fix:  # written in Swedish only: English readers get it marked as such
        out.append(f"{t['fix']}: {resolve_text(item.fix, params)}")
    out.append(f"{t['scope']}: {item.scope} ({t['scopes'][item.scope]})")
    if isinstance(active, m.ActiveCheck):
        cond = check_words(active, ym, lang)
    elif isinstance(active, m.ActiveRule):
        cond = words.rule_words(active, spec, lang)
    else:
        cond = item_words(spec, ident, year, lang)
    out.append(f"{t['condition']}: {cond}")
    reads = active.reads if isinstance(active, m.ActiveRule) else _reads_in_year(item, ym)
    said = words.names_of(spec)
    out.append(f"{t['reads']}: {', '.join(_named(said.field(n, lang), n) for n in reads) if reads else '-'}")
    used = [(spec.parameter(n), v) for n, v in ym.parameters if n in _param_names(item)]
    if used:
        out.append(f"{t['params']}: " + ", ".join(f"{_named(p.label, p.name)} = {_valued(p, v)}" for p, v in used))
    if item.source:
        out.append(f"{t['source']}: {', '.join(item.source)}")
    if item.interpretation:
        out.append(f"{t['interpretation']}: {item.interpretation}")
    if item.note:
        out.append(f"{t['note']}: {item.note}")
    out.append("")
    out.append(f"{t['history']}:")
    for span in history(spec, ident, lang):
        yrs = (
            f"{span.first}–{span.last}"
            if span.last is not None and span.last != span.first
            else (f"{span.first}" if span.last is not None else f"{span.first}–")
        )
        ps = "; ".join(
            f"{spec.parameter(n).label}: {_valued(spec.parameter(n), v)}" for n, v in span.params if v is not None
        )
        line = f"  {yrs:<10} {t[span.severity]:<26} {span.condition}"
        if ps:
            line += f" [{ps}]"
        out.append(line)
    out.append("")
    out.append(source.describe(spec.digest, lang))
    from lss_rules.runtime.python import printable_lines

    print(printable_lines("\n".join(out)))  # the spec's texts may hold ESC, a bidi override...
    return 0


def _reads(item: Any) -> tuple[str, ...]:
    from lss_rules.language import model as m

    if isinstance(item, m.Rule):
        return item.reads()
    return ()


def _reads_in_year(item: Any, ym: Any) -> tuple[str, ...]:
    from lss_rules.language import model as m

    if isinstance(item, m.Check):
        return tuple(ym.field_names) if item.kind != "empty_file" else ()
    return tuple(n for n in item.reads() if n in ym.field_names)


def _param_names(item: Any) -> set[str]:
    from lss_rules.language import model as m

    names: set[str] = set()
    if isinstance(item, m.Rule):
        for e in (item.when, item.require):
            if e is not None:
                names |= {n.name for n in m.walk(e) if isinstance(n, m.ParamRef)}
    return names


def _named(label: str, name: str) -> str:
    """A field or parameter by its label, its identifier after it where the label does not say it: a municipal
    reader reads the label; a rule editor or vendor finds the identifier in the spec and the JSON report."""
    return label if label.lower() == name.replace("_", " ") else f"{label} ({name})"


def _valued(p: Any, value: int) -> str:
    return f"{value} {p.unit}" if p.unit else str(value)
