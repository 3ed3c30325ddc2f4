"""Nothing echoed to a terminal carries a live escape sequence (issue 22, item 12).

Before, ``impact`` echoed a submission's lines and file names raw, ``convert`` its warning's file name,
``report --format csv`` its file names, the text report and ``explain`` the spec's messages: an ESC, a CSI
(``ESC [``, or the C1 control U+009B), an OSC (``ESC ]`` … BEL, which sets a terminal's title), a bidi
override (U+202E, U+2066) or NEL (U+0085) reached the terminal as it was.  Now every text output goes
through :func:`lss_rules.runtime.python.printable` (``\\x1b``, ``\\u202e``...), in the JavaScript module too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lss_rules.cli import main

REPO = Path(__file__).resolve().parents[2]
EVIL = "\x1b[31m\x1b]0;titel\x07\x9b2J\u202e\u2066\x85"  # CSI, OSC, C1 CSI, bidi overrides, NEL
LINE = "0114;201001012384;1;1;800;0;;1;0;;0;;0;0;0;0;0;;0"  # personlig assistans 800 h: R17 before 2021, R21 after


def printable(text: str) -> bool:
    return all(c.isprintable() or c == "\n" for c in text)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(scope="module")
def hostile_spec(tmp_path_factory) -> Path:
    """The spec with the escapes in every title, message, note and interpretation (and a \\n escape)."""
    folder = tmp_path_factory.mktemp("spec") / "spec"
    shutil.copytree(REPO / "spec", folder, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    for path in folder.glob("*.lss"):
        text = path.read_text(encoding="utf-8")
        for key in ("title", "title_en", "message", "message_en", "note", "interpretation"):
            text = re.sub(rf'(\n\s*{key} ")', rf"\g<1>{EVIL}\\n", text)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    path = folder / f"0114{EVIL}.txt"
    path.write_text(f"{LINE}\n{LINE.replace(';1;1;800;', f';1;1;{EVIL};', 1)}\n{EVIL}\n", encoding="utf-8")
    return path


def test_the_hostile_spec_is_a_spec(hostile_spec, capsys):
    code, out = _run(["check", "--no-examples", str(hostile_spec)], capsys)
    assert code == 0, out
    assert printable(out)


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--year", "2023", "{file}"],
        ["validate", "--year", "2023", "--lang", "en", "{file}"],
        ["validate", "--year", "2005", "{file}"],  # the note of a rule not in force
        ["explain", "LSS-R01", "--year", "2023"],
        ["explain", "LSS-R03", "--year", "2005", "--lang", "en"],
        ["diff", "2020", "2021"],
        ["diff", "2006", "2007"],
        ["years"],
        ["impact", "--from-year", "2020", "--to-year", "2023", "{file}"],
        ["report", "--year", "2023", "{file}"],
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_spec_texts_are_shown_escaped(argv, hostile_spec, hostile_file, capsys):
    argv = [str(hostile_file) if a == "{file}" else a for a in argv]
    code, out = _run([*argv, "--spec", str(hostile_spec)], capsys)
    assert code in (0, 1), out
    assert printable(out), repr(out)
    assert "\\x1b[31m" in out or argv[0] in ("years", "report")  # shown, as text


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--year", "2023"],
        ["validate", "--year", "2023", "--show-personnummer"],
        ["impact", "--from-year", "2020", "--to-year", "2023"],
        ["impact", "--from-year", "2020", "--to-year", "2023", "--format", "markdown"],
        ["convert", "--year", "2023"],  # its warning names the file
        ["report", "--year", "2023"],
        ["report", "--year", "2023", "--format", "csv"],
        ["report", "--year", "2023", "--previous", "{file}", "--format", "csv", "--"],
    ],
    ids=" ".join,
)
def test_file_names_and_lines_are_shown_escaped(argv, hostile_file, capsys):
    argv = [str(hostile_file) if a == "{file}" else a for a in argv]
    code, out = _run([*argv, str(hostile_file)], capsys)
    assert code in (0, 1), out
    text = out if argv[0] != "convert" else out.split("\n]\n", 1)[1]  # convert's JSON on standard out is data
    assert printable(text), repr(text)
    assert "0114\\x1b[31m" in text, text  # the file name, escaped


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--year", "2023", f"saknas{EVIL}.txt"],
        ["validate", "--year", "2023", "--deceased", f"saknas{EVIL}.txt", "x.txt"],
        ["validate", "--year", "2023", f"--bogus{EVIL}", "x.txt"],
        ["validate", "--year", f"20{EVIL}", "x.txt"],
        ["explain", f"LSS-R{EVIL}", "--year", "2023"],
        ["convert", "--year", "2023", f"saknas{EVIL}.txt"],
        ["impact", "--from-year", "2020", "--to-year", "2023", f"saknas{EVIL}.txt"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_error_messages_are_escaped(argv, capsys):
    code, out = _run(argv, capsys)
    assert code == 2
    assert printable(out), repr(out)


def test_a_deceased_line_is_echoed_escaped(tmp_path, hostile_file, capsys):
    dead = tmp_path / "avlidna.txt"
    dead.write_text(f"198001012384;{EVIL.replace(';', '')}\n", encoding="utf-8")  # one ; only
    code, out = _run(["validate", "--year", "2023", "--deceased", str(dead), str(hostile_file)], capsys)
    assert code == 2 and "är inget datum" in out and printable(out), repr(out)


def test_the_javascript_text_report_is_escaped(hostile_spec, hostile_file, tmp_path, capsys):
    """The JavaScript module wrote file names raw in its text report (Python's escaped them), and both
    wrote the spec's titles and messages raw."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node saknas")
    module = tmp_path / "lss-2023.mjs"
    python = tmp_path / "lss_2023.py"
    assert main(["compile", "--year", "2023", "--spec", str(hostile_spec), "--target", "js", "-o", str(module)]) == 0
    assert main(["compile", "--year", "2023", "--spec", str(hostile_spec), "--standalone", "-o", str(python)]) == 0
    capsys.readouterr()
    for argv in ([], ["--lang", "en"]):
        js = subprocess.run([node, str(module), *argv, str(hostile_file)], capture_output=True, check=False)
        py = subprocess.run(["python3", str(python), *argv, str(hostile_file)], capture_output=True, check=False)
        assert js.returncode == py.returncode == 1, js.stderr
        assert printable(js.stdout.decode()) and "\\x1b[31m" in js.stdout.decode()
        assert js.stdout == py.stdout
