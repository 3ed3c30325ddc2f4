"""Fuzz: conformance suite folders (`lss-rules conformance run`).

A one-vector suite with its manifest.json and expected.json replaced by any JSON (or bytes), with
names, links and types changed, lists of thousands of mixed values: exit 2 with one line, or a run
(0/1) whose JUnit file is well-formed XML; the suite is never written to; no process but the vendor
command is started.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import count, drive, one_line_error, run_cli, snapshot

VENDOR = shutil.which("true") or "/bin/true"
BASE: dict[str, Path] = {}

json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.sampled_from(["../x", "/etc", "--spec=x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@pytest.fixture(scope="module", autouse=True)
def base_suite(suite_2023_one: Path) -> None:
    BASE["suite"] = suite_2023_one


@pytest.fixture(scope="module")
def suite_2023_one(tmp_path_factory: pytest.TempPathFactory, spec) -> Path:
    from lss_rules.tools.conformance import export

    full = tmp_path_factory.mktemp("fuzz-suite") / "full"
    export(spec.for_year(2023), full)
    manifest = json.loads((full / "manifest.json").read_text(encoding="utf-8"))
    keep = [v for v in manifest["vectors"] if v["id"] in ("LSS-R04-violation-02", "LSS-R02-violation-01")]
    manifest["vectors"] = keep
    one = full.parent / "one"
    one.mkdir()
    for v in keep:
        shutil.copytree(full / v["id"], one / v["id"])
    (one / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return one


def _mutate(suite: Path, kind: str, value: object, raw: bytes, key: str) -> None:
    manifest_path = suite / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    vid = manifest["vectors"][0]["id"]
    if kind == "manifest-json":
        manifest_path.write_text(json.dumps(value), encoding="utf-8")
    elif kind == "manifest-bytes":
        manifest_path.write_bytes(raw)
    elif kind == "manifest-field":
        manifest["vectors"][0][key] = value
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif kind == "manifest-long-list":  # issue 22: a long list mixing types was compared pair by pair (72 s)
        mixed = [value, manifest["vectors"][0]["files"][0], len(raw), str(len(raw))]
        manifest["vectors"][0][key if key in ("files", "id") else "files"] = (mixed * 3_000)[: len(raw) * 300]
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif kind == "manifest-top":
        manifest[key] = value
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif kind == "expected-json":
        (suite / vid / "expected.json").write_text(json.dumps(value), encoding="utf-8")
    elif kind == "expected-field":
        doc = json.loads((suite / vid / "expected.json").read_text(encoding="utf-8"))
        doc[key] = value
        (suite / vid / "expected.json").write_text(json.dumps(doc), encoding="utf-8")
    elif kind == "link-expected":
        (suite / vid / "expected.json").unlink()
        os.symlink(raw.decode("latin-1").replace("\x00", "") or "/dev/zero", suite / vid / "expected.json")
    elif kind == "link-file":
        name = manifest["vectors"][0]["files"][0]
        (suite / vid / name).unlink()
        os.symlink("/etc/passwd", suite / vid / name)
    elif kind == "fifo-expected":
        (suite / vid / "expected.json").unlink()
        os.mkfifo(suite / vid / "expected.json")
    elif kind == "dir-expected":
        (suite / vid / "expected.json").unlink()
        (suite / vid / "expected.json").mkdir()


KINDS = [
    "manifest-json",
    "manifest-bytes",
    "manifest-field",
    "manifest-top",
    "manifest-long-list",
    "expected-json",
    "expected-field",
    "link-expected",
    "link-file",
    "fifo-expected",
    "dir-expected",
    "none",
]
KEYS = ["id", "files", "deceased", "rule", "year", "status", "findings", "vectors", "format"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(KINDS),
    value=json_value,
    raw=st.binary(max_size=40),
    key=st.sampled_from(KEYS),
)
def _fuzz(kind: str, value: object, raw: bytes, key: str) -> None:
    count("suite")
    with tempfile.TemporaryDirectory() as tmp:
        suite = Path(tmp) / "suite"
        shutil.copytree(BASE["suite"], suite, symlinks=True)
        _mutate(suite, kind, value, raw, key)
        out = Path(tmp) / "out"
        out.mkdir()
        before = snapshot(suite)
        junit = out / "junit.xml"
        code, _text, err = run_cli(
            ["conformance", "run", "--suite", str(suite), "--cmd", VENDOR, "--timeout", "10", "--junit", str(junit)],
            allowed=VENDOR,
        )
        one_line_error(code, err)
        if code == 2:
            assert err.count("\n") == 1, err
        else:
            ET.parse(junit)
        assert snapshot(suite) == before  # the suite is never written to
        assert sorted(os.listdir(tmp)) == ["out", "suite"] and os.listdir(out) in ([], ["junit.xml"])


def test_fuzz_suite() -> None:
    drive("suite", _fuzz)
