"""Every error lss-rules raises on purpose, under one root.

The CLI catches :class:`LssError` in one place and turns it into a message and
an exit code; anything else reaching a user is a bug.

- :class:`SpecError` — the spec (``spec/*.lss``) is wrong; carries located
  :class:`~lss_rules.language.diagnostics.Diagnostic` objects, one per problem.
- :class:`DataError` — an input the user gave (a submission file, a deceased
  list, a year) cannot be used.  Also a :class:`ValueError`.
- :class:`UnsupportedError` — a backend cannot express something and says so.
- :class:`UsageError` — bad command-line arguments.  Also a :class:`ValueError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lss_rules.language.diagnostics import Diagnostic


class LssError(Exception):
    """Root of every error lss-rules raises on purpose."""

    exit_code = 2


class SpecError(LssError):
    """The specification has one or more problems (see :attr:`diagnostics`)."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        first = self.diagnostics[0].headline() if self.diagnostics else "fel i specifikationen"
        more = len(self.diagnostics) - 1
        super().__init__(first + (f" (och {more} fel till)" if more > 0 else ""))


class DataError(LssError, ValueError):
    """An input file or value given by the user cannot be used."""


class UsageError(LssError, ValueError):
    """Bad command-line arguments."""


class UnsupportedError(LssError):
    """A backend cannot express a construct of the model."""
