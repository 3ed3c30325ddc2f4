"""Which spec a command reads: one rule for every command.

1. ``--spec PATH`` when given (a spec folder or one ``.lss`` file);
2. else ``spec/`` of the working directory when it holds ``.lss`` files — the copy a
   spec editor is editing, so ``explain`` and ``diff`` show the edit at once;
3. else the spec installed with the package.

Every output that depends on the spec names the one it used: its path when it is not the
installed one, and its digest (:attr:`lss_rules.model.Spec.digest`, the sha256 of the spec
files and data) — a vendor's report then says exactly which rules judged it.  This module
imports nothing of the parser, so ``lss-rules validate`` can resolve the spec on a cache hit
without loading lark.

>>> resolve(None, cwd=Path("/")).installed
True
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lss_rules import runtime

LOCAL = "spec"  # the folder of the working directory that a command reads when it holds .lss files


@dataclass(frozen=True, slots=True)
class SpecSource:
    """The spec a command reads: its path and whether it is the one installed with the package."""

    path: Path
    installed: bool

    @property
    def shown_path(self) -> str | None:
        """The path as reports print it: None for the installed spec."""
        return None if self.installed else str(self.path)

    def describe(self, digest: str, lang: str = "sv") -> str:
        """``Specifikation: spec (sha256:0123456789ab)``, one line for text outputs."""
        return runtime.spec_line(self.as_json(digest), lang)

    def as_json(self, digest: str) -> dict[str, Any]:
        """The ``spec`` object of JSON outputs: ``{"path": null | "...", "digest": "<sha256>"}``."""
        result: dict[str, Any] = runtime.spec_object(self.shown_path, digest)
        return result


def installed_dir() -> Path:
    """The spec installed with the package (found without importing it, which costs a start-up)."""
    found = importlib.util.find_spec("lss_rules.spec")
    if found is None or not found.submodule_search_locations:
        from lss_rules.errors import not_installed

        raise not_installed("lss_rules.spec")
    return Path(next(iter(found.submodule_search_locations)))


def resolve(given: str | Path | None, cwd: Path | None = None) -> SpecSource:
    """The spec a command reads (the rule in the module docstring)."""
    if given is not None:
        path = Path(given)
        return SpecSource(path, _same(path, installed_dir()))
    local = (cwd or Path(".")) / LOCAL
    if local.is_dir() and any(local.glob("*.lss")):
        path = Path(LOCAL) if cwd is None else local
        return SpecSource(path, _same(local, installed_dir()))
    return SpecSource(installed_dir(), True)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
