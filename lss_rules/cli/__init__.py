"""The ``lss-rules`` command line.

Each subcommand lives in its own module of this package and exposes
``register(subparsers)``; the modules import what they need inside the
command, so ``lss-rules validate`` starts without loading the parser.

Exit codes (documented in the README): 0 success/accepted, 1 problems found
(a rejected submission, spec errors, a failed conformance vector),
2 the run could not be made (usage, missing or unreadable file, unknown year).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lss_rules import __version__
from lss_rules.errors import LssError, SpecError, UsageError
from lss_rules.runtime.python import SwedishArgumentParser, os_error_text, resource_message, said

#: Subcommand modules, in the order `--help` lists them.
COMMANDS: tuple[str, ...] = (
    "check",
    "explain",
    "fmt",
    "lsp",
    "validate",
    "compile",
    "years",
    "diff",
    "impact",
    "report",
    "generate",
    "conformance",
    "release",
    "schema",
    "convert",
    "docs",
)


class _Parser(SwedishArgumentParser):
    """The parser of every command: argparse's own texts in Swedish (see :mod:`lss_rules.runtime.python`)."""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser; given the arguments of a run, only the command they name is built.

    ``lss-rules validate FILE…`` is started once per register by a vendor's CI: building the other
    fifteen commands' parsers (and importing their modules) cost about a tenth of a small run.  When
    the first argument is not a command's name (``--help``, ``--version``, a typo), every command is
    built, so that argparse lists them all or says which names there are.
    """
    wanted = (argv[0],) if argv and argv[0] in COMMANDS else COMMANDS
    parser = _Parser(
        prog="lss-rules",
        description="LSS-registrets regler som kod: kontrollera specifikationen, granska filer, "
        "generera validerare, JSON Schema, dokumentation och testdata.",
    )
    parser.add_argument("--version", action="version", version=f"lss-rules {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in wanted:
        try:
            module = importlib.import_module(f"lss_rules.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"lss_rules.cli.{name}":
                continue  # a command not built yet
            raise
        module.register(sub)
    return parser


#: ``--spec`` of the commands that edit and study a spec (they read the working copy ``spec/`` by default).
SPEC_HELP_EDITING = (
    "specifikationen: en mapp eller en .lss-fil (standard: spec/ i arbetsmappen om den finns, annars den installerade)"
)
#: ``--spec`` of the commands that give a verdict or make something for others (never ``spec/`` unasked).
SPEC_HELP = (
    "specifikationen: en mapp eller en .lss-fil (standard: den installerade; spec/ i arbetsmappen läses bara "
    "med --spec spec)"
)


def add_spec_argument(p: argparse.ArgumentParser, *, working_copy: bool = False) -> None:
    """``--spec PATH``, the same for every command that reads the spec (see :mod:`lss_rules.language.source`)."""
    p.add_argument("--spec", type=Path, metavar="MAPP", help=SPEC_HELP_EDITING if working_copy else SPEC_HELP)
    p.set_defaults(spec_working_copy=working_copy)


def spec_source_of(args: argparse.Namespace) -> Any:
    """Where a command's spec comes from (said on standard error where a reader would not assume it)."""
    from lss_rules.language.source import announce, resolve

    source = resolve(getattr(args, "spec", None), working_copy=getattr(args, "spec_working_copy", False))
    announce(source)
    return source


def load_spec_of(args: argparse.Namespace) -> tuple[Any, Any]:
    """The checked spec a command reads (see :mod:`lss_rules.language.source`) and where it came from."""
    from lss_rules.language.load import load_spec

    source = spec_source_of(args)
    return load_spec(source.path), source


def write_output(text: str, output: Path | None) -> None:
    """Write a command's result to ``output``, or to standard out when it is None (see ``runtime.writing``)."""
    if output is None:
        from lss_rules.runtime.python import writing

        with writing() as out:
            out.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{output}: kan inte skrivas ({os_error_text(exc)})") from None


def main(argv: Sequence[str] | None = None) -> int:
    from lss_rules.runtime.python import WriteError, writing

    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        if sys.stdout is None:  # descriptor 1 closed: a command that writes there says so (runtime.writing)
            return int(args.func(args))
        code = 0  # a reader that went away mid-command (BrokenPipeError, quiet): 0, as before
        with writing(only_writes=True):  # what a command printed: flushed, a closed pipe quiet, a write error exit 2
            code = int(args.func(args))
        return code
    except WriteError as exc:
        return int(exc.code or 2)
    except SpecError as exc:
        from lss_rules.language.diagnostics import render_all

        for shown in render_all(exc.diagnostics):
            print(shown, file=sys.stderr)
        print(f"lss-rules: specifikationen har {len(exc.diagnostics)} fel; kör `lss-rules check`", file=sys.stderr)
        return 2
    except LssError as exc:
        print(f"lss-rules: {said(str(exc), getattr(args, 'show_personnummer', False))}", file=sys.stderr)
        return exc.exit_code
    except _input_error() as exc:
        print(f"lss-rules: {said(str(exc), getattr(args, 'show_personnummer', False))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # pragma: no cover - writing() handles it
        return 0
    except (MemoryError, RecursionError, OSError) as exc:  # out of memory, too deep, too many open files
        why = resource_message(exc)
        if why is None:
            raise
    # said after the except block: the exception and the frames it holds (the run's data) are let go first
    print(f"lss-rules: {why}", file=sys.stderr)
    return 2


def _input_error() -> type[Exception]:
    from lss_rules.runtime.python import InputError

    return InputError


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
