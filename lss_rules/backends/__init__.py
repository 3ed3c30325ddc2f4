"""Backends: each turns a :class:`~lss_rules.language.model.YearModel` into something else.

Every backend has one entry point of the same shape, ``emit(ym) -> Output``: a
year model in; named output files and the list of what the backend cannot
express out (as the JSON Schema backend lists ``x-lss-rules-not-expressed``).
None reads spec text, none imports the command line, none imports another
backend's private names (``tests/test_imports.py``).  The backends, by name,
are in :data:`lss_rules.backends.registry.BACKENDS`:

- :mod:`lss_rules.backends.validator.lower` — the validator module (via the IR of
  :mod:`lss_rules.backends.validator.ir`, printed by :mod:`lss_rules.backends.python.printer`);
  ``python-standalone`` is the same module with the runtime embedded;
- :mod:`lss_rules.backends.javascript.to_javascript` — the same validator as one ES module
  (the same IR, printed by :mod:`lss_rules.backends.javascript.printer`);
- :mod:`lss_rules.backends.jsonschema` — the JSON Schema of a record;
- :mod:`lss_rules.backends.docs.site` — the year's page of the docs site.

A backend whose output spans the years — the docs site, where a rule's page shows
its history — also has the spec-wide form ``emit_spec(spec, inputs) -> Output``
(:data:`lss_rules.backends.registry.SPEC_BACKENDS`); ``inputs`` (:class:`SpecInputs`)
is what its caller hands it that the spec does not hold.  ``lss-rules docs`` and
the mkdocs hook write the site through it.
"""

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
