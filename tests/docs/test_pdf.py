"""Each year's rules as a printable PDF (lss_rules.backends.pdf), built with the docs site."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lss_rules.backends.pdf import pdf_name, year_html


def _text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext finns inte; installera poppler-utils (apt-get install poppler-utils)")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_every_year_has_a_pdf_linked_from_its_page(site, spec):
    from lss_rules.language.history import listed_years

    for y in listed_years(spec):
        pdf = site / pdf_name(spec, y)
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF-"), y
        page = (site / f"ar/{y}.html").read_text(encoding="utf-8")
        assert f'href="../{pdf_name(spec, y)}"' in page, y


def test_2023_pdf_text_has_every_rule_the_limit_and_the_fields(site, spec):
    text = _text(site / pdf_name(spec, 2023))
    ym = spec.for_year(2023)
    ids = [a.id for a in ym.active]
    assert len(ids) == 25
    for ident in ids:
        assert ident in text, ident
    assert "LSS-R17" not in text.split("4 Ändringar")[0]  # not in force in 2023 (it is named among the changes)
    assert "1488" in text
    assert len(ym.fields) == 19
    for f in ym.fields:
        assert f.name in text, f.name
    assert "1 oktober 2023" in text and "Sida 2 av" in text
    for heading in ("Året i korthet", "Postbeskrivning", "Kontroller och regler", "Ändringar från 2022"):
        assert heading in text, heading


def test_pdf_is_tagged_and_reads_in_order(site, spec):
    pdf = site / pdf_name(spec, 2023)
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo finns inte; installera poppler-utils")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M), info
    assert re.search(r"^Title:\s+Insamlingsåret 2023", info, re.M), info
    text = _text(pdf)
    order = [text.index(h) for h in ("Innehåll", "1 Året i korthet", "2 Postbeskrivning", "3 Kontroller")]
    assert order == sorted(order)
    # the rules come in id order in the text stream (one rule's text is never split by another's)
    pos = [text.rindex(f"LSS-R{n:02d} –") for n in (1, 4, 10, 16, 21, 24)]
    assert pos == sorted(pos)


def test_pdf_is_pdf_ua_1_in_swedish(site, spec):
    """PDF/UA-1: the XMP metadata, read back, claims part 1 and carries the title; the catalogue's
    language is Swedish (a screen reader reads the text with Swedish rules)."""
    pdf = site / pdf_name(spec, 2023)
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo finns inte; installera poppler-utils")
    xmp = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert 'pdfuaid:part="1"' in xmp, xmp
    assert re.search(r"<dc:title>.*Insamlingsåret 2023.*</dc:title>", xmp), xmp
    import weasyprint

    raw = weasyprint.HTML(string=year_html(spec, 2023)).write_pdf(
        pdf_tags=True, pdf_variant="pdf/ua-1", uncompressed_pdf=True
    )
    assert b"/Lang (sv)" in raw


def test_same_spec_same_text(spec):
    day = dt.date(2026, 12, 1)
    assert year_html(spec, 2005, built=day) == year_html(spec, 2005, built=day)
    assert "1 december 2026" in year_html(spec, 2005, built=day)


def test_build_date_from_source_date_epoch(monkeypatch):
    from lss_rules.backends.pdf import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # 2025-12-01 00:00 UTC
    assert build_date() == dt.date(2025, 12, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert build_date() == dt.date.today()


def test_spec_text_is_escaped_in_the_document(spec):
    r21 = spec.item("LSS-R21")
    hostile_title = dataclasses.replace(r21.title, sv='<script>alert(1)</script> & "x"')
    hostile = dataclasses.replace(
        spec, rules=tuple(dataclasses.replace(r, title=hostile_title) if r.id == "LSS-R21" else r for r in spec.rules)
    )
    text = year_html(hostile, 2023, built=dt.date(2026, 12, 1))
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in text


def _structure(pdf: bytes) -> bytes:
    """The PDF's objects as text: the file and every stream inflated (the structure tree sits in object streams)."""
    import zlib

    out = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue  # not deflated (an image, a font): no structure in it
    return b"\n".join(out)


def test_table_header_cells_carry_their_scope_in_the_pdf(site, spec):
    """Every TH structure element of the built PDF has the /Scope of its <th>: /Column in a table's header row,
    /Row for the first cell of a body row (WeasyPrint 70 writes none of its own; backends/pdf.py adds it)."""
    assert year_html(spec, 2023).count('<th scope="row">') > 0
    found = re.findall(
        rb"/S /TH/(.*?)/ID \((\d+)-(\d+)-(\d+)\)", _structure((site / pdf_name(spec, 2023)).read_bytes())
    )
    assert len(found) > 20, found[:3]
    scopes = {(row == b"0", re.search(rb"/Scope /(\w+)", rest)) for rest, _, row, _ in found}
    wrong = [
        (first_row, s and s.group(1)) for first_row, s in scopes if s is None or (s.group(1) == b"Column") != first_row
    ]
    assert wrong == [] and {first_row for first_row, _ in scopes} == {True, False}
