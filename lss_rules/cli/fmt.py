"""``lss-rules fmt [--check] [--diff] [PATH...]``: rewrite spec files in the canonical layout, comments kept.

``--check`` says which lines of which file would change, ``--diff`` shows the change as a unified diff
(each line printable: a spec's text may hold ESC or a bidi override); neither writes.
"""

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
        "avslutningskod 1 och filnamnen och raderna om någon fil skulle ändras. Med --diff skrivs inget; "
        "ändringen visas som en unified diff. En fil med syntaxfel rapporteras och lämnas orörd (kod 1). "
        "Kod 2: sökvägen finns inte.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="filer eller mappar (standard: spec/)")
    p.add_argument(
        "--check", action="store_true", help="ändra inget; säg vilka rader som skulle ändras och avsluta med 1"
    )
    p.add_argument("--diff", action="store_true", help="ändra inget; visa ändringen som en unified diff")
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
    changed: list[tuple[Path, str, str]] = []
    write = not (args.check or args.diff)
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
            changed.append((f, text, new))
            if write:
                f.write_text(new, encoding="utf-8")
    for f, old, new in changed:
        if args.diff:
            sys.stdout.writelines(unified_diff(old, new, printable(str(f))))
        elif args.check:
            print(f"skulle formateras om: {printable(str(f))} ({changed_lines(old, new)})")
        else:
            print(f"formaterade om: {printable(str(f))}")
    if broken:
        print(f"{plural(broken, 'fil', 'filer')} med fel lämnades orörda", file=sys.stderr)
        return 1
    if args.check and changed:
        if not args.diff:
            print("`lss-rules fmt --diff` visar ändringen; `lss-rules fmt` gör den")
        return 1
    if not changed:
        print(f"{plural(len(files), 'fil', 'filer')} redan i kanonisk form")
    return 0


def unified_diff(old: str, new: str, name: str) -> list[str]:
    """The change from ``old`` to ``new`` as a unified diff, every line printable and ending in a newline."""
    import difflib

    from lss_rules.runtime.python import printable as shown

    lines = difflib.unified_diff(old.split("\n"), new.split("\n"), name, name, lineterm="", n=2)
    return [shown(line) + "\n" for line in lines]


def changed_lines(old: str, new: str) -> str:
    """The lines of ``old`` that formatting changes, in words: "rad 3, 7–9" (a line only added: the one before)."""
    import difflib

    spans: list[tuple[int, int]] = []
    matcher = difflib.SequenceMatcher(None, old.split("\n"), new.split("\n"), autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            first, last = i1 + 1, max(i1 + 1, i2)
            if spans and first <= spans[-1][1] + 1:
                spans[-1] = (spans[-1][0], max(spans[-1][1], last))
            else:
                spans.append((first, last))
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in spans]
    shown = parts[:6] + (["…"] if len(parts) > 6 else [])
    return ("rad " if len(spans) == 1 and spans[0][0] == spans[0][1] else "rader ") + ", ".join(shown)
