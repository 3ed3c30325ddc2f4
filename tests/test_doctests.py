"""The examples in the package's docstrings run and hold (installed package)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import lss_rules
import lss_rules.generators


def _modules_with_examples() -> list[str]:
    names = []
    finder = doctest.DocTestFinder()
    # lss_rules.generators lives in generators/ in a checkout (package-dir mapping): walk it by its own path
    found = [*pkgutil.walk_packages(lss_rules.__path__, "lss_rules.")]
    found += pkgutil.walk_packages(lss_rules.generators.__path__, "lss_rules.generators.")
    for info in sorted({i.name: i for i in found}.values(), key=lambda i: i.name):
        if info.name.endswith("__main__") or info.name.startswith(("lss_rules.spec", "lss_rules.grammar")):
            continue
        if any(t.examples for t in finder.find(importlib.import_module(info.name))):
            names.append(info.name)
    return names


MODULES = _modules_with_examples()


def test_the_documented_modules_have_examples() -> None:
    assert {
        "lss_rules.meaning.evaluate",
        "lss_rules.meaning.diff",
        "lss_rules.meaning.release_notes",
        "lss_rules.backends.python.cache",
        "lss_rules.generators.strategies",
    } <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
