"""Fixtures for the JavaScript backend: node, compiled ES modules per year, a batch runner."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from lss_rules.backends.javascript.to_javascript import to_javascript

HERE = Path(__file__).resolve().parent
BATCH = HERE / "batch.mjs"
PARITY = HERE / "parity.mjs"


def node_binary() -> str | None:
    return shutil.which("node") or shutil.which("nodejs")


@pytest.fixture(scope="session")
def node() -> str:
    found = node_binary()
    if found is None:
        pytest.skip("node saknas (scripts/test installerar Debians nodejs)")
    return found


@pytest.fixture(scope="session")
def js_module(tmp_path_factory, year_model):
    """The path of the generated ES module of a year (written once per session)."""
    folder = tmp_path_factory.mktemp("js")
    # keyed by the model's id, the model kept alive beside its module: a model a test let go of once left
    # its id to the next model made, and the 2007 validator was another test's 2023 model
    made: dict[Any, tuple[Any, Path]] = {}

    def get(year_or_model: Any) -> Path:
        ym = year_model(year_or_model) if isinstance(year_or_model, int) else year_or_model
        key = year_or_model if isinstance(year_or_model, int) else id(year_or_model)
        if key not in made:
            path = folder / f"lss-{ym.year}-{len(made)}.mjs"
            path.write_text(to_javascript(ym), encoding="utf-8")
            made[key] = (ym, path)
        return made[key][1]

    return get


@pytest.fixture(scope="session")
def run_batch(node):
    """Run jobs ({module, cwd, files, deceased, show, format}) in one node process: their results."""

    def run(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        proc = subprocess.run(
            [node, str(BATCH)], input=json.dumps(jobs).encode(), capture_output=True, timeout=300, check=False
        )
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")
        return json.loads(proc.stdout)

    return run


@pytest.fixture(scope="session")
def js_calls(node, runtime_mjs):
    """Call the JavaScript runtime's functions in one node process (parity.mjs): ``[name, *args]`` each, a
    ``{"value": ...}`` or ``{"error": InputError's message}`` back for each."""

    def call(calls: list[list[Any]]) -> list[dict[str, Any]]:
        proc = subprocess.run(
            [node, str(PARITY), str(runtime_mjs)],
            input=json.dumps(calls).encode(),
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")
        got = json.loads(proc.stdout)
        assert len(got) == len(calls)
        return got

    return call
