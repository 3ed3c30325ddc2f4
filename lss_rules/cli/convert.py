"""``lss-rules convert``: submission files to JSON records (one object per well-formed line)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "convert",
        help="gör om inlämningsfiler till JSON-poster",
        description="Skriv en JSON-lista med en post per rad med rätt antal fält för året: fältnamn till "
        "värdet som det står på raden (tom sträng för tomt värde). Rader med fel antal fält rapporteras på "
        "standard fel med fil och radnummer. Avslutningskod 0, 1 om någon rad hade fel antal fält, "
        "2 om körningen inte kunde göras (t.ex. en fil som inte finns). Personnummer maskeras som i rapporten "
        "(19800101-****), och det som ser ut som ett personnummer i ett annat fält eller ett filnamn likaså "
        "(19800101****), om inte --show-personnummer anges.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="inlämningsfiler")
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="insamlingsåret")
    p.add_argument("--to", choices=("json",), default="json", help="utdataformat (standard: json)")
    add_spec_argument(p)
    p.add_argument(
        "--show-personnummer",
        action="store_true",
        help="visa hela personnummer (standard: maskerade som i rapporten, 19800101-****)",
    )
    p.set_defaults(func=run)


def records(ym: Any, path: Path, bad: list[str], show_personnummer: bool = False) -> list[dict[str, str]]:
    """The records of one file; lines with the wrong field count are described in ``bad``.

    Unless ``show_personnummer`` the values are masked as in the report: the personnummer field by
    :func:`lss_rules.runtime.python.mask`, every personnummer-shaped run of another field (a swapped or shifted
    line) by :func:`lss_rules.runtime.python.mask_text`; so is the file name in ``bad``, whose lines are printable.
    """
    from lss_rules.language import model as m
    from lss_rules.runtime.python import clean_path, iter_lines, mask, mask_text, said

    names = ym.field_names
    pnr = {f.name for f in ym.fields if isinstance(f.type, m.PersonnummerType)}
    out: list[dict[str, str]] = []
    for number, line in enumerate(iter_lines(path), start=1):
        parts = line.split(ym.layout.separator)
        if len(parts) != len(names):
            said_line = f"{clean_path(str(path))}:{number}: {len(parts)} fält, {ym.year} har {len(names)} (LSS-S01)"
            bad.append(said(said_line, show_personnummer))
            continue
        if show_personnummer:
            out.append(dict(zip(names, parts, strict=True)))
        else:
            out.append({n: mask(v) if n in pnr else mask_text(v) for n, v in zip(names, parts, strict=True)})
    return out


def run(args: argparse.Namespace) -> int:
    from lss_rules.cli import spec_source_of, write_output
    from lss_rules.cli.schema import load_year
    from lss_rules.runtime.python import InputError, clean_path

    ym = load_year(spec_source_of(args).path, args.year)
    for path in args.files:  # every file must exist before anything is written
        if not path.is_file():
            shown = clean_path(str(path))
            raise InputError(f"{shown}: filen finns inte" if not path.exists() else f"{shown}: är inte en fil")
    bad: list[str] = []
    out: list[dict[str, str]] = []
    for path in args.files:
        out += records(ym, path, bad, args.show_personnummer)
    write_output(json.dumps(out, ensure_ascii=False, indent=1) + "\n", None)
    for msg in bad:
        print(msg, file=sys.stderr)
    return 1 if bad else 0
