"""The compiled validator is cached on disk; a cache hit does not import lark; no cache still works."""

from __future__ import annotations

import os
import subprocess
import sys

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
    assert first.returncode == 0 and list((cache / "lss-rules" / "__pycache__").glob(source.stem + ".*.pyc"))
    with source.open("a", encoding="utf-8") as f:
        f.write("\nEDITED = True\n")  # the bytecode no longer matches: the source is compiled again
    second = _probe(tmp_path, cache, PYTHONDONTWRITEBYTECODE="1")
    assert second.returncode == 0 and "NOLARK" in second.stderr.split() and second.stdout == first.stdout
