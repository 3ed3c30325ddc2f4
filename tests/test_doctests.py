"""The examples in the package's docstrings run and hold (installed package)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import lss_rules


def _modules_with_examples() -> list[str]:
    names = []
    finder = doctest.DocTestFinder()
    for info in pkgutil.walk_packages(lss_rules.__path__, "lss_rules."):
        if info.name.endswith("__main__") or info.name.startswith(("lss_rules.spec", "lss_rules.grammar")):
            continue
        if any(t.examples for t in finder.find(importlib.import_module(info.name))):
            names.append(info.name)
    return names


MODULES = _modules_with_examples()


def test_the_documented_modules_have_examples() -> None:
    assert {"lss_rules.evaluate", "lss_rules.diff", "lss_rules.compiled"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
