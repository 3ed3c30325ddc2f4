"""The command line's reference page for the docs site (the docs hook hands it to the docs backend)."""

from __future__ import annotations

import argparse
import os

from lss_rules.cli import build_parser


def cli_reference_md() -> str:
    """The help texts of ``lss-rules`` and every subcommand, as a markdown page."""

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        parser = build_parser()
        out = [
            "# Kommandon",
            "",
            "Hjälptexten för `lss-rules` och varje underkommando (`lss-rules KOMMANDO --help`).",
            "",
        ]
        out += ["```text", parser.format_help().rstrip("\n"), "```", ""]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    out += [f"## {name}", "", "```text", sub.format_help().rstrip("\n"), "```", ""]
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    return "\n".join(out)
