"""`compile` and `schema` reach the backends through the one interface (``BACKENDS``, ``emit(ym) -> Output``);
`docs` through its spec-wide form (``SPEC_BACKENDS``, ``emit_spec(spec, inputs) -> Output``)."""

from __future__ import annotations

import json

import pytest

from lss_rules.backends.output import Output, SpecInputs
from lss_rules.backends.registry import BACKENDS, SPEC_BACKENDS
from lss_rules.cli import main
from lss_rules.language.load import load_spec


@pytest.mark.parametrize(
    ("args", "backend"),
    [
        ([], "python"),
        (["--standalone"], "python-standalone"),
        (["--target", "js"], "javascript"),
    ],
)
def test_compile_writes_what_the_backend_emits(monkeypatch, tmp_path, args, backend):
    seen = []

    def fake(ym):
        seen.append(ym.year)
        return Output((("x", f"// {backend} {ym.year}\n"),))

    monkeypatch.setitem(BACKENDS, backend, fake)
    out = tmp_path / "out"
    assert main(["compile", "--year", "2023", "-o", str(out), *args]) == 0
    assert seen == [2023]
    assert out.read_text(encoding="utf-8") == f"// {backend} 2023\n"


def test_schema_is_the_backends_with_the_spec_source(monkeypatch, tmp_path):
    real = BACKENDS["jsonschema"]
    calls = []

    def spy(ym):
        calls.append(ym.year)
        return real(ym)

    monkeypatch.setitem(BACKENDS, "jsonschema", spy)
    out = tmp_path / "s.json"
    assert main(["schema", "--year", "2022", "-o", str(out)]) == 0
    assert calls == [2022]
    schema = json.loads(out.read_text(encoding="utf-8"))
    emitted = json.loads(real(load_spec().for_year(2022)).files[0][1])
    spec_info = schema["$defs"]["lss-annotations"]["const"].pop("x-lss-spec")
    assert spec_info and schema == emitted


def test_docs_writes_what_the_backend_emits_spec_wide(monkeypatch, tmp_path, capsys):
    seen: list[tuple[int, SpecInputs]] = []

    def fake(spec, inputs):
        seen.append((len(spec.rules), inputs))
        return Output((("ar/2023.md", "# 2023\n"), ("regler/LSS-R21.md", "# R21\n")))

    monkeypatch.setitem(SPEC_BACKENDS, "docs", fake)
    out = tmp_path / "gen"
    assert main(["docs", "-o", str(out)]) == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "ar/2023.md",
        "regler/LSS-R21.md",
    ]
    assert (out / "ar" / "2023.md").read_text(encoding="utf-8") == "# 2023\n"
    assert "skrev 2 filer" in capsys.readouterr().out
    ((rules, inputs),) = seen
    assert rules == len(load_spec().rules)
    # the command line hands the backend its reference page: the backend does not import the CLI
    assert inputs.cli_reference is not None and "## validate\n" in inputs.cli_reference
    assert inputs.pdfs == ()
