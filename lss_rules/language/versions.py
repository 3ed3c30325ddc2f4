"""Versions: of lss-rules (the installed package's) and the oldest one a spec says reads it.

A spec may state ``requires_lss_rules "0.2"`` in its register block.  An older lss-rules cannot know
what a newer spec holds (a property, a function, a form of condition added since), so it would report
unrelated syntax errors, or worse, read the rules otherwise.  The statement is therefore read with a
pattern *before* the spec is parsed (:func:`stated_requirement`), like ``language N``
(:func:`lss_rules.language.syntax.stated_language`), and a tool older than it says only
"den här specifikationen kräver lss-rules X eller senare" (E014).

>>> stated_requirement('register lss {\\n  requires_lss_rules "0.9"\\n}\\n')
('0.9', 2, 3)
>>> newer_than("0.10", "0.9"), newer_than("1.0", "1.0.0"), newer_than("0.1", "0.1.0.dev3")
(True, False, False)
"""

from __future__ import annotations

import re

# a version is numbers with dots; what follows (".dev3", "rc1", "+local") does not order releases here
VERSION = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6}){0,3}")
_REQUIRES_LINE = re.compile(r'^([ \t]*)requires_lss_rules[ \t]+"([^"\n]{0,80})"', re.M)


def package_version() -> str:
    """The version of the installed lss-rules (its metadata, so it follows pyproject.toml)."""
    from lss_rules import __version__

    return __version__


def release_of(version: str) -> tuple[int, ...]:
    """The numbers a version starts with, trailing zeros dropped: ``"0.2.0.dev1"`` -> ``(0, 2)``."""
    found = re.match(r"[0-9]+(?:\.[0-9]+)*", version)
    parts = [int(p) for p in found.group(0).split(".")] if found else [0]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def newer_than(required: str, have: str) -> bool:
    """``required`` is a later release than ``have``."""
    return release_of(required) > release_of(have)


def stated_requirement(text: str) -> tuple[str, int, int] | None:
    """The version a spec file's ``requires_lss_rules "X"`` names, with its line and column; None if it
    states none.  Read with a pattern, not the parser: the rest of the file may be syntax this lss-rules
    does not know."""
    found = _REQUIRES_LINE.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return found.group(2), line, len(found.group(1)) + 1
