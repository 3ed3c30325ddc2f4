"""`expected.json` of a generated register is what `lss-rules validate` reports (once validate exists)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings

from lss_rules.generators import invalid_files, registers, write_register


def validate_available() -> bool:
    proc = subprocess.run(
        [sys.executable, "-P", "-m", "lss_rules", "validate", "--help"], capture_output=True, check=False
    )
    return proc.returncode == 0


needs_validate = pytest.mark.skipif(not validate_available(), reason="lss-rules validate is not built yet")


def validate(folder, year, names, deceased=None):
    args = [sys.executable, "-P", "-m", "lss_rules", "validate", "--year", str(year), "--format", "json"]
    if deceased:
        args += ["--deceased", "deceased.txt"]
    proc = subprocess.run([*args, *names], cwd=folder, capture_output=True, text=True, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


@needs_validate
@pytest.mark.parametrize(("year", "rate"), [(2023, 0.0), (2023, 0.1), (2010, 0.1), (2005, 0.1), (1999, 0.1)])
def test_generate_expected_is_what_validate_reports(tmp_path, year, rate):
    reg = write_register(year, tmp_path, persons=500, seed=11, municipalities=3, error_rate=rate)
    report = validate(tmp_path, year, sorted(reg.files))
    assert report.pop("spec")["digest"]  # the spec that judged: not part of expected.json (it changes with the spec)
    assert report == reg.expected


def write(folder, drawn):
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in drawn.files.items():
        (folder / name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    if drawn.deceased:
        (folder / "deceased.txt").write_text(
            "".join(f"{p};{d.isoformat()}\n" for p, d in drawn.deceased.items()), encoding="utf-8"
        )


def subset(report):
    return {
        "year": report["year"],
        "status": report["status"],
        "findings": [{k: f[k] for k in ("rule", "severity", "file", "line")} for f in report["findings"]],
    }


@needs_validate
@pytest.mark.slow
def test_strategies_agree_with_validate(tmp_path_factory):
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(registers(2023, max_size=10))
    def valid(drawn):
        folder = tmp_path_factory.mktemp("v")
        write(folder, drawn)
        assert subset(validate(folder, 2023, list(drawn.files))) == drawn.expected

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(invalid_files(2023, violating="LSS-R09", municipalities=2))
    def national(drawn):
        folder = tmp_path_factory.mktemp("n")
        write(folder, drawn)
        assert subset(validate(folder, 2023, list(drawn.files))) == drawn.expected

    valid()
    national()
