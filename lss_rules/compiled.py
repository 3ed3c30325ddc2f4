"""Compiled validators, loaded the fast way: compile once, keep the source on disk.

``lss-rules validate`` runs the module that :func:`lss_rules.backends.python.to_python`
generates — the same one ``lss-rules compile`` writes.  Generating it needs the
spec parser (lark); running it does not.  So the generated source is cached in
``${XDG_CACHE_HOME:-~/.cache}/lss-rules/`` under a key made of the sha256 of the
package version, every package source that takes part in compiling (``*.py`` and the
grammar) and the spec files' bytes; beside the module a manifest holds the module's
sha256 and that of every dataset file the spec reads.  A cache hit re-hashes the
datasets and the module, imports it and never imports lark; anything that does not
match (a changed dataset, a truncated or edited module, one that fails to import) is
generated again.  The module's bytecode is written beside it when the module is
(``__pycache__``, checked against the source's hash), also where
``PYTHONDONTWRITEBYTECODE`` is set: the cache is ours, and a run then skips compiling
a thousand lines.  When the cache folder cannot be used (not writable, a full disk,
not ours or writable by others, no absolute ``XDG_CACHE_HOME`` or ``HOME``) the module
is compiled in memory for this run only.

>>> mod = load_validator(2023)
>>> mod.YEAR
2023
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import stat
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

from lss_rules import __version__

_LOADED: dict[tuple[str, str], types.ModuleType] = {}


def _spec_dir(spec: str | Path | None) -> Path:
    if spec is not None:
        return Path(spec)
    from lss_rules.spec_source import installed_dir

    return installed_dir()


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


def cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/lss-rules`` or ``$HOME/.cache/lss-rules``; None when neither is an absolute path.

    A relative or empty value is ignored (as the XDG base-directory spec says): ``HOME=`` must not put
    the cache in ``/.cache`` or in whatever folder the run starts in.
    """
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "lss-rules"
    home = os.environ.get("HOME", "")
    if os.path.isabs(home) and home != "/":
        return Path(home) / ".cache" / "lss-rules"
    return None


def _usable(directory: Path) -> bool:
    """Create the cache folder (owner only); False unless it is a folder of ours nobody else can write."""
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = directory.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return False
    if st.st_mode & 0o022:  # ours but writable by others (an old umask): close it, or do not trust it
        try:
            directory.chmod(0o700)
        except OSError:
            return False
    return True


def _package_digest() -> bytes:
    """sha256 of every package source that takes part in compiling (``*.py`` and the grammar)."""
    global _PACKAGE_DIGEST
    if _PACKAGE_DIGEST is None:
        digest = hashlib.sha256()
        roots = [PACKAGE_DIR]
        grammar = importlib.util.find_spec("lss_rules.grammar")
        if grammar is not None and grammar.submodule_search_locations:
            roots.append(Path(next(iter(grammar.submodule_search_locations))))
        for root in roots:
            for f in sorted(root.rglob("*")):
                rel = f.relative_to(root)
                if rel.parts[0] in _NOT_COMPILER or "__pycache__" in rel.parts or f.suffix not in (".py", ".lark"):
                    continue
                digest.update(str(rel).encode() + b"\0" + f.read_bytes() + b"\0")
        _PACKAGE_DIGEST = digest.digest()
    return _PACKAGE_DIGEST


#: The package folder whose sources are hashed into the cache key (a test points it at a copy).
PACKAGE_DIR = Path(__file__).resolve().parent
#: Subpackages that do not shape a validator (the spec itself is hashed on its own, from wherever it is).
_NOT_COMPILER = ("spec", "generators", "cli")
_PACKAGE_DIGEST: bytes | None = None


def cache_key(spec: str | Path | None = None) -> str:
    """sha256 of the version, the compiler's sources and the spec files' bytes (no parsing).

    The datasets the spec reads are not in the key (finding them needs the parser); they are in the
    entry's manifest beside the module and checked on every hit (:func:`load_validator`).
    """
    path = _spec_dir(spec)
    digest = hashlib.sha256(f"lss-rules {__version__} python {sys.version_info[:2]}\0".encode())
    digest.update(_package_digest())
    for f in spec_files(path):
        digest.update(f.name.encode("utf-8", "surrogateescape") + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def _generate(year: int, spec: str | Path | None, standalone: bool = False) -> tuple[str, tuple[str, ...]]:
    """The validator source and the dataset files (relative to the spec folder) it was built from."""
    from lss_rules.backends.python import to_python
    from lss_rules.load import load_spec

    loaded = load_spec(_spec_dir(spec))
    source = to_python(loaded.for_year(year), standalone=standalone)
    return source, tuple(ds.file for ds in loaded.datasets if ds.file)


def _check_year(year: int) -> None:
    from lss_rules.errors import DataError

    if not isinstance(year, int) or year < 0:
        raise DataError(f"okänt år {year}")


def _folder(spec: str | Path | None) -> Path:
    path = _spec_dir(spec)
    return path if path.is_dir() else path.parent


def _dataset_digests(folder: Path, files: tuple[str, ...]) -> dict[str, str] | None:
    """sha256 of each dataset file as the spec checks it; None if one cannot be read (so: regenerate)."""
    from lss_rules.errors import DataError
    from lss_rules.safepaths import dataset_path, read_dataset

    out = {}
    for file in files:
        try:
            out[file] = hashlib.sha256(read_dataset(dataset_path(folder, file))).hexdigest()
        except (OSError, DataError):
            return None
    return out


def load_validator(year: int, spec: str | Path | None = None) -> types.ModuleType:
    """The compiled validator module of ``year``, from the cache when it is there and intact.

    An entry is the module ``NAME.py`` and its manifest ``NAME.json`` (the module's sha256 and the
    sha256 of every dataset file the spec read).  A hit needs the key (version, compiler sources,
    spec bytes) in NAME, unchanged datasets and a module whose bytes match the manifest; anything else
    — a truncated or edited module, one that fails to import — is generated again.  When the cache
    folder cannot be used the module lives in memory for this run.
    """
    _check_year(year)
    key = cache_key(spec)
    folder = _folder(spec)
    name = f"lss_validator_{year}_{key[:16]}"
    directory = cache_dir()
    if directory is not None and not _usable(directory):
        directory = None
    path = directory / f"{name}.py" if directory is not None else None
    manifest = _read_manifest(path.with_suffix(".json")) if path is not None else None
    on_disk = manifest is not None
    if manifest is None:
        manifest = _MEMORY.get(name)  # compiled in memory earlier in this process (the cache could not take it)
    if manifest is not None and _dataset_digests(folder, tuple(manifest["datasets"])) == manifest["datasets"]:
        memo = _LOADED.get((name, manifest["module"]))
        if memo is not None:
            return memo
        module = _import_verified(name, path, manifest["module"]) if path is not None and on_disk else None
        if module is not None:
            _LOADED[(name, manifest["module"])] = module
            return module
    source, datasets = _generate(year, spec)
    digests = _dataset_digests(folder, datasets) or {}
    manifest = {"module": hashlib.sha256(source.encode("utf-8")).hexdigest(), "datasets": digests}
    module = None
    if path is not None and _write(path, source, manifest):
        module = _import_verified(name, path, manifest["module"])
    if module is None:
        _MEMORY[name] = manifest
        module = _import_source(name, source)
    _LOADED[(name, manifest["module"])] = module
    return module


#: Manifests of entries kept in memory (no usable cache folder).
_MEMORY: dict[str, dict[str, Any]] = {}


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_bytes()[:1_000_000])
    except (OSError, ValueError):
        return None
    ok = (
        isinstance(data, dict)
        and isinstance(data.get("module"), str)
        and isinstance(data.get("datasets"), dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in data["datasets"].items())
    )
    return data if ok else None


def _import_verified(name: str, path: Path, sha256: str) -> types.ModuleType | None:
    """Import the cached module if its bytes match ``sha256``; else (or if it fails) forget the entry."""
    try:
        intact = hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        intact = False
    if intact:
        try:
            return _import_file(name, path)
        except Exception:  # a broken entry must not break every later run: generate it again
            pass
    _discard(path)
    return None


def _discard(path: Path) -> None:
    for stale in (path, path.with_suffix(".json"), Path(importlib.util.cache_from_source(str(path)))):
        with contextlib.suppress(OSError):
            stale.unlink()


def _write(path: Path, source: str, manifest: dict[str, Any]) -> bool:
    """Write module and manifest atomically (renames); False if the folder cannot take them.

    The module goes first: a reader that sees the new manifest with an old module finds the digests
    differ and generates again.  A temporary file is removed whatever happens (a full disk once left
    one ``.tmp-*.py`` behind per run), and leftovers of killed runs older than an hour are swept.
    """
    _sweep(path.parent)
    for target, text in ((path, source), (path.with_suffix(".json"), json.dumps(manifest, sort_keys=True))):
        fd, tmp = -1, ""
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=target.suffix)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                fd = -1
                f.write(text)
            os.replace(tmp, target)
        except OSError:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            return False
    _write_bytecode(path)
    return True


def _sweep(directory: Path) -> None:
    import time

    limit = time.time() - 3600
    with contextlib.suppress(OSError):
        for f in directory.glob(".tmp-*"):
            with contextlib.suppress(OSError):
                if f.lstat().st_mtime < limit:
                    f.unlink()


def _write_bytecode(path: Path) -> None:
    """The module's bytecode in its ``__pycache__`` (atomically; checked by the source's hash); best effort."""
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
