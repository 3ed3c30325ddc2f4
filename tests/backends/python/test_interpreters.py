"""The compiled module runs on every Python from 3.9 to 3.13, in both forms; older ones exit 2 with a message.

Each interpreter the machine has is tried (pyenv's under /root/.pyenv/versions, the system's
python3.11); one that is missing is a skip that says so, never a silent pass.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import lss_rules
from lss_rules.backends.python.to_python import to_python
from lss_rules.runtime import python as runtime

PYENV = Path("/root/.pyenv/versions")
SUPPORTED = {
    "3.9": PYENV / "3.9.18" / "bin" / "python3",
    "3.10": PYENV / "3.10.13" / "bin" / "python3",
    "3.11": Path("/usr/bin/python3.11"),
    "3.12": PYENV / "3.12.1" / "bin" / "python3",
    "3.13": PYENV / "3.13.0" / "bin" / "python3",
}
OLDER = {"3.8": PYENV / "3.8.18" / "bin" / "python3", "3.7": PYENV / "3.7.16" / "bin" / "python3"}
LINE = "0180;198001022386;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"
HOURS = "0180;198001022394;1;1;1600;0;;1;0;;0;;0;0;0;0;0;;0"  # LSS-R21: a finding with a detail (its line read again)


def _interpreter(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} is not installed on this machine")
    return path


@pytest.fixture(scope="module")
def modules(year_model, tmp_path_factory) -> dict[str, Path]:
    """The 2023 module in both forms, the runtime package beside the default one, and files to check."""
    root = tmp_path_factory.mktemp("interpreters")
    standalone = root / "standalone" / "lss_2023.py"
    standalone.parent.mkdir()
    standalone.write_text(to_python(year_model(2023), standalone=True), encoding="utf-8")
    default = root / "default" / "lss_2023.py"
    package = root / "default" / "lib" / "lss_rules"  # only what the default form imports: lss_rules.runtime.python
    package.mkdir(parents=True)
    shutil.copy(Path(lss_rules.__file__), package / "__init__.py")
    (package / "runtime").mkdir()
    shutil.copy(Path(runtime.__file__).parent / "__init__.py", package / "runtime" / "__init__.py")
    shutil.copy(Path(runtime.__file__), package / "runtime" / "python.py")
    default.write_text(to_python(year_model(2023)), encoding="utf-8")
    data = root / "data"
    data.mkdir()
    (data / "a.txt").write_text(f"{LINE}\n{LINE}\n0114;x\n;;;\n{HOURS}\n", encoding="utf-8")
    (data / "b.txt").write_text(LINE.replace("0180", "0114") + "\n", encoding="utf-8")
    return {"standalone": standalone, "default": default, "lib": package.parent, "data": data}


def _run(
    python: Path, module: Path, data: Path, lib: Path | None = None, *extra: str
) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "", "PYTHONPATH": str(lib)} if lib else {"PATH": ""}
    cmd = [str(python), *([] if lib else ["-I"]), str(module), "a.txt", "b.txt", "--format", "json", *extra]
    return subprocess.run(cmd, cwd=data, capture_output=True, text=True, env=env)


@pytest.mark.parametrize("version", sorted(SUPPORTED))
def test_both_forms_run_and_agree(modules, version):
    python = _interpreter(SUPPORTED[version])
    reference = _run(
        Path("/usr/bin/python3.11") if SUPPORTED["3.11"].is_file() else python, modules["standalone"], modules["data"]
    )
    alone = _run(python, modules["standalone"], modules["data"])
    imported = _run(python, modules["default"], modules["data"], modules["lib"])
    for res in (alone, imported):
        assert res.returncode == 1, res.stderr
        assert json.loads(res.stdout) == json.loads(reference.stdout)
    assert {f["rule"] for f in json.loads(alone.stdout)["findings"]} >= {"LSS-R07", "LSS-S01", "LSS-R21"}


@pytest.mark.parametrize("version", sorted(SUPPORTED))
def test_explain_runs_on_every_python(modules, version):
    """``--explain`` (issue 27) in both forms: the same traces on every supported Python (3.9 syntax)."""
    python = _interpreter(SUPPORTED[version])
    reference = _run(Path("/usr/bin/python3.11"), modules["standalone"], modules["data"], None, "--explain")
    alone = _run(python, modules["standalone"], modules["data"], None, "--explain")
    imported = _run(python, modules["default"], modules["data"], modules["lib"], "--explain")
    for res in (alone, imported):
        assert res.returncode == 1, res.stderr
        assert json.loads(res.stdout) == json.loads(reference.stdout)
    report = json.loads(alone.stdout)
    assert report["contract"] == 2 and all("trace" in f for f in report["findings"])
    r07 = next(f for f in report["findings"] if f["rule"] == "LSS-R07")
    assert r07["trace"]["others"] == [{"file": "a.txt", "line": 1}]


@pytest.mark.parametrize("version", sorted(OLDER))
def test_an_older_python_exits_2_with_one_line(modules, version):
    python = _interpreter(OLDER[version])
    for form in ("standalone", "default"):
        res = _run(python, modules[form], modules["data"], modules["lib"] if form == "default" else None)
        assert res.returncode == 2, res.stderr
        assert res.stdout == "" and res.stderr.count("\n") == 1, res.stderr
        assert "kräver Python 3.9 eller senare" in res.stderr and f"den här är {version}" in res.stderr
