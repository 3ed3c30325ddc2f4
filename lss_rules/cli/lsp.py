"""``lss-rules lsp [--spec MAPP]``: the spec checker as a language server over standard in and out."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "lsp",
        help="språkserver för specifikationen (en editor som VS Code startar den)",
        description="Starta en språkserver (Language Server Protocol) på standard in och ut: samma fel som "
        "`lss-rules check` medan du skriver, information om fält, parametrar och regler per år, gå till "
        "definition, hitta användningar, komplettering, formatering med `fmt` och snabbrättningar för "
        "\"menade du\". Editorn startar kommandot; det behöver tillägget [lsp] (pip install 'lss-rules[lsp]'). "
        "Utan --spec läses spec/ i editorns arbetsyta, annars arbetsytan själv.",
    )
    p.add_argument("--spec", type=Path, metavar="MAPP", help="specifikationsmappen som servern granskar")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lss_rules.errors import UsageError

    if args.spec is not None and not args.spec.is_dir():
        raise UsageError(f"{args.spec}: är ingen mapp; ange specifikationsmappen (t.ex. spec)")
    try:
        from lss_rules.tools.lsp.server import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        raise UsageError("språkservern behöver pygls: installera den med pip install 'lss-rules[lsp]'") from None
    serve(args.spec)
    return 0
