"""Mutants of the compiled validator that no input can tell apart from it, with the reason.

Keyed by year, then by the mutant's description (:attr:`mutation.Mutant.description`):
function, rule comment, operator and source text — never a line number.
"""

from __future__ import annotations

EQUIVALENT: dict[int, dict[str, str]] = {2023: {}, 2005: {}, 2001: {}}
