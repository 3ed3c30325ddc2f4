"""Support for the every-year tests (imported as `years_support`).

Test personnummer, layout-aware lines, running both engines.

Lines are built from field names, so one recipe serves the three layouts: a
value for a field the year does not collect is dropped, and the line has the
year's fields in the year's order.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import io
import json
from collections.abc import Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from reference_data import reference_file

YEARS = tuple(range(1999, 2026))


@functools.lru_cache(maxsize=1)
def test_numbers() -> tuple[str, ...]:
    return tuple(json.loads(reference_file("skatteverket-testpersonnummer.json").read_text(encoding="utf-8")))


def born_on(date: dt.date) -> str | None:
    """A Skatteverket test personnummer born on ``date``, if the list has one."""
    prefix = date.strftime("%Y%m%d")
    return next((p for p in test_numbers() if p.startswith(prefix)), None)


def aged(year: int, age: int, n: int = 0) -> str:
    """The ``n``-th test personnummer born in ``year - age`` (age counted by calendar year).

    Born in January–May, so that even age 0 is born before every reference date (1 June at the earliest).
    """
    prefix = str(year - age)
    hits = [p for p in test_numbers() if p.startswith(prefix) and p[4:6] <= "05"]
    assert len(hits) > n, f"no test personnummer {n} born {prefix}"
    return hits[n]


def luhn_digit(nine: str) -> str:
    """The check digit of the nine digits yymmddnnn.

    Used only where Skatteverket's list has no number born on a date we need
    (the list ends in 2023): the test then builds the number itself.
    """
    total = 0
    for i, c in enumerate(nine):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return str((10 - total % 10) % 10)


def number_born_on(date: dt.date) -> str:
    found = born_on(date)
    if found is not None:
        return found
    # no test number born on this date (the list stops in 2023): compute a check digit; serial 238 as in the list
    nine = date.strftime("%y%m%d") + "238"
    return date.strftime("%Y%m%d") + "238" + luhn_digit(nine)


class Lines:
    """Build lines for one year's model from field values (defaults: a valid adult with kontaktperson)."""

    def __init__(self, ym: Any) -> None:
        self.ym = ym
        self.names = ym.field_names

    def has(self, *fields: str) -> bool:
        return all(f in self.names for f in fields)

    def values(self, age: int = 40, n: int = 0, **values: str) -> dict[str, str]:
        base: dict[str, str] = {}
        for f in self.ym.fields:
            kind = type(f.type).__name__
            if f.name == "kommun":
                base[f.name] = "0114"
            elif kind == "PersonnummerType":
                base[f.name] = aged(self.ym.year, age, n)
            elif kind == "EnumType":
                base[f.name] = "1"
            elif kind == "FlagType":
                base[f.name] = "1" if f.name == "kontaktperson" else "0"
            else:
                base[f.name] = ""
        base.update({k: v for k, v in values.items() if k in self.names})
        return base

    def line(self, age: int = 40, n: int = 0, **values: str) -> str:
        v = self.values(age, n, **values)
        return self.ym.layout.separator.join(v[name] for name in self.names)


def validate_available() -> bool:
    try:
        return importlib.util.find_spec("lss_rules.cli.validate") is not None
    except ModuleNotFoundError:
        return False


def run_engines(
    ym: Any, files: Sequence[Sequence[str]], tmp: Path, deceased: Mapping[str, dt.date] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """The JSON report of the reference evaluator and, when it exists, of `lss-rules validate`."""
    from lss_rules.meaning.evaluate import evaluate_files

    tmp.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, lines in enumerate(files):
        p = tmp / f"k{i}.txt"
        p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        paths.append(str(p))
    out = [("evaluate", evaluate_files(ym, paths, deceased))]
    if validate_available():
        from lss_rules.cli import main

        args = ["validate", *paths, "--year", str(ym.year), "--format", "json"]
        if deceased is not None:
            dp = tmp / "deceased.txt"
            dp.write_text("".join(f"{k};{v.isoformat()}\n" for k, v in deceased.items()), encoding="utf-8")
            args += ["--deceased", str(dp)]
        buf, err = io.StringIO(), io.StringIO()
        with redirect_stdout(buf), redirect_stderr(err):
            code = main(args)
        assert code in (0, 1), f"validate exit {code}: {err.getvalue()}"
        out.append(("validate", json.loads(buf.getvalue())))
    return out


def rules_of(report: dict[str, Any]) -> list[str]:
    return [f["rule"] for f in report["findings"]]
