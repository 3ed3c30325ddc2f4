"""The datasets a spec declares, found without lark (lss_rules.language.lexical), cover every one the parser finds.

The validator cache hashes them into its key on every run (issue 22: an entry's own list of datasets
was trusted, and a manifest ``{}`` checked none); a dataset the scan missed would be a stale validator.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lss_rules.backends.python import cache as compiled
from lss_rules.language.diagnostics import Diagnostics
from lss_rules.language.lexical import declared_files
from lss_rules.language.syntax import DatasetDecl, parse_decls

REPO = Path(__file__).resolve().parents[2]
GRAMMAR = (REPO / "grammar" / "lss.lark").read_text(encoding="utf-8")


def _parsed(texts: list[str]) -> list[str] | None:
    """The dataset files the parser finds, None when a text has a syntax error (such a spec is never cached)."""
    files = []
    for i, text in enumerate(texts):
        diags = Diagnostics()
        decls = parse_decls(text, f"f{i}.lss", diags)
        if diags.items:
            return None
        files += [d.file.value for d in decls if isinstance(d, DatasetDecl) and d.file is not None]
    return files


def _literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def test_the_installed_spec():
    texts = [p.read_text(encoding="utf-8") for p in compiled.spec_files(REPO / "spec")]
    assert declared_files(texts, GRAMMAR) == ("data/kommuner.csv",)


values = st.lists(st.sampled_from(["a", "/", ".", '"', "\\", "#", "\n", " ", "file", "é"]), max_size=8).map("".join)
gaps = st.lists(st.sampled_from([" ", "\n", "\t", '  # file "x" kommentar\n', '# "\n']), min_size=1, max_size=3)


@st.composite
def spec_texts(draw: st.DrawFn) -> str:
    parts = []
    for i in range(draw(st.integers(0, 3))):
        label = _literal(draw(values))
        file_ = _literal(draw(values))
        gap = "".join(draw(gaps))
        props = [f"file{gap}{file_}", f"label {label}"]
        if draw(st.booleans()):
            props.reverse()
        parts.append(f"dataset d{i} {{ {' '.join(props)} }}")
        if draw(st.booleans()):  # a decoy: the words and quotes of a dataset inside a string and a comment
            parts.append(f'field file_{i} {{ label {_literal("file " + draw(values))} }}  # file "decoy"')
    return "\n".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.lists(spec_texts(), min_size=1, max_size=3))
def test_every_dataset_the_parser_finds_is_declared(texts):
    parsed = _parsed(texts)
    if parsed is None:
        return
    found = declared_files(texts, GRAMMAR)
    assert found is not None and set(parsed) <= set(found), (parsed, found)


def test_a_grammar_without_the_terminals_means_no_list():
    assert declared_files(['dataset k { file "a.csv" }'], "start: item*\n") is None
