"""Conditions nested as deep as the language allows work in every pass; one level more is a located error.

Issue 22: 500 chained ``and``s ended in RecursionError (in the parser's transformer, then in lowering,
truth, the evaluator and the printers), and 210 nested ``-`` passed ``check`` and then broke
``validate`` (the Python printer).  The language now states a depth (``syntax.MAX_DEPTH``,
docs/reference/language.md): ``check`` refuses a deeper condition with E010, and every command
handles every condition ``check`` accepts — here run in-process, under pytest's own stack.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lss_rules.cli import main
from lss_rules.language.load import analyse, spec_files
from lss_rules.language.syntax import MAX_DEPTH

REPO = Path(__file__).resolve().parents[2]
ATOM = "age(personnummer) >= 12"  # two levels: a comparison over a call


def shapes(depth: int) -> dict[str, str]:
    """A condition of each shape, ``depth`` levels deep (parentheses are no level)."""
    n = depth - 2  # levels above the atom
    alternating = ATOM
    for i in range(n):
        alternating = f"({ATOM} {'and' if i % 2 else 'or'} {alternating})"
    left = ATOM
    for i in range(n):
        left = f"({left} {'or' if i % 2 else 'and'} {ATOM})"
    return {
        "and": " and ".join([ATOM] * (n + 1)),
        "or": " or ".join([ATOM] * (n + 1)),
        "alternating": alternating,
        "alternating-left": left,
        "not": "not " * n + ATOM,
        "minus-nested": "age(personnummer) - " + "(1 - " * n + "1" + ")" * n + " >= 12",
        "plus-chain": "age(personnummer) " + "+ 1 " * n + ">= 12",
        "between": "age(personnummer) + " + "(1 + " * n + "1" + ")" * n + " between 12 and 23",
        "parentheses": "(" * 300 + ATOM + ")" * 300,  # parentheses are no level: depth 2
    }


def _spec_with(tmp_path: Path, conditions: dict[str, str]) -> Path:
    """The real spec with a rule per condition (warnings from 2007, LSS-R90 onward), examples left out."""
    dst = tmp_path / "spec"
    shutil.copytree(REPO / "spec", dst, ignore=shutil.ignore_patterns("__pycache__", "*.py", "examples"))
    rules = []
    for i, (name, cond) in enumerate(conditions.items()):
        rules.append(
            f'rule LSS-R{90 + i} {{\n  title "Djup {name}"\n  message "Djupt villkor ({name})."\n'
            f'  fix "Rätta posten."\n'
            f"  scope record\n  severity none in 1999..2006\n    warning from 2007\n"
            f"  when daglig_verksamhet = 1\n  require {cond}\n}}\n"
        )
    with (dst / "rules.lss").open("a", encoding="utf-8") as f:
        f.write("\n" + "\n".join(rules))
    return dst


LINES = [  # 2023, daglig verksamhet
    "0114;198001012383;1;0;;0;;0;0;;0;;0;0;0;0;0;;1",  # turns 43: every condition above holds
    "0114;201501012389;1;0;;0;;0;0;;0;;0;0;0;0;0;;1",  # turns 8: all but one fail
]


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "RecursionError" not in err, err
    return code, out, err


@pytest.mark.long  # every command over a spec of 60 deep rules (docs, suite, both validators, traces): ~40 s;
# scripts/long runs it (CI too); the parametrised tests below keep each command's depth limit in scripts/test
def test_every_command_handles_conditions_as_deep_as_allowed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    conditions = shapes(MAX_DEPTH)
    spec = _spec_with(tmp_path, conditions)
    ids = [f"LSS-R{90 + i}" for i in range(len(conditions))]
    assert _run(["check", str(spec)], capsys)[0] == 0
    data = tmp_path / "0114.txt"
    data.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    code, out, _ = _run(["validate", "--spec", str(spec), "--year", "2023", "--format", "json", str(data)], capsys)
    assert code == 1  # LSS-R90 and the others are warnings, but the real rules reject line 2 (age 8)
    report = json.loads(out)
    found = {(f["rule"], f["line"]) for f in report["findings"] if f["rule"] in ids}
    # 62 `not`s are none; age + 62 >= 12 always holds; age + 63 between 12 and 23 never does
    lines = {name: {2} for name in conditions} | {"plus-chain": set(), "between": {1, 2}}
    assert found == {(r, n) for r, name in zip(ids, conditions, strict=True) for n in lines[name]}
    # the trace of every finding (issue 27) walks the same trees: no RecursionError, the same findings
    code, out, _ = _run(
        ["validate", "--spec", str(spec), "--year", "2023", "--format", "json", "--explain", str(data)], capsys
    )
    explained = json.loads(out)
    assert (
        code == 1
        and [{k: v for k, v in f.items() if k != "trace"} for f in explained["findings"]] == report["findings"]
    )
    assert all("trace" in f for f in explained["findings"] if f["line"] is not None)
    py = tmp_path / "v.py"
    assert _run(["compile", "--spec", str(spec), "--year", "2023", "--standalone", "-o", str(py)], capsys)[0] == 0
    import sys

    ran = subprocess.run([sys.executable, str(py), str(data), "--format", "json"], capture_output=True, text=True)
    assert json.loads(ran.stdout)["findings"] == report["findings"], ran.stderr
    js = tmp_path / "v.mjs"
    assert _run(["compile", "--spec", str(spec), "--year", "2023", "--target", "js", "-o", str(js)], capsys)[0] == 0
    if shutil.which("node"):
        ran = subprocess.run(["node", str(js), str(data), "--format", "json"], capture_output=True, text=True)
        assert json.loads(ran.stdout)["findings"] == report["findings"], ran.stderr
        argv = ["node", str(js), str(data), "--format", "json", "--explain"]
        ran = subprocess.run(argv, capture_output=True, text=True)
        assert json.loads(ran.stdout)["findings"] == explained["findings"], ran.stderr
    for ident in ids:
        assert _run(["explain", ident, "--year", "2023", "--spec", str(spec)], capsys)[0] == 0
    schema = tmp_path / "s.json"
    assert _run(["schema", "--spec", str(spec), "--year", "2023", "-o", str(schema)], capsys)[0] == 0
    json.loads(schema.read_text(encoding="utf-8"))
    assert _run(["diff", "2006", "2007", "--spec", str(spec)], capsys)[0] == 0
    assert _run(["fmt", "--check", str(spec)], capsys)[0] in (0, 1)
    suite = ["conformance", "export", "--spec", str(spec), "--year", "2023", "-o", str(tmp_path / "s")]
    assert _run(suite, capsys)[0] == 0
    assert _run(["docs", "--spec", str(spec), "-o", str(tmp_path / "docs")], capsys)[0] == 0
    page = (tmp_path / "docs" / "regler" / f"{ids[0]}.md").read_text(encoding="utf-8")
    assert "Djupt villkor (and)" in page


@pytest.mark.parametrize("name", [n for n in shapes(MAX_DEPTH) if n != "parentheses"])
def test_one_level_more_is_a_located_error(tmp_path, name):
    spec = _spec_with(tmp_path, {name: shapes(MAX_DEPTH + 1)[name]})
    _, diags = analyse(spec_files(spec))
    ((d,),) = [[d for d in diags]]
    text = (spec / "rules.lss").read_text(encoding="utf-8").split("\n")
    assert d.code == "E010" and d.pos.file.endswith("rules.lss")
    assert text[d.pos.line - 1][: d.pos.column - 1] in ("  require ", "  require (")  # where the condition starts
    assert f"nästlat i {MAX_DEPTH + 1} nivåer; ett villkor får ha högst {MAX_DEPTH}" in d.message


@pytest.mark.parametrize("depth", [500, 5_000])
def test_check_and_validate_agree_on_a_condition_far_too_deep(tmp_path, capsys, depth):
    spec = _spec_with(tmp_path, {"and": shapes(depth)["and"], "not": shapes(depth)["not"]})
    code, _, err = _run(["check", str(spec)], capsys)
    assert code == 1 and err.count("error[E010]") == 2 and f"nästlat i {depth} nivåer" in err
    data = tmp_path / "0114.txt"
    data.write_text(LINES[0] + "\n", encoding="utf-8")
    code, out, err = _run(["validate", "--spec", str(spec), "--year", "2023", str(data)], capsys)
    assert code == 2 and not out and err.count("error[E010]") == 2
    assert _run(["fmt", "--check", str(spec)], capsys)[0] == 1


def test_validate_and_its_traces_handle_conditions_as_deep_as_allowed(tmp_path, capsys, monkeypatch):
    """The part of the long test above that the trace (issue 27) walks: validate with and without --explain, and
    the JavaScript module's --explain, over the deepest conditions; no RecursionError, the same findings."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = _spec_with(tmp_path, shapes(MAX_DEPTH))
    data = tmp_path / "0114.txt"
    data.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    argv = ["validate", "--spec", str(spec), "--year", "2023", "--format", "json", str(data)]
    code, out, _ = _run(argv, capsys)
    report = json.loads(out)
    code_explained, out, _ = _run([*argv, "--explain"], capsys)
    explained = json.loads(out)
    assert code == code_explained == 1
    assert [{k: v for k, v in f.items() if k != "trace"} for f in explained["findings"]] == report["findings"]
    assert any(f["rule"].startswith("LSS-R9") and f["trace"]["require"] for f in explained["findings"])
    js = tmp_path / "v.mjs"
    assert _run(["compile", "--spec", str(spec), "--year", "2023", "--target", "js", "-o", str(js)], capsys)[0] == 0
    if shutil.which("node"):
        ran = subprocess.run(
            ["node", str(js), str(data), "--format", "json", "--explain"], capture_output=True, text=True
        )
        assert json.loads(ran.stdout)["findings"] == explained["findings"], ran.stderr
