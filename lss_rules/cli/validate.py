"""``lss-rules validate FILE... --year Y``: check submission files the way the portal does.

Runs the compiled validator of the year (:mod:`lss_rules.backends.python.cache`); the same
module ``lss-rules compile`` writes.  Exit codes: 0 accepted (with or without
warnings; ``--strict`` makes warnings fail), 1 rejected, 2 the run could not be made.
"""

from __future__ import annotations

import argparse
import os
from typing import Any


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument
    from lss_rules.runtime import python as runtime

    p = sub.add_parser(
        "validate",
        help="granska inrapporteringsfiler (en fil per kommun) mot årets regler",
        description="Granska LSS-filer mot årets regler, som portalen gör. Flera filer granskas tillsammans "
        "(en nationell körning). Avslutningskod 0 godkänd, 1 ej godkänd, 2 körningen kunde inte göras.",
    )
    runtime.add_arguments(p)
    add_spec_argument(p)
    p.set_defaults(func=run)


def check_inputs(paths: list[str]) -> None:
    """Every input exists and is a readable regular file: otherwise one line naming it (exit 2).

    A folder, a FIFO or a device (``/dev/urandom``) is refused before any file is read.
    """
    from lss_rules.errors import DataError
    from lss_rules.runtime.python import InputError, check_input

    for path in paths:
        try:
            check_input(path)
        except InputError as exc:
            raise DataError(str(exc)) from None
        if not os.access(path, os.R_OK):
            raise DataError(f"{path}: kan inte läsas (behörighet saknas)")


def run(args: argparse.Namespace) -> int:
    from lss_rules.backends.python.cache import load_validator
    from lss_rules.cli import spec_source_of
    from lss_rules.errors import DataError
    from lss_rules.runtime.python import explain

    check_inputs([*args.files, *([args.deceased] if args.deceased else [])])
    source = spec_source_of(args)
    mod = load_validator(args.year, source.path)
    try:
        deceased = mod.read_deceased(args.deceased) if args.deceased else None
        report = mod.report(
            args.files, deceased, args.show_personnummer, lazy=True, spec_path=source.shown_path, lang=args.lang
        )
        if args.explain:
            report = explain(report, args.files, deceased)
    except mod.InputError as exc:
        raise DataError(str(exc)) from None
    titles, notes = (mod.TITLES_EN, mod.NOTES_EN) if args.lang == "en" else (mod.TITLES, mod.NOTES)
    mod.emit(report, args.format, titles, notes, lang=args.lang)
    return int(mod.exit_code(report, args.strict))
