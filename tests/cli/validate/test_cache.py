"""The compiled validator is cached on disk; a cache hit does not import lark; no cache still works."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lss_rules import compiled

REPO = Path(__file__).resolve().parents[3]

LINE = "0180;198001022386;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"
PROBE = (
    "import sys\n"
    "from lss_rules.cli import main\n"
    "code = main(['validate', sys.argv[1], '--year', '2023', '--format', 'json'])\n"
    "print('LARK' if 'lark' in sys.modules else 'NOLARK', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def _probe(tmp_path, cache, **extra):
    data = tmp_path / "a.txt"
    data.write_text(LINE + "\n", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), **extra}
    return subprocess.run([sys.executable, "-c", PROBE, str(data)], capture_output=True, text=True, env=env)


def test_cache_hit_does_not_import_lark(tmp_path):
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    assert first.returncode == 0 and "LARK" in first.stderr.split()
    assert list((cache / "lss-rules").glob("lss_validator_2023_*.py"))
    second = _probe(tmp_path, cache)
    assert second.returncode == 0 and "NOLARK" in second.stderr.split()
    assert second.stdout == first.stdout


def test_unwritable_cache_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = _probe(tmp_path, blocker)
    assert result.returncode == 0, result.stderr
    assert '"status": "accepted"' in result.stdout


def test_cached_module_has_its_bytecode(tmp_path):
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache, PYTHONDONTWRITEBYTECODE="1")
    (source,) = (cache / "lss-rules").glob("lss_validator_2023_*.py")
    (pyc,) = (cache / "lss-rules" / "__pycache__").glob(source.stem + ".*.pyc")
    assert first.returncode == 0
    pyc.unlink()  # no bytecode: the intact source is compiled again, still without lark
    second = _probe(tmp_path, cache, PYTHONDONTWRITEBYTECODE="1")
    assert second.returncode == 0 and "NOLARK" in second.stderr.split() and second.stdout == first.stdout


def _entry(cache):
    (source,) = (cache / "lss-rules").glob("lss_validator_2023_*.py")
    return source, source.with_suffix(".json")


@pytest.mark.parametrize("damage", ["edited", "truncated", "garbage that matches its manifest"])
def test_damaged_module_is_generated_again(tmp_path, damage):
    """Before: a truncated or garbage module gave a traceback on every run until the cache was deleted."""
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    source, manifest = _entry(cache)
    good = source.read_bytes()
    if damage == "edited":
        source.write_bytes(good + b"\nraise SystemExit(42)\n")
    elif damage == "truncated":
        source.write_bytes(good[: len(good) // 2])
    else:
        bad = b"\x00def (:\n"
        source.write_bytes(bad)
        entry = json.loads(manifest.read_text(encoding="utf-8"))
        manifest.write_text(json.dumps({**entry, "module": hashlib.sha256(bad).hexdigest()}), encoding="utf-8")
    second = _probe(tmp_path, cache)
    assert second.returncode == 0 and "Traceback" not in second.stderr and second.stdout == first.stdout
    assert source.read_bytes() == good  # written again
    third = _probe(tmp_path, cache)
    assert third.returncode == 0 and "NOLARK" in third.stderr.split()


def test_key_covers_every_compiler_source(tmp_path, monkeypatch):
    """Before: only backends/python.py and runtime.py were hashed; a fix in lower.py served a stale validator."""
    copy = tmp_path / "lss_rules"
    shutil.copytree(compiled.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(compiled, "PACKAGE_DIR", copy)
    keys = set()
    for edit in (None, "lower.py", "model.py", "check.py", "backends/python.py"):
        if edit is not None:
            with (copy / edit).open("a", encoding="utf-8") as f:
                f.write("\n# a fix\n")
        monkeypatch.setattr(compiled, "_PACKAGE_DIGEST", None)
        keys.add(compiled.cache_key())
    assert len(keys) == 5


def _spec_with_tables(tmp_path: Path) -> Path:
    folder = tmp_path / "spec"
    shutil.copytree(REPO / "spec", folder, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    (folder / "data" / "kommuner.csv").rename(folder / "tabeller.csv")
    register = folder / "register.lss"
    register.write_text(
        register.read_text(encoding="utf-8").replace('"data/kommuner.csv"', '"tabeller.csv"'), encoding="utf-8"
    )
    return folder


def test_a_dataset_anywhere_in_the_spec_folder_is_checked(tmp_path):
    """Before: only data/* was hashed; deleting a municipality from another file left validate accepting it."""
    from lss_rules.cli import main

    folder = _spec_with_tables(tmp_path)
    data = tmp_path / "a.txt"
    data.write_text(LINE + "\n", encoding="utf-8")
    argv = ["validate", str(data), "--year", "2023", "--spec", str(folder), "--format", "json"]
    assert main(argv) == 0
    table = folder / "tabeller.csv"
    table.write_text(
        "".join(ln for ln in table.read_text(encoding="utf-8").splitlines(True) if not ln.startswith("0180,")),
        encoding="utf-8",
    )
    assert main(argv) == 1  # 0180 is no longer a municipality


def test_full_disk_leaves_no_temporary_files(tmp_path, monkeypatch):
    """Before: a write that failed left one .tmp-*.py per run in the cache folder."""
    import errno

    class Full:
        def __init__(self, fd):
            os.close(fd)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

    real = os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):
        return Full(fd) if "w" in mode else real(fd, mode, *args, **kwargs)

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(compiled.os, "fdopen", fdopen)
    folder = _spec_with_tables(tmp_path)
    module = compiled.load_validator(2023, folder)
    assert module.YEAR == 2023  # from memory
    assert list((tmp_path / "cache" / "lss-rules").iterdir()) == []
    monkeypatch.setattr(compiled, "_generate", None)  # the second call is served from memory, not generated again
    assert compiled.load_validator(2023, folder) is module


def test_no_home_means_no_cache_folder(tmp_path, monkeypatch):
    """Before: with HOME empty the cache went to /.cache (or ./.cache)."""
    for home in ("", "relative/dir", "/"):
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        monkeypatch.setenv("HOME", home)
        assert compiled.cache_dir() is None
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert compiled.cache_dir() == tmp_path / ".cache" / "lss-rules"
    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    data = tmp_path / "a.txt"
    data.write_text(LINE + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(data)], capture_output=True, text=True, env={**env, "HOME": ""}, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


@pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to hand the folder to another user"
)
def test_a_cache_folder_of_someone_else_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    source, manifest = _entry(cache)
    planted = b"raise SystemExit(42)\n"
    source.write_bytes(planted)
    entry = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**entry, "module": hashlib.sha256(planted).hexdigest()}), encoding="utf-8")
    os.chown(cache / "lss-rules", 65534, -1)
    second = _probe(tmp_path, cache)
    assert second.returncode == 0 and second.stdout == first.stdout  # compiled in memory; the planted one never ran
    assert source.read_bytes() == planted


def test_a_cache_folder_others_can_write_is_closed(tmp_path):
    cache = tmp_path / "cache"
    (cache / "lss-rules").mkdir(parents=True)
    (cache / "lss-rules").chmod(0o777)
    assert _probe(tmp_path, cache).returncode == 0
    assert (cache / "lss-rules").stat().st_mode & 0o777 == 0o700
