"""The package as Python sees it: no search-path tricks."""

from __future__ import annotations

import importlib.util

import lss_rules


def test_the_package_does_not_contain_itself() -> None:
    # a checkout once added the repository root to lss_rules.__path__: lss_rules.lss_rules.lss_rules imported
    assert importlib.util.find_spec("lss_rules.lss_rules") is None
    assert len(lss_rules.__path__) == 1


def test_the_mapped_folders_are_subpackages() -> None:
    for name in ("lss_rules.grammar", "lss_rules.spec", "lss_rules.generators"):
        assert importlib.util.find_spec(name) is not None, name
