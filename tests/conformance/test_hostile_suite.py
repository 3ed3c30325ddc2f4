"""A conformance suite is untrusted input, and a vendor's output cannot break the JUnit file (issue 10, items 3-4).

Every broken suite ends the run with exit code 2 and one line naming the file and the problem, before
the vendor command is started even once.
"""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
import xmlschema

from lss_rules.cli import main
from lss_rules.tools import conformance

HERE = Path(__file__).resolve().parent
ONE = "LSS-R04-violation-02"


@pytest.fixture
def one_vector(small_suite):
    """The small suite cut to one vector (the runner starts a process per vector)."""
    manifest = json.loads((small_suite / "manifest.json").read_text(encoding="utf-8"))
    manifest["vectors"] = [v for v in manifest["vectors"] if v["id"] == ONE]
    (small_suite / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return small_suite


@pytest.fixture
def spy(tmp_path):
    """A vendor command that leaves a mark when it is started at all."""
    mark = tmp_path / "started"
    script = tmp_path / "spy.py"
    script.write_text(f"import pathlib, sys\npathlib.Path({str(mark)!r}).touch()\nsys.exit(3)\n", encoding="utf-8")
    return f"{shutil.which('python3') or 'python3'} {script}", mark


def _manifest(suite: Path) -> dict:
    return json.loads((suite / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(suite: Path, change: Callable[[dict], object]) -> None:
    m = _manifest(suite)
    change(m)
    (suite / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


def _set(key, value):
    def change(m):
        m["vectors"][0][key] = value

    return change


def _expected(text: str) -> Callable[[Path], None]:
    def change(suite: Path) -> None:
        (suite / ONE / "expected.json").write_text(text, encoding="utf-8")

    return change


def _deep(n: int) -> str:
    return "[" * n + "]" * n


def _symlink_expected(target: str) -> Callable[[Path], None]:
    def change(suite: Path) -> None:
        (suite / ONE / "expected.json").unlink()
        os.symlink(target, suite / ONE / "expected.json")

    return change


def _fifo_expected(suite: Path) -> None:
    (suite / ONE / "expected.json").unlink()
    os.mkfifo(suite / ONE / "expected.json")


def _outside_vector(suite: Path) -> None:
    outside = suite.parent / "outside"
    shutil.copytree(suite / ONE, outside)
    shutil.rmtree(suite / ONE)
    os.symlink(outside, suite / ONE)


def _symlinked_submission(suite: Path) -> None:
    name = _manifest(suite)["vectors"][0]["files"][0]
    (suite / ONE / name).unlink()
    os.symlink("/etc/passwd", suite / ONE / name)


BROKEN = {
    "option as file name": (lambda s: _write_manifest(s, _set("files", ["--spec=evil"])), "manifest.json", "namn"),
    "id ../x": (lambda s: _write_manifest(s, _set("id", "../x")), "manifest.json", "vectors[0].id"),
    "absolute id": (lambda s: _write_manifest(s, _set("id", "/tmp")), "manifest.json", "vectors[0].id"),
    "file ../x": (lambda s: _write_manifest(s, _set("files", ["../0114.txt"])), "manifest.json", "files[0]"),
    "id not a string": (lambda s: _write_manifest(s, _set("id", 7)), "manifest.json", "ska vara en sträng"),
    "files not a list": (lambda s: _write_manifest(s, _set("files", "0114.txt")), "manifest.json", "en lista"),
    "year a string": (lambda s: _write_manifest(s, lambda m: m.update(year="2023")), "manifest.json", "year"),
    # issue 22: python-jsonschema's uniqueItems compared every pair of a list it could not sort (72 s)
    "240 KB of files mixing numbers and strings": (
        lambda s: _write_manifest(s, _set("files", [i if i % 2 else f"{i:05d}-{'x' * 30}.txt" for i in range(10_000)])),
        "manifest.json",
        "files[1] ska vara en sträng",
    ),
    "20,000 files mixing numbers and strings": (
        lambda s: _write_manifest(s, _set("files", [i if i % 2 else f"{i:05d}.txt" for i in range(20_000)])),
        "manifest.json",
        "fler än 10000",
    ),
    "10,000 files mixing numbers and strings": (
        lambda s: _write_manifest(s, _set("files", [f"{i:04d}.txt" if i % 3 else i for i in range(1, 10_000)])),
        "manifest.json",
        "files[2] ska vara en sträng",
    ),
    "10,000 files, the last one twice": (
        lambda s: _write_manifest(s, _set("files", [f"{i:05d}.txt" for i in range(9_999)] + ["09998.txt"])),
        "manifest.json",
        "files[9999] har samma värde två gånger",
    ),
    "a name ending in a newline": (
        lambda s: _write_manifest(s, _set("files", ["0114.txt\n"])),
        "manifest.json",
        "files[0] är inget enkelt namn",
    ),
    "year true": (lambda s: _write_manifest(s, lambda m: m.update(year=True)), "manifest.json", "ett heltal"),
    "format true": (
        lambda s: _write_manifest(s, lambda m: m.update(format=True)),
        "manifest.json",
        "format ska vara 1",
    ),
    "year 2023.0": (lambda s: _write_manifest(s, lambda m: m.update(year=2023.0)), "manifest.json", "ett heltal"),
    "twice the same id": (
        lambda s: _write_manifest(s, lambda m: m["vectors"].append(m["vectors"][0])),
        "manifest.json",
        "två gånger",
    ),
    "manifest {}": (lambda s: (s / "manifest.json").write_text("{}"), "manifest.json", "saknas"),
    "manifest []": (lambda s: (s / "manifest.json").write_text("[]"), "manifest.json", "ett objekt"),
    "manifest deep": (lambda s: (s / "manifest.json").write_text(_deep(100_000)), "manifest.json", "nästlad"),
    "manifest not JSON": (lambda s: (s / "manifest.json").write_text("{\x1b[2J"), "manifest.json", "inte JSON"),
    "manifest not UTF-8": (lambda s: (s / "manifest.json").write_bytes(b'{"\xff": 1}'), "manifest.json", "UTF-8"),
    "manifest a symlink": (
        lambda s: ((s / "manifest.json").unlink(), os.symlink("/dev/zero", s / "manifest.json")),
        "manifest.json",
        "symbolisk länk",
    ),
    "expected {}": (_expected("{}"), "expected.json", "saknas"),
    "expected []": (_expected("[]"), "expected.json", "ett objekt"),
    "expected wrong types": (
        _expected('{"year": 2023, "status": "rejected", "findings": [{"rule": 4, "severity": "error"}]}'),
        "expected.json",
        "findings[0]",
    ),
    "expected deep": (
        _expected('{"year": 2023, "status": "rejected", "findings": ' + _deep(100_000) + "}"),
        "expected.json",
        "nästlad",
    ),
    "expected another year": (
        _expected('{"year": 2022, "status": "accepted", "findings": []}'),
        "expected.json",
        "2022",
    ),
    "expected -> /dev/zero": (_symlink_expected("/dev/zero"), "expected.json", "symbolisk länk"),
    "expected a FIFO": (_fifo_expected, "expected.json", "vanlig fil"),
    "vector folder a symlink out": (_outside_vector, ONE, "symbolisk länk"),
    "submission a symlink": (_symlinked_submission, ".txt", "symbolisk länk"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_suite_is_exit_2_with_one_line(one_vector, spy, case, capsys):
    breaks, file, problem = BROKEN[case]
    breaks(one_vector)
    command, mark = spy
    code = main(["conformance", "run", "--suite", str(one_vector), "--cmd", command, "--timeout", "5"])
    cap = capsys.readouterr()
    lines = cap.err.splitlines()
    assert code == 2, (cap.out, cap.err)
    assert len(lines) == 1 and lines[0].startswith("lss-rules: "), lines
    head, _, why = lines[0].partition(": ")[2].partition(": ")
    assert file in head and problem in why, lines[0]
    assert not mark.exists(), "the vendor command was started on a broken suite"


def test_oversized_manifest_is_refused(one_vector, spy, monkeypatch, capsys):
    monkeypatch.setattr(conformance.suite, "MAX_MANIFEST_BYTES", 100)  # the module that reads it
    assert main(["conformance", "run", "--suite", str(one_vector), "--cmd", spy[0]]) == 2
    assert "manifest.json: är större än" in capsys.readouterr().err


def test_files_come_after_double_dash(one_vector):
    _, vectors = conformance.load_suite(one_vector)
    args = conformance.vendor_args(vectors[0], 2023, ["vendor"])
    assert args[:5] == ["vendor", "--year", "2023", "--format", "json"]
    assert args[args.index("--") + 1 :] == list(vectors[0].files)
    assert args.index("--") > max(i for i, a in enumerate(args) if a.startswith("--") and a != "--")


def test_exported_suite_validates_against_the_schemas(suite_2023):
    manifest, vectors = conformance.load_suite(suite_2023)
    assert len(vectors) == len(manifest["vectors"]) > 100
    assert "-- FILE..." in manifest["protocol"]


# --------------------------------------------------------------------------- JUnit whatever the vendor prints

NASTY = "sys.stdout.buffer.write(b'\\x1b[31mR\\x00E\\x0bD\\xff\\xfe\\xef\\xbf\\xbe\\x1b[0m\\n'); "
NASTY_ERR = "sys.stderr.buffer.write(b'Traceback \\x1b[2J\\x00\\x07\\x0c\\xc3(\\n\\x0b\\x1b]0;t\\x07'); "


@pytest.mark.parametrize(
    "body",
    [
        NASTY + NASTY_ERR + "sys.exit(1)",
        NASTY + NASTY_ERR + "sys.exit(3)",
        NASTY_ERR + "print(json.dumps({'status': 'accepted', 'findings': [{'rule': 'R\\x1b', 'severity': "
        "'e\\x00', 'file': '\\x0b', 'line': None}]})); sys.exit(0)",
        "print(json.dumps({'status': 'rejected\\x00', 'findings': []})); sys.exit(1)",
    ],
)
def test_junit_is_valid_xml_whatever_the_vendor_prints(one_vector, vendor, tmp_path, body, capsys):
    junit = tmp_path / "junit.xml"
    code = main(["conformance", "run", "--suite", str(one_vector), "--cmd", vendor(body), "--junit", str(junit)])
    out = capsys.readouterr().out
    assert code == 1
    assert all(c.isprintable() or c == "\n" for c in out), repr(out)  # the terminal gets no control characters
    ET.parse(junit)  # well-formed
    xmlschema.XMLSchema(HERE / "junit.xsd").validate(junit)  # and a JUnit file CI systems read
    root = ET.parse(junit).getroot()
    failure = root.find(".//failure") if root.find(".//error") is None else root.find(".//error")
    assert failure is not None and failure.text is not None


def test_failing_vector_shows_exit_code_and_stderr_tail(one_vector, vendor, capsys):
    body = "sys.stderr.write('rad ett\\nrad två\\nNullPointerException i Kontroll.java:42\\n'); sys.exit(1)"
    assert main(["conformance", "run", "--suite", str(one_vector), "--cmd", vendor(body)]) == 1
    out = capsys.readouterr().out
    assert "avslutningskod 1" in out and "NullPointerException i Kontroll.java:42" in out


def test_xml_text_escapes_what_xml_forbids():
    assert conformance.xml_text("a\x00b\x1b[1m\x0b\ufffe\ud800\tc\n") == "a\\x00b\\x1b[1m\\x0b\\ufffe\\ud800\tc\n"
