"""``lss-rules years``: every year of the register with its layout, dates and rule count."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "years",
        help="lista insamlingsåren med postbeskrivning, mätdatum och antal regler",
        description="Lista varje år från registrets första år till och med minst 2025: postbeskrivning "
        "(antal fält), mätdatum, sista inlämningsdag och antal regler och kontroller (fel/varningar). "
        "Avslutningskod 0, 2 om körningen inte kunde göras.",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="utdatats form (standard: text)")
    add_spec_argument(p)
    p.add_argument("--to", type=int, metavar="YEAR", dest="last", help="sista året i listan (standard: 2025)")
    p.set_defaults(func=run)


def years_json(spec: Any, last: int | None = None) -> dict[str, Any]:
    """The JSON document of ``lss-rules years --format json``."""
    from lss_rules.language.history import layout_variants, listed_years, year_facts

    rows = []
    for year in listed_years(spec, last):
        f = year_facts(spec, year)
        rows.append(
            {
                "year": year,
                "layout": f.layout.name,
                "fields": len(f.layout.fields),
                "reference_date": f.reference_date.isoformat(),
                "deadline": f.deadline.isoformat(),
                "errors": len(f.errors),
                "warnings": len(f.warnings),
                "rules": list(f.errors + f.warnings),
                "municipalities": f.municipalities,
                "beyond_spec": f.beyond_spec,
            }
        )
    return {
        "first_year": spec.first_year,
        "last_change_year": spec.last_change_year,
        "stated_through": spec.last_stated_year,
        "layouts": [
            {"name": v.name, "first": v.first, "last": v.last, "fields": list(v.fields)} for v in layout_variants(spec)
        ],
        "years": rows,
    }


def years_text(spec: Any, last: int | None = None) -> str:
    """The table of ``lss-rules years`` (Swedish)."""
    doc = years_json(spec, last)
    head = f"{'År':<6}{'Postbeskrivning':<22}{'Mätdatum':<12}{'Sista dag':<12}{'Regler':>7}{'Fel':>5}{'Varn.':>7}"
    lines = [f"LSS-registret: insamlingsår {doc['first_year']}–{doc['years'][-1]['year']}", "", head]
    for r in doc["years"]:
        layout = f"{r['layout']} ({r['fields']} fält)"
        lines.append(
            f"{r['year']:<6}{layout:<22}{r['reference_date']:<12}{r['deadline']:<12}"
            f"{r['errors'] + r['warnings']:>7}{r['errors']:>5}{r['warnings']:>7}"
            + (f"  (som {doc['last_change_year']})" if r["beyond_spec"] else "")
        )
    lines.append("")
    last_change = doc["last_change_year"]
    lines.append(
        f"Specifikationen beskriver åren till och med {doc['stated_through']}; den sista ändringen gäller "
        f"{last_change}. Senare år granskas med samma regler som {last_change} "
        f"(`lss-rules validate --year ÅR` fungerar för varje år från {doc['first_year']})."
    )
    lines.append("Regler = kontroller LSS-S01–S05 och regler LSS-R01–R24 som gäller året.")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from lss_rules.cli import load_spec_of
    from lss_rules.errors import UsageError

    spec, source = load_spec_of(args)
    if args.last is not None and args.last < spec.first_year:
        raise UsageError(f"--to {args.last}: registret börjar {spec.first_year}")
    if args.format == "json":
        doc = {**years_json(spec, args.last), "spec": source.as_json(spec.digest)}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        from lss_rules.runtime.python import printable_lines

        print(printable_lines(years_text(spec, args.last)))  # the spec's texts may hold ESC...
        print(source.describe(spec.digest))
    return 0
