"""``lss-rules fmt [--check] [PATH...]``: rewrite spec files in the canonical layout, comments kept."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lss_rules.runtime.python import plural, printable


def register(sub: Any) -> None:
    p = sub.add_parser(
        "fmt",
        help="skriv om specifikationsfiler i kanonisk form (kommentarer behålls)",
        description="Skriv om .lss-filer i en kanonisk layout: två blanksteg indrag, en egenskap per rad, "
        "en tom rad mellan deklarationer, kanoniska villkor. Kommentarer behålls. Med --check skrivs inget; "
        "avslutningskod 1 och filnamnen om någon fil skulle ändras. En fil med syntaxfel rapporteras och "
        "lämnas orörd (kod 1). Kod 2: sökvägen finns inte.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="filer eller mappar (standard: spec/)")
    p.add_argument("--check", action="store_true", help="ändra inget; avsluta med 1 om någon fil skulle ändras")
    p.set_defaults(func=run)


def _files(paths: list[Path]) -> list[Path]:
    from lss_rules.errors import UsageError

    out: list[Path] = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: finns inte")
        out += sorted(p.rglob("*.lss")) if p.is_dir() else [p]
    return out


def run(args: argparse.Namespace) -> int:
    from lss_rules.cli.check import default_path
    from lss_rules.language.diagnostics import render
    from lss_rules.language.fmt import FormatError, format_text
    from lss_rules.language.paths import read_spec_file

    paths = list(args.paths) or [default_path()]
    files = _files(paths)
    changed: list[Path] = []
    broken = 0
    for f in files:
        data = read_spec_file(f)  # a regular file of at most 4 MiB: else one line, exit 2 (never a FIFO's hang)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            print(f"{printable(str(f))}:1:1: error[E011]: filen är inte UTF-8 (byte {exc.start})", file=sys.stderr)
            broken += 1
            continue
        try:
            new = format_text(text, str(f))
        except FormatError as exc:
            print(render(exc.diagnostic, text), file=sys.stderr)
            broken += 1
            continue
        if new != text:
            changed.append(f)
            if not args.check:
                f.write_text(new, encoding="utf-8")
    for f in changed:
        print(f"{'skulle formateras om' if args.check else 'formaterade om'}: {printable(str(f))}")
    if broken:
        print(f"{plural(broken, 'fil', 'filer')} med fel lämnades orörda", file=sys.stderr)
        return 1
    if args.check and changed:
        return 1
    if not changed:
        print(f"{plural(len(files), 'fil', 'filer')} redan i kanonisk form")
    return 0
