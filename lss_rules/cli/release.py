"""``lss-rules release --year Y -o DIR`` (a year's kit for vendors) and ``release --verify DIR``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lss_rules.runtime.python import plural, printable


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "release",
        help="skriv årets utgåva för leverantörer (svit, schema, moduler, PDF, ändringar, kontrollsummor), "
        "eller kontrollera en",
        description="Skriv årets utgåva till en mapp: konformitetssviten (zip), JSON Schema, den fristående "
        "Python-modulen, JavaScript-modulen, årets PDF, ÄNDRINGAR.md och changes.json (mot året före), "
        "manifest.json och SHA256SUMS. Med SOURCE_DATE_EPOCH blir två körningar byte för byte lika. "
        "--verify MAPP kontrollerar en utgåva mot SHA256SUMS och manifest.json. Avslutningskod 0 klart "
        "(eller utgåvan stämmer), 1 utgåvan stämmer inte, 2 körningen kunde inte göras.",
    )
    p.add_argument("--year", type=int, help="insamlingsår")
    p.add_argument("-o", "--output", type=Path, metavar="DIR", help="mapp att skriva utgåvan till (tom eller ny)")
    p.add_argument(
        "--force",
        action="store_true",
        help="skriv också i en mapp som inte är tom: det en tidigare release skrev där och antecknade i "
        ".lss-rules-utdata.json tas bort; finns något annat där tas ingenting bort (avslutningskod 2)",
    )
    p.add_argument("--verify", type=Path, metavar="DIR", help="kontrollera en utgåva i stället för att skriva en")
    add_spec_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lss_rules.errors import UsageError

    if args.verify is not None:
        if args.year is not None or args.output is not None or args.force:
            raise UsageError("--verify tar bara mappen att kontrollera (inte --year, -o eller --force)")
        return _verify(args.verify)
    if args.year is None or args.output is None:
        raise UsageError("ange --year ÅR och -o MAPP (eller --verify MAPP)")
    return _release(args)


def _release(args: argparse.Namespace) -> int:
    from lss_rules import outdir
    from lss_rules.cli import load_spec_of
    from lss_rules.errors import UsageError
    from lss_rules.runtime.python import os_error_text
    from lss_rules.tools.release import SUMS, kit_files, publication_date

    spec, source = load_spec_of(args)
    if args.year < spec.first_year:
        raise UsageError(f"registret börjar {spec.first_year}; {args.year} finns inte")
    out: Path = args.output
    made: dict[str, bytes] = {}

    def make() -> dict[str, bytes]:
        made.update(kit_files(spec, args.year, published=publication_date(), source=source.as_json(spec.digest)))
        return made

    try:
        outdir.write_tree(out, "release", make, force=args.force)
    except OSError as exc:
        raise UsageError(f"{exc.filename or out}: kan inte skrivas ({os_error_text(exc)})") from None
    files = plural(len(made), "fil", "filer")
    print(
        printable(
            f"{out}: årsutgåvan {args.year} skriven, {files}; kontrollera den med `lss-rules release "
            f"--verify {out}` eller `sha256sum -c {SUMS}` i mappen"
        )
    )
    print(source.describe(spec.digest))
    return 0


def _verify(folder: Path) -> int:
    from lss_rules.tools.release import KitError, verify

    try:
        doc = verify(folder)
    except KitError as exc:
        print(f"lss-rules: {exc}", file=sys.stderr)
        return 1
    files = plural(len(doc["files"]) + 2, "fil", "filer")
    print(printable(f"{folder}: årsutgåvan {doc['year']} stämmer ({files}, lss-rules {doc.get('lss_rules_version')})"))
    return 0
