"""What every backend returns: :class:`Output` (named files and what it could not express) and its inputs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NotExpressed:
    """A rule or check a backend leaves out, and why (in Swedish)."""

    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class Output:
    """What a backend makes of one year: files (name -> text, in order) and what it could not express."""

    files: tuple[tuple[str, str], ...]
    not_expressed: tuple[NotExpressed, ...] = ()


@dataclass(frozen=True, slots=True)
class SpecInputs:
    """What a spec-wide backend is handed besides the spec.

    ``cli_reference``: the page of the command line's help texts, rendered by the caller
    (:func:`lss_rules.cli.reference.cli_reference_md`), since no backend imports the command line.
    ``pdfs``: (year, path from the site's root) of each year's printable PDF, which the caller
    writes beside the output (the docs build, with :mod:`lss_rules.backends.pdf`).
    """

    cli_reference: str | None = None
    pdfs: tuple[tuple[int, str], ...] = ()
