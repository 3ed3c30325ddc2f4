"""The generated Python validator of a year, imported from its source once per test process (no cache on disk):
shared by the Python backend's fixtures and the trace differential tests."""

from __future__ import annotations

import types

from lss_rules.backends.python.to_python import to_python

_MODULES: dict[int, types.ModuleType] = {}


def compiled_module(ym) -> types.ModuleType:
    """The generated validator of ``ym``'s year, imported from source (no cache on disk)."""
    if ym.year not in _MODULES:
        module = types.ModuleType(f"lss_validator_test_{ym.year}")
        exec(compile(to_python(ym), module.__name__, "exec"), module.__dict__)
        _MODULES[ym.year] = module
    return _MODULES[ym.year]
