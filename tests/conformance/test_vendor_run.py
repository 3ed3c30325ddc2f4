"""`conformance run` as a vendor meets it (issue 25): paths in --cmd, stopping early, Swedish failure
texts quoting what a vector tests, JUnit failure/error, and --module (in-process Python, one node)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from hypothesis import given
from hypothesis import strategies as st

from lss_rules.cli import main
from lss_rules.tools.conformance import EARLY, command_words, compare, reasons

HERE = Path(__file__).resolve().parent
PNR = "199301012383"  # a test personnummer: it must never be shown whole


def run(*argv: str) -> int:
    return main(["conformance", "run", *argv])


def cut(suite_2023: Path, out: Path, keep) -> Path:
    """A copy of the vectors of the 2023 suite that ``keep(index, vector)`` keeps."""
    manifest = json.loads((suite_2023 / "manifest.json").read_text(encoding="utf-8"))
    manifest["vectors"] = [v for i, v in enumerate(manifest["vectors"]) if keep(i, v)]
    out.mkdir(parents=True)
    for v in manifest["vectors"]:
        shutil.copytree(suite_2023 / v["id"], out / v["id"])
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


def strip_times(xml: bytes) -> bytes:
    return re.sub(rb' time="[0-9.]+"', b"", xml)


# --------------------------------------------------------------------------- 1. paths in --cmd


def test_a_bare_file_name_in_the_current_folder_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lss-2023.mjs").write_text("", encoding="utf-8")
    (tmp_path / "vår kontroll.jar").write_text("", encoding="utf-8")
    words = command_words('node lss-2023.mjs --flag "vår kontroll.jar" saknas.mjs -jar')
    assert words == ["node", str(tmp_path / "lss-2023.mjs"), "--flag", str(tmp_path / "vår kontroll.jar"),
                     "saknas.mjs", "-jar"]  # fmt: skip


@given(st.lists(st.sampled_from(["a.py", "b", "sub", "sub/c.mjs", "./sub", "nope", "x.jar", "-v", "node"]), min_size=1))
def test_every_word_naming_a_file_here_and_only_those_is_absolute(tmp_path_factory, words):
    here = tmp_path_factory.mktemp("cwd")
    for name in ("a.py", "b", "sub/c.mjs"):
        (here / name).parent.mkdir(parents=True, exist_ok=True)
        (here / name).write_text("", encoding="utf-8")
    old = os.getcwd()
    os.chdir(here)
    try:
        got = command_words(" ".join(["prog", *words]))
    finally:
        os.chdir(old)
    absolute = {"a.py", "b", "sub/c.mjs", "./sub"}  # files, and a folder written as a path; not the bare "sub"
    assert got == ["prog"] + [os.path.abspath(here / w) if w in absolute else w for w in words]


def test_the_program_and_a_bare_folder_name_stay_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lss-rules").write_text("", encoding="utf-8")  # a file named like the program: PATH's is meant
    (tmp_path / "validate").mkdir()  # a folder named like the subcommand
    (tmp_path / "run.sh").write_text("", encoding="utf-8")
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    assert shutil.which("lss-rules") is not None
    assert command_words("lss-rules validate") == ["lss-rules", "validate"]
    assert command_words("./run.sh x") == [str(tmp_path / "run.sh"), "x"]
    assert command_words("run.sh x") == [str(tmp_path / "run.sh"), "x"]  # not on PATH: the file here


# --------------------------------------------------------------------------- 2. stopping early


def test_error_line_is_the_line_that_carries_the_error():
    node = (
        "node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\n"
        "Error: Cannot find module '/tmp/v/lss-2023.mjs'\n    at Module._resolveFilename (node:x:1225:15)\n"
        "    at node:internal/main/run_main_module:28:49 {\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}\n\n"
        "Node.js v20.20.2\n"
    )
    assert reasons.error_line(node) == "Error: Cannot find module '/tmp/v/lss-2023.mjs'"
    python = (
        'Traceback (most recent call last):\n  File "v.py", line 3, in <module>\n    main()\n'
        f'  File "v.py", line 2, in main\n    raise KeyError("{PNR}")\nKeyError: \'{PNR}\'\n'
    )
    assert reasons.error_line(python) == "KeyError: '19930101****'"
    assert reasons.error_line("varning: något\nFel: filen saknas\n") == "Fel: filen saknas"
    assert reasons.error_line("") == ""


CRASH = f"raise ValueError('trasig {PNR}')"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (CRASH, f"programmet kraschade. Första raden på standard fel som bär felet: ValueError: trasig {PNR[:8]}****"),
        ("sys.stderr.write('vendor: fel: okänd flagga\\n'); sys.exit(2)", "kod 2 (körningen kunde inte göras)"),
        ("print('hej')", "ingen JSON-rapport"),
        ("sys.exit(7)", "programmet kraschade"),
        ("open('finns-inte.jar')", "programmet eller en fil det behöver finns inte"),
    ],
)
def test_first_vectors_failing_the_same_way_outside_the_rules_stop_the_run(
    small_suite, vendor, tmp_path, body, said, capsys
):
    junit = tmp_path / "j.xml"
    assert run("--suite", str(small_suite), "--cmd", vendor(body), "--jobs", "1", "--junit", str(junit)) == 2
    cap = capsys.readouterr()
    assert "FEL" not in cap.out and "godkända" not in cap.out  # not five failure lines: one message
    assert cap.err.count("\n") == 1 and said in cap.err, cap.err
    assert f"de {EARLY} första vektorerna" in cap.err and "--keep-going" in cap.err
    assert PNR not in cap.err + junit.read_text(encoding="utf-8")
    root = ET.parse(junit).getroot()
    assert root.get("tests") == str(EARLY) and root.get("errors") == str(EARLY) and root.get("failures") == "0"
    xmlschema.XMLSchema(HERE / "junit.xsd").validate(junit)
    # --keep-going runs every vector, each said
    assert run("--suite", str(small_suite), "--cmd", vendor(body), "--keep-going") == 1
    out = capsys.readouterr().out
    assert out.count("FEL   ") == 6 and "0 godkända, 6 underkända" in out and PNR not in out


def test_no_stop_when_the_first_vectors_do_not_all_fail_alike(small_suite, vendor, capsys):
    from test_runner import ECHO_EXPECTED

    first = json.loads((small_suite / "manifest.json").read_text(encoding="utf-8"))["vectors"][0]["id"]
    body = f"if os.path.basename(os.getcwd()) != {first!r}:\n    {CRASH}\n" + ECHO_EXPECTED
    assert run("--suite", str(small_suite), "--cmd", vendor(body), "--jobs", "1") == 1
    out = capsys.readouterr().out
    assert f"ok    {first}" in out and out.count("FEL   ") == 5 and "ValueError: trasig 19930101****" in out


def test_a_missing_python_script_is_said_missing(small_suite, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("--suite", str(small_suite), "--cmd", f"{sys.executable} saknas_2023.py") == 2
    err = capsys.readouterr().err
    assert "programmet eller en fil det behöver finns inte" in err and "can't open file" in err


def test_node_missing_module_says_the_error_line(small_suite, tmp_path, capsys, monkeypatch):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node saknas")
    monkeypatch.chdir(tmp_path)
    assert run("--suite", str(small_suite), "--cmd", "node saknas-2023.mjs") == 2
    err = capsys.readouterr().err
    assert "finns inte" in err and "Error: Cannot find module" in err and "Node.js v" not in err


# --------------------------------------------------------------------------- 3. what a failure says


@pytest.fixture
def combination_suite(suite_2023, tmp_path):
    return cut(suite_2023, tmp_path / "suite", lambda i, v: v["id"] in ("LSS-R04-combination-01", "LSS-R04-inside-03"))


def test_a_failure_quotes_what_the_vector_tests_on_the_lines_that_differ(
    combination_suite, reference_vendor, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("LSS_MUTANT", "shift:LSS-R04:0:+1")  # the lower age bound one year up
    junit = tmp_path / "j.xml"
    assert run("--suite", str(combination_suite), "--cmd", reference_vendor, "--junit", str(junit)) == 1
    out = capsys.readouterr().out
    lines = {ln.split()[1].rstrip(":"): ln for ln in out.splitlines() if ln.startswith("FEL")}
    combo = lines["LSS-R04-combination-01"]
    manifest = json.loads((combination_suite / "manifest.json").read_text(encoding="utf-8"))
    tests = next(v["tests"] for v in manifest["vectors"] if v["id"] == "LSS-R04-combination-01")
    differing = [int(n) for n in re.findall(r"0114\.txt rad (\d+): LSS-R04", combo)]
    assert differing, combo
    quoted = combo.split("vektorn prövar ", 1)[1]
    said = [int(n) for n in re.findall(r"(?:^|; )rad (\d+): ", quoted)]
    assert said == sorted(set(differing)) and len(said) < tests.count("; rad ") / 2  # those lines, not all
    assert "Filen kommer efter" not in quoted
    for word in ("(error)", "status ", "rejected", "accepted"):
        assert word not in out, word
    assert "LSS-R04 (fel)" in out and ("ej godkänd men väntat godkänd" in out or "saknade fynd" in out)
    failures = {c.get("name"): c.find("failure") for c in ET.parse(junit).getroot().iter("testcase")}
    messages = {name: f.get("message") for name, f in failures.items() if f is not None}
    assert f"FEL   LSS-R04-combination-01: {messages['LSS-R04-combination-01']}" == combo
    assert re.search(r"\d{8}-?\d{4}", out) is None  # the personnummer in the tests text: masked


def test_compare_says_status_and_severity_in_swedish():
    expected = {"status": "accepted_with_warnings", "findings": [
        {"rule": "LSS-R21", "severity": "warning", "file": "0114.txt", "line": 2}]}  # fmt: skip
    got = {"status": "rejected", "findings": [{"rule": "LSS-R21", "severity": "error", "file": "0114.txt", "line": 2}]}
    said = compare(expected, got, "rad 1: grundposten; rad 2: bryter mot LSS-R21: x = '1'", ("0114.txt",))
    assert said == (
        "ej godkänd men väntat godkänd med varningar. saknade fynd: 0114.txt rad 2: LSS-R21 (varning). "
        "oväntade fynd: 0114.txt rad 2: LSS-R21 (fel). vektorn prövar rad 2: bryter mot LSS-R21: x = '1'"
    )


def test_tested_on_a_finding_outside_the_described_file_quotes_the_rest():
    tests = "rad 1: a; rad 2: b. Filen kommer efter 0115.txt i samma körning."
    files = ("0115.txt", "0114.txt")
    assert reasons.tested_on(tests, files, [("0115.txt", 3, "R", "error")]) == tests
    assert reasons.tested_on(tests, files, [("0114.txt", 2, "R", "error")]) == "rad 2: b"
    both = [("0114.txt", 2, "R", "e"), ("0115.txt", 1, "R", "e")]
    assert reasons.tested_on(tests, files, both) == "rad 2: b; Filen kommer efter 0115.txt i samma körning."


def test_junit_failure_for_a_wrong_answer_error_for_a_crash(small_suite, reference_vendor, vendor, monkeypatch,
                                                             tmp_path):  # fmt: skip
    monkeypatch.setenv("LSS_MUTANT", "remove:LSS-R04")
    wrong = tmp_path / "wrong.xml"
    assert run("--suite", str(small_suite), "--cmd", reference_vendor, "--junit", str(wrong)) == 1
    root = ET.parse(wrong).getroot()
    assert root.get("failures") == "1" and root.get("errors") == "0" and root.find(".//error") is None
    crash = tmp_path / "crash.xml"
    body = f"sys.stderr.write('Traceback (most recent call last):\\nKeyError: {PNR}\\n'); sys.exit(3)"
    assert run("--suite", str(small_suite), "--cmd", vendor(body), "--junit", str(crash), "--keep-going") == 1
    root = ET.parse(crash).getroot()
    assert root.get("errors") == "6" and root.get("failures") == "0" and root.find(".//failure") is None
    error = root.find(".//error")
    assert error is not None and error.get("type") == "crash" and "KeyError: 19930101****" in error.get("message")
    assert PNR not in crash.read_text(encoding="utf-8")
    for path in (wrong, crash):
        xmlschema.XMLSchema(HERE / "junit.xsd").validate(path)


# --------------------------------------------------------------------------- 6. --module


@pytest.fixture(scope="module")
def modules(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("modules")
    for args in (["--standalone", "-o", "lss_2023.py"], ["--target", "js", "-o", "lss-2023.mjs"]):
        assert main(["compile", "--year", "2023", *args[:-1], str(folder / args[-1])]) == 0
    return folder


def test_module_cmd_and_node_give_the_same_verdicts_and_junit(suite_2023, modules, tmp_path):
    if shutil.which("node") is None:
        pytest.skip("node saknas")
    suite = cut(suite_2023, tmp_path / "suite", lambda i, v: i % 15 == 0 or v["kind"] == "combination")
    # one vector the modules answer wrongly: its expected.json lost a finding
    manifest = json.loads((suite / "manifest.json").read_text(encoding="utf-8"))
    wrong = next(v["id"] for v in manifest["vectors"] if v["kind"] == "combination")
    expected = json.loads((suite / wrong / "expected.json").read_text(encoding="utf-8"))
    expected["findings"].pop()
    (suite / wrong / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    ways = {
        "cmd": ["--cmd", f"{sys.executable} {modules / 'lss_2023.py'}"],
        "cmd-node": ["--cmd", f"node {modules / 'lss-2023.mjs'}"],
        "module": ["--module", str(modules / "lss_2023.py")],
        "module-node": ["--module", str(modules / "lss-2023.mjs")],
    }
    junits = {}
    for name, way in ways.items():
        junit = tmp_path / f"{name}.xml"
        assert run("--suite", str(suite), *way, "--junit", str(junit)) == 1, name
        junits[name] = strip_times(junit.read_bytes())
    assert len(set(junits.values())) == 1, {k: v[:2000] for k, v in junits.items()}
    root = ET.fromstring(junits["module"])
    assert root.get("failures") == "1" and int(root.get("tests")) == len(manifest["vectors"]) > 20
    assert root.find(".//failure/..").get("name") == wrong


def test_both_modules_pass_the_whole_2023_suite(suite_2023, modules, capsys):
    assert run("--suite", str(suite_2023), "--module", str(modules / "lss_2023.py")) == 0
    if shutil.which("node") is not None:
        assert run("--suite", str(suite_2023), "--module", str(modules / "lss-2023.mjs")) == 0
    out = capsys.readouterr().out
    assert "FEL" not in out and out.count(" 0 underkända") == (2 if shutil.which("node") else 1)


def test_module_of_another_year_or_not_a_module_is_refused(small_suite, tmp_path, capsys):
    other = tmp_path / "lss_2022.py"
    assert main(["compile", "--year", "2022", "--standalone", "-o", str(other)]) == 0
    assert run("--suite", str(small_suite), "--module", str(other)) == 2
    assert "granskar 2022, men sviten gäller 2023" in capsys.readouterr().err
    junk = tmp_path / "junk.py"
    junk.write_text(f"raise SystemExit('{PNR}')\n", encoding="utf-8")
    assert run("--suite", str(small_suite), "--module", str(junk)) == 2
    err = capsys.readouterr().err
    assert "kan inte laddas" in err and PNR not in err
    plain = tmp_path / "plain.py"
    plain.write_text("YEAR = 2023\n", encoding="utf-8")
    assert run("--suite", str(small_suite), "--module", str(plain)) == 2
    assert "saknar report" in capsys.readouterr().err
    assert run("--suite", str(small_suite), "--module", str(tmp_path / "none.py")) == 2
    assert not (tmp_path / "__pycache__").exists()  # nothing written beside the module
    assert all(not m.startswith("_lss_conformance_module_") for m in sys.modules)
