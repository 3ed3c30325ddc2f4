from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def suite_2023(tmp_path_factory, spec):
    """The 2023 suite, exported once per session."""
    from lss_rules.tools.conformance import export

    out = tmp_path_factory.mktemp("suite") / "2023"
    export(spec.for_year(2023), out)
    return out


@pytest.fixture
def small_suite(tmp_path, suite_2023):
    """A copy of a few vectors of the 2023 suite (the runner starts a process per vector)."""
    import json
    import shutil

    manifest = json.loads((suite_2023 / "manifest.json").read_text(encoding="utf-8"))
    keep = [
        "LSS-R04-violation-02",
        "LSS-R04-inside-03",
        "LSS-R02-violation-01",
        "LSS-R09-violation-01",
        "LSS-S05-violation-01",
        "register-01",
    ]
    manifest["vectors"] = [v for v in manifest["vectors"] if v["id"] in keep]
    assert len(manifest["vectors"]) == len(keep)
    out = tmp_path / "suite"
    out.mkdir()
    for v in manifest["vectors"]:
        shutil.copytree(suite_2023 / v["id"], out / v["id"])
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


@pytest.fixture
def vendor(tmp_path):
    """Write a fake vendor script; returns the command to run it."""

    def make(body: str) -> str:
        path = tmp_path / "vendor.py"
        path.write_text("import sys, json, time, os\n" + body, encoding="utf-8")
        return f"{sys.executable} {path}"

    return make


@pytest.fixture(scope="session")
def reference_vendor() -> str:
    return f"{sys.executable} {HERE / 'ref_vendor.py'}"
