"""Resources (issue 22): memory bounded whatever the input, what is no regular file refused, and a run that
runs out of memory or open files one Swedish line and exit code 2 — in ``lss-rules validate``, the
compiled Python module in both forms and the node module, each started as a user starts it.

Before: 20 MB of blank lines took 3.3 GB of memory; ``validate /dev/urandom`` grew until a MemoryError
traceback with exit code 1 (the code for "rejected"); a FIFO kept the run waiting for a writer.
"""

from __future__ import annotations

import errno
import io
import json
import os
import resource
import shutil
import subprocess
import sys
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from lss_rules.backends.javascript.to_javascript import to_javascript
from lss_rules.backends.python.to_python import to_python
from lss_rules.cli import main
from lss_rules.runtime import python as runtime

BLANK_LINES = 6_000_000  # 6 MB of line ends: as many LSS-S01 findings, 0.7 GB of them kept before the bound
MEMORY = 256 << 20  # address space of a Python run (RLIMIT_AS); node gets a heap of 64 MB


@pytest.fixture(scope="module")
def targets(year_model, tmp_path_factory) -> dict[str, list[str]]:
    """How a user starts each validator of 2023 (the year built in, or given)."""
    folder = tmp_path_factory.mktemp("targets")
    (folder / "lss_2023.py").write_text(to_python(year_model(2023)), encoding="utf-8")
    (folder / "lss_2023_standalone.py").write_text(to_python(year_model(2023), standalone=True), encoding="utf-8")
    (folder / "lss-2023.mjs").write_text(to_javascript(year_model(2023)), encoding="utf-8")
    out = {
        "lss-rules": [sys.executable, "-m", "lss_rules", "validate", "--year", "2023"],
        "module": [sys.executable, str(folder / "lss_2023.py")],
        "standalone": [sys.executable, str(folder / "lss_2023_standalone.py")],
    }
    node = shutil.which("node") or shutil.which("nodejs")
    if node is not None:
        out["node"] = [node, "--max-old-space-size=64", str(folder / "lss-2023.mjs")]
    return out


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _run(argv: list[str], cwd: Path, limit: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
        preexec_fn=_limited if limit and "node" not in Path(argv[0]).name else None,
    )


def test_memory_is_bounded_whatever_the_input(targets, tmp_path):
    """Millions of blank lines under a memory limit: a report and exit 1, not a MemoryError."""
    blank = tmp_path / "0114.txt"
    blank.write_bytes(b"\n" * BLANK_LINES)
    for name, argv in targets.items():
        proc = _run([*argv, "--format", "json", str(blank)], tmp_path, limit=True)
        assert (proc.returncode, proc.stderr) == (1, ""), (name, proc.stderr[-2000:])
        report = json.loads(proc.stdout)
        assert report["files"][0]["records"] == BLANK_LINES
        assert len(report["findings"]) == runtime.LISTED, name
        assert report["not_listed"] == [
            {"file": str(blank), "rule": "LSS-S01", "severity": "error", "count": BLANK_LINES - runtime.LISTED}
        ], name


def test_what_is_no_regular_file_is_refused_by_every_target(targets, tmp_path, lines):
    """A FIFO (made now) and devices: one Swedish line, exit 2, nothing read — also as --deceased."""
    good = tmp_path / "0114.txt"
    good.write_text(lines(2023).line() + "\n", encoding="utf-8")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    kinds = {str(fifo): "en FIFO (en pipe)", "/dev/urandom": "en enhet", "/dev/zero": "en enhet"}
    for name, argv in targets.items():
        for path, kind in kinds.items():
            for args in ([str(good), path], ["--deceased", path, str(good)]):
                proc = _run([*argv, *args], tmp_path)
                assert (proc.returncode, proc.stdout) == (2, ""), (name, args, proc.stderr)
                assert proc.stderr.count("\n") == 1, (name, proc.stderr)
                assert proc.stderr.endswith(
                    f": {path}: är {kind}, inte en vanlig fil; spara innehållet i en fil och granska filen\n"
                )


# --------------------------------------------------------------------------- out of a resource: one line, exit 2

FAILURES = {
    "memory": (MemoryError(), "minnet räckte inte för körningen"),
    "depth": (RecursionError("maximum recursion depth exceeded"), "för djupt nästlade"),
    "files": (OSError(errno.EMFILE, "Too many open files"), "för många öppna filer"),
    "ENOMEM": (OSError(errno.ENOMEM, "Cannot allocate memory"), "minnet räckte inte för körningen"),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_lss_rules_out_of_a_resource_is_one_line(failure, monkeypatch, tmp_path, capsys):
    exc, words = FAILURES[failure]

    def fail(args):
        raise exc

    monkeypatch.setattr("lss_rules.cli.validate.run", fail)
    assert main(["validate", "--year", "2023", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("lss-rules: ") and words in err and err.count("\n") == 1, err


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_compiled_module_out_of_a_resource_is_one_line(failure, tmp_path, lines):
    exc, words = FAILURES[failure]
    path = tmp_path / "0114.txt"
    path.write_text(lines(2023).line() + "\n", encoding="utf-8")

    def report(*args, **kwargs):
        raise exc

    err = io.StringIO()
    with redirect_stderr(err):
        code = runtime.run_main([str(path)], 2023, "lss-validate-2023", report, {}, ())
    assert code == 2 and err.getvalue().startswith("lss-validate-2023: ") and words in err.getvalue()
    assert err.getvalue().count("\n") == 1


def test_another_error_is_not_taken_for_a_resource():
    assert runtime.resource_message(OSError(errno.ENOENT, "No such file")) is None
    assert runtime.resource_message(ValueError("x")) is None


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_the_node_module_out_of_a_resource_is_one_line(failure, tmp_path, lines, runtime_mjs):
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node saknas (scripts/test installerar Debians nodejs)")
    _, words = FAILURES[failure]
    path = tmp_path / "0114.txt"
    path.write_text(lines(2023).line() + "\n", encoding="utf-8")
    module = runtime_mjs
    proc = subprocess.run(
        [node, str(Path(__file__).resolve().parent / "fails.mjs"), str(module), failure, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    assert proc.stderr.startswith("lss-validate-2023: ") and words in proc.stderr and proc.stderr.count("\n") == 1


def test_a_deceased_list_larger_than_memory_is_one_line(targets, tmp_path, lines):
    """A real MemoryError: a death-register extract of 3 million lines, read whole, under the limit."""
    good = tmp_path / "0114.txt"
    good.write_text(lines(2023).line() + "\n", encoding="utf-8")
    dead = tmp_path / "avlidna.txt"
    with dead.open("w", encoding="ascii") as f:
        f.writelines(f"1980{i:08d};2023-01-01\n" for i in range(3_000_000))
    for name in ("lss-rules", "standalone"):
        proc = _run([*targets[name], "--deceased", str(dead), str(good)], tmp_path, limit=True)
        assert proc.returncode == 2 and proc.stdout == "", (name, proc.stderr[-2000:])
        assert proc.stderr.count("\n") == 1 and "minnet räckte inte för körningen" in proc.stderr, proc.stderr
