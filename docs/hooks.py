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

The municipalities' guide (``guide/kommuner.md``) gets two things from the build: its lists of whole-file
problems and common findings, made from the bundled register with mistakes (``examples/2023-med-fel``) by the
year's validator (``lss_rules.backends.docs.guide``), and its screenshots of the page "Granska fil", taken by
``on_post_build`` in headless Chromium (Playwright) on the built site with the same files.  Without Chromium or
Playwright (or with ``LSS_DOCS_SHOTS=0``) the guide is built without its images and the build says so on
stderr; ``mkdocs build --strict`` does not fail for it.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.lss")
# said on stderr without failing `mkdocs build --strict` (which fails on any warning of mkdocs' own loggers)
notice = logging.getLogger("lss_rules.docs")
_generated: dict[str, str | bytes] = {}
_guide: dict[str, str] = {}  # the guide's generated lists, by the mark they replace

GUIDE = "guide/kommuner.md"
EXAMPLE, EXAMPLE_YEAR = "examples/2023-med-fel", 2023
CHROMIUM = "/usr/bin/chromium"
# the guide's screenshots: (file under guide/, what it shows); the guide's markdown names each file with its alt text
SHOTS = ("bilder/granska-valj-filer.png", "bilder/granska-resultat.png", "bilder/granska-fynd.png",
         "bilder/granska-mobil.png", "bilder/granska-sparning.png")  # fmt: skip
_IMAGE_LINE = re.compile(r"^!\[[^\]]*\]\(bilder/[^)]+\.png\)\s*$", re.M)
_shots: dict[str, Any] = {}  # "example": the files to choose, when the screenshots are taken
_spec: list[Any] = []  # the spec the site is built from (on_config), for the markers of hand-written pages
_MARK = re.compile(r"<!-- lss: ([a-z-]+)((?: [0-9A-Za-z-]+)*) -->")
_spec_dir: list[Path] = []  # the folder of the spec the site is built from (set by on_config)

GENERATED_MARK = "generated"


def on_config(config: Any) -> Any:
    from lss_rules.backends.docs.site import nav
    from lss_rules.backends.output import SpecInputs
    from lss_rules.backends.registry import SPEC_BACKENDS
    from lss_rules.cli.reference import cli_reference_md
    from lss_rules.language.load import load_spec

    # the published rules, like every command that makes something for others; LSS_DOCS_SPEC names another
    # (a spec/ beside mkdocs.yml is not read unasked: issue 22)
    if os.environ.get("LSS_SITE_URL", "").strip():  # the address the site is published at (mkdocs.yml's stand-in)
        config["site_url"] = os.environ["LSS_SITE_URL"].strip().rstrip("/") + "/"
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
    root = Path(config["config_file_path"]).parent
    _guide_lists(spec, root / EXAMPLE, root / named if named else None)
    _shots.clear()
    if _want_shots(root / EXAMPLE):
        _shots["example"] = sorted(str(p) for p in (root / EXAMPLE).glob("*.txt"))
        # stand-ins (a 1x1 PNG) so that the guide's links resolve in the strict build; on_post_build overwrites
        # them with the screenshots of the built page
        _generated.update({f"guide/{shot}": _PIXEL for shot in SHOTS})
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


def _guide_lists(spec: Any, example: Path, named: Path | None) -> None:
    """The guide's whole-file problems and common findings, from the example checked by the year's validator."""
    from lss_rules.backends.docs import guide
    from lss_rules.backends.python.cache import load_validator
    from lss_rules.language.history import listed_years

    _guide.clear()
    if not example.is_dir() or EXAMPLE_YEAR not in listed_years(spec):
        notice.warning("Guiden för kommuner byggs utan sina listor: exemplet %s finns inte", example)
        return
    report = load_validator(EXAMPLE_YEAR, named).report(sorted(str(p) for p in example.glob("*.txt")), None, False)
    ym = spec.for_year(EXAMPLE_YEAR)
    _guide[guide.WHOLE_FILE_MARK] = guide.whole_file_md(report)
    _guide[guide.COMMON_MARK] = guide.common_findings_md(ym, report)


def _guide_page(markdown: str) -> str:
    """The municipalities' guide with its lists, and without its images when none were taken."""
    for mark, text in _guide.items():
        markdown = markdown.replace(mark, text)
    if not _shots:  # no screenshots in this build: the guide without its images
        markdown = _IMAGE_LINE.sub("", markdown)
    return markdown


def _want_shots(example: Path) -> bool:
    if os.environ.get("LSS_DOCS_SHOTS", "1").strip() == "0":
        return False
    why = None
    if not example.is_dir():
        why = f"exemplet {example} finns inte"
    elif not Path(CHROMIUM).exists():
        why = f"Chromium finns inte ({CHROMIUM}; apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            why = "Playwright är inte installerat (pip install 'lss-rules[test]')"
    if why:
        notice.warning("Guiden för kommuner byggs utan skärmbilder: %s", why)
        return False
    return True


def on_post_build(config: Any) -> None:
    """The guide's screenshots of "Granska fil", taken in the built site on the example's files."""
    if not _shots:
        return
    from lss_rules.backends.docs.shots import take

    site = Path(config["site_dir"])
    take(site, site / "guide", EXAMPLE_YEAR, _shots["example"], CHROMIUM, SHOTS)


# the smallest valid PNG (1x1, transparent): a stand-in until on_post_build writes the screenshot
_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)


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
    vectors, rule ids, the vendor's tools: nothing a page counts is typed by hand), a guide's sample outputs
    made by running its commands (``<!-- lss-utdata -->`` before a console block), and the municipalities'
    guide with its lists of findings (``<!-- lss:NAME -->``) and its screenshots."""
    from lss_rules.cli.guide import MARK, fill_samples

    if getattr(getattr(page, "file", None), "src_uri", None) == GUIDE:
        markdown = _guide_page(markdown)
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
