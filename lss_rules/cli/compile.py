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
    p = sub.add_parser(
        "compile",
        help="kompilera ett års regler till en fristående Python-validerare",
        description="Skriv en fristående Python-modul (bara standardbiblioteket) som granskar filer för ett år. "
        "Kör den som `python FIL.py FIL... --format json`.",
    )
    p.add_argument("--year", type=int, required=True, help="insamlingsår")
    p.add_argument("-o", "--output", type=Path, help="modulen att skriva (standard: standard ut)")
    p.add_argument("--spec", type=Path, help="specifikationsmapp (standard: den installerade)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lss_rules.compiled import generate
    from lss_rules.errors import UsageError

    source = generate(args.year, args.spec)
    if args.output is None:
        sys.stdout.write(source)
        return 0
    try:
        args.output.write_text(source, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{args.output}: kan inte skrivas ({exc.strerror})") from None
    print(f"{args.output}: validerare för {args.year} skriven", file=sys.stderr)
    return 0
