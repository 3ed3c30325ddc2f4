"""Files as they come: encodings, line ends, empty files, national runs, deceased lists, bad input."""

from __future__ import annotations

import json
import os

import pytest
from report_rules import rules_of

from lss_rules.runtime import python as runtime


def test_encodings_and_line_ends_agree(run, lines):
    b = lines(2023)
    good = [b.line(), b.line(personnummer=b.pnr(1980, 1), kommun="0114")]
    text = "\n".join(good)
    variants = [
        (text + "\n").encode("utf-8"),
        b"\xef\xbb\xbf" + (text + "\n").encode("utf-8"),
        (text + "\n").encode("iso-8859-1"),
        (text.replace("\n", "\r\n") + "\r\n").encode(),
        text.encode(),  # no final line end
    ]
    for content in variants:
        code, report, _ = run(content)
        assert (code, report["files"][0]["records"], report["findings"]) == (0, 2, []), content[:20]


def test_latin1_value_is_read_not_crashed(run, lines):
    b = lines(2023)
    other = b.pnr(1980, 1)
    content = (b.line() + "\n").encode() + b.line(kommun="01\xe44", personnummer=other).encode("iso-8859-1") + b"\n"
    _code, report, _ = run(content)
    assert rules_of(report) == [("LSS-S02", 2)]


def test_blank_line_and_trailing_semicolon_are_s01(run, lines):
    b = lines(2023)
    _code, report, _ = run([b.line(), "", b.line(personnummer=b.pnr(1980, 1)) + ";"])
    assert rules_of(report) == [("LSS-S01", 2), ("LSS-S01", 3)]


def test_empty_file_is_s05(run):
    code, report, _ = run(b"")
    assert code == 1
    assert report["findings"][0]["rule"] == "LSS-S05" and report["findings"][0]["line"] is None
    assert report["files"][0]["records"] == 0


def test_national_run_r09_on_every_involved_line(run, lines):
    b = lines(2023)
    p, q = b.pnr(1980, 2), b.pnr(1980, 3)
    a = [b.line(personnummer=p), b.line(personnummer=q, kommun="0114")]
    c = [b.line(personnummer=q, kommun="0114", kontaktperson="0", daglig_verksamhet="1"), b.line(personnummer=p)]
    d = [b.line(personnummer=p, kontaktperson="1")]
    _code, report, _ = run(a, c, d)
    got = [(f["rule"], f["file"][-5:], f["line"], tuple(f["fields"])) for f in report["findings"]]
    assert got == [
        ("LSS-R09", "0.txt", 1, ("personnummer", "kontaktperson")),
        ("LSS-R09", "1.txt", 2, ("personnummer", "kontaktperson")),
        ("LSS-R09", "2.txt", 1, ("personnummer", "kontaktperson")),
    ]


def test_national_run_counts_municipalities_not_lines(run, lines):
    b = lines(2023)
    p = b.pnr(1980, 2)
    twice = [b.line(personnummer=p), b.line(personnummer=p)]
    _, report, _ = run(twice)
    assert rules_of(report) == [("LSS-R07", 2)]  # the same insats twice in one file: not a national finding
    _, report, _ = run(twice, [b.line(personnummer=p, kommun="0114")])
    assert rules_of(report) == [("LSS-R09", 1), ("LSS-R07", 2), ("LSS-R09", 2), ("LSS-R09", 1)]


def test_what_is_no_regular_file_is_refused(run, lines, tmp_path):
    """A device or a folder: one line, exit 2, before a byte of any file is read (issue 22).

    FIFOs and devices that never end are refused by every target in ``test_resources.py``, in processes
    with a time limit (they kept a run waiting, or growing into a MemoryError, before).
    """
    good = [lines(2023).line()]
    for path in ("/dev/null", str(tmp_path)):
        code, out, err = run(good, raw=[str(run.tmp_path / "kommun0.txt"), path], fmt="text")
        assert code == 2 and out == "", path
        assert err.count("\n") == 1 and err.startswith(f"lss-rules: {path}: är ") and "Traceback" not in err, err
    code, _, err = run(good, args=("--deceased", "/dev/null"))
    assert code == 2 and "/dev/null: är en enhet, inte en vanlig fil" in err


def test_what_is_no_regular_file_is_refused_by_the_runtime(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # made here, never committed; nothing opens it
    for path in (str(fifo), "/dev/urandom", "/dev/zero", "/dev/null", str(tmp_path)):
        with pytest.raises(runtime.InputError, match=r"inte en (vanlig )?fil"):
            runtime.check_input(path)
        with pytest.raises(runtime.InputError, match=r"inte en (vanlig )?fil"):
            runtime._open_regular(path)


def test_a_file_changed_before_its_second_reading_is_an_input_error(tmp_path):
    path = tmp_path / "kommun.txt"
    path.write_text("a\n", encoding="utf-8")
    state = runtime.file_state(str(path))
    assert state is not None and list(runtime.read_again(str(path), state)) == ["a"]
    path.write_text("ab\n", encoding="utf-8")
    with pytest.raises(runtime.InputError, match="ändrades"):
        runtime.read_again(str(path), state)
    assert runtime.file_state(str(tmp_path)) is None and runtime.file_state(str(tmp_path / "nope")) is None


def test_deceased_list(run, lines, tmp_path):
    b = lines(2023)
    dead, alive, later = b.pnr(1980, 4), b.pnr(1980, 5), b.pnr(1980, 6)
    deceased = tmp_path / "doda.txt"
    deceased.write_text(f"{dead};2023-10-01\n{later};2023-10-02\n", encoding="utf-8")
    content = [b.line(personnummer=dead), b.line(personnummer=alive), b.line(personnummer=later)]
    _, report, _ = run(content, args=("--deceased", str(deceased)))
    assert rules_of(report) == [("LSS-R02", 1)] and report["not_checked"] == []
    _code, report, _ = run(content)
    assert report["findings"] == [] and report["not_checked"] == ["LSS-R02"]


def test_malformed_deceased_list_exit_2_names_file_and_line(run, lines, tmp_path):
    deceased = tmp_path / "doda.txt"
    deceased.write_text("198001022386;2023-01-01\n19800102;2023-01-01\n", encoding="utf-8")
    code, _report, err = run([lines(2023).line()], args=("--deceased", str(deceased)))
    assert code == 2 and f"{deceased}:2" in err and len(err.strip().splitlines()) == 1


def test_masking_and_show_personnummer(run, lines):
    b = lines(2023)
    p = b.pnr(1980)
    _, report, _ = run([b.line(kontaktperson="0")])
    assert report["findings"][0]["personnummer"] == p[:8] + "-****"
    _, text, _ = run([b.line(kontaktperson="0")], fmt="text")
    assert p not in text and p[:8] + "-****" in text
    _code, report, _ = run([b.line(kontaktperson="0")], args=("--show-personnummer",))
    assert report["findings"][0]["personnummer"] == p


def test_text_report(run, lines):
    b = lines(2023)
    code, text, _ = run([b.line(), b.line(kontaktperson="0", personnummer=b.pnr(1980, 1))], fmt="text")
    assert "2 poster — ej godkänd" in text
    assert "LSS-R08 Ingen insats (fel, 1 st)" in text and "rad 2" in text
    assert "Sammanfattning: 1 fil, 2 poster, 1 fel, 0 varningar — ej godkänd" in text
    assert "specifikationen beskriver" not in text  # 2023 is a year the spec states
    code, text, _ = run([lines(2030).line()], year=2030, fmt="text")
    assert text.count("2030 ligger efter det sista år som specifikationen beskriver (2025)") == 1 and code == 0
    assert "reglerna från 2022 gäller" in text
    code, text, _ = run([lines(2020).line()], year=2020, fmt="text")
    assert "specifikationen beskriver" not in text


def test_input_never_modified(run, lines):
    b = lines(2023)
    content = ("\r\n".join([b.line(), b.line(kontaktperson="0")])).encode("iso-8859-1")
    run(content)
    assert (run.tmp_path / "kommun0.txt").read_bytes() == content


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["nope.txt"], "nope.txt"),
        (["{tmp}"], "mapp"),
        (["{good}", "--year", "1998"], "1998"),
        (["{good}", "--year", "99999"], "99999"),
        (["{good}", "--year", "-5"], "-5"),
        (["{good}", "--year", "abc"], "--year"),
        (["{good}", "--format", "xml"], "--format"),
    ],
)
def test_bad_input_exit_2_one_line(run, lines, tmp_path, argv, needle):
    good = tmp_path / "good.txt"
    good.write_text(lines(2023).line() + "\n", encoding="utf-8")
    raw = [a.format(tmp=tmp_path, good=good) for a in argv]
    code, _, err = run(raw=raw[:1], args=tuple(raw[1:]))
    assert code == 2 and needle in err and "Traceback" not in err


def test_binary_file_is_rejected_not_a_traceback(run):
    blob = bytes(range(256)) * 300 + b"\x00" * 70000 + b"\n\xff\xfe;;;\n"
    code, report, err = run(blob)
    assert code == 1 and report["status"] == "rejected" and "Traceback" not in err
    assert {f["rule"] for f in report["findings"]} == {"LSS-S01"}


def test_json_is_stable(run, lines):
    b = lines(2023)
    _, report, _ = run([b.line(kontaktperson="0")])
    assert list(report) == ["year", "status", "files", "findings", "not_checked", "spec"]  # keys only added
    assert list(report["findings"][0]) == [
        *("rule", "severity", "file", "line", "fields", "message", "personnummer"),
        *("values", "expected", "detail"),  # added (issue 12), never renamed
    ]
    json.dumps(report)
