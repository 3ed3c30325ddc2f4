"""Compiled validators, loaded the fast way: compile once, keep the source on disk.

``lss-rules validate`` runs the module that :func:`lss_rules.backends.python.to_python`
generates — the same one ``lss-rules compile`` writes.  Generating it needs the
spec parser (lark); running it does not.  So the generated source is cached in
``${XDG_CACHE_HOME:-~/.cache}/lss-rules/`` under a key made of the sha256 of the
spec's bytes, the package version and the backend's own source: a cache hit reads
a few files, imports the module and never imports lark.  The module's bytecode is
written beside it when the module is (``__pycache__``, checked against the source's
hash), also where ``PYTHONDONTWRITEBYTECODE`` is set: the cache is ours, and a run
then skips compiling a thousand lines.  When the cache folder cannot be written the
module is compiled in memory for this run only.

>>> mod = load_validator(2023)
>>> mod.YEAR
2023
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import types
from pathlib import Path

from lss_rules import __version__

_LOADED: dict[tuple[str, int], types.ModuleType] = {}


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lss-rules"


def _spec_dir(spec: str | Path | None) -> Path:
    if spec is not None:
        return Path(spec)
    found = importlib.util.find_spec("lss_rules.spec")  # the installed spec (importlib.resources costs a start-up)
    if found is None or not found.submodule_search_locations:
        raise ModuleNotFoundError("No module named 'lss_rules.spec'", name="lss_rules.spec")
    return Path(next(iter(found.submodule_search_locations)))


def spec_files(path: Path) -> list[Path]:
    """The ``.lss`` files of a spec folder, or the one file given (as :func:`lss_rules.load.spec_files`)."""
    from lss_rules.errors import UsageError

    if path.is_dir():
        files = sorted(path.glob("*.lss"))
        if files:
            return files
        raise UsageError(f"{path}: mappen innehåller inga .lss-filer")
    if path.is_file():
        return [path]
    raise UsageError(f"{path}: finns inte; ange en specifikationsmapp eller en .lss-fil")


def cache_key(spec: str | Path | None = None) -> str:
    """sha256 of the spec files' bytes, the package version and the backend source (no parsing)."""
    path = _spec_dir(spec)
    digest = hashlib.sha256(f"lss-rules {__version__}\0".encode())
    here = Path(__file__).resolve().parent
    for own in (*(here / "backends" / f for f in ("python.py", "ir.py", "pyprint.py")), here / "runtime.py"):
        digest.update(own.read_bytes())
    files = spec_files(path)
    folder = path if path.is_dir() else path.parent
    for f in [*files, *sorted(p for p in (folder / "data").glob("*") if p.is_file())]:
        digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def generate(year: int, spec: str | Path | None = None, standalone: bool = False) -> str:
    """The validator source for ``year`` (loads and checks the spec: imports lark).

    It imports :mod:`lss_rules.runtime`; ``standalone``: it embeds the runtime instead (one file).
    """
    from lss_rules.backends.python import to_python
    from lss_rules.load import load_spec

    return to_python(load_spec(_spec_dir(spec)).for_year(year), standalone=standalone)


def generate_javascript(year: int, spec: str | Path | None = None) -> str:
    """The JavaScript validator (an ES module) for ``year`` (loads and checks the spec: imports lark)."""
    from lss_rules.backends.javascript import to_javascript
    from lss_rules.load import load_spec

    _check_year(year)
    return to_javascript(load_spec(_spec_dir(spec)).for_year(year))


def _check_year(year: int) -> None:
    from lss_rules.errors import DataError

    if not isinstance(year, int) or year < 0:
        raise DataError(f"okänt år {year}")


def load_validator(year: int, spec: str | Path | None = None) -> types.ModuleType:
    """The compiled validator module of ``year``, from the cache when it is there."""
    _check_year(year)
    key = cache_key(spec)
    memo = _LOADED.get((key, year))
    if memo is not None:
        return memo
    name = f"lss_validator_{year}_{key[:16]}"
    path = cache_dir() / f"{name}.py"
    if path.is_file():
        module = _import_file(name, path)
    else:
        source = generate(year, spec)
        written = _write(path, source)
        module = _import_file(name, path) if written else _import_source(name, source)
    _LOADED[(key, year)] = module
    return module


def _write(path: Path, source: str) -> bool:
    """Write atomically (a rename), so two runs at once never see half a file; False if not writable."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".py")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(source)
        os.replace(tmp, path)
    except OSError:
        return False
    _write_bytecode(path)
    return True


def _write_bytecode(path: Path) -> None:
    """The module's bytecode in its ``__pycache__`` (atomically; checked by the source's hash); best effort."""
    import contextlib
    import py_compile

    with contextlib.suppress(OSError, py_compile.PyCompileError):  # else imported from its source as before
        py_compile.compile(
            str(path),
            cfile=importlib.util.cache_from_source(str(path)),
            doraise=True,
            invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
        )


def _import_file(name: str, path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _import_source(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = f"<{name}>"
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module
