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


#: The commands a vendor of a case-management system uses (the vendor guide's table of tools): a command, or a
#: command and the option that makes it another tool.
VENDOR_TOOLS = (
    ("validate",),
    ("compile", "--standalone"),
    ("compile", "--target", "js"),
    ("schema",),
    ("generate",),
    ("conformance",),
    ("release",),
)


def tools_table_md(tools: tuple[tuple[str, ...], ...] = VENDOR_TOOLS) -> str:
    """A Markdown table of ``tools``: each command with its help text (an option's, when one is named)."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help for a in commands._choices_actions}
    rows = ["| verktyg | vad det gör |", "|---|---|"]
    for name, *option in tools:
        text = helps[name]
        if option:
            sub = commands.choices[name]
            text = next(a.help for a in sub._actions if option[0] in a.option_strings)
        rows.append(f"| `lss-rules {' '.join([name, *option])}` | {text} |")
    return "\n".join(rows)
