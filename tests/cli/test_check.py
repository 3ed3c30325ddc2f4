"""`lss-rules check`: located diagnostics, exit codes, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from lss_rules.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "spec"
    shutil.copytree(REPO / "spec", dst, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return dst


def test_spec_is_clean(capsys):
    assert main(["check", str(REPO / "spec")]) == 0
    assert "inga fel" in capsys.readouterr().out


def test_garbage_line_is_located(spec_copy: Path, capsys):
    rules = spec_copy / "rules.lss"
    n = len(rules.read_text(encoding="utf-8").splitlines())
    with rules.open("a", encoding="utf-8") as f:
        f.write("detta är skräp\n")
    assert main(["check", str(spec_copy)]) == 1
    err = capsys.readouterr().err
    assert f"{rules}:{n + 1}:1: error[E001]" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01\x02\xff\xfe garbage", "rule LSS-R01 { \u2603 }".encode(), b"", "\ufeffrule".encode(), b"\xe5\xe4\xf6"],
)
def test_odd_files_never_raise(tmp_path: Path, capsys, content: bytes):
    (tmp_path / "x.lss").write_bytes(content)
    assert main(["check", str(tmp_path)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_usage_errors(tmp_path: Path, capsys):
    assert main(["check", str(tmp_path / "missing")]) == 2
    assert main(["check", str(tmp_path)]) == 2  # no .lss files
    assert "Traceback" not in capsys.readouterr().err


def test_broken_dataset_csv(spec_copy: Path, capsys):
    (spec_copy / "data" / "kommuner.csv").write_bytes(b'kod,namn\n\xff,"x\n')
    assert main(["check", str(spec_copy)]) == 1
    assert "error[E011]" in capsys.readouterr().err


def test_every_problem_in_one_run(spec_copy: Path, capsys):
    rules = spec_copy / "rules.lss"
    text = rules.read_text(encoding="utf-8")
    text = text.replace("  when korttidstillsyn = 1\n", "  when korttidstillsyn = = 1\n", 1)
    text = text.replace("  when familjehem = 1\n", "  when familjehemm = 1\n", 1)
    text = text.replace(
        "  require ledsagarservice_timmar <= ledsagarservice_max_timmar",
        "  require ledsagarservice_timmar <= 7 +",
        1,
    )
    rules.write_text(text, encoding="utf-8")
    assert main(["check", str(spec_copy)]) == 1
    err = capsys.readouterr().err
    assert err.count("error[E001]") == 2
    assert "error[E002]" in err


def test_many_errors_read_each_file_once_to_show_them(tmp_path: Path, capsys, monkeypatch):
    # issue 22: each diagnostic read its file again for its source line (20,000 errors in 100 KB: 2 GB read)
    from lss_rules.language import diagnostics

    spec = tmp_path / "x.lss"
    spec.write_text("rule\n" * 2_000, encoding="utf-8")
    reads: list[str] = []
    real = diagnostics._source_lines
    monkeypatch.setattr(diagnostics, "_source_lines", lambda f: reads.append(f) or real(f))
    assert main(["check", str(spec)]) == 1
    err = capsys.readouterr().err
    assert all(f"{spec}:{n}:5: error[E001]" in err for n in range(1, 2_001))
    assert err.count("    1 | rule\n") == 1 and err.count(" 2000 | rule\n") == 1
    assert reads == [str(spec)]


@pytest.mark.slow
def test_installed_package_checks_its_spec(tmp_path: Path):
    env_dir = tmp_path / "venv"
    # no pip of its own (ensurepip: ~4 s): this run's pip installs into it (pip --python)
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    # the dependencies (lark, ...) from this test run's environment, after the venv's own packages
    purelib = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True
    ).stdout.strip()
    Path(purelib, "_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    build = tmp_path / "src"
    # links are copied as links: tests/spec/broken holds one to /dev/zero, which must never be read
    ignore = shutil.ignore_patterns(
        ".git", "__pycache__", "*.egg-info", "build", ".venv", ".venv-ci", ".npm-tools", ".cache-dev", "site"
    )
    shutil.copytree(REPO, build, symlinks=True, ignore=ignore)
    pip = [sys.executable, "-m", "pip", "--python", str(py)]
    subprocess.run([*pip, "install", "-q", "--no-deps", "--disable-pip-version-check", str(build)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = (
        "import sys, lss_rules, lss_rules.language.load as l; from lss_rules.cli import main; "
        f"assert lss_rules.__file__.startswith({str(env_dir)!r}), lss_rules.__file__; "
        "sys.exit(main(['check', str(l.default_spec_dir())]))"
    )
    res = subprocess.run([py, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    script = env_dir / "bin" / "lss-rules"
    res = subprocess.run([script, "check"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "exempel ger sina fynd" in res.stdout  # the worked examples are installed with the spec
    assert sys.executable


def test_check_says_what_a_later_year_is_checked_with(capsys):
    """Plain Swedish, not "(senare år som 2022)": the last stated year's rules, and when they last changed."""
    from lss_rules.language.load import load_spec

    spec = load_spec()
    assert main(["check", "--no-examples"]) == 0
    out = capsys.readouterr().out
    said = f"ett senare år granskas med {spec.last_stated_year} års regler"
    if spec.last_change_year < spec.last_stated_year:
        said += f", senast ändrade {spec.last_change_year}"
    assert f"år {spec.first_year}–{spec.last_stated_year} ({said});" in out
    assert "senare år som" not in out
