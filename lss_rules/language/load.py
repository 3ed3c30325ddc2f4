"""Find, parse, lower and check a spec: the front half of the pipeline.

>>> from lss_rules.language.load import load_spec
>>> spec = load_spec()            # the spec installed with the package
>>> spec.for_year(2023).reference_date
datetime.date(2023, 10, 1)
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import resources
from pathlib import Path

from lss_rules import __version__
from lss_rules.errors import SpecError, UsageError
from lss_rules.language import model as m
from lss_rules.language.check import check_spec
from lss_rules.language.diagnostics import Diagnostic, Diagnostics
from lss_rules.language.lower import Lowerer
from lss_rules.language.paths import check_spec_file, printable, read_spec_file
from lss_rules.language.syntax import LANGUAGE, LANGUAGE_CHANGES, Decl, parse_decls, stated_language
from lss_rules.language.versions import stated_requirement

#: The only file names a spec may have: they reach messages, generated headers and docs, so nothing odd.
PLAIN_NAME = re.compile(r"[a-z0-9_-]+\.lss")


def default_spec_dir() -> Path:
    """The spec installed with the package (``spec/`` of the source tree)."""
    return Path(str(resources.files("lss_rules.spec")))


def spec_files(path: Path) -> list[Path]:
    """The ``.lss`` files of a spec folder (sorted), or the one file given."""
    if not path.exists():
        raise UsageError(f"{path}: finns inte; ange en specifikationsmapp eller en .lss-fil")
    if path.is_dir():
        files = sorted(path.glob("*.lss"))
        if not files:
            raise UsageError(f"{path}: mappen innehåller inga .lss-filer")
        return [check_spec_file(f) for f in files]
    return [check_spec_file(path)]


def read_source(path: Path, diags: Diagnostics) -> str | None:
    """The text of a spec file; UsageError (one line, exit 2) unless a regular file of at most 4 MiB."""
    data = read_spec_file(path)  # a link to /dev/zero or a FIFO named regler.lss: one line, never a hang
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        diags.error(
            "E011", f"filen är inte UTF-8 (byte {exc.start})", m.Pos(str(path), 1, 1), "spara specifikationen som UTF-8"
        )
    return None


def analyse(paths: list[Path]) -> tuple[m.Spec | None, list[Diagnostic]]:
    """Parse, lower and check spec files; the spec (if it lowered) and every diagnostic."""
    diags = Diagnostics()
    decls: list[Decl] = []
    base_dirs: dict[str, Path] = {}
    digest = hashlib.sha256()
    texts: list[tuple[Path, str]] = []
    for path in paths:
        if not PLAIN_NAME.fullmatch(path.name):
            shown = printable(path.name)
            diags.error(
                "E012",
                f"filnamnet {shown} är inte tillåtet i en specifikation",
                m.Pos(str(path.parent / shown.strip("`")), 1, 1),
                "döp om filen: gemena a–z, siffror, _ och -, med ändelsen .lss (t.ex. regler_2024.lss)",
            )
            continue
        text = read_source(path, diags)
        if text is not None:
            texts.append((path, text))
    if _newer_tool(texts, diags) or _other_language(texts, diags):
        return None, diags.sorted()
    for path, text in texts:
        name = str(path)
        base_dirs[name] = path.parent
        # the file's name, not its path: the digest names the rules, wherever they are installed
        digest.update(path.name.encode() + b"\0" + text.encode() + b"\0")
        decls += parse_decls(text, name, diags)
    spec = Lowerer(decls, base_dirs, diags).lower() if decls or not diags else None
    if spec is not None:
        for ds in spec.datasets:
            digest.update(repr(ds.rows).encode())
        spec = _with_meta(spec, tuple(str(p) for p in paths), digest.hexdigest())
        # whole-spec checks need resolved names; with other errors only the safe ones run
        check_spec(spec, diags, safe_only=bool(diags))
    return spec, diags.sorted()


def _newer_tool(texts: list[tuple[Path, str]], diags: Diagnostics) -> bool:
    """E014 where a file says it needs a later lss-rules than this one (``requires_lss_rules``), or names no
    version; then nothing else is read: its syntax may be a later version's."""
    from lss_rules.language.versions import VERSION, newer_than, package_version

    found = False
    have = package_version()
    for path, text in texts:
        stated = stated_requirement(text)
        if stated is None:
            continue
        version, line, column = stated
        pos = m.Pos(str(path), line, column)
        if not VERSION.fullmatch(version):
            found = True
            shown = printable(version)
            diags.error(
                "E014",
                f"`requires_lss_rules {shown}` är inget versionsnummer",
                pos,
                'skriv till exempel `requires_lss_rules "0.2"`',
            )
        elif newer_than(version, have):
            found = True
            diags.error(
                "E014",
                f"den här specifikationen kräver lss-rules {version} eller senare; den som körs är {have}",
                pos,
                f"uppdatera lss-rules till {version} eller senare (pip install --upgrade 'lss-rules>={version}')",
            )
    return found


def _other_language(texts: list[tuple[Path, str]], diags: Diagnostics) -> bool:
    """E013 where a file states a language version other than this lss-rules reads; then nothing else is
    read (its other errors, or its findings, would follow from the version)."""
    found = False
    for path, text in texts:
        stated = stated_language(text)
        if stated is None or stated[0] == LANGUAGE:
            continue
        version, line, column = stated
        found = True
        message = (
            f"specifikationen är skriven i språkversion {version}; lss-rules {__version__} läser version {LANGUAGE}"
        )
        if version > LANGUAGE:
            hint = f"uppdatera lss-rules till en version som läser språkversion {version}"
        else:
            changed = "; ".join(f"version {v}: {LANGUAGE_CHANGES[v]}" for v in sorted(LANGUAGE_CHANGES) if v > version)
            hint = f"skriv om specifikationen ({changed}) och ange `language {LANGUAGE}`"
        diags.error("E013", message, m.Pos(str(path), line, column), hint)
    return found


def _with_meta(spec: m.Spec, files: tuple[str, ...], digest: str) -> m.Spec:
    import dataclasses

    return dataclasses.replace(spec, files=files, digest=digest)


def load_spec(path: str | Path | None = None) -> m.Spec:
    """The checked spec at ``path`` (default: the installed spec); SpecError if it has problems."""
    p = Path(path) if path is not None else default_spec_dir()
    spec, datasets = _load_cached(p.resolve(), _stamp(p))
    if _dataset_stamp(spec, p) != datasets:  # a dataset file changed since: read everything again
        _load_cached.cache_clear()
        spec, _ = _load_cached(p.resolve(), _stamp(p))
    return spec


def _stamp(p: Path) -> tuple[tuple[str, float, int], ...]:
    files = spec_files(p)
    out = []
    for f in files + sorted((p if p.is_dir() else p.parent).glob("data/*")):
        st = f.stat()
        out.append((str(f), st.st_mtime, st.st_size))
    return tuple(out)


def _dataset_stamp(spec: m.Spec, p: Path) -> tuple[tuple[str, int, int], ...]:
    """Size and mtime of every dataset file the spec read, wherever in its folder it lies."""
    folder = p if p.is_dir() else p.parent
    out = []
    for ds in spec.datasets:
        try:
            st = (folder / ds.file).stat()
            out.append((ds.file, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((ds.file, -1, -1))
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path, stamp: object) -> tuple[m.Spec, tuple[tuple[str, int, int], ...]]:
    spec, diags = analyse(spec_files(path))
    if diags or spec is None:
        raise SpecError(diags)
    return spec, _dataset_stamp(spec, path)
