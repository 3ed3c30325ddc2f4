"""Synthetic LSS data derived from the typed model (installed as ``lss_rules.generators``).

Two layers:

- :mod:`lss_rules.generators.bulk` — fast registers with Sweden's shape for ``lss-rules generate``
  and benchmarks (:func:`build_register`, :func:`write_register`, :func:`capacity`, the largest
  realistic register of a year), plain ``random.Random(seed)``; the shape comes from
  :mod:`~lss_rules.generators.population` (published figures in ``data/``) and
  :mod:`~lss_rules.generators.persons`, and :mod:`~lss_rules.generators.profile` measures a register
  against it; :mod:`~lss_rules.generators.builder` makes a person's values and
  :mod:`~lss_rules.generators.inject` places the lines with one finding each (``error_rate``);
- :mod:`lss_rules.generators.strategies` — Hypothesis strategies for property tests
  (:func:`records`, :func:`registers`, :func:`invalid_records`, :func:`invalid_files`), each
  returning the data with the exact findings the rule catalogue's counting gives;
  :mod:`lss_rules.generators.edges` draws lines at the rules' bounds for differential tests.

Every personnummer comes from Skatteverket's test lists in ``data/`` (never a real person's).
The strategies are imported on first use, so ``import lss_rules.generators.bulk`` does not
load Hypothesis.
"""

from __future__ import annotations

from typing import Any

from lss_rules.generators.bulk import Register, build_register, capacity, write_register

__all__ = [
    "Drawn",
    "InvalidArgument",
    "Register",
    "build_register",
    "capacity",
    "invalid_files",
    "invalid_records",
    "records",
    "registers",
    "write_register",
]

_STRATEGIES = ("Drawn", "InvalidArgument", "invalid_files", "invalid_records", "records", "registers")


def __getattr__(name: str) -> Any:
    if name in _STRATEGIES:
        from lss_rules.generators import strategies

        return getattr(strategies, name)
    raise AttributeError(f"module 'lss_rules.generators' has no attribute {name!r}")
