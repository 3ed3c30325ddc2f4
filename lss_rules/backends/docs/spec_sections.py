"""Rule-page sections about the spec itself: its source, highlighted, and its worked examples.

Called by :mod:`lss_rules.backends.docs.site` for every rule page:

- :func:`source_md` — the declaration as written in ``spec/`` in a fenced
  block marked ``lss`` (highlighted by :class:`lss_rules.language.highlight.LssLexer`
  through pymdownx.highlight);
- :func:`examples_md` — the examples of ``spec/examples/<id>.yaml``: the lines
  as the file holds them (fields not given filled in) and the findings.

Spec text reaches the page only inside code fences longer than any run of
backticks in it, or escaped for markdown and HTML (:func:`md_text`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from lss_rules.language import model as m
from lss_rules.language.diagnostics import lexer_lines

SEVERITY_SV = {"error": "fel", "warning": "varning"}


def md_text(text: object) -> str:
    """Text as literal markdown inline (no markup, no HTML, no table cell breaks)."""
    s = html.escape(str(text), quote=False).replace("\n", " ")
    return re.sub(r"([\\`*_{}\[\]()#+!|~-])", r"\\\1", s)


def fence(lines: Sequence[str], lang: str) -> list[str]:
    longest = max((len(r) for ln in lines for r in re.findall(r"`+", ln)), default=0)
    mark = "`" * max(3, longest + 1)
    return [mark + lang, *lines, mark]


def source_of(pos: m.Pos) -> list[str] | None:
    """The lines ``pos`` spans in its file, or None when the file cannot be read."""
    if pos.line < 1 or pos.end_line < pos.line:
        return None
    try:
        text = Path(pos.file).read_bytes().decode("utf-8")  # no newline translation: a lone CR is no line end
    except (OSError, UnicodeDecodeError):
        return None
    return [_visible(line) for line in lexer_lines(text)[pos.line - 1 : pos.end_line]]


def _visible(line: str) -> str:
    """A source line with every character that is not printable (a line separator in a comment…) shown
    as its escape, so the page shows the text as lines exactly where the parser sees lines."""
    return "".join(c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in line)


def source_md(spec: m.Spec, ident: str) -> list[str]:
    item = spec.item(ident)
    lines = source_of(item.pos)
    if not lines:
        return []
    where = f"{Path(item.pos.file).name}, rad {item.pos.line}–{item.pos.end_line}"
    return [
        "## Källtext",
        "",
        f"Så här står regeln i specifikationen (spec/{md_text(where)}):",
        "",
        *fence(lines, "lss"),
        "",
    ]


def _examples_dir(spec: m.Spec) -> Path | None:
    return Path(spec.files[0]).parent / "examples" if spec.files else None


def examples_md(spec: m.Spec, ident: str) -> list[str]:
    """The worked examples of ``ident`` (``spec/examples/<id>.yaml``); nothing when there are none."""
    from lss_rules.language.examples import read_example_file
    from lss_rules.tools.examples import file_lines

    folder = _examples_dir(spec)
    if folder is None or not (folder / f"{ident}.yaml").is_file():
        return []
    examples, problems = read_example_file(folder / f"{ident}.yaml", spec)
    if problems or not examples:
        return []
    out = [
        "### Räknade exempel",
        "",
        f"Ur `spec/examples/{ident}.yaml`; `lss-rules check` kör varje exempel med referensutvärderaren och den "
        "kompilerade validatorn. Fält som exemplet inte anger har fått giltiga standardvärden.",
        "",
    ]
    for ex in examples:
        ym = spec.for_year(ex.year)
        files = file_lines(ym, ex)
        names = list(files)
        out += [f"**{md_text(ex.name)}** ({ex.year})", ""]
        shown: list[str] = []
        for name, lines in files.items():
            if len(files) > 1 or not lines:
                shown.append(f"# {name}")
            shown += lines if lines else ["(tom fil)"]
        if ex.deceased:
            shown.append("# avlidna (personnummer;dödsdatum)")
            shown += [f"{p};{d.isoformat()}" for p, d in ex.deceased]
        out += [*fence(shown, "text"), ""]
        if not ex.findings:
            out += ["Inga fynd.", ""]
            continue
        out += ["| Regel | Fil | Rad | Allvarlighetsgrad |", "|---|---|---|---|"]
        for f in ex.findings:
            line = "hela filen" if f.line is None else str(f.line)
            out.append(
                f"| {md_text(f.rule)} | {md_text(f.file or names[0])} | {line} | "
                f"{SEVERITY_SV.get(f.severity, md_text(f.severity))} |"
            )
        out.append("")
    return out
