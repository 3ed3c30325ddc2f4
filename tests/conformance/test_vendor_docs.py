"""What README.md and docs/guide/vendors.md tell a vendor, done as written (issue 25).

Every `lss-rules conformance run` command of the two files is read from their fenced blocks and run by
bash exactly as it stands, in a folder that has what the command names (the suite under the name it
uses, the compiled modules, the guide's own vendor.sh, a stand-in for the vendor's program); the
guide's Python and JavaScript examples of calling a compiled module are read from the guide and run;
the counts of the README are compared with the suites the code builds, and the guide states none by
hand (its markers are filled from the code by docs/hooks.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lss_rules.cli import main
from lss_rules.cli.reference import VENDOR_TOOLS
from lss_rules.tools.conformance import EARLY
from lss_rules.tools.conformance.facts import kind_counts

REPO = Path(__file__).resolve().parents[2]
DOCS = {"README.md": REPO / "README.md", "vendors.md": REPO / "docs" / "guide" / "vendors.md"}


def blocks(path: Path) -> list[tuple[str, str]]:
    """The fenced blocks of a Markdown file: (language, body)."""
    return re.findall(r"^```(\w*)\n(.*?)^```", path.read_text(encoding="utf-8"), flags=re.S | re.M)


def run_commands() -> list[tuple[str, str]]:
    """(file, command) for every `lss-rules conformance run` in a fenced block, as written there."""
    out = []
    for name, path in DOCS.items():
        for _, body in blocks(path):
            for line in body.splitlines():
                for part in line.split("&&"):
                    part = re.sub(r"^\s*(?:- (?:run: )?)?", "", part).strip()
                    if part.startswith("lss-rules conformance run "):
                        out.append((name, part))
    return out


def test_the_docs_hold_the_commands_this_test_runs():
    found = run_commands()
    assert {n for n, _ in found} == set(DOCS) and len(found) >= 6
    assert any('--cmd "node lss-2023.mjs"' in c for _, c in found)  # the command of issue 25


FAKE_JAVA = """#!/bin/sh
# java -jar JAR ARGS...: the jar must be found from the vector's folder (--cmd made its path absolute)
[ "$1" = -jar ] && [ -f "$2" ] || { echo "Error: Unable to access jarfile $2" >&2; exit 2; }
shift 2
exec lss-rules validate "$@"
"""
FAKE_VENDOR = """#!{python}
# vår-kontroll --år Y --json [--avlidna F] -- FILE...: the vendor's own command line, as vendor.sh calls it
import os, sys
a = sys.argv[1:]
assert a[:3] == ["--år", a[1], "--json"], a
rest = a[3:]
dead = ["--deceased", rest[1]] if rest[:1] == ["--avlidna"] else []
files = rest[rest.index("--") + 1 :]
os.execvp("lss-rules", ["lss-rules", "validate", "--year", a[1], "--format", "json", *dead, "--", *files])
"""


@pytest.fixture(scope="module")
def workplace(tmp_path_factory, suite_2023) -> tuple[Path, dict[str, str]]:
    """A folder with what the commands name, and the environment they run in."""
    here = tmp_path_factory.mktemp("vendor")
    manifest = json.loads((suite_2023 / "manifest.json").read_text(encoding="utf-8"))
    keep = ("LSS-R04-violation-02", "LSS-R02-violation-01", "LSS-R09-violation-01", "LSS-R04-combination-01")
    manifest["vectors"] = [v for v in manifest["vectors"] if v["id"] in keep]
    small = here / ".small"
    small.mkdir()
    for v in manifest["vectors"]:
        shutil.copytree(suite_2023 / v["id"], small / v["id"])
    (small / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["compile", "--year", "2023", "--standalone", "-o", str(here / "lss_2023.py")]) == 0
    assert main(["compile", "--year", "2023", "--target", "js", "-o", str(here / "lss-2023.mjs")]) == 0
    wrapper = next(body for lang, body in blocks(DOCS["vendors.md"]) if body.startswith("#!/bin/bash"))
    (here / "vendor.sh").write_text(wrapper, encoding="utf-8")
    (here / "vår-kontroll.jar").write_bytes(b"")
    bin_ = here / ".bin"
    bin_.mkdir()
    (bin_ / "java").write_text(FAKE_JAVA, encoding="utf-8")
    (bin_ / "vår-kontroll").write_text(FAKE_VENDOR.format(python=sys.executable), encoding="utf-8")
    for p in (here / "vendor.sh", bin_ / "java", bin_ / "vår-kontroll"):
        p.chmod(0o755)
    lss = shutil.which("lss-rules") or str(Path(sys.executable).parent / "lss-rules")
    env = dict(os.environ, PATH=os.pathsep.join([str(bin_), str(Path(lss).parent), os.environ.get("PATH", "")]))
    return here, env


@pytest.mark.parametrize(("doc", "command"), run_commands())
def test_every_conformance_command_of_the_docs_runs_as_written(workplace, doc, command):
    here, env = workplace
    if "node" in command and shutil.which("node") is None:
        pytest.skip("node saknas")
    words = shlex.split(command)
    suite = here / words[words.index("--suite") + 1]
    if not suite.exists():
        shutil.copytree(here / ".small", suite)
    proc = subprocess.run(["bash", "-c", command], cwd=here, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{doc}: {command}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    assert proc.stdout.strip().endswith("4 godkända, 0 underkända"), proc.stdout


# --------------------------------------------------------------------------- counts


def test_the_readme_counts_are_the_codes(spec):
    text = " ".join(DOCS["README.md"].read_text(encoding="utf-8").split())
    assert f"first {EARLY} vectors" in text and f"its first {EARLY} vectors failed alike" in text
    sentence = text[text.index("Size (") :]
    said = re.findall(r"(\d+) (?:vectors )?for (\d{4}) \(([^)]*)\)", sentence[: sentence.index("The vendor guide")])
    assert [int(y) for _, y, _ in said] == [2023, 2005, 2001]
    for total, year, kinds in said:
        counts = kind_counts(spec, int(year))
        assert int(total) == sum(counts.values()), year
        assert {k: int(n) for n, k in (p.split() for p in kinds.split(", "))} == counts, year


def _hooks():
    pytest.importorskip("mkdocs")
    loader = importlib.util.spec_from_file_location("lss_docs_hooks_vendor", REPO / "docs" / "hooks.py")
    assert loader is not None and loader.loader is not None
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    return module


def test_the_vendor_guide_counts_nothing_by_hand_and_its_markers_are_filled(spec):
    raw = DOCS["vendors.md"].read_text(encoding="utf-8")
    assert re.search(r"\b\d+ (?:vektorer|verktyg)\b|\b(?:två|tre|fyra|fem|sex|sju) verktyg\b", raw) is None
    assert re.search(r"`LSS-[SR]\d\d`–`[SR]\d\d`", raw) is None  # the rule-id ranges: a marker
    filled = _hooks().fill(raw, spec)
    assert "<!-- lss:" not in filled
    assert f"Sviten för 2023 har {sum(kind_counts(spec, 2023).values())} vektorer" in filled
    for tool in VENDOR_TOOLS:
        assert f"| `lss-rules {' '.join(tool)}` |" in filled
    first, last = sorted(r.id for r in spec.rules)[:: len(spec.rules) - 1]
    assert f"`{first}`–`{last.rsplit('-', 1)[1]}` för rimlighetskontroller" in filled
    with pytest.raises(ValueError, match="okänd markör"):
        _hooks().fill("<!-- lss: nothing-like-it -->", spec)


# --------------------------------------------------------------------------- calling the module from a program


@pytest.fixture(scope="module")
def files(workplace) -> Path:
    """0114.txt, 1885.txt and avlidna.txt beside the compiled modules, as the guide's examples name them."""
    here, _ = workplace
    assert main(["generate", "--year", "2023", "--persons", "40", "--municipalities", "2", "--seed", "1",
                 "--error-rate", "0.1", "-o", str(here / ".gen")]) == 0  # fmt: skip
    first, second = sorted((here / ".gen").glob("*.txt"))
    shutil.copy(first, here / "0114.txt")
    shutil.copy(second, here / "1885.txt")
    pnr = (here / "0114.txt").read_text(encoding="utf-8").splitlines()[0].split(";")[1]
    (here / "avlidna.txt").write_text(f"{pnr};2023-06-01\n", encoding="utf-8")
    return here


def _example(lang: str, after: str) -> str:
    text = DOCS["vendors.md"].read_text(encoding="utf-8")
    at = text.index(after)
    return next(body for lg, body in re.findall(r"^```(\w*)\n(.*?)^```", text[at:], flags=re.S | re.M) if lg == lang)


def _validate_json(here: Path, *cmd: str) -> str:
    args = [*cmd, "--format", "json", "--deceased", "avlidna.txt", "0114.txt", "1885.txt"]
    return subprocess.run(args, cwd=here, capture_output=True, text=True, check=False).stdout


def test_the_guides_python_example_runs(files):
    example = _example("python", "Inifrån ert eget Python-program")
    data = "data = open('0114.txt', 'rb').read()  # the upload the example speaks of\n"
    proc = subprocess.run([sys.executable, "-c", data + example], cwd=files, capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(_validate_json(files, sys.executable, "lss_2023.py"))
    out = proc.stdout.splitlines()
    assert out[0] == report["status"] == "rejected"
    assert out[1 : 1 + len(report["findings"])] == [
        f"{f['rule']} {f['severity']} {f['file']} {f['line']} {f['message']}" for f in report["findings"]
    ]
    assert any(f["rule"] == "LSS-R02" for f in report["findings"])  # the deceased list was read
    assert (files / "rapport.json").read_text(encoding="utf-8") == _validate_json(files, sys.executable, "lss_2023.py")
    assert "saknas.txt" in out[-1] and "Traceback" not in proc.stdout + proc.stderr


def test_the_guides_javascript_example_runs(files, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node saknas")
    example = _example("js", "Inifrån ert eget program:")
    script = files / "exempel.mjs"
    script.write_text('import fs from "node:fs";\nconst bytes = fs.readFileSync("0114.txt");\n' + example, "utf-8")
    proc = subprocess.run([node, str(script)], cwd=files, capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr  # process.exitCode = exit_code(r): rejected
    assert proc.stdout == _validate_json(files, node, "lss-2023.mjs")


def test_the_guides_node_pool_size_tip_runs_as_written(files):
    """The guide's command with --v8-pool-size=0 (for CI machines of two cores) gives the same report."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node saknas")
    text = DOCS["vendors.md"].read_text(encoding="utf-8")
    lines = [ln for _, body in blocks(DOCS["vendors.md"]) for ln in body.splitlines() if "--v8-pool-size=0" in ln]
    assert lines == ["node --v8-pool-size=0 lss-2023.mjs --format json 0114.txt 1885.txt"], lines
    assert "NODE_OPTIONS" in text
    argv = shlex.split(lines[0])
    tip = subprocess.run([node, *argv[1:]], cwd=files, capture_output=True, text=True, check=False)
    plain = subprocess.run([node, *argv[2:]], cwd=files, capture_output=True, text=True, check=False)
    assert tip.returncode == plain.returncode and tip.returncode in (0, 1), tip.stderr
    assert tip.stdout == plain.stdout and json.loads(tip.stdout)["files"]
