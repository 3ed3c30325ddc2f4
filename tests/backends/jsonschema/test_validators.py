"""The record schema loads, unchanged, in the validators vendors use: ajv (strict, its default), jsonschema-rs
and python-jsonschema — and they agree on a valid and an invalid record.

Before: ajv refused the schema in its default strict mode (``unknown keyword: "x-lss-year"``).  ajv is
installed with npm into a cache folder (``$LSS_AJV_DIR``, else ``<tmp>/lss-rules-ajv``) on the first run;
without node/npm or the network the ajv test is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import jsonschema
import pytest

from lss_rules.backends.jsonschema import lss_annotations, to_jsonschema

AJV_VERSION = "8.17.1"
YEARS = (2003, 2023)

#: What docs/guide/vendors.md shows a vendor, run by node on the files named on its command line.
AJV_CHECK = Path(__file__).resolve().parent / "ajv_check.mjs"


def _record(ym, **values: str) -> dict[str, str]:
    record = {f.name: "" for f in ym.fields}
    record.update(kommun="0180", personnummer="198001022386", personkrets="1", kontaktperson="1")
    for f in ym.fields:
        if f.name not in record or record[f.name] == "":
            record[f.name] = "0" if f.always_required and f.name not in ("kommun", "personnummer") else ""
    record.update(values)
    return {k: v for k, v in record.items() if k in ym.field_names}


@pytest.fixture(scope="module")
def schemas(spec, tmp_path_factory):
    folder = tmp_path_factory.mktemp("schemas")
    out = {}
    for year in YEARS:
        ym = spec.for_year(year)
        path = folder / f"lss-record-{year}.schema.json"
        path.write_text(json.dumps(to_jsonschema(ym), ensure_ascii=False), encoding="utf-8")
        good, bad = folder / f"good-{year}.json", folder / f"bad-{year}.json"
        good.write_text(json.dumps(_record(ym)), encoding="utf-8")
        bad.write_text(json.dumps(_record(ym, personkrets="9")), encoding="utf-8")
        out[year] = (path, good, bad)
    return out


def _ajv_dir() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node och npm finns inte (apt-get install nodejs npm)")
    folder = Path(os.environ.get("LSS_AJV_DIR") or Path(tempfile.gettempdir()) / "lss-rules-ajv") / AJV_VERSION
    if not (folder / "node_modules" / "ajv" / "dist" / "2020.js").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder), f"ajv@{AJV_VERSION}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0:
            pytest.skip(f"npm kunde inte installera ajv@{AJV_VERSION}: {proc.stderr.strip()[-300:]}")
    return folder


def test_ajv_default_strict_mode_loads_and_agrees(schemas, tmp_path):
    folder = _ajv_dir()
    for year, (schema, good, bad) in schemas.items():
        proc = subprocess.run(
            ["node", str(AJV_CHECK), str(folder), str(schema), str(good), str(bad)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert "strict mode" not in proc.stderr, proc.stderr  # not even a logged strict-mode warning
        result = json.loads(proc.stdout)
        assert result[0] == {"ok": True, "rules": []}, year
        assert result[1]["ok"] is False and "LSS-S02" in result[1]["rules"], (year, result)


def test_jsonschema_rs_loads_and_agrees(schemas):
    jsonschema_rs = pytest.importorskip("jsonschema_rs", reason="jsonschema-rs är inte installerat")
    for schema, good, bad in schemas.values():
        validator = jsonschema_rs.validator_for(json.loads(schema.read_text(encoding="utf-8")))
        assert validator.is_valid(json.loads(good.read_text(encoding="utf-8")))
        assert not validator.is_valid(json.loads(bad.read_text(encoding="utf-8")))


def test_python_jsonschema_loads_and_agrees(schemas, check_schema):
    for schema, good, bad in schemas.values():
        doc = json.loads(schema.read_text(encoding="utf-8"))
        check_schema(doc)
        validator = jsonschema.Draft202012Validator(doc)
        assert validator.is_valid(json.loads(good.read_text(encoding="utf-8")))
        assert not validator.is_valid(json.loads(bad.read_text(encoding="utf-8")))


def test_no_unknown_keyword_and_annotations_kept(spec):
    """Only JSON Schema 2020-12 keywords anywhere a validator looks; the x-lss data is all in the const."""
    schema = to_jsonschema(spec.for_year(2023))

    def keys(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k.startswith("x-"):
                    yield k
                yield from keys(v)
        elif isinstance(node, list):
            for v in node:
                yield from keys(v)

    stripped = dict(schema, **{"$defs": {k: v for k, v in schema["$defs"].items() if k != "lss-annotations"}})
    assert list(keys(stripped)) == []
    notes = lss_annotations(schema)
    assert notes["x-lss-year"] == 2023 and notes["x-lss-spec-digest"] == spec.digest
    assert {w["rule"] for w in notes["x-lss-warnings"]} and notes["x-lss-rules-not-expressed"]
    for w in notes["x-lss-warnings"]:
        assert w["schema"].removeprefix("#/$defs/") in schema["$defs"]
