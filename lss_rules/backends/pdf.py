"""Each collection year's layout and rules as one printable document (HTML for print, and PDF).

:func:`year_html` renders a year model as a standalone HTML document laid out for paper (A4, a title
page, a table of contents with page numbers, running page numbers); :func:`year_pdf` turns it into a
tagged PDF with WeasyPrint, imported only here, so the rest of the package does not need it.  The docs
build (``docs/hooks.py``) writes one PDF per year next to the site and links it from the year's page.

Everything from the spec is escaped with :func:`html.escape`: the document's only markup is ours.

Reproducible: the same spec gives the same text.  The build date on the title page is taken from
``SOURCE_DATE_EPOCH`` when it is set (the reproducible-builds convention), else it is today's date.

>>> from lss_rules.language.load import load_spec
>>> html_text = year_html(load_spec(), 2023, built=dt.date(2026, 12, 1))
>>> "1488" in html_text and "LSS-R21" in html_text and 'lang="sv"' in html_text
True
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from html import escape
from pathlib import Path
from typing import Any

from lss_rules import __version__
from lss_rules.backends.output import Output
from lss_rules.language import model as m
from lss_rules.meaning.release_notes import MONTHS_SV

PDF_DIR = "pdf"


def pdf_name(spec: m.Spec, year: int) -> str:
    """The PDF's file name, relative to the site root (``pdf/lss-regler-2023.pdf`` for the register ``lss``)."""
    return f"{PDF_DIR}/{spec.register.name}-regler-{year}.pdf"


def html_name(spec: m.Spec, year: int) -> str:
    """The print document's file name (``lss-regler-2023.html``)."""
    return f"{spec.register.name}-regler-{year}.html"


def build_date() -> dt.date:
    """``SOURCE_DATE_EPOCH`` as a date (UTC) when set and valid, else today."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            pass
    return dt.date.today()


def _date_sv(d: dt.date) -> str:
    return f"{d.day} {MONTHS_SV[d.month]} {d.year}"


# ----------------------------------------------------------------- HTML pieces


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(head: Sequence[str], rows: Iterable[Sequence[object]], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    out = [f"<table{attr}>", "<thead><tr>"]
    out += [f'<th scope="col">{_e(h)}</th>' for h in head]
    out += ["</tr></thead>", "<tbody>"]
    for row in rows:
        first, *rest = row
        out.append(f'<tr><th scope="row">{_e(first)}</th>' + "".join(f"<td>{_e(c)}</td>" for c in rest) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _dl(pairs: Iterable[tuple[str, object]]) -> str:
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in pairs)
    return f"<dl>{items}</dl>"


def _field_rows(f: m.Field, spec: m.Spec) -> list[tuple[str, object]]:
    from lss_rules.backends.docs.site import field_domain, field_type
    from lss_rules.meaning.wording import expr_words

    required = "ja, alltid" if f.always_required else ("nej" if f.optional else "när villkoret nedan gäller")
    rows: list[tuple[str, object]] = [
        ("Typ", field_type(f)),
        ("Värden", field_domain(f).replace("`", "")),
        ("Obligatoriskt", required),
    ]
    if f.required_when is not None:
        rows.append(("Krävs när (LSS-S03)", expr_words(f.required_when, spec)))
    if f.empty_unless is not None:
        rows.append(("Tomt utom när (LSS-S04)", expr_words(f.empty_unless, spec)))
    if f.differs_from is not None:
        rows.append(("Skiljer sig från (LSS-S04)", f.differs_from))
    rows.append(("Lagrum", f.law or "–"))
    return rows


def _parameter_rows(spec: m.Spec, ym: m.YearModel) -> list[tuple[str, str]]:
    """The year's parameters by their labels (a reader knows no identifier), each value with its unit."""
    rows = []
    for name, value in ym.parameters:
        p = spec.parameter(name)
        rows.append((p.label, f"{value} {p.unit}" if p.unit else str(value)))
    return rows


def _item_of(a: m.ActiveCheck | m.ActiveRule) -> m.Check | m.Rule:
    return a.check if isinstance(a, m.ActiveCheck) else a.rule


def _changes(spec: m.Spec, year: int) -> str:
    from lss_rules.language.history import listed_years
    from lss_rules.meaning.diff import diff_years
    from lss_rules.meaning.release_notes import sections

    first = listed_years(spec)[0]
    if year <= first:
        return f"<p>{year} är registrets första år; det finns inget år före att jämföra med.</p>"
    d = diff_years(spec, year - 1, year)
    if d.empty:
        return f"<p>Inga ändringar från {year - 1}: samma postbeskrivning, mätdatum, regler och parametrar.</p>"
    out = []
    for title, lines in sections(d):
        out.append(f"<h3>{_e(title)}</h3>")
        out.append("<ul>" + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>")
    return "\n".join(out)


_CSS = """
@page {
  size: A4;
  margin: 22mm 20mm 24mm 20mm;
  @bottom-center { content: "Sida " counter(page) " av " counter(pages); font-size: 9pt; color: #333; }
  @top-right { content: string(doctitle); font-size: 9pt; color: #333; }
}
@page :first { @bottom-center { content: none; } @top-right { content: none; } }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4;
       color: #111; hyphens: manual; }
h1 { string-set: doctitle content(); }
.title-page { page-break-after: always; padding-top: 60mm; }
.title-page h1 { font-size: 26pt; margin: 0 0 6mm 0; }
.title-page .sub { font-size: 14pt; margin-bottom: 20mm; }
.title-page dl { font-size: 10pt; }
h2 { font-size: 16pt; page-break-before: always; margin-top: 0; }
h3 { font-size: 12pt; margin: 6mm 0 2mm 0; page-break-after: avoid; }
nav.toc h2 { page-break-before: avoid; }
nav.toc ol { list-style: none; padding-left: 0; }
nav.toc li { margin: 1.5mm 0; }
nav.toc a { color: #111; text-decoration: none; }
nav.toc a::after { content: leader(".") target-counter(attr(href url), page); }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm 0; page-break-inside: auto; }
th, td { border: 0.5pt solid #777; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
thead th { background: #e8e8e8; }
tbody th { font-weight: normal; }
tr { page-break-inside: avoid; }
dl { display: block; margin: 0 0 3mm 0; }
dt { font-weight: bold; float: left; clear: left; width: 48mm; }
dd { margin: 0 0 1.5mm 50mm; }
.item { page-break-inside: avoid; margin-bottom: 5mm; }
.digest { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
.severity-error { font-weight: bold; }
"""


def year_html(spec: m.Spec, year: int, *, built: dt.date | None = None) -> str:
    """The year's layout, checks and rules, and the changes from the year before, as a printable HTML document."""
    from lss_rules.backends.docs.rule_pages import SCOPE_SV, SEVERITY_SV
    from lss_rules.meaning.history import item_words

    ym = spec.for_year(year)
    built = built or build_date()
    title = f"Insamlingsåret {year}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="sv">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_e(title)} – postbeskrivning, kontroller och regler</title>",
        f'<meta name="generator" content="lss-rules {_e(__version__)}">',
        f'<meta name="description" content="{_e(spec.register.title)}: insamlingsåret {year}">',
        f'<meta name="dcterms.created" content="{built.isoformat()}">',
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<section class="title-page">',
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">{_e(spec.register.title)}: postbeskrivning, kontroller och regler</p>',
        _dl(
            [
                ("Insamlingsår", year),
                ("Mätdatum", _date_sv(ym.reference_date)),
                ("Sista inlämningsdag", _date_sv(ym.deadline)),
                ("Byggt", _date_sv(built)),
                ("Verktyg", f"lss-rules {__version__}"),
            ]
        ),
        f'<p>Specifikationens sammandrag (SHA-256): <span class="digest">{_e(spec.digest or "–")}</span></p>',
        "<p>Genererat från specifikationen i <code>spec/</code>; ändra där, inte i det här dokumentet.</p>",
        "</section>",
        '<nav class="toc" aria-label="Innehåll">',
        "<h2>Innehåll</h2>",
        "<ol>",
        '<li><a href="#aret">1 Året i korthet</a></li>',
        '<li><a href="#postbeskrivning">2 Postbeskrivning</a></li>',
        '<li><a href="#regler">3 Kontroller och regler</a></li>',
        f'<li><a href="#andringar">4 Ändringar från {year - 1}</a></li>',
        "</ol>",
        "</nav>",
    ]
    if ym.beyond_spec:
        note = f"{year} ligger efter det sista år som specifikationen beskriver; de senaste reglerna gäller."
    else:
        note = ""
    out += [
        '<section id="aret">',
        "<h2>1 Året i korthet</h2>",
        f"<p>{_e(note)}</p>" if note else "",
        _table(
            ("Uppgift", "Värde"),
            [
                ("Mätdatum (referensdatum)", _date_sv(ym.reference_date)),
                ("Sista inlämningsdag", _date_sv(ym.deadline)),
                ("Postbeskrivning", f"{ym.layout.name}, {len(ym.fields)} fält"),
                ("Fältavgränsare", ym.layout.separator),
                ("Giltiga kommunkoder", len(ym.municipalities)),
                ("Kontroller och regler som gäller", len(ym.active)),
            ],
        ),
    ]
    if ym.parameters:
        out += ["<h3>Parametrar</h3>", _table(("Parameter", "Värde"), _parameter_rows(spec, ym))]
    out += ["</section>", '<section id="postbeskrivning">', "<h2>2 Postbeskrivning</h2>"]
    out.append(
        _table(
            ("Nr", "Fält", "Beskrivning"),
            [(i, f.name, f.label) for i, f in enumerate(ym.fields, start=1)],
        )
    )
    for i, f in enumerate(ym.fields, start=1):
        out += [
            '<div class="item">',
            f"<h3>Fält {i}: {_e(f.name)} – {_e(f.label)}</h3>",
            _dl(_field_rows(f, spec)),
            "</div>",
        ]
    out += ["</section>", '<section id="regler">', "<h2>3 Kontroller och regler</h2>"]
    out.append(
        _table(
            ("Id", "Titel", "Allvarlighetsgrad"),
            [(a.id, a.title, SEVERITY_SV.get(a.severity, a.severity)) for a in ym.active],
        )
    )
    for a in ym.active:
        item = _item_of(a)
        sev = SEVERITY_SV.get(a.severity, a.severity)
        rows: list[tuple[str, object]] = [
            ("Allvarlighetsgrad", sev),
            ("Gäller", SCOPE_SV.get(item.scope, item.scope)),
            ("Meddelande", a.message),
            ("Villkor", item_words(spec, a.id, year)),
        ]
        if item.source:
            rows.append(("Källa", ", ".join(item.source)))
        if item.interpretation:
            rows.append(("Tolkning", item.interpretation))
        out += [
            f'<div class="item severity-{_e(a.severity)}">',
            f"<h3>{_e(a.id)} – {_e(a.title)}</h3>",
            _dl(rows),
            "</div>",
        ]
    out += [
        "</section>",
        '<section id="andringar">',
        f"<h2>4 Ändringar från {year - 1}</h2>",
        _changes(spec, year),
        "</section>",
        "</body>",
        "</html>",
    ]
    return "\n".join(x for x in out if x) + "\n"


def year_pdf(spec: m.Spec, year: int, *, built: dt.date | None = None) -> bytes:
    """The year's document as a tagged PDF (WeasyPrint).  ImportError if WeasyPrint is not installed."""
    import weasyprint

    doc = weasyprint.HTML(string=year_html(spec, year, built=built))
    # tags give the PDF a structure tree, so its text reads in order (screen readers, text extraction);
    # PDF/UA-1 adds the XMP metadata that says so (pdfuaid:part 1, the title) and the document's language;
    # a fixed identifier keeps the bytes stable for the same text
    pdf = doc.write_pdf(
        pdf_tags=True,
        pdf_variant="pdf/ua-1",
        pdf_identifier=f"lss-rules-{year}".encode(),
        finisher=_header_scopes,
    )
    assert pdf is not None
    return pdf


def _header_scopes(document: Any, pdf: Any) -> None:
    """Each table header cell's structure element gets the scope its ``<th>`` has (/Column or /Row).

    WeasyPrint 70 tags a ``<th>`` as a TH element and reads ``scope`` only to point each TD at its headers
    (/Headers); it writes no /Scope, which PDF/UA-1 checkers ask of every TH.  The tagger keeps each cell's
    structure element on its box (``box.mark``): the finisher, called after the tags are built and before the
    PDF is written, adds the scope there.  A WeasyPrint that stops doing so leaves the PDF as it was, and
    tests/docs/test_pdf.py (which reads the structure back) fails."""
    import pydyf

    for page in document.pages:
        for box in _descendants(page._page_box):
            mark = getattr(box, "mark", None)
            if getattr(box, "element_tag", None) != "th" or not isinstance(mark, pydyf.Dictionary):
                continue
            scope = "/Row" if box.element.attrib.get("scope") == "row" else "/Column"
            attributes = mark.get("A")
            if isinstance(attributes, pydyf.Dictionary):
                attributes["Scope"] = scope


def _descendants(box: Any) -> Iterator[Any]:
    stack = [box]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(getattr(node, "children", ()))


def emit(ym: m.YearModel) -> Output:
    """The backend interface: the year's print document (HTML; :func:`year_pdf` renders it as a PDF)."""
    return Output(((html_name(ym.spec, ym.year), year_html(ym.spec, ym.year)),))


def write_pdfs(spec: m.Spec, years: Iterable[int], out_dir: Path, *, jobs: int | None = None) -> list[Path]:
    """Write each year's PDF under ``out_dir`` (``pdf/lss-regler-Y.pdf``), in parallel; the paths written."""
    from concurrent.futures import ProcessPoolExecutor

    years = list(years)
    built = build_date()
    target = out_dir / PDF_DIR
    target.mkdir(parents=True, exist_ok=True)
    jobs = jobs or min(len(years), os.cpu_count() or 1) or 1
    written: list[Path] = []
    if jobs == 1:
        blobs = [year_pdf(spec, y, built=built) for y in years]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            blobs = list(pool.map(_pdf_job, [(spec.files, y, built) for y in years]))
    for y, blob in zip(years, blobs, strict=True):
        path = out_dir / pdf_name(spec, y)
        path.write_bytes(blob)
        written.append(path)
    return written


def _pdf_job(args: tuple[tuple[str, ...], int, dt.date]) -> bytes:
    from lss_rules.language.load import load_spec

    files, year, built = args
    spec_dir = Path(files[0]).parent if files else None
    return year_pdf(load_spec(spec_dir), year, built=built)
