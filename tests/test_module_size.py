"""Modules stay under about 500 lines (the style guide), or say at their top why they are one module.

A module past the limit states the reason in a paragraph of its docstring that says it is past (or over) 500
lines and then, after a colon, why: ``One module past 500 lines: the solver's steps share ...``.  A module
that has become short again must not still claim to be long (a stale reason misleads the next reader).
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import lss_rules

LIMIT = 500

#: A module past the limit without a reason yet, each with why it is not split now; the list only shrinks.
PENDING: dict[str, str] = {}

#: "past 500", "over 500 lines", "past the style guide's 500", then a colon and the reason
_REASON = re.compile(r"\b(?:past|over)\b[^:]*?\b500\b[^:]*:\s*(?P<why>\S.*)", re.S | re.I)


def _modules() -> dict[str, Path]:
    """Every module of the package by its path in the source tree (``generators/`` is ``lss_rules/generators``
    as installed and, in a checkout, through its link)."""
    root = Path(lss_rules.__file__).parent
    out: dict[str, Path] = {}
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for file in files:
            if file.endswith(".py"):
                path = Path(folder) / file
                out[Path("lss_rules", path.relative_to(root)).as_posix()] = path
    return out


def _reason(path: Path) -> str | None:
    """The reason the module's docstring gives for being past the limit, or None."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    for paragraph in re.split(r"\n\s*\n", doc):
        found = _REASON.search(" ".join(paragraph.split()))
        if found:
            return found["why"]
    return None


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


MODULES = _modules()


def test_the_walk_sees_the_package_and_the_generators() -> None:
    assert "lss_rules/backends/docs/site.py" in MODULES
    assert "lss_rules/generators/strategies.py" in MODULES


def test_a_module_over_500_lines_says_why_at_its_top() -> None:
    missing = [
        f"{name} ({_lines(path)} lines)"
        for name, path in sorted(MODULES.items())
        if _lines(path) > LIMIT and name not in PENDING and _reason(path) is None
    ]
    assert missing == [], (
        "over 500 lines with no reason at the top: split the module, or say why it is one in its docstring "
        "('One module past 500 lines: <the reason>')"
    )


def test_a_stated_reason_is_a_reason() -> None:
    """A colon and a word is no reason: the paragraph says what would be lost by splitting."""
    thin = {name: why for name, path in MODULES.items() if (why := _reason(path)) is not None and len(why.split()) < 8}
    assert thin == {}


def test_a_short_module_claims_no_reason_to_be_long() -> None:
    stale = [name for name, path in MODULES.items() if _lines(path) <= LIMIT - 50 and _reason(path) is not None]
    assert stale == []


def test_the_pending_list_only_shrinks() -> None:
    done = [name for name in PENDING if name not in MODULES or _lines(MODULES[name]) <= LIMIT]
    assert done == [], "split: remove it from PENDING"
    explained = [name for name in PENDING if _reason(MODULES[name]) is not None]
    assert explained == [], "a reason is stated: remove it from PENDING"


def test_the_reason_is_recognised() -> None:
    """The forms the package uses, and a paragraph that mentions the limit without a reason."""
    said = [
        "One module past 500 lines: one method per kind of declaration on one Lowerer, each reading what",
        "Why this module is over 500 lines: it holds the declarations and the one transformer that builds them",
        "One file of about 1,700 lines, past the style guide's 500, on purpose: --standalone embeds this text",
    ]
    assert all(_REASON.search(x) for x in said)
    assert _REASON.search("The style guide asks for modules under 500 lines.") is None
