"""``lss-rules report FILE... --year Y [--previous FILE...]``: feedback file and comparison report."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "report",
        help="återkopplingsfil (antal personer per insats) och jämförelserapport mot föregående år",
        description="Räkna antal personer per insats för varje kommuns fil (återkopplingsfil). Med --previous "
        "jämförs varje insats med samma kommuns fil föregående år (jämförelserapport, filerna läses med "
        "föregående års postbeskrivning) och stora avvikelser markeras för uppföljning. "
        "Avslutningskod 0, 2 om körningen inte kunde göras (fil saknas, okänt år).",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="en fil per kommun")
    p.add_argument("--year", type=int, required=True, help="insamlingsår")
    p.add_argument("--previous", nargs="+", metavar="FILE", help="föregående års filer (en per kommun)")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text", help="utdatats form (standard: text)")
    p.add_argument(
        "--show-personnummer",
        action="store_true",
        help="visa filnamnen som de är (standard: det som ser ut som ett personnummer maskeras, 19800101****)",
    )
    add_spec_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from lss_rules.cli import load_spec_of, write_output
    from lss_rules.tools import report as fb
    from lss_rules.tools import report_output as out

    spec, source = load_spec_of(args)
    named = source.as_json(spec.digest)
    if args.previous:
        c = fb.compare(spec, args.year, args.files, args.previous, args.show_personnummer)
        for ym, counted in ((spec.for_year(args.year), c.current), (spec.for_year(c.previous_year), c.previous)):
            for warning in fb.layout_warnings(ym, counted):
                print(f"lss-rules: varning: {warning}", file=sys.stderr)
        outputs = {
            "json": lambda: _json({**out.comparison_json(c), "spec": named}),
            "csv": lambda: out.comparison_csv(c),
            "text": lambda: out.comparison_text(c) + source.describe(spec.digest) + "\n",
        }
    else:
        f = fb.feedback(spec.for_year(args.year), args.files, args.show_personnummer)
        for warning in fb.layout_warnings(spec.for_year(args.year), f):
            print(f"lss-rules: varning: {warning}", file=sys.stderr)
        outputs = {
            "json": lambda: _json({**out.feedback_json(f), "spec": named}),
            "csv": lambda: out.feedback_csv(f),
            "text": lambda: out.feedback_text(f) + source.describe(spec.digest) + "\n",
        }
    write_output(outputs[args.format](), None)
    return 0


def _json(doc: dict[str, Any]) -> str:
    import json

    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
