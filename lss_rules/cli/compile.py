"""``lss-rules compile --year Y -o FILE.py``: one year's rules as a standalone Python validator.

The module needs only the standard library; run as a script it takes the
arguments of ``lss-rules validate`` and prints the same report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "compile",
        help="kompilera ett års regler till en fristående Python-validerare",
        description="Skriv en fristående Python-modul (bara standardbiblioteket) som granskar filer för ett år. "
        "Kör den som `python FIL.py FIL... --format json`.",
    )
    p.add_argument("--year", type=int, required=True, help="insamlingsår")
    p.add_argument("-o", "--output", type=Path, help="modulen att skriva (standard: standard ut)")
    add_spec_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lss_rules.cli import write_output
    from lss_rules.compiled import generate
    from lss_rules.spec_source import resolve

    source = resolve(args.spec)
    write_output(generate(args.year, source.path), args.output)
    if args.output is not None:
        where = "den installerade specifikationen" if source.installed else source.path
        print(f"{args.output}: validerare för {args.year} skriven (från {where})", file=sys.stderr)
    return 0
