"""Which spec a command reads (issue 22, item 8): a ``spec/`` in the working folder never judges unasked.

Validating in a folder someone else prepared, with its own ``spec/``, turned "ej godkänd" into "godkänd"
with exit 0.  The commands that give a verdict or make something for others read the installed rules
unless ``--spec`` is given; the editing commands read the working copy and say so on standard error.
And a ``.lss`` file is read as a dataset is: a regular file of at most 4 MiB, or one line and exit 2.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lss_rules.cli import main
from lss_rules.language.load import load_spec
from lss_rules.language.source import IGNORED_LINE, WORKING_COPY_LINE

REPO = Path(__file__).resolve().parents[2]
#: 1600 hours of personlig assistans in a month: above the published limit of 1488 (LSS-R21, an error).
LINE = "0180;198001022386;1;1;1600;0;;1;0;;0;;0;0;0;0;0;;0"
INSTALLED = load_spec().digest


@pytest.fixture
def prepared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder as someone else prepared it: a submission and a ``spec/`` whose limit is 9999 hours."""
    shutil.copytree(REPO / "spec", tmp_path / "spec", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    rules = tmp_path / "spec" / "rules.lss"
    text = rules.read_text(encoding="utf-8")
    assert "1488 from 2022" in text
    rules.write_text(text.replace("1488 from 2022", "9999 from 2022"), encoding="utf-8")
    (tmp_path / "0180.txt").write_text(LINE + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_validate_judges_with_the_published_rules(prepared, capsys):
    """Before: exit 0, "godkänd", judged by the folder's own spec/."""
    assert main(["validate", "--year", "2023", "0180.txt", "--format", "json"]) == 1
    cap = capsys.readouterr()
    report = json.loads(cap.out)
    assert report["status"] == "rejected" and [f["rule"] for f in report["findings"]] == ["LSS-R21"]
    assert report["spec"] == {"path": None, "digest": INSTALLED}
    assert cap.err.splitlines() == [IGNORED_LINE]
    assert main(["validate", "--year", "2023", "0180.txt", "--spec", "spec", "--format", "json"]) == 0  # asked for
    assert json.loads(capsys.readouterr().out)["spec"]["path"] == "spec"


def test_explain_on_a_line_judges_with_the_published_rules(prepared, capsys):
    """``explain --line`` says whether a rule gives a finding on a line: a verdict, as validate's."""
    assert main(["explain", "LSS-R21", "--year", "2023", "--line", "0180.txt:1"]) == 0
    cap = capsys.readouterr()
    assert "Fynd: ja" in cap.out and cap.err.splitlines() == [IGNORED_LINE]
    assert main(["explain", "LSS-R21", "--year", "2023", "--line", "0180.txt:1", "--spec", "spec"]) == 0  # asked for
    assert "Fynd: nej" in capsys.readouterr().out


def test_a_copy_of_the_installed_spec_is_the_installed_spec(tmp_path, monkeypatch, capsys):
    """A checkout beside a regular install (CI, the tests, a vendor's copy): nothing to say; a byte changed
    in a dataset and it is another spec again."""
    shutil.copytree(REPO / "spec", tmp_path / "spec", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (tmp_path / "0180.txt").write_text(LINE + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--year", "2023", "0180.txt"]) == 1
    assert capsys.readouterr().err == ""
    assert main(["explain", "LSS-R21", "--year", "2023"]) == 0
    assert WORKING_COPY_LINE not in capsys.readouterr().err
    data = next(p for p in sorted((tmp_path / "spec").rglob("*")) if p.is_file() and p.suffix != ".lss")
    data.write_bytes(data.read_bytes() + b"\n")
    assert main(["validate", "--year", "2023", "0180.txt"]) == 1
    assert capsys.readouterr().err.splitlines() == [IGNORED_LINE]


def _spec_named(argv: list[str], out: str, folder: Path) -> dict | str:
    """What a command's output says about the spec it read."""
    command = argv[0]
    if command in ("report", "years"):
        return json.loads(out)["spec"]
    if command == "schema":
        return json.loads(out)["$defs"]["lss-annotations"]["const"]["x-lss-spec"]
    if command == "compile":
        return (folder / "v.py").read_text(encoding="utf-8").splitlines()[0]
    if command == "conformance":
        return json.loads((folder / "suite" / "manifest.json").read_text(encoding="utf-8"))["spec_version"]
    return out


VERDICT_COMMANDS = {
    "report": (["report", "--year", "2023", "0180.txt", "--format", "json"], {"path": None, "digest": INSTALLED}),
    "years": (["years", "--format", "json"], {"path": None, "digest": INSTALLED}),
    "schema": (["schema", "--year", "2023"], {"path": None, "digest": INSTALLED}),
    "compile": (["compile", "--year", "2023", "-o", "v.py"], INSTALLED[:12]),
    "conformance export": (["conformance", "export", "--year", "2023", "-o", "suite"], INSTALLED),
    "docs": (["docs", "-o", "sidor"], "den installerade"),
    "generate": (["generate", "--year", "2023", "--seed", "1", "--persons", "20", "-o", "reg"], None),
    "convert": (["convert", "0180.txt", "--year", "2023", "--to", "json"], None),
}


@pytest.mark.parametrize("command", list(VERDICT_COMMANDS))
def test_commands_that_make_something_for_others_read_the_installed_spec(prepared, capsys, command):
    argv, named = VERDICT_COMMANDS[command]
    assert main(argv) == 0
    cap = capsys.readouterr()
    assert IGNORED_LINE in cap.err.splitlines()
    said = _spec_named(argv, cap.out, prepared)
    if command == "compile":
        assert f"sha256:{named} " in said and "(från den installerade specifikationen)" in cap.err
    elif command == "generate":
        assert "Specifikation: den installerade" in cap.err
    elif named is None:
        pass  # the layout is all convert reads, the same in both: the line on standard error is what it says
    elif isinstance(named, str) and command == "docs":
        assert f"Specifikation: {named}" in said
    else:
        assert said == named


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--no-examples"],
        ["fmt", "--check"],
        ["explain", "LSS-R21", "--year", "2023"],
        ["diff", "2022", "2023"],
        ["impact", "--from-year", "2022", "--to-year", "2023", "0180.txt", "--format", "json"],
    ],
)
def test_editing_commands_read_the_working_copy_and_say_so(prepared, capsys, argv):
    code = main(argv)
    cap = capsys.readouterr()
    assert code in (0, 1), cap.err
    assert cap.err.splitlines()[0] == WORKING_COPY_LINE
    if argv[0] == "explain":
        assert "(personlig_assistans_max_timmar) = 9999 timmar per månad" in cap.out


def test_no_line_where_there_is_no_spec_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "0180.txt").write_text(LINE + "\n", encoding="utf-8")
    assert main(["validate", "--year", "2023", "0180.txt"]) == 1
    assert main(["explain", "LSS-R21", "--year", "2023"]) == 0
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- .lss files as datasets are read


def _not_regular(kind: str, where: Path) -> None:
    if kind == "fifo":
        os.mkfifo(where)
    elif kind == "link to /dev/zero":
        where.symlink_to("/dev/zero")
    else:
        where.mkdir()


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """In a process of its own, with a time limit: before, a FIFO hung the command and /dev/zero never ended."""
    return subprocess.run(
        [sys.executable, "-m", "lss_rules", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=float(os.environ.get("LSS_TEST_TIMEOUT", "60")),
    )


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        ("fifo", "given as the spec"),
        ("link to /dev/zero", "given as the spec"),
        ("fifo", "inside the spec folder"),
        ("link to /dev/zero", "inside the spec folder"),
        ("folder", "inside the spec folder"),
    ],
)
@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--year", "2023", "0180.txt", "--spec"],
        ["check"],
        ["explain", "LSS-R21", "--year", "2023", "--spec"],
        ["compile", "--year", "2023", "--spec"],
        ["fmt"],
    ],
)
def test_a_spec_file_that_is_not_a_regular_file_is_one_line_and_exit_2(tmp_path, kind, argv, where):
    folder = tmp_path / "regler"
    shutil.copytree(REPO / "spec", folder, ignore=shutil.ignore_patterns("__pycache__", "*.py", "examples"))
    (tmp_path / "0180.txt").write_text(LINE + "\n", encoding="utf-8")
    target = folder / "zz_extra.lss"
    _not_regular(kind, target)
    result = _run([*argv, str(target if where == "given as the spec" else folder)], tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "zz_extra.lss" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_spec_file_over_the_size_limit_is_refused(tmp_path, monkeypatch, capsys):
    from lss_rules.language import paths as safepaths

    monkeypatch.setattr(safepaths, "MAX_SPEC_BYTES", 1000)
    assert main(["check", str(REPO / "spec" / "rules.lss")]) == 2
    assert "är för stor" in capsys.readouterr().err


def test_a_fifo_whose_name_is_refused_is_not_read_for_the_message_either(tmp_path):
    """Before: E012 named the file, and showing its first line read the FIFO: `check` hung."""
    folder = tmp_path / "regler"
    shutil.copytree(REPO / "spec", folder, ignore=shutil.ignore_patterns("__pycache__", "*.py", "examples"))
    os.mkfifo(folder / "Regler.lss")
    result = _run(["check", str(folder)], tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Regler.lss" in result.stderr
