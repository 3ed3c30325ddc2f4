"""Outputs stay well-formed and honest on hostile inputs and broken outputs (issue 10, items 5, 6, 7, 9).

- a write error on standard out (a full disk, a closed descriptor) is exit 2 and one line on standard
  error; a reader that goes away (``| head``) ends the run quietly: no traceback, no "Exception ignored";
- a file that changes between the two reads of a national run (or during one) is exit 2;
- a file name that is not UTF-8 gives valid UTF-8 JSON, the bytes written ``\\xNN``;
- a personnummer shows at most its birth date, and every value in a text report is printable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lss_rules.cli import main
from lss_rules.runtime import python as runtime

LINE = "0114;201001012384;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"  # a valid 2023 record (Skatteverket's test number)
LSS_RULES = [sys.executable, "-m", "lss_rules"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A rejected submission with a long report (3,000 LSS-S01 lines) and a compiled 2023 module."""
    d = tmp_path_factory.mktemp("outputs")
    (d / "0114.txt").write_text(LINE + "\n" + "x\n" * 3000, encoding="utf-8")
    assert main(["compile", "--year", "2023", "-o", str(d / "v.py")]) == 0
    return d


def commands(d: Path) -> dict[str, list[str]]:
    f = str(d / "0114.txt")
    return {
        "validate-text": [*LSS_RULES, "validate", "--year", "2023", f],
        "validate-json": [*LSS_RULES, "validate", "--year", "2023", "--format", "json", f],
        "schema": [*LSS_RULES, "schema", "--year", "2023"],
        "convert": [*LSS_RULES, "convert", "--year", "2023", f],
        "report": [*LSS_RULES, "report", "--year", "2023", "--format", "json", f],
        "module-json": [sys.executable, str(d / "v.py"), "--format", "json", f],
        "module-text": [sys.executable, str(d / "v.py"), f],
    }


NAMES = ["validate-text", "validate-json", "schema", "convert", "report", "module-json", "module-text"]


def _quiet(stderr: bytes) -> None:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and "Exception ignored" not in text, text


def _not_its_usual(name: str, stderr: bytes) -> bytes:
    """Standard error without what the command writes there on this file in any case: convert's
    LSS-S01 lines, report's warning that 3,000 lines have another year's layout."""
    usual = {"convert": b"(LSS-S01)", "report": b"lss-rules: varning: "}.get(name)
    return b"".join(line for line in stderr.splitlines(keepends=True) if usual is None or usual not in line)


@pytest.mark.parametrize("name", NAMES)
def test_full_disk_is_exit_2_and_one_line(files, name):
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(commands(files)[name], stdout=full, stderr=subprocess.PIPE, check=False)
    _quiet(proc.stderr)
    assert proc.returncode == 2, proc.stderr
    lines = _not_its_usual(name, proc.stderr).decode().splitlines()
    assert len(lines) == 1 and "standard ut kan inte skrivas" in lines[0], lines


@pytest.mark.parametrize("name", NAMES)
def test_closed_stdout_is_exit_2_and_one_line(files, name):
    proc = subprocess.run(
        commands(files)[name], stderr=subprocess.PIPE, check=False, pass_fds=(), preexec_fn=lambda: os.close(1)
    )
    _quiet(proc.stderr)
    assert proc.returncode == 2, proc.stderr
    err = _not_its_usual(name, proc.stderr).decode()
    assert err.count("\n") == 1 and "standard ut" in err


@pytest.mark.parametrize("name", NAMES)
def test_closed_pipe_ends_quietly(files, name):
    proc = subprocess.Popen(commands(files)[name], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # `| head -c 10`
    err = proc.stderr.read()
    code = proc.wait(timeout=60)
    _quiet(err)
    err = _not_its_usual(name, err)
    assert err == b"" and code in (0, 1), (code, err)


# --------------------------------------------------------------------------- a file that changes


@pytest.fixture
def tampered(tmp_path, monkeypatch):
    """Two files sharing a person and an insats (LSS-R09 reads them twice); the first is rewritten between
    the reads with the same size and its time set back, so size, time and identity all look unchanged."""
    from lss_rules.backends.python.cache import load_validator

    mod = load_validator(2023)
    a, b = tmp_path / "0114.txt", tmp_path / "0115.txt"
    a.write_text(LINE + "\n", encoding="utf-8")
    b.write_text(LINE.replace("0114;", "0115;", 1) + "\n", encoding="utf-8")
    before = a.stat()
    tally = mod.tally
    calls = []

    def tamper(*args):
        tally(*args)
        calls.append(1)
        if len(calls) == 2:  # after the first pass over both files, before the second
            a.write_text(LINE.replace(";1;0;;0;;1;", ";2;0;;0;;1;", 1) + "\n", encoding="utf-8")
            os.utime(a, ns=(before.st_atime_ns, before.st_mtime_ns))
            assert runtime.file_state(str(a)) == (before.st_dev, before.st_ino, before.st_size, before.st_mtime_ns)

    monkeypatch.setattr(mod, "tally", tamper)
    return mod, [str(a), str(b)], calls


def test_same_size_rewrite_between_the_reads_is_detected(tampered):
    mod, paths, calls = tampered
    with pytest.raises(mod.InputError, match="filen ändrades under granskningen"):
        mod.validate(paths)
    assert len(calls) == 2


def test_changed_file_is_exit_2_in_the_cli(tampered, capsys):
    _, paths, _ = tampered
    assert main(["validate", "--year", "2023", "--format", "json", *paths]) == 2
    cap = capsys.readouterr()
    assert cap.out == "" and "0114.txt: filen ändrades under granskningen" in cap.err


def test_growing_during_the_first_read_is_detected(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("a\nb\n", encoding="utf-8")
    lines = runtime.iter_lines(str(path))
    assert next(lines) == "a"
    with path.open("a", encoding="utf-8") as f:
        f.write("c\n")
    with pytest.raises(runtime.InputError, match="ändrades under granskningen"):
        list(lines)


# --------------------------------------------------------------------------- file names that are not UTF-8


@pytest.fixture
def odd_name(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/0114-\xff\xfe.txt"
    with open(raw, "wb") as f:
        f.write(("x\n" + LINE + "\n").encode())
    return os.fsdecode(raw)  # as sys.argv has it: surrogate escapes


def _valid_json_bytes(data: bytes) -> object:
    return json.loads(data.decode("utf-8"))  # strict: no surrogates, no invalid bytes


def test_non_utf8_name_validate_json_is_utf8(odd_name, capsys):
    assert main(["validate", "--year", "2023", "--format", "json", odd_name]) == 1
    out = capsys.readouterr().out
    report = _valid_json_bytes(out.encode("utf-8"))
    assert isinstance(report, dict)
    assert report["files"][0]["path"].endswith("0114-\\xff\\xfe.txt")
    assert report["findings"][0]["file"] == report["files"][0]["path"]


def test_non_utf8_name_validate_text_and_report_are_utf8(odd_name, capsys):
    assert main(["validate", "--year", "2023", odd_name]) == 1
    assert "0114-\\xff\\xfe.txt" in capsys.readouterr().out.encode("utf-8").decode("utf-8")
    assert main(["report", "--year", "2023", "--format", "json", odd_name]) == 0
    doc = _valid_json_bytes(capsys.readouterr().out.encode("utf-8"))
    assert isinstance(doc, dict) and doc["municipalities"][0]["file"].endswith("0114-\\xff\\xfe.txt")


def test_non_utf8_name_compiled_module_is_utf8(odd_name, files):
    proc = subprocess.run(
        [os.fsencode(sys.executable), os.fsencode(str(files / "v.py")), b"--format", b"json", os.fsencode(odd_name)],
        capture_output=True,
        check=False,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    assert proc.returncode == 1, proc.stderr
    report = _valid_json_bytes(proc.stdout)
    assert isinstance(report, dict) and report["files"][0]["path"].endswith("0114-\\xff\\xfe.txt")


def test_clean_path():
    assert runtime.clean_path("a.txt") == "a.txt"
    assert runtime.clean_path(os.fsdecode(b"a\xffb")) == "a\\xffb"
    assert runtime.clean_path("a\ud800b") == "a\\ud800b"
    assert runtime.clean_path(b"caf\xc3\xa9") == "café"


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("198001012384", "19800101-****"),
        ("8004222397", "************"),  # ten digits: nothing, not the birth date and two serial digits
        ("19800101-2384", "************"),
        ("1980010123845", "************"),
        ("\x1b[2J19800101", "************"),
        ("١٩٨٠٠١٠١٢٣٨٤", "************"),  # twelve digits, but not ASCII ones
        ("", ""),
        (None, None),
    ],
)
def test_mask_shows_at_most_the_birth_date(value, shown):
    assert runtime.mask(value) == shown


def test_text_report_is_printable_even_with_show_personnummer(tmp_path, capsys):
    path = tmp_path / "0114.txt"
    path.write_text(LINE.replace("201001012384", "\x1b[2J\x07\x00123") + "\n", encoding="utf-8")
    for extra in ([], ["--show-personnummer"]):
        assert main(["validate", "--year", "2023", str(path), *extra]) == 1
        out = capsys.readouterr().out
        assert all(c.isprintable() or c == "\n" for c in out), repr(out)
    assert "\\x1b[2J\\x07\\x00123" in out  # shown, escaped, with --show-personnummer


def test_printable():
    assert runtime.printable("abc åäö") == "abc åäö"
    assert runtime.printable("a\x1b[31mb\x00\r\n\u2028") == "a\\x1b[31mb\\x00\\r\\n\\u2028"
