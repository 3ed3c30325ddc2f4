"""mkdocs hook: generate the pages from the spec at build time.

``on_config`` builds the generated pages once, through the docs backend's
spec-wide interface (``SPEC_BACKENDS["docs"]``, ``lss_rules.backends.docs.site.emit_spec``), and
fills the navigation; ``on_files`` adds them to mkdocs' file collection, so
``mkdocs build --strict`` on a fresh clone needs no manual step.  Each year's
printable PDF (``lss_rules.backends.pdf``, WeasyPrint) is built here too and
linked from the year's page; ``LSS_DOCS_PDF=0`` leaves the PDFs (and their
links) out, for a quick build.  Hand-written
guides listed in ``nav`` that do not exist (yet) are left out of the
navigation with a log message instead of failing the build.  The pages come from the installed
spec unless ``LSS_DOCS_SPEC`` names a spec folder (relative to mkdocs.yml), as ``--spec`` does
for ``lss-rules docs``.  ``on_page_markdown`` fills a guide's sample outputs by running the commands it
shows on a copy of that spec (:mod:`lss_rules.cli.guide`): never pasted, never stale.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.lss")
_generated: dict[str, str | bytes] = {}
_spec: list[Any] = []  # the spec the site is built from (on_config), for the markers of hand-written pages
_MARK = re.compile(r"<!-- lss: ([a-z-]+)((?: [0-9A-Za-z-]+)*) -->")
_spec_dir: list[Path] = []  # the folder of the spec the site is built from (set by on_config)

GENERATED_MARK = "generated"


def on_config(config: Any) -> Any:
    from lss_rules.backends import SpecInputs
    from lss_rules.backends.docs.site import nav
    from lss_rules.backends.registry import SPEC_BACKENDS
    from lss_rules.cli.reference import cli_reference_md
    from lss_rules.language.load import load_spec

    # the published rules, like every command that makes something for others; LSS_DOCS_SPEC names another
    # (a spec/ beside mkdocs.yml is not read unasked: issue 22)
    named = os.environ.get("LSS_DOCS_SPEC", "").strip()
    spec = load_spec(Path(config["config_file_path"]).parent / named if named else None)
    _spec_dir[:] = [Path(spec.files[0]).parent]
    _generated.clear()
    _spec[:] = [spec]
    pdfs = _pdfs(spec) if _want_pdfs() else {}
    # the docs backend through the one interface, spec-wide: the hook hands it the CLI reference and the PDFs' paths
    inputs = SpecInputs(cli_reference=cli_reference_md(), pdfs=tuple(sorted(pdfs)))
    _generated.update(SPEC_BACKENDS["docs"](spec, inputs).files)
    _generated.update({path: blob for (_, path), blob in pdfs.items()})
    if not config["nav"]:
        return config  # no nav in mkdocs.yml: mkdocs builds one from every file, generated ones included
    docs_dir = Path(config["docs_dir"])
    out: list[Any] = []
    for entry in config["nav"]:
        if entry == GENERATED_MARK or (isinstance(entry, dict) and GENERATED_MARK in entry.values()):
            out += nav(spec)
            continue
        out.append(_existing(entry, docs_dir))
    config["nav"] = [e for e in out if e is not None]
    return config


def _want_pdfs() -> bool:
    if os.environ.get("LSS_DOCS_PDF", "1").strip() == "0":
        return False
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as e:  # OSError: pango missing
        log.warning("PDF:erna byggs inte: WeasyPrint kan inte laddas (%s); installera lss-rules[docs]", e)
        return False
    return True


def _pdfs(spec: Any) -> dict[tuple[int, str], bytes]:
    """(year, path in the site) -> the year's PDF."""
    import tempfile

    from lss_rules.backends.pdf import write_pdfs
    from lss_rules.language.history import listed_years

    years = list(listed_years(spec))
    with tempfile.TemporaryDirectory(prefix="lss-pdf-") as tmp:
        root = Path(tmp)
        paths = write_pdfs(spec, years, root)
        return {(y, p.relative_to(root).as_posix()): p.read_bytes() for y, p in zip(years, paths, strict=True)}


def _existing(entry: Any, docs_dir: Path) -> Any:
    """The nav entry without pages that are neither written nor generated."""
    if isinstance(entry, str):
        if entry in _generated or (docs_dir / entry).exists() or "://" in entry:
            return entry
        log.info("sidan %s finns inte ännu; den lämnas utanför navigeringen", entry)
        return None
    if isinstance(entry, dict):
        (title, value), *_ = entry.items()
        if isinstance(value, list):
            kept = [e for e in (_existing(v, docs_dir) for v in value) if e is not None]
            return {title: kept} if kept else None
        kept_value = _existing(value, docs_dir)
        return {title: kept_value} if kept_value is not None else None
    return entry


def on_files(files: Files, config: Any) -> Files:
    for path, text in _generated.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=text))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """A hand-written page with its markers ``<!-- lss: NAME ARG... -->`` filled from the code (counts of
    vectors, rule ids, the vendor's tools: nothing a page counts is typed by hand), and a guide's sample outputs
    made by running its commands (``<!-- lss-utdata -->`` before a console block)."""
    from lss_rules.cli.guide import MARK, fill_samples

    if _spec and "<!-- lss: " in markdown:
        markdown = fill(markdown, _spec[0])
    if MARK in markdown and _spec_dir:
        markdown = fill_samples(markdown, _spec_dir[0])
    return markdown


def fill(markdown: str, spec: Any) -> str:
    """``markdown`` with every marker replaced; an unknown marker fails the build (ValueError)."""
    from lss_rules.cli.reference import tools_table_md
    from lss_rules.tools.conformance.facts import fragment

    def one(m: re.Match[str]) -> str:
        name, args = m.group(1), m.group(2).split()
        return tools_table_md() if name == "tools" and not args else fragment(spec, name, args)

    return _MARK.sub(one, markdown)
