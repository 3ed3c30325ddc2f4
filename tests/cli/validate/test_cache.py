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

from lss_rules.backends.python import cache as compiled

REPO = Path(__file__).resolve().parents[3]

LINE = "0180;198001022386;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"
PROBE = (
    "import sys\n"
    "from lss_rules.cli import main\n"
    "code = main(['validate', sys.argv[1], '--year', '2023', '--format', 'json'])\n"
    "print('LARK' if 'lark' in sys.modules else 'NOLARK', file=sys.stderr)\n"
    "print('IMPORTED', *sorted(sys.modules), file=sys.stderr)\n"
    "sys.exit(code)\n"
)
#: What a run of ``validate`` on a cache hit never imports: the start-up a vendor's CI pays once a register
#: (the other commands' modules and their parsers, the tools, dataclasses with inspect: a third of a small run).
NOT_ON_A_HIT = ("lark", "dataclasses", "inspect", "lss_rules.tools", "lss_rules.generators", "lss_rules.meaning")


def _probe(tmp_path, cache, **extra):
    data = tmp_path / "a.txt"
    data.write_text(LINE + "\n", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), **extra}
    return subprocess.run([sys.executable, "-c", PROBE, str(data)], capture_output=True, text=True, env=env)


def _entry(cache: Path) -> Path:
    (entry,) = (cache / "lss-rules").glob("lss_validator_2023_*.code")
    return entry


def test_cache_hit_does_not_import_lark(tmp_path):
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    assert first.returncode == 0 and "LARK" in first.stderr.split()
    assert _entry(cache).stat().st_mode & 0o777 == 0o600
    second = _probe(tmp_path, cache)
    assert second.returncode == 0 and "NOLARK" in second.stderr.split()
    assert second.stdout == first.stdout
    (imported,) = (line.split()[1:] for line in second.stderr.splitlines() if line.startswith("IMPORTED "))
    commands = {m for m in imported if m.startswith("lss_rules.cli.")}
    assert commands == {"lss_rules.cli.validate"}, "only the command run builds its parser"
    assert not [m for m in imported if m.split(".")[0] in NOT_ON_A_HIT or m.startswith(NOT_ON_A_HIT)]


def test_unwritable_cache_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = _probe(tmp_path, blocker)
    assert result.returncode == 0, result.stderr
    assert '"status": "accepted"' in result.stdout


@pytest.mark.parametrize("damage", ["edited", "truncated", "another key", "garbage that matches its sha256"])
def test_damaged_entry_is_generated_again(tmp_path, damage):
    """Before: a truncated or garbage module gave a traceback on every run until the cache was deleted."""
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    entry = _entry(cache)
    good = entry.read_bytes()
    ident = good.split(b"\n")[1].decode()
    if damage == "edited":
        entry.write_bytes(good + b"\0")
    elif damage == "truncated":
        entry.write_bytes(good[: len(good) // 2])
    elif damage == "another key":
        entry.write_bytes(compiled.pack("0" * 64, compile("raise SystemExit(42)", "x", "exec")))
    else:
        body = b"\x00garbage"
        entry.write_bytes(compiled.ENTRY_HEADER + f"{ident}\n{hashlib.sha256(body).hexdigest()}\n".encode() + body)
    second = _probe(tmp_path, cache)
    assert second.returncode == 0 and "Traceback" not in second.stderr and second.stdout == first.stdout
    assert entry.read_bytes() == good  # written again
    third = _probe(tmp_path, cache)
    assert third.returncode == 0 and "NOLARK" in third.stderr.split()


def test_an_entry_that_fails_to_run_is_generated_again(tmp_path):
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    entry = _entry(cache)
    good = entry.read_bytes()
    _plant(cache, "raise ValueError('trasig')\n")
    second = _probe(tmp_path, cache)
    assert second.returncode == 0 and second.stdout == first.stdout and entry.read_bytes() == good


# --------------------------------------------------------------------------- attacks on the cache (issue 22)

PLANTED = "import pathlib, os\npathlib.Path(os.environ['LSS_PLANTED']).write_text('ran')\nraise SystemExit(42)\n"


def _plant(cache: Path, code: str) -> list[Path]:
    return _plant_in(cache / "lss-rules", code)


def _plant_in(folder: Path, code: str) -> list[Path]:
    """Replace every cached validator in ``folder`` by ``code``, valid as far as the cache's own checks of it go.

    Written in the entry format of the code under test: the key and sha256 header of a code object
    (since issue 22), or a ``.py`` module with its manifest's sha256 set to match (before).
    """
    planted = []
    for entry in folder.glob("lss_validator_*.code"):
        ident = entry.read_bytes().split(b"\n")[1].decode()
        entry.write_bytes(compiled.pack(ident, compile(code, entry.stem, "exec")))
        planted.append(entry)
    for module in folder.glob("lss_validator_*.py"):  # the format before issue 22
        module.write_text(code, encoding="utf-8")
        manifest = module.with_suffix(".json")
        entry = json.loads(manifest.read_text(encoding="utf-8"))
        entry["module"] = hashlib.sha256(code.encode()).hexdigest()
        manifest.write_text(json.dumps(entry), encoding="utf-8")
        shutil.rmtree(folder / "__pycache__", ignore_errors=True)
        planted += [module, manifest]
    assert planted
    return planted


def _attacked(tmp_path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    mark = tmp_path / "planted-ran"
    result = _probe(tmp_path, cache, LSS_PLANTED=str(mark))
    assert not mark.exists(), "the planted code ran"
    return result


def test_a_planted_pyc_never_runs(tmp_path):
    """Before: the sha256 covered NAME.py, but Python ran __pycache__/NAME.*.pyc; an unchecked-hash .pyc ran."""
    import importlib.util
    import py_compile

    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    folder = cache / "lss-rules"
    (stem,) = {p.name.split(".")[0] for p in folder.glob("lss_validator_2023_*")}
    planted = tmp_path / "planted.py"
    planted.write_text(PLANTED, encoding="utf-8")
    for name in (f"{stem}.py", "lss_validator_2023.py"):  # beside the entry and beside its name alone
        pyc = importlib.util.cache_from_source(str(folder / name))
        Path(pyc).parent.mkdir(exist_ok=True)
        py_compile.compile(
            str(planted), cfile=pyc, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
        )
    second = _attacked(tmp_path, cache)
    assert second.returncode == 0 and second.stdout == first.stdout


def test_the_datasets_checked_are_those_the_spec_declares(tmp_path):
    """Before: the entry's manifest listed the datasets to check; with ``"datasets": {}`` a changed one was not."""
    folder = _spec_with_tables(tmp_path)
    cache = tmp_path / "cache"
    data = tmp_path / "a.txt"
    data.write_text(LINE + "\n", encoding="utf-8")
    argv = [sys.executable, "-m", "lss_rules", "validate", str(data), "--year", "2023", "--spec", str(folder)]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    assert subprocess.run(argv, capture_output=True, env=env).returncode == 0
    for manifest in (cache / "lss-rules").glob("*.json"):  # the format before issue 22 had a list to empty
        manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "datasets": {}}), encoding="utf-8")
    table = folder / "tabeller.csv"
    table.write_text(
        "".join(ln for ln in table.read_text(encoding="utf-8").splitlines(True) if not ln.startswith("0180,")),
        encoding="utf-8",
    )
    result = subprocess.run(argv, capture_output=True, env=env, text=True)
    assert result.returncode == 1, result.stdout  # 0180 is no longer a municipality


def test_a_dataset_the_key_does_not_cover_is_never_cached(tmp_path, monkeypatch):
    """The key's datasets come from a scan of the spec text; where the parser reads one the scan missed
    (never so for a spec that parses: tests/spec/test_declared_datasets.py), nothing is written to disk."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(compiled, "_LOADED", {})
    import lss_rules.language.lexical

    monkeypatch.setattr(lss_rules.language.lexical, "declared_files", lambda texts, grammar: ())
    folder = _spec_with_tables(tmp_path)
    assert compiled.load_validator(2023, folder).YEAR == 2023
    assert list((tmp_path / "cache" / "lss-rules").iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to hand a file to another user")
def test_an_entry_owned_by_someone_else_never_runs(tmp_path):
    """Before: nothing checked who owned an entry."""
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    for path in _plant(cache, PLANTED):
        os.chown(path, 65534, -1)
    second = _attacked(tmp_path, cache)
    assert second.returncode == 0 and second.stdout == first.stdout
    assert _entry(cache).stat().st_uid == os.geteuid()  # removed and written again


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to hand a file to another user")
def test_a_cache_folder_of_someone_else_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    planted = _plant(cache, PLANTED)
    os.chown(cache / "lss-rules", 65534, -1)
    second = _attacked(tmp_path, cache)
    assert second.returncode == 0 and second.stdout == first.stdout  # compiled in memory
    assert all(p.read_bytes() for p in planted)  # and nothing of theirs touched


def test_an_entry_others_can_write_never_runs(tmp_path):
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    for path in _plant(cache, PLANTED):
        path.chmod(0o666)
    second = _attacked(tmp_path, cache)
    assert second.returncode == 0 and second.stdout == first.stdout
    assert _entry(cache).stat().st_mode & 0o777 == 0o600


def test_a_cache_folder_others_could_write_is_emptied_before_use(tmp_path):
    """Before: a folder of mode 777 was closed (700) but what others had put in it was still used."""
    cache = tmp_path / "cache"
    first = _probe(tmp_path, cache)
    _plant(cache, PLANTED)
    folder = cache / "lss-rules"
    (folder / "annat").mkdir()
    (folder / "annat" / "fil").write_text("x", encoding="utf-8")
    folder.chmod(0o777)
    second = _attacked(tmp_path, cache)
    assert second.returncode == 0 and second.stdout == first.stdout
    assert folder.stat().st_mode & 0o777 == 0o700
    assert [p.name for p in folder.iterdir()] == [_entry(cache).name]  # emptied, then the entry written anew


def test_a_link_in_place_of_the_cache_folder_is_not_followed(tmp_path):
    cache = tmp_path / "cache"
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    cache.mkdir()
    (cache / "lss-rules").symlink_to(theirs)
    result = _probe(tmp_path, cache)
    assert result.returncode == 0 and '"status": "accepted"' in result.stdout
    assert list(theirs.iterdir()) == []  # nothing written through the link


@pytest.mark.parametrize("theirs_has", ["a planted entry", "nothing"])
def test_swapping_the_folder_for_a_link_after_the_check_changes_nothing(tmp_path, monkeypatch, theirs_has):
    """Before: the folder was checked with lstat, then every open went through the path again.  Swapped for a
    link to another user's folder in between, their code ran, or our files were written into their folder.

    The swap happens right after the check of the folder (lstat or fstat of its inode), every time.
    """
    cache = tmp_path / "cache"
    mine = cache / "lss-rules"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(compiled, "_LOADED", {})
    mark = tmp_path / "planted-ran"
    monkeypatch.setenv("LSS_PLANTED", str(mark))
    compiled.load_validator(2023)  # our entry, in our folder
    monkeypatch.setattr(compiled, "_LOADED", {})
    theirs = tmp_path / "theirs"
    if theirs_has == "a planted entry":
        shutil.copytree(mine, theirs, ignore=shutil.ignore_patterns("__pycache__"))
        _plant_in(theirs, PLANTED)
    else:
        theirs.mkdir()
        shutil.rmtree(mine)  # our folder empty: the run writes its entry, the question is where
        mine.mkdir(mode=0o700)
    before = sorted((p.name, p.read_bytes()) for p in theirs.iterdir() if p.is_file())
    ino = os.stat(mine).st_ino
    swapped = []

    def swap_after(name):
        real = getattr(os, name)

        def stat_then_swap(*args, **kwargs):
            result = real(*args, **kwargs)
            checking = name != "stat" or kwargs.get("follow_symlinks") is False
            if checking and not swapped and "dir_fd" not in kwargs and result.st_ino == ino:
                swapped.append(name)
                os.rename(mine, cache / "moved")
                os.symlink(theirs, mine)
            return result

        return stat_then_swap

    for name in ("stat", "lstat", "fstat"):
        monkeypatch.setattr(os, name, swap_after(name))
    module = compiled.load_validator(2023)
    monkeypatch.undo()
    assert swapped, "the folder was never checked"
    assert not mark.exists(), "their code ran"
    assert module.YEAR == 2023
    assert sorted((p.name, p.read_bytes()) for p in theirs.iterdir() if p.is_file()) == before  # nothing written
    assert [p.suffix for p in (cache / "moved").iterdir()] == [".code"]  # ours, in the folder we checked


def test_key_covers_every_compiler_source(tmp_path, monkeypatch):
    """Before: only the backend and the runtime were hashed; a fix in lower.py served a stale validator."""
    copy = tmp_path / "lss_rules"
    shutil.copytree(compiled.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(compiled, "PACKAGE_DIR", copy)
    keys = set()
    for edit in (None, "language/lower.py", "language/model.py", "language/check.py", "backends/validator/lower.py"):
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

    from lss_rules.backends.python import cachedir

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(compiled, "_LOADED", {})
    monkeypatch.setattr(cachedir.os, "write", full)
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


def test_the_profile_of_the_docs_is_cached_in_the_same_checked_folder(tmp_path, monkeypatch, spec):
    from lss_rules.generators import profile

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    first = profile.default_profile(spec, 2023)
    (entry,) = (cache / "lss-rules").glob("profile-2023-*.json")
    assert entry.stat().st_mode & 0o777 == 0o600
    monkeypatch.setattr(profile, "measure", None)  # the second is read from the cache
    assert profile.default_profile(spec, 2023) == first
    entry.chmod(0o666)  # an entry others could have written is not read
    with pytest.raises(TypeError):
        profile.default_profile(spec, 2023)
    assert not entry.exists()


def test_entries_of_the_format_before_are_never_read_and_swept(tmp_path):
    """NAME.py, NAME.json and __pycache__ of lss-rules before issue 22: never imported; removed on the next write."""
    folder = tmp_path / "cache" / "lss-rules"
    (folder / "__pycache__").mkdir(parents=True)
    folder.chmod(0o700)
    for name in ("lss_validator_2023_0123456789abcdef.py", "lss_validator_2023.py"):
        (folder / name).write_text(PLANTED, encoding="utf-8")
    (folder / "lss_validator_2023_0123456789abcdef.json").write_text("{}", encoding="utf-8")
    (folder / "__pycache__" / "lss_validator_2023.cpython-311.pyc").write_bytes(b"x")
    result = _attacked(tmp_path, tmp_path / "cache")
    assert result.returncode == 0
    assert [p.name for p in folder.iterdir()] == [_entry(tmp_path / "cache").name]
