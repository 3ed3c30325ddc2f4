"""``lss-rules diff A B``: what changed from year A to year B, as release notes or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "diff",
        help="visa vad som ändrades mellan två insamlingsår",
        description="Visa vad som ändrades från år A till år B enligt specifikationen: fält, postbeskrivning, "
        "regler som börjar eller slutar gälla, allvarlighetsgrad, villkor, parametrar, mätdatum, sista "
        "inlämningsdag och kommunkoder, och för varje ändring om den bryter mot ett leverantörsprogram skrivet "
        "för år A (en ny felregel, en varning som blir fel, en skärpt gräns, en kommunkod som upphör, ett fält som "
        "tillkommer eller flyttar). A får vara senare än B (då läses ändringarna bakåt i tiden). "
        "Avslutningskod 0; med --fail-on-breaking 1 när någon ändring bryter; 2 om körningen inte kunde göras "
        "(t.ex. okänt år).",
    )
    p.add_argument("a", type=int, metavar="A", help="från år")
    p.add_argument("b", type=int, metavar="B", help="till år")
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="utdatats form (standard: text; markdown som i en årsutgåvas ÄNDRINGAR.md)",
    )
    p.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="avsluta med kod 1 när någon ändring bryter mot ett leverantörsprogram skrivet för år A (0 annars)",
    )
    add_spec_argument(p, working_copy=True)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lss_rules.cli import load_spec_of
    from lss_rules.meaning.diff import diff_years, to_json
    from lss_rules.meaning.release_notes import render_markdown, render_text

    spec, source = load_spec_of(args)
    d = diff_years(spec, args.a, args.b)
    from lss_rules.runtime.python import printable_lines

    if args.format == "json":
        print(json.dumps({**to_json(d), "spec": source.as_json(spec.digest)}, ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print(printable_lines(render_markdown(d)))
        print(printable_lines(source.describe(spec.digest)))
    else:
        print(printable_lines(render_text(d)))  # the spec's titles and messages may hold ESC, a bidi override...
        print(source.describe(spec.digest))
    return 1 if args.fail_on_breaking and d.breaking else 0
