"""``lss-rules compile --year Y -o FILE.py``: one year's rules as a Python validator module.

The module imports the runtime of the installed lss-rules (``lss_rules.runtime.python``);
with ``--standalone`` it embeds the runtime and needs only the standard library of
Python 3.9 or later (the one file vendors run).  Run as a script it takes the
arguments of ``lss-rules validate`` and prints the same report.  With
``--target js`` it is one standalone ES module instead (no dependencies), for
node (``node lss-2023.mjs FILE... --format json``) and browsers.
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
        help="kompilera ett års regler till en Python-validerare",
        description="Skriv en Python-modul som granskar filer för ett år. Den använder det installerade "
        "lss-rules körtidsbibliotek; med --standalone bär den med sig det och behöver bara standardbiblioteket "
        "(Python 3.9 eller senare). Kör den som `python FIL.py FIL... --format json`.",
    )
    p.add_argument("--year", type=int, required=True, help="insamlingsår")
    p.add_argument("-o", "--output", type=Path, help="modulen att skriva (standard: standard ut)")
    add_spec_argument(p)
    p.add_argument(
        "--standalone",
        action="store_true",
        help="en enda fil: körtidsbiblioteket inbäddat, bara standardbiblioteket (Python 3.9 eller senare)",
    )
    p.add_argument(
        "--target",
        choices=("python", "js"),
        default="python",
        help="målspråk: python (standard) eller js, en fristående ES-modul för node och webbläsare "
        "(kör den som `node FIL.mjs FIL... --format json`; alltid fristående)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lss_rules.backends.registry import BACKENDS
    from lss_rules.cli import load_spec_of, write_output
    from lss_rules.runtime.python import printable

    spec, source = load_spec_of(args)
    backend = "javascript" if args.target == "js" else "python-standalone" if args.standalone else "python"
    ((_, text),) = BACKENDS[backend](spec.for_year(args.year)).files  # the one interface: one file a year
    write_output(text, args.output)
    if args.output is not None:
        where = "den installerade specifikationen" if source.installed else source.path
        said = f"{args.output}: validerare för {args.year} skriven (från {where})"
        print(printable(said), file=sys.stderr)
    return 0
