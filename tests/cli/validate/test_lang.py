"""`--lang en`: the same report in English (messages from the spec's message_en); Swedish stays the default."""

from __future__ import annotations


def test_same_findings_in_english(run, lines):
    b = lines(2023)
    content = [";".join(f.name for f in b.ym.fields), b.line(), b.line(daglig_verksamhet="01")]
    _, sv, _ = run(content)
    _, en, _ = run(content, args=("--lang", "en"))
    key = lambda r: [(f["rule"], f["severity"], f["file"], f["line"], f["fields"]) for f in r["findings"]]  # noqa: E731
    assert key(en) == key(sv) and en["status"] == sv["status"]
    messages = {f["rule"]: f["message"] for f in en["findings"]}
    assert messages["LSS-S02"] == "A value does not have the field's form or domain."
    assert en["files"][0]["hints"][0]["message"].startswith("Line 1 is a header line")
    assert sv["files"][0]["hints"][0]["message"].startswith("Rad 1 är en rubrikrad")


def test_text_report_in_english(run, lines):
    b = lines(2023)
    _, out, _ = run([b.line(daglig_verksamhet="01")], fmt="text", args=("--lang", "en"))
    assert out.startswith("LSS submission 2023\n")
    assert "Summary: 1 file, 1 record, 1 error, 0 warnings — rejected" in out
    for swedish in ("Sammanfattning", "poster", "godkänd", "rad ", "Inte kontrollerat", "Specifikation"):
        assert swedish not in out


def test_swedish_is_the_default(run, lines):
    _, out, _ = run([lines(2023).line()], fmt="text")
    assert out.startswith("LSS-inrapportering 2023\n")
