"""No English in any help or error text: argparse's own texts, the operating system's, our own.

Every subcommand's ``--help`` and a set of error paths (bad numbers, missing arguments, bad
choices, missing files, a folder, a program that does not exist) are run in-process; the
output must hold none of the English words argparse, the C library or a careless message
would print.  Option names (``--year``) and choices (``{text,json}``) are the interface and
are left out of the comparison.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from lss_rules.cli import build_parser, main

ENGLISH = re.compile(
    r"\b(usage|positional|options?|optional|arguments|show|message|exit|invalid|value|required|expected|"
    r"error|errors|No such|file or directory|Permission|denied|directory|passed|failed|choose|unrecognized|"
    r"ambiguous|Traceback|FILE|YEAR|COMMAND|DIR|PATH|RULE|SPEC|OUTPUT|not|the|is|and|or|of|to)\b"
)


def english(text: str) -> list[str]:
    """The English words of ``text``, option names, choices and quoted command lines removed."""
    text = re.sub(r"\bx-[\w-]*\s*[\w-]*", " ", text)  # JSON Schema keywords (x-lss-..., wrapped in help)
    text = re.sub(r"--?[\w-]+", " ", text)  # option names
    text = re.sub(r"[\w.-]+\.(json|txt|py|xml|lss)\b", " ", text)  # file names
    text = re.sub(r"\{[^}]*\}", " ", text)  # choices
    text = re.sub(r"`[^`]*`", " ", text)  # commands quoted in help texts
    return ENGLISH.findall(text)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def commands() -> list[list[str]]:
    """Every command and subcommand, as the words that name it."""
    found: list[list[str]] = [[]]

    def walk(parser: argparse.ArgumentParser, words: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append([*words, name])
                    walk(sub, [*words, name])

    walk(build_parser(), [])
    return found


def test_every_command_is_listed() -> None:
    names = {" ".join(c) for c in commands()}
    assert {"validate", "conformance run", "conformance export", "explain", "docs"} <= names


@pytest.mark.parametrize("words", commands(), ids=lambda w: " ".join(w) or "lss-rules")
def test_help_is_swedish(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run([*words, "--help"], capsys)
    assert code == 0
    assert "användning:" in out and "flaggor:" in out and "visa den här hjälpen och avsluta" in out
    assert english(out) == [], out


def _suite(tmp_path: Path) -> Path:
    """A suite of one vector, enough for the runner to start a program."""
    suite = tmp_path / "svit"
    (suite / "v1").mkdir(parents=True)
    (suite / "v1" / "0114.txt").write_text("", encoding="utf-8")
    (suite / "v1" / "expected.json").write_text(json.dumps({"year": 2023, "status": "accepted", "findings": []}))
    vector = {"id": "v1", "rule": None, "kind": "x", "files": ["0114.txt"]}
    manifest = {"format": 1, "year": 2023, "rules": [], "vectors": [vector]}
    (suite / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return suite


ERRORS: list[tuple[str, list[str], str]] = [
    ("no command", [], "följande argument måste anges: KOMMANDO"),
    ("not a number", ["validate", "--year", "abc", "x.txt"], "'abc' är inte ett heltal"),
    ("missing --year", ["validate", "x.txt"], "följande argument måste anges: --year"),
    ("missing file", ["validate", "--year", "2023"], "följande argument måste anges: FIL"),
    ("bad choice", ["validate", "--year", "2023", "--format", "xml", "x.txt"], "ogiltigt val 'xml'"),
    ("unknown option", ["validate", "--year", "2023", "--bogus", "x.txt"], "okända argument: --bogus"),
    ("unknown command", ["valdate"], "ogiltigt val 'valdate'"),
    ("value missing", ["explain", "LSS-R04", "--year"], "ett värde saknas"),
    ("no such file", ["validate", "--year", "2023", "{tmp}/saknas.txt"], "filen finns inte"),
    ("a folder", ["validate", "--year", "2023", "{tmp}"], "{tmp}/*.txt"),
    ("float", ["conformance", "run", "--suite", "{tmp}", "--cmd", "x", "--timeout", "snart"], "inte ett tal"),
    ("one year", ["diff", "2023"], "följande argument måste anges: B"),
    ("unknown rule", ["explain", "LSS-R99", "--year", "2023"], "okänt id"),
    ("cannot write", ["schema", "--year", "2023", "-o", "{tmp}/saknas/x.json"], "filen eller mappen finns inte"),
    ("no program", ["conformance", "run", "--suite", "{suite}", "--cmd", "nosuchprog-lss"], "filen eller mappen finns"),
    ("open quote", ["conformance", "run", "--suite", "{suite}", "--cmd", 'x "y'], "ett citattecken stängs inte"),
    ("broken json", ["conformance", "run", "--suite", "{tmp}/trasig", "--cmd", "x"], "är inte JSON (rad 1, kolumn 1)"),
    ("full disk", ["schema", "--year", "2023", "-o", "/dev/full"], "/dev/full: kan inte skrivas (disken är full)"),
]


@pytest.mark.parametrize(("name", "argv", "expected"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_are_swedish(
    name: str, argv: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subst = {"{tmp}": str(tmp_path), "{suite}": str(_suite(tmp_path)) if "{suite}" in argv else ""}
    (tmp_path / "trasig").mkdir()
    (tmp_path / "trasig" / "manifest.json").write_text("nej", encoding="utf-8")  # no JSON
    argv = [subst.get(a, a).replace("{tmp}", str(tmp_path)) for a in argv]
    code, out = run(argv, capsys)
    assert code in (1, 2)
    assert expected.replace("{tmp}", str(tmp_path)) in out, out
    assert english(out.replace(str(tmp_path), "")) == [], out
    assert "Traceback" not in out


def test_compiled_module_speaks_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    """The standalone validator has its own parser (from the runtime): Swedish too."""
    from lss_rules.backends.python.cache import load_validator

    mod = load_validator(2023)
    for argv, expected in ((["--help"], "flaggor:"), (["--year", "abc", "x.txt"], "'abc' är inte ett heltal")):
        with pytest.raises(SystemExit):
            mod.main(argv)
        out = capsys.readouterr()
        text = out.out + out.err
        assert expected in text
        assert english(text) == [], text


def test_argparse_elsewhere_is_untouched() -> None:
    """The Swedish texts are swapped in only during our parsers' own calls."""
    from lss_rules.runtime.python import SwedishArgumentParser

    SwedishArgumentParser(prog="x").format_help()
    assert "usage:" in argparse.ArgumentParser(prog="y").format_help()


def test_plural_agreement(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = sorted((Path(__file__).resolve().parents[2] / "examples" / "2023").glob("*.txt"))[0]
    assert run(["validate", "--year", "2023", str(example)], capsys)[0] == 0
    out = run(["validate", "--year", "2023", str(example)], capsys)[1]
    assert "Sammanfattning: 1 fil," in out
    assert not re.search(r"(?<!\d)1 (filer|poster|varningar)\b", out), out


# --------------------------------------------------------------------------- the JavaScript module (issue 22)

JS_ARGUMENTS = [
    [],
    ["--year"],
    ["--year", "x", "a.txt"],
    ["--year", "2022", "a.txt"],
    ["--format", "xml", "a.txt"],
    ["--lang", "de", "a.txt"],
    ["--bogus", "a.txt"],
    ["--bogus", "--other=1"],
    ["--year", "2023"],
    ["--s", "a.txt"],
    ["--strict=1", "a.txt"],
    ["--help=1"],
    ["--form=xml", "a.txt"],
    ["--year", "-5", "a.txt"],
    ["--deceased"],
    ["--", "--year"],
    ["--help"],
    ["-h", "--year", "x"],
    ["saknas.txt"],
    ["--deceased", "saknas.txt", "a.txt"],
    ["a.txt/x"],
    ["loop.txt"],
    ["mapp"],
]


@pytest.fixture(scope="module")
def modules(tmp_path_factory) -> Path:
    """The 2023 validator as an ES module and as a standalone Python module, in a folder with a file,
    a folder and a link that loops."""
    folder = tmp_path_factory.mktemp("moduler")
    assert main(["compile", "--year", "2023", "--target", "js", "-o", str(folder / "lss-2023.mjs")]) == 0
    assert main(["compile", "--year", "2023", "--standalone", "-o", str(folder / "lss-2023.py")]) == 0
    (folder / "a.txt").write_text("0114;201001012384\n", encoding="utf-8")
    (folder / "mapp").mkdir()
    (folder / "loop.txt").symlink_to("loop.txt")
    return folder


def _node() -> str:
    import shutil

    found = shutil.which("node")
    if found is None:
        pytest.skip("node saknas")
    return found


def _both(folder: Path, argv: list[str], stdout: object = None) -> tuple[object, object]:
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "80"}  # argparse's width; the JavaScript module lays out for 80 columns
    out = subprocess.PIPE if stdout is None else stdout
    run = {"cwd": folder, "stdout": out, "stderr": subprocess.PIPE, "env": env, "check": False, "timeout": 60}
    js = subprocess.run([_node(), "lss-2023.mjs", *argv], **run)  # type: ignore[call-overload]
    py = subprocess.run([sys.executable, "lss-2023.py", *argv], **run)  # type: ignore[call-overload]
    return js, py


@pytest.mark.parametrize("argv", JS_ARGUMENTS, ids=lambda a: " ".join(a) or "inga argument")
def test_javascript_module_speaks_like_the_python_module(modules: Path, argv: list[str]) -> None:
    """Usage, help, every argument error and the errors of a file: Swedish, and the Python module's words
    (before: "usage:", "error: the following arguments are required: FILE", "invalid choice", node's
    "ENOTDIR: not a directory, stat 'a.txt/x'")."""
    js, py = _both(modules, argv)
    assert (js.returncode, js.stdout, js.stderr) == (py.returncode, py.stdout, py.stderr)  # type: ignore[attr-defined]
    text = (js.stdout + js.stderr).decode()  # type: ignore[attr-defined]
    assert english(text) == [], text
    assert "Error" not in text and "    at " not in text  # no stack trace


@pytest.mark.parametrize("argv", [["a.txt"], ["--format", "json", "a.txt"], ["--help"]], ids=" ".join)
def test_a_full_disk_is_one_swedish_line_and_exit_2_in_every_module(modules: Path, argv: list[str]) -> None:
    """``node lss-2023.mjs FILE > /dev/full``: before, a node stack trace and exit 1 (the code of a verdict)."""
    with open("/dev/full", "wb") as full:  # opened at test time: nothing links to it
        js, py = _both(modules, argv, stdout=full)
    for proc, prog in ((js, "lss-2023.mjs"), (py, "lss-2023.py")):
        err = proc.stderr.decode()  # type: ignore[attr-defined]
        assert proc.returncode == 2, err  # type: ignore[attr-defined]
        assert err == f"{prog}: standard ut kan inte skrivas (disken är full)\n", err


def test_lss_rules_says_a_full_disk_in_swedish(tmp_path: Path) -> None:
    """Before: "standard ut kan inte skrivas (No space left on device)"."""
    import subprocess
    import sys

    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "lss_rules", "years"], stdout=full, stderr=subprocess.PIPE, check=False
        )
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err == "lss-rules: standard ut kan inte skrivas (disken är full)\n", err


def test_generate_says_the_status_in_swedish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["generate", "--year", "2023", "--persons", "5", "--seed", "1", "-o", str(tmp_path / "r")], capsys)
    assert code == 0
    assert re.search(r"förväntade fynd \((godkänd|godkänd med varningar|ej godkänd)\)", out), out
    assert not re.search(r"\b(accepted|rejected)\b", out), out


def test_the_help_of_explain_says_the_traces_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """--explain's help names a clause's values in the words the traces use (runtime.TRACE_WORDS, one source):
    other words there are what the help says."""
    from lss_rules.runtime import python as runtime

    words = {**runtime.TRACE_WORDS["sv"], "true": "sant-X", "false": "falskt-X", "unknown": "vet ej-X"}
    monkeypatch.setitem(runtime.TRACE_WORDS, "sv", words)
    monkeypatch.setattr(runtime, "TRACE_CONTRACT", 99)
    parser = runtime.add_arguments(argparse.ArgumentParser())
    said = " ".join(next(a.help for a in parser._actions if "--explain" in a.option_strings).split())
    assert "(sant-X, falskt-X, vet ej-X)" in said and "rapportkontrakt 99" in said
