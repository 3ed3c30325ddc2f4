"""Helpers for `lss-rules validate`: lines from the year's layout, files, runs, the report schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from reference_data import reference_file
from schema_check import validate

from lss_rules.runtime import python as runtime

REPO = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((REPO / "lss_rules" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session", autouse=True)
def _cache(tmp_path_factory):
    """A cache folder of the test session's own (never the user's)."""
    import os

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def numbers():
    """Skatteverket's test personnummer valid on 2023-10-01, by birth year."""
    data = json.loads(reference_file("skatteverket-testpersonnummer.json").read_text(encoding="utf-8"))
    by_year: dict[int, list[str]] = {}
    for p in data:
        if runtime.valid_personnummer(p, dt.date(1999, 6, 1)) or runtime.valid_personnummer(p, dt.date(2023, 10, 1)):
            by_year.setdefault(int(p[:4]), []).append(p)
    return by_year


class Lines:
    """Build a year's lines by field name: a valid adult with kontaktperson, overridden as asked."""

    def __init__(self, ym, numbers):
        self.ym = ym
        self.numbers = numbers

    def pnr(self, born: int, i: int = 0) -> str:
        return self.numbers[born][i]

    def line(self, **values: str) -> str:
        base = {f.name: "" for f in self.ym.fields}
        for f in self.ym.fields:
            if f.name in ("kommun",):
                base[f.name] = "0180"
            elif f.name == "personnummer":
                base[f.name] = self.pnr(1980)
            elif f.name == "personkrets":
                base[f.name] = "1"
            elif f.required_when is None and f.always_required:
                base[f.name] = "0"
        base["kontaktperson"] = "1"
        for k, v in values.items():
            assert k in base, f"{k} not in the layout of {self.ym.year}"
            base[k] = v
        return self.ym.layout.separator.join(base[f.name] for f in self.ym.fields)


@pytest.fixture
def lines(year_model, numbers):
    return lambda year: Lines(year_model(year), numbers)


@pytest.fixture
def run(tmp_path, capsys):
    """`lss-rules validate` in-process: (exit code, stdout, stderr); files are written from line lists."""
    from lss_rules.cli import main

    def go(*files, year=2023, args=(), fmt="json", raw=None):
        paths = []
        for i, content in enumerate(files):
            p = tmp_path / f"kommun{i}.txt"
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text("".join(line + "\n" for line in content), encoding="utf-8")
            paths.append(str(p))
        argv = ["validate", *(raw if raw is not None else paths), "--year", str(year), "--format", fmt, *args]
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        report = json.loads(out) if fmt == "json" and out.strip() else None
        if report is not None:
            validate(report, SCHEMA)
        return code, report if report is not None else out, err

    go.tmp_path = tmp_path  # type: ignore[attr-defined]
    return go
