"""Compiled validators, loaded the fast way: compile once, keep the code object on disk.

``lss-rules validate`` runs the module that :func:`lss_rules.backends.python.to_python.to_python`
generates — the same one ``lss-rules compile`` writes.  Generating it needs the
spec parser (lark); running it does not.  So the module is compiled once and its code
object cached in ``${XDG_CACHE_HOME:-~/.cache}/lss-rules/`` (docs/guide/security.md, "Cachen"):

- the entry's name holds its key: the sha256 of the package version, the Python bytecode
  format, every package source that takes part in compiling (``*.py`` and the grammar: name,
  size and modification time, see :func:`_package_digest`), the spec files' bytes and the
  bytes of every dataset the spec declares.  The datasets are found in the spec's own text
  (:func:`lss_rules.language.lexical.declared_files`), never in the entry, so a hit re-hashes
  exactly the files the spec reads, without loading lark;
- an entry is one file: a header naming the key and the sha256 of the rest, then the code
  object as :mod:`marshal` writes it.  Its bytes are read once through a descriptor, their
  sha256 checked, the code object executed in a new module.  No path is ever imported, so
  Python never picks a ``.py`` or a ``__pycache__/*.pyc`` of its own;
- the folder is opened once and used through its descriptor (:mod:`lss_rules.backends.python.cachedir`):
  ours, nobody else can write it, every entry ours and checked before use.

Anything that does not match (a changed dataset, a truncated or edited entry, one that fails
to run) is generated again.  When the cache folder cannot be used (not ours, a full disk, no
absolute ``XDG_CACHE_HOME`` or ``HOME``) the module is compiled in memory for this run only.

>>> mod = load_validator(2023)
>>> mod.YEAR
2023
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import os
import sys
import types
from pathlib import Path

from lss_rules import __version__
from lss_rules.backends.python.cachedir import CacheDir

#: Modules loaded in this process, by year and full key.
_LOADED: dict[tuple[int, str], types.ModuleType] = {}


def _spec_dir(spec: str | Path | None) -> Path:
    if spec is not None:
        return Path(spec)
    from lss_rules.language.source import installed_dir

    return installed_dir()


def spec_files(path: Path) -> list[Path]:
    """The ``.lss`` files of a spec folder, or the one file given (as :func:`lss_rules.language.load.spec_files`)."""
    from lss_rules.errors import UsageError
    from lss_rules.language.paths import check_spec_file

    if path.is_dir():
        files = sorted(path.glob("*.lss"))
        if files:
            return [check_spec_file(f) for f in files]
        raise UsageError(f"{path}: mappen innehåller inga .lss-filer")
    if os.path.exists(path):
        return [check_spec_file(path)]
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


def _package_digest() -> bytes:
    """sha256 of the name, size and modification time of every package source that takes part in compiling.

    The sources are ``*.py`` and the grammar (``.lark``).  They are the code that runs, not an input: a
    source that changes is told by its size and time, as Python tells a stale ``.pyc`` (reading and hashing
    the hundred sources cost about a tenth of a small run).  The spec and its datasets, which are inputs,
    are hashed byte for byte (:func:`_key`).
    """
    global _PACKAGE_DIGEST
    if _PACKAGE_DIGEST is None:
        digest = hashlib.sha256()
        roots = [str(PACKAGE_DIR)]
        grammar = importlib.util.find_spec("lss_rules.grammar")
        if grammar is not None and grammar.submodule_search_locations:
            roots.append(str(next(iter(grammar.submodule_search_locations))))
        for root in roots:
            for rel, st in _sources(root, ""):
                digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
        _PACKAGE_DIGEST = digest.digest()
    return _PACKAGE_DIGEST


def _sources(folder: str, rel: str) -> list[tuple[str, os.stat_result]]:
    """(path relative to the root, stat) of the compiler's sources under ``folder``, sorted by path."""
    found: list[tuple[str, os.stat_result]] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        name = f"{rel}/{entry.name}" if rel else entry.name
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__" and not (not rel and entry.name in _NOT_COMPILER):
                found.extend(_sources(entry.path, name))
        elif entry.name.endswith((".py", ".lark")):
            found.append((name, entry.stat()))
    return found


#: The package folder whose sources are hashed into the cache key (a test points it at a copy).
PACKAGE_DIR = Path(__file__).resolve().parents[2]  # lss_rules/
#: Subpackages that do not shape a validator (the spec itself is hashed on its own, from wherever it is).
_NOT_COMPILER = ("spec", "generators", "cli")
_PACKAGE_DIGEST: bytes | None = None


@functools.cache
def _grammar() -> str:
    """The text of the packaged grammar (:func:`lss_rules.language.lexical.declared_files` reads its terminals)."""
    grammar = importlib.util.find_spec("lss_rules.grammar")
    if grammar is None or not grammar.submodule_search_locations:
        return ""
    try:
        return (Path(next(iter(grammar.submodule_search_locations))) / "lss.lark").read_text(encoding="utf-8")
    except OSError:
        return ""


def _folder(spec: str | Path | None) -> Path:
    path = _spec_dir(spec)
    return path if path.is_dir() else path.parent


def _key(spec: str | Path | None) -> tuple[str, tuple[str, ...] | None]:
    """The cache key and the dataset files it covers (None: they could not be found, so no disk cache).

    Every byte that shapes the validator is in the key: the package version, the bytecode format
    (a code object is cached), the compiler's sources, the spec files and each dataset the spec's
    text declares (its sha256, or that it could not be read: then generating reports why).
    """
    from lss_rules.errors import DataError
    from lss_rules.language.lexical import declared_files
    from lss_rules.language.paths import dataset_path, read_dataset, read_spec_file

    path = _spec_dir(spec)
    tag = f"lss-rules {__version__} {sys.implementation.cache_tag} optimize {sys.flags.optimize}\0"
    digest = hashlib.sha256(tag.encode() + importlib.util.MAGIC_NUMBER)
    digest.update(_package_digest())
    texts = []
    for f in spec_files(path):
        data = read_spec_file(f)
        digest.update(f.name.encode("utf-8", "surrogateescape") + b"\0" + data + b"\0")
        texts.append(data.decode("utf-8", "surrogateescape"))
    declared = declared_files(texts, _grammar())
    folder = _folder(spec)
    for file in declared or ():
        try:
            blob = hashlib.sha256(read_dataset(dataset_path(folder, file))).digest()
        except (OSError, DataError):
            blob = b"unreadable"
        digest.update(b"dataset\0" + file.encode("utf-8", "surrogateescape") + b"\0" + blob + b"\0")
    return digest.hexdigest(), declared


def cache_key(spec: str | Path | None = None) -> str:
    """sha256 of the version, the compiler's sources, the spec files' bytes and the datasets they declare."""
    return _key(spec)[0]


def _generate(year: int, spec: str | Path | None, standalone: bool = False) -> tuple[str, tuple[str, ...]]:
    """The validator source and the dataset files (relative to the spec folder) it was built from."""
    from lss_rules.backends.python.to_python import to_python
    from lss_rules.language.load import load_spec

    loaded = load_spec(_spec_dir(spec))
    source = to_python(loaded.for_year(year), standalone=standalone)
    return source, tuple(ds.file for ds in loaded.datasets if ds.file)


def _check_year(year: int) -> None:
    from lss_rules.errors import DataError

    if not isinstance(year, int) or year < 0:
        raise DataError(f"okänt år {year}")


def load_validator(year: int, spec: str | Path | None = None) -> types.ModuleType:
    """The compiled validator module of ``year``, from the cache when it is there and intact.

    A hit needs an entry named by the key (version, bytecode format, compiler sources, spec bytes,
    declared datasets' bytes) whose header names that key and the sha256 of its code; anything else
    — a truncated or edited entry, one that fails to run — is generated again.  When the cache
    folder cannot be used the module lives in memory for this run.
    """
    _check_year(year)
    key, declared = _key(spec)
    module = _LOADED.get((year, key))
    if module is not None:
        return module
    name = f"lss_validator_{year}_{key[:16]}"
    ident = f"{year} {key}"  # what the entry's header must name
    directory = cache_dir()
    folder = CacheDir.open(directory) if directory is not None and declared is not None else None
    try:
        module = _cached(folder, name, ident) if folder is not None else None
        if module is None:
            source, datasets = _generate(year, spec)
            code = compile(source, f"<{name}>", "exec", dont_inherit=True)
            # the key must cover every dataset the parser read, and nothing may have changed meanwhile
            if folder is not None and set(datasets) <= set(declared or ()) and _key(spec)[0] == key:
                _sweep_legacy(folder)
                folder.write(f"{name}{ENTRY_SUFFIX}", pack(ident, code))
            module = _run(name, code)
    finally:
        if folder is not None:
            folder.close()
    _LOADED[(year, key)] = module
    return module


#: An entry's file name ends so; its bytes start with :data:`ENTRY_HEADER`.
ENTRY_SUFFIX = ".code"
ENTRY_HEADER = b"lss-rules validator code 1\n"
#: The largest entry read (a validator's code object is about 50 kB).
MAX_ENTRY_BYTES = 16 << 20


def pack(ident: str, code: types.CodeType) -> bytes:
    """An entry's bytes: the header, its year and key, the sha256 of the marshalled code, the marshalled code."""
    body = marshal.dumps(code)
    return ENTRY_HEADER + ident.encode() + b"\n" + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def unpack(ident: str, data: bytes) -> types.CodeType | None:
    """The code object of an entry whose header names ``ident`` and whose code matches its sha256; else None."""
    head = ENTRY_HEADER + ident.encode() + b"\n"
    if not data.startswith(head):
        return None
    digest, newline, body = data[len(head) :].partition(b"\n")
    if not newline or hashlib.sha256(body).hexdigest().encode() != digest:
        return None
    try:
        code = marshal.loads(body)  # bytes we wrote: the sha256 above matched them
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, types.CodeType) else None


def _cached(folder: CacheDir, name: str, ident: str) -> types.ModuleType | None:
    """The module of a verified entry; None (and the entry removed) when there is none or it is not intact."""
    entry = f"{name}{ENTRY_SUFFIX}"
    data = folder.read(entry, MAX_ENTRY_BYTES)
    code = unpack(ident, data) if data is not None else None
    if code is not None:
        try:
            return _run(name, code)
        except Exception:  # a broken entry must not break every later run: generate it again
            pass
    if data is not None:
        folder.remove(entry)
    return None


def _run(name: str, code: types.CodeType) -> types.ModuleType:
    """A new module ``name`` holding what ``code`` defines (registered in ``sys.modules``, as an import would)."""
    module = types.ModuleType(name)
    module.__file__ = f"<{name}>"
    sys.modules[name] = module
    try:
        exec(code, module.__dict__)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _sweep_legacy(folder: CacheDir) -> None:
    """Remove what older versions kept here: ``NAME.py``, ``NAME.json`` and ``__pycache__`` (never read now)."""
    try:
        names = os.listdir(folder.fd)
    except OSError:
        return
    for entry in names:
        if entry == "__pycache__" or (entry.startswith("lss_validator_") and entry.endswith((".py", ".json"))):
            folder.remove(entry)
