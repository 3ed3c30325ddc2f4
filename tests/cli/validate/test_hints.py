"""Whole-file hints: a header line, UTF-16/UTF-32, `,` or tab separated, quoted values.

Each is said once per file (``files[].hints`` in JSON, "Hela filen: ..." in text) and changes
no finding: the findings equal the reference evaluator's, which knows nothing of hints.
"""

from __future__ import annotations

import pytest


def cases(lines):
    b = lines(2023)
    HEADER = ";".join(f.name for f in b.ym.fields)  # the first line of an export from Excel
    good = [b.line(), b.line(personnummer=b.pnr(1981))]
    text = "".join(x + "\r\n" for x in good)
    return {
        "clean": (good, []),
        "header_line": ([HEADER, *good], ["header_line"]),
        "quoted_header": (['"' + HEADER.replace(";", '";"') + '"', *good], ["header_line"]),
        "utf16_bom": (text.encode("utf-16"), ["encoding"]),
        "utf16_no_bom": (text.encode("utf-16-le"), ["encoding"]),
        "utf32": (text.encode("utf-32"), ["encoding"]),
        "comma": ([x.replace(";", ",") for x in good], ["separator"]),
        "tab_with_header": (
            [HEADER.replace(";", "\t"), *(x.replace(";", "\t") for x in good)],
            ["header_line", "separator"],
        ),
        "quoted": (['"' + x.replace(";", '";"') + '"' for x in good], ["quoted"]),
    }


@pytest.mark.parametrize(
    "name",
    [
        "clean",
        "header_line",
        "quoted_header",
        "utf16_bom",
        "utf16_no_bom",
        "utf32",
        "comma",
        "tab_with_header",
        "quoted",
    ],
)
def test_hints(name, run, lines, spec):
    from lss_rules.meaning.evaluate import evaluate_files

    content, codes = cases(lines)[name]
    _, report, _ = run(content)  # the report is checked against report.schema.json
    entry = report["files"][0]
    assert [h["code"] for h in entry.get("hints", [])] == codes
    assert "hints" in entry or not codes  # the key is there only with hints
    reference = evaluate_files(spec.for_year(2023), [entry["path"]])
    strip = lambda fs: [(f["rule"], f["line"], tuple(f["fields"])) for f in fs]  # noqa: E731
    assert strip(report["findings"]) == strip(reference["findings"])


def test_hints_say_what_to_do(run, lines):
    content, _ = cases(lines)["header_line"]
    _, report, _ = run(content)
    assert "ta bort rubrikraden" in report["files"][0]["hints"][0]["message"]
    _, report, _ = run(cases(lines)["utf16_bom"][0])
    assert "spara den som UTF-8" in report["files"][0]["hints"][0]["message"]
    _, report, _ = run(cases(lines)["comma"][0])
    assert "fälten ska skiljas med semikolon" in report["files"][0]["hints"][0]["message"]


def test_text_report_says_it_once_before_the_findings(run, lines):
    content, _ = cases(lines)["comma"]
    _, out, _ = run(content, fmt="text")
    assert out.count("Hela filen:") == 1
    assert out.index("Hela filen:") < out.index("LSS-S01")
