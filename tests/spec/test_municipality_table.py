"""The municipality table (spec/data/kommuner.csv) is checked like the spec and located in itself.

Before: an error in it was an E011 at ``register.lss:32:3`` ("rad 28: kommunkoden '193' ska vara fyra
siffror"), and a backwards range, a duplicate code, a county that does not exist and an ended code without
its successor were accepted silently.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_data import SHARED

from lss_rules.language.datasets import COLUMNS, COUNTIES, load_municipalities
from lss_rules.language.diagnostics import Diagnostics, render_all
from lss_rules.language.load import analyse, spec_files

REPO = Path(__file__).resolve().parents[2]
TABLE = (REPO / "spec" / "data" / "kommuner.csv").read_text(encoding="utf-8").split("\n")


def _spec_with(tmp_path: Path, edit: dict[int, str]) -> Path:
    """A copy of the installed spec whose table has line N (1-based) replaced by ``edit[N]``."""
    folder = tmp_path / "spec"
    shutil.copytree(REPO / "spec", folder, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    lines = list(TABLE)
    for n, text in edit.items():
        lines[n - 1] = text
    (folder / "data" / "kommuner.csv").write_text("\n".join(lines), encoding="utf-8")
    return folder


def _found(folder: Path) -> list[tuple[str, str]]:
    _, diags = analyse(spec_files(folder))
    return [(d.code, f"{Path(d.pos.file).name}:{d.pos.line}:{d.pos.column}") for d in diags]


def _line(code: str) -> int:
    return next(i for i, line in enumerate(TABLE, 1) if line.startswith(code + ","))


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ({28: "193,Sundbyberg,01,,"}, [("E010", "kommuner.csv:28:1")]),  # the example
        ({3: "0115,Vallentuna,01,2010,2005"}, [("E010", "kommuner.csv:3:25")]),  # backwards range
        ({3: "0114,Upplands Väsby,01,,"}, [("E005", "kommuner.csv:3:1")]),  # a duplicate code
        ({3: "0114,Upplands Väsby,01,2020,"}, [("E005", "kommuner.csv:3:1")]),  # overlapping years
        ({3: "0115,Vallentuna,02,,"}, [("E010", "kommuner.csv:3:17")]),  # a county that does not exist
        ({3: "0115,Vallentuna,03,,"}, [("E010", "kommuner.csv:3:17")]),  # a county, not the code's
        ({3: "0115,,01,,"}, [("E010", "kommuner.csv:3:6")]),  # no name
        ({3: "0115,Vallentuna,01,år,"}, [("E010", "kommuner.csv:3:20")]),  # a year that is no year
        ({3: "0115,Vallentuna,01"}, [("E011", "kommuner.csv:3:1")]),  # too few cells
        ({1: "kod;namn;lanskod;fran_ar;till_ar"}, [("E011", "kommuner.csv:1:1")]),  # the header
        ({_line("0331"): "0331,Heby,03,2008,"}, [("E006", f"kommuner.csv:{_line('1917')}:15")]),  # no successor
    ],
)
def test_each_problem_is_located_in_the_table(tmp_path, edit, expected):
    assert _found(_spec_with(tmp_path, edit)) == expected


def test_a_code_used_again_in_other_years_is_fine(tmp_path):
    # a code may come back after it ended (years that do not overlap); only the successor rule applies
    folder = _spec_with(tmp_path, {len(TABLE): "1917,Heby,19,2030,"})
    assert _found(folder) == []


def test_check_shows_the_table_line_with_a_caret_and_a_hint(tmp_path, capsys):
    from lss_rules.cli import main

    folder = _spec_with(tmp_path, {28: "193,Sundbyberg,01,,"})
    assert main(["check", "--no-examples", str(folder)]) == 1
    err = capsys.readouterr().err.splitlines()
    at = next(i for i, line in enumerate(err) if "error[E010]" in line)
    assert err[at].startswith(f"{folder / 'data' / 'kommuner.csv'}:28:1: error[E010]: kommunkoden '193'")
    assert err[at + 1] == "   28 | 193,Sundbyberg,01,,"
    assert err[at + 2] == "      | ^^^"
    assert err[at + 3].startswith("  = tips: ")
    assert "register.lss" not in "\n".join(err)


def test_the_counties_are_scbs(tmp_path):
    path = SHARED / "lan.csv"
    if not path.is_file():
        pytest.skip(f"{path}: the shared reference data is not here")
    with path.open(encoding="utf-8", newline="") as f:
        assert {r["lanskod"]: r["namn"] for r in csv.DictReader(f)} == COUNTIES


cells = st.text(st.sampled_from('0123456789,;"é\u00a0x \t'), max_size=8)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cells, min_size=0, max_size=7), max_size=6))
def test_any_table_gives_located_diagnostics_or_sound_rows(tmp_path, rows):
    """Whatever the table holds: no exception, every diagnostic inside the table, every row kept is sound."""
    table = tmp_path / "kommuner.csv"
    table.write_text("\n".join([",".join(COLUMNS), *(",".join(r) for r in rows)]), encoding="utf-8")
    diags = Diagnostics()
    kept = load_municipalities(table, diags)
    n_lines = len(table.read_text(encoding="utf-8").split("\n"))
    for d in diags.items:
        assert d.pos.file == str(table) and 1 <= d.pos.line <= n_lines and d.pos.column >= 1
    list(render_all(diags.sorted()))
    for mun in kept:
        assert len(mun.code) == 4 and mun.code.isdigit() and mun.county == mun.code[:2] and mun.name.strip()
        assert mun.first_year is None or mun.last_year is None or mun.first_year <= mun.last_year


def test_the_table_is_read_by_the_one_bounded_read(tmp_path):
    """read_dataset is read_regular: a regular file only, never through a link put in its place after
    dataset_path resolved it, at most MAX_DATASET_BYTES."""
    from lss_rules.errors import DataError
    from lss_rules.language import paths

    real = tmp_path / "kommuner.csv"
    real.write_text("kod,namn,lanskod,fran_ar,till_ar\n", encoding="utf-8")
    link = tmp_path / "byttes.csv"
    link.symlink_to(real)
    assert paths.read_dataset(real) == real.read_bytes()
    with pytest.raises(OSError):
        paths.read_dataset(link)
    with pytest.raises(DataError, match="ingen vanlig fil"):
        paths.read_dataset(tmp_path)
    big = tmp_path / "stor.csv"
    with big.open("wb") as f:
        f.truncate(paths.MAX_DATASET_BYTES + 1)
    with pytest.raises(DataError, match="större än"):
        paths.read_dataset(big)
