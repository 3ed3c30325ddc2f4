"""Helpers to build record lines for one year and run the reference evaluator on them."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable

import pytest
from reference_data import reference_file


@functools.cache
def test_personnummer() -> tuple[str, ...]:
    return tuple(json.loads(reference_file("skatteverket-testpersonnummer.json").read_text(encoding="utf-8")))


def born(year: int, n: int = 0) -> str:
    """The n-th Skatteverket test personnummer of someone born in ``year``."""
    hits = [p for p in test_personnummer() if p.startswith(str(year))]
    assert len(hits) > n, f"no test personnummer born {year}"
    return hits[n]


def make_line(ym, **values: object) -> str:
    """A line valid in ``ym.year`` (daglig verksamhet, personkrets 1, born 40 years before), with overrides."""
    row: dict[str, str] = {}
    kommun = sorted(ym.municipalities)[0]
    for f in ym.fields:
        match f.type.__class__.__name__:
            case "MunicipalityType":
                row[f.name] = kommun if f.name == "kommun" else ""
            case "PersonnummerType":
                row[f.name] = born(ym.year - 40)
            case "EnumType":
                row[f.name] = "1"
            case "FlagType":
                row[f.name] = "1" if f.name == "daglig_verksamhet" else "0"
            case _:
                row[f.name] = ""
    for k, v in values.items():
        assert k in row, f"{k} is not a field in {ym.year}"
        row[k] = str(v)
    return ym.layout.separator.join(row[f.name] for f in ym.fields)


@pytest.fixture
def findings(year_model) -> Callable[..., list]:
    """findings(year, line, ...) or findings(year, [[file1 lines], [file2 lines]], deceased=...)."""
    from lss_rules.meaning.evaluate import Evaluator

    def run(year: int, *lines: str, files: list[list[str]] | None = None, deceased=None) -> list:
        ym = year_model(year)
        _, found = Evaluator(ym, deceased).run(files if files is not None else [list(lines)])
        return found

    return run


@pytest.fixture
def rules_on(findings) -> Callable[..., set[str]]:
    """The rule ids found on one line."""

    def run(year: int, line: str, deceased=None) -> set[str]:
        return {f.rule for f in findings(year, line, deceased=deceased)}

    return run
