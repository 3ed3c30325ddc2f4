"""`lss-rules conformance run` against fake vendors: passing, crashing, timing out, printing garbage."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from lss_rules.cli import main

ECHO_EXPECTED = """
args = sys.argv[1:]
expected = json.load(open("expected.json"))
assert args[:4] == ["--year", str(expected["year"]), "--format", "json"], args
files = args[args.index("--") + 1 :]  # the file names come after --
assert all(os.path.exists(f) for f in files) and "/" not in "".join(files)
if os.path.exists("deceased.txt"):
    assert "--deceased" in args
report = dict(expected, files=[{"path": f, "records": 0} for f in files], not_checked=[])
print(json.dumps(report))
sys.exit(1 if expected["status"] == "rejected" else 0)
"""


def run(*argv):
    return main(["conformance", *argv])


def test_passing_vendor(small_suite, vendor, tmp_path, capsys):
    junit = tmp_path / "out" / "junit.xml"
    code = run("run", "--suite", str(small_suite), "--cmd", vendor(ECHO_EXPECTED), "--junit", str(junit))
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.strip().endswith("6 godkända, 0 underkända")
    root = ET.parse(junit).getroot()
    assert root.get("tests") == "6" and root.get("failures") == "0"
    assert len(root.findall(".//testcase")) == 6


def test_reference_evaluator_passes(small_suite, reference_vendor, capsys):
    assert run("run", "--suite", str(small_suite), "--cmd", reference_vendor) == 0
    assert "6 godkända, 0 underkända" in capsys.readouterr().out


def test_broken_validator_fails(small_suite, reference_vendor, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LSS_MUTANT", "remove:LSS-R04")
    junit = tmp_path / "j.xml"
    assert run("run", "--suite", str(small_suite), "--cmd", reference_vendor, "--junit", str(junit)) == 1
    out = capsys.readouterr().out
    assert (
        "FEL   LSS-R04-violation-02: godkänd men väntat ej godkänd. saknade fynd: 0114.txt rad 1: LSS-R04 (fel)" in out
    )
    assert "1 godkända" not in out and "5 godkända, 1 underkända" in out
    failures = ET.parse(junit).getroot().findall(".//failure")
    assert len(failures) == 1 and "saknade fynd" in failures[0].get("message")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("raise SystemExit('krasch')", "avslutades med kod 1"),
        ("1/0", "avslutades med kod 1"),
        ("print('hej'); sys.exit(0)", "utdata är inte JSON: hej"),
        ("print(json.dumps([1])); sys.exit(0)", "följer inte rapportformatet: inte ett JSON-objekt"),
        ("print(json.dumps({'status': 'ok', 'findings': []}))", "status ska vara en av"),
        ("print(json.dumps({'status': 'accepted', 'findings': [{'rule': 1}]}))", "findings[0].rule"),
        ("sys.exit(3)", "avslutades med kod 3"),
        ("os.kill(os.getpid(), 9)", "avslutades med kod -9"),
    ],
)
def test_bad_vendors_fail_with_a_reason(small_suite, vendor, body, reason, capsys):
    # crashes print to stderr with exit code 1 but no JSON on stdout: that is not the contract either
    # --keep-going: the first five failing alike outside the rules would stop the run (test_vendor_run.py)
    assert run("run", "--suite", str(small_suite), "--cmd", vendor(body), "--timeout", "20", "--keep-going") == 1
    out = capsys.readouterr().out
    assert "0 godkända, 6 underkända" in out
    assert reason in out or (reason == "avslutades med kod 1" and "utdata är inte JSON" in out)


def test_timeout(small_suite, vendor, capsys):
    assert run("run", "--suite", str(small_suite), "--cmd", vendor("time.sleep(30)"), "--timeout", "0.5") == 1
    assert "tidsgränsen 0.5 s överskreds" in capsys.readouterr().out


def test_wrong_exit_code_fails(small_suite, vendor, capsys):
    body = ECHO_EXPECTED.replace('sys.exit(1 if expected["status"] == "rejected" else 0)', "sys.exit(0)")
    assert run("run", "--suite", str(small_suite), "--cmd", vendor(body)) == 1
    assert "avslutningskod 0 men status ej godkänd (väntat kod 1)" in capsys.readouterr().out


def test_missing_command_and_suite(tmp_path, small_suite, capsys):
    assert run("run", "--suite", str(small_suite), "--cmd", "no-such-program-lss") == 2
    cap = capsys.readouterr()
    assert cap.err.count("kunde inte startas") == 1 and "passed" not in cap.out  # said once, the run ends
    assert run("run", "--suite", str(tmp_path / "nothing"), "--cmd", "true") == 2
    assert "conformance export" in capsys.readouterr().err
    assert run("run", "--suite", str(small_suite), "--cmd", "") == 2


@pytest.mark.long
def test_real_validate_passes_the_whole_suite(suite_2023, tmp_path):
    if shutil.which("lss-rules") is None:
        pytest.skip("lss-rules is not on PATH")
    probe = subprocess.run(["lss-rules", "validate", "--help"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("lss-rules validate is not built yet")
    junit = tmp_path / "junit.xml"
    proc = subprocess.run(
        [
            "lss-rules",
            "conformance",
            "run",
            "--suite",
            str(suite_2023),
            "--cmd",
            "lss-rules validate",
            "--junit",
            str(junit),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert proc.stdout.strip().endswith(" 0 underkända")


def test_cli_export(tmp_path, capsys):
    assert main(["conformance", "export", "--year", "2005", "-o", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "LSS-S04" in out  # cannot be broken in 2005: said so
    assert (tmp_path / "s" / "manifest.json").exists()
    assert main(["conformance", "export", "--year", "1990", "-o", str(tmp_path / "t")]) == 2


@pytest.mark.long  # 309 processes; scripts/long runs it (CI too): test_vendor_run runs the whole suite in-process and
# --cmd against --module on a sample, the same verdicts
def test_compiled_module_passes_the_whole_suite_run_as_a_command(suite_2023, tmp_path):
    import sys

    module = tmp_path / "lss_2023.py"
    made = subprocess.run(
        [sys.executable, "-P", "-m", "lss_rules", "compile", "--year", "2023", "-o", str(module)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip("lss-rules compile is not built yet")
    code = main(["conformance", "run", "--suite", str(suite_2023), "--cmd", f"{sys.executable} {module}"])
    assert code == 0


def test_jobs_run_in_parallel_and_report_in_the_suite_order(small_suite, vendor, capsys):
    import json

    # the first vectors finish last: the output still follows the manifest
    body = (
        "order = [v['id'] for v in json.load(open('../manifest.json'))['vectors']]\n"
        "time.sleep(0.3 * (len(order) - order.index(os.path.basename(os.getcwd()))))\n" + ECHO_EXPECTED
    )
    assert run("run", "--suite", str(small_suite), "--cmd", vendor(body), "--jobs", "6") == 0
    out = capsys.readouterr().out.splitlines()
    ids = [v["id"] for v in json.loads((small_suite / "manifest.json").read_text(encoding="utf-8"))["vectors"]]
    assert [line.split()[1] for line in out if line.startswith("ok")] == ids
    assert run("run", "--suite", str(small_suite), "--cmd", vendor(body), "--jobs", "0") == 2
    assert "--jobs ska vara minst 1" in capsys.readouterr().err


def test_a_missed_finding_shows_what_the_rule_saw(small_suite, reference_vendor, monkeypatch, tmp_path, capsys):
    """Issue 27: the failure (console and JUnit) carries the reference evaluator's trace of the expected finding."""
    monkeypatch.setenv("LSS_MUTANT", "remove:LSS-R04")
    junit = tmp_path / "j.xml"
    assert run("run", "--suite", str(small_suite), "--cmd", reference_vendor, "--junit", str(junit)) == 1
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("FEL   LSS-R04-violation-02"))
    assert "Väntat fynd 0114.txt rad 1 LSS-R04, så såg regeln raden: Spårning: " in line
    assert "korttidstillsyn för skolungdom har värdet 1 (uppfyllt)" in line and "(inte uppfyllt)" in line
    failure = ET.parse(junit).getroot().find(".//failure")
    assert "Spårning: " in failure.get("message") and "Spårning: " in failure.text


def test_an_added_finding_says_why_the_rule_does_not_fire(small_suite, reference_vendor, monkeypatch, capsys):
    from lss_rules.tools.conformance.suite import load_suite
    from lss_rules.tools.conformance.traces import WIDTH, failure_traces

    _, vectors = load_suite(small_suite)
    vector = next(v for v in vectors if v.id == "LSS-R04-violation-02")
    said = failure_traces(vector, [], [("0114.txt", 1, "LSS-R04", "error")])
    assert said.startswith("Oväntat fynd 0114.txt rad 1 LSS-R04; regeln ger fyndet också här: Spårning: ")
    assert "Spårning: " in said and len(said) <= WIDTH
    assert re.search(r"\d{8}-?\d{4}", said) is None
