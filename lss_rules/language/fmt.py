"""The canonical layout of spec files: ``lss-rules fmt``.

:func:`format_text` parses a file with the one grammar and prints it again:
2-space indent, one property a line, dated lists one entry a line when there
is more than one, a layout's ``fields { }`` one name a line, one blank line
between declarations, canonical spacing in conditions and only the parentheses
the precedence needs.  Every comment is kept: the lexer hands comments to a
callback, and each is put back before the line that followed it in the source
(or at the end of its line, for a comment after code).  Formatting is
idempotent: ``format_text(format_text(t)) == format_text(t)``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from lss_rules.language.diagnostics import Diagnostic, Diagnostics, lexer_lines
from lss_rules.language.syntax import build_parser, too_deep

INDENT = "  "

# property alias -> the keyword(s) that open it
_KEYWORDS = {
    "reg_title": "title",
    "reg_title_en": "title_en",
    "reg_regulation": "regulation",
    "reg_language": "language",
    "reg_requires_lss_rules": "requires_lss_rules",
    "reg_first_year": "first_year",
    "reg_stated_through": "stated_through",
    "reg_comparison_threshold": "comparison_threshold",
    "reg_comparison_minimum": "comparison_minimum",
    "reg_reference_date": "reference_date",
    "reg_deadline": "deadline",
    "prop_source": "source",
    "ds_file": "file",
    "prop_label": "label",
    "prop_label_en": "label_en",
    "f_type": "type",
    "f_law": "law",
    "f_collected": "collected",
    "f_equalisation": "equalisation",
    "f_optional": "optional",
    "f_required_when": "required when",
    "f_empty_unless": "empty unless",
    "f_differs_from": "differs from",
    "prop_note": "note",
    "prop_interpretation": "interpretation",
    "g_members": "members",
    "l_years": "years",
    "l_separator": "separator",
    "l_encodings": "encodings",
    "l_fields": "fields",
    "p_unit": "unit",
    "p_value": "value",
    "c_kind": "kind",
    "r_scope": "scope",
    "r_when": "when",
    "r_require": "require",
    "r_unique": "unique",
    "r_unique_each": "unique",
    "prop_title": "title",
    "prop_title_en": "title_en",
    "prop_message": "message",
    "prop_message_en": "message_en",
    "prop_severity": "severity",
}

# precedence of expression nodes: a child printed below the precedence its slot needs gets parentheses
_OR, _AND, _NOT, _CMP, _SUM, _ATOM = 1, 2, 3, 4, 5, 6
_PREC = {
    "e_or": _OR,
    "e_and": _AND,
    "e_not": _NOT,
    "e_compare": _CMP,
    "e_between": _CMP,
    "e_member": _CMP,
    "e_add": _SUM,
    "e_sub": _SUM,
}


class FormatError(Exception):
    """The text does not parse; :attr:`diagnostic` says where."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.headline())
        self.diagnostic = diagnostic


_comments: list[Token] = []


@functools.cache
def _parser() -> Lark:
    return build_parser({"COMMENT": _comments.append})


@dataclass
class _Line:
    src: int  # source line the output line comes from (0 for a blank separator)
    depth: int
    text: str
    blank: bool = False


def _tok(x: object) -> str:
    assert isinstance(x, Token), x
    return str(x)


# ----------------------------------------------------------------- expressions


def expr_text(t: Tree | Token) -> str:
    """A condition (lark subtree) in canonical spacing with minimal parentheses."""
    if isinstance(t, Token):
        return str(t)
    c = t.children
    d = t.data

    def sub(x: Tree | Token, need: int) -> str:
        s = expr_text(x)
        prec = _PREC.get(x.data, _ATOM) if isinstance(x, Tree) else _ATOM
        return f"({s})" if prec < need else s

    match d:
        case "e_or":
            return f"{sub(c[0], _OR)} or {sub(c[1], _AND)}"
        case "e_and":
            return f"{sub(c[0], _AND)} and {sub(c[1], _NOT)}"
        case "e_not":
            return f"not {sub(c[0], _NOT)}"
        case "e_compare":
            return f"{sub(c[0], _SUM)} {_tok(c[1])} {sub(c[2], _SUM)}"
        case "e_between":
            return f"{sub(c[0], _SUM)} between {sub(c[1], _SUM)} and {sub(c[2], _SUM)}"
        case "e_member":
            values = ", ".join(expr_text(v) for v in c[1].children)
            return f"{sub(c[0], _SUM)} in {{{values}}}"
        case "e_add":
            return f"{sub(c[0], _SUM)} + {sub(c[1], _ATOM)}"
        case "e_sub":
            return f"{sub(c[0], _SUM)} - {sub(c[1], _ATOM)}"
        case "e_int" | "e_string" | "e_name":
            return _tok(c[0])
        case "e_call":
            args = [a for a in c[1:] if a is not None]
            return f"{_tok(c[0])}({', '.join(expr_text(a) for a in args)})"
        case _:
            raise AssertionError(f"unknown expression node {d}")


# ----------------------------------------------------------------- declarations


def _value(t: Tree | Token) -> str:
    if isinstance(t, Token):
        return str(t)
    return _tok(t.children[0])


def _year_set(t: Tree) -> str:
    out = []
    for r in t.children:
        a = [_tok(x) for x in r.children]
        match r.data:
            case "years_closed":
                out.append(f"{a[0]}..{a[1]}")
            case "years_from":
                out.append(f"{a[0]}..")
            case "years_until":
                out.append(f"..{a[0]}")
            case _:
                out.append(a[0])
    return ", ".join(out)


def _dated_entry(e: Tree) -> str:
    v = _value(e.children[0])
    ys = [_tok(x) for x in e.children[1:]]
    match e.data:
        case "dated_from":
            return f"{v} from {ys[0]}"
        case "dated_in":
            return f"{v} in {ys[0]}..{ys[1]}"
        case _:
            return f"{v} in {ys[0]}"


def _line_of(x: Tree | Token, default: int) -> int:
    if isinstance(x, Token):
        return x.line or default
    return getattr(x.meta, "line", default) if not x.meta.empty else default


def _prop(p: Tree, depth: int, out: list[_Line]) -> None:
    key = _KEYWORDS[p.data]
    line = _line_of(p, 0)
    c = p.children
    first = c[0] if c else None

    def put(text: str, src: int = line, d: int = depth) -> None:
        out.append(_Line(src, d, text))

    match p.data:
        case "f_optional":
            put(key)
        case "reg_regulation" | "prop_source" | "l_encodings":
            assert isinstance(first, Tree)
            put(f"{key} {', '.join(_tok(s) for s in first.children)}")
        case "g_members":
            assert isinstance(first, Tree)
            put(f"{key} {', '.join(_tok(s) for s in first.children)}")
        case "f_collected" | "l_years":
            assert isinstance(first, Tree)
            put(f"{key} {_year_set(first)}")
        case "reg_reference_date" | "reg_deadline" | "p_value" | "prop_severity":
            assert isinstance(first, Tree)
            entries = first.children
            if len(entries) == 1:
                put(f"{key} {_dated_entry(entries[0])}")
            else:
                put(key)
                for e in entries:
                    put(_dated_entry(e), _line_of(e, line), depth + 1)
        case "l_fields":
            if not c:
                put(f"{key} {{ }}")
            else:
                put(f"{key} {{")
                for n in c:
                    put(_tok(n), _line_of(n, line), depth + 1)
                put("}", _line_of(c[-1], line), depth)
        case "f_type":
            assert isinstance(first, Tree)
            _type(first, key, depth, line, out)
        case "f_required_when" | "f_empty_unless" | "r_when" | "r_require":
            assert first is not None
            put(f"{key} {expr_text(first)}")
        case "r_unique_each":
            put(f"unique {_tok(c[0])} for each set flag in {_tok(c[1])}")
        case _:
            assert first is not None
            put(f"{key} {_value(first)}")


def _type(t: Tree, key: str, depth: int, line: int, out: list[_Line]) -> None:
    match t.data:
        case "t_municipality":
            out.append(_Line(line, depth, f"{key} municipality from {_tok(t.children[0])}"))
        case "t_personnummer":
            out.append(_Line(line, depth, f"{key} personnummer"))
        case "t_flag":
            out.append(_Line(line, depth, f"{key} flag"))
        case "t_count":
            out.append(_Line(line, depth, f"{key} count"))
        case _:
            out.append(_Line(line, depth, f"{key} enum {{"))
            last = line
            for mem in t.children:
                last = _line_of(mem, line)
                out.append(_Line(last, depth + 1, f"{_tok(mem.children[0])} {_tok(mem.children[1])}"))
            out.append(_Line(last, depth, "}"))


def _decl(d: Tree, out: list[_Line]) -> None:
    name = _tok(d.children[0])
    line = _line_of(d, 0)
    out.append(_Line(line, 0, f"{d.data} {name} {{"))
    last = line
    for p in d.children[1:]:
        _prop(p, 1, out)
        last = max(last, out[-1].src)
    end = getattr(d.meta, "end_line", last) if not d.meta.empty else last
    out.append(_Line(end, 0, "}"))


# ----------------------------------------------------------------- comments and the whole file


def _attach(lines: list[_Line], comments: list[Token], source: list[str]) -> list[_Line]:
    """Put each comment back: on its own line before the code that followed it, or after code on its line."""
    trailing: dict[int, list[str]] = {}
    before: dict[int, list[tuple[int, str]]] = {}
    tail: list[tuple[int, str]] = []
    code_lines = [i for i, ln in enumerate(lines) if not ln.blank]
    for c in comments:
        ln = c.line or 1
        col = c.column or 1
        text = str(c).rstrip()
        prefix = source[ln - 1][: col - 1] if ln - 1 < len(source) else ""
        if prefix.strip():
            # after code: attach to the last output line from that source line (or earlier)
            idx = max((i for i in code_lines if lines[i].src <= ln), default=None)
            if idx is not None:
                trailing.setdefault(idx, []).append(text)
                continue
        idx = next((i for i in code_lines if lines[i].src > ln), None)
        if idx is None:
            tail.append((ln, text))
        else:
            before.setdefault(idx, []).append((ln, text))

    def blank_after(ln: int, nxt: int | None) -> bool:
        return ln < len(source) and not source[ln].strip() and (nxt is None or ln + 1 < nxt)

    out: list[_Line] = []
    for i, entry in enumerate(lines):
        group = before.get(i, [])
        for j, (cl, text) in enumerate(group):
            out.append(_Line(cl, entry.depth, text))
            nxt = group[j + 1][0] if j + 1 < len(group) else entry.src
            if blank_after(cl, nxt):
                out.append(_Line(0, 0, "", blank=True))
        if i in trailing:
            entry = _Line(entry.src, entry.depth, entry.text + "  " + "  ".join(trailing[i]), entry.blank)
        out.append(entry)
    if tail:
        if out:
            out.append(_Line(0, 0, "", blank=True))
        for j, (cl, text) in enumerate(tail):
            out.append(_Line(cl, 0, text))
            if j + 1 < len(tail) and blank_after(cl, tail[j + 1][0]):
                out.append(_Line(0, 0, "", blank=True))
    return out


def format_text(text: str, filename: str = "<text>") -> str:
    """The canonical layout of one spec file; FormatError if it does not parse."""
    _comments.clear()
    try:
        tree = _parser().parse(text)
    except UnexpectedInput:
        from lss_rules.language.syntax import parse_tree

        diags = Diagnostics()
        parse_tree(text, filename, diags)
        items = diags.sorted()
        if not items:  # pragma: no cover - both parsers share one grammar
            raise
        raise FormatError(items[0]) from None
    deep = too_deep(tree, filename)
    if deep is not None:  # printing it would recurse as deep: said, as `check` says it
        raise FormatError(deep)
    comments = list(_comments)
    _comments.clear()
    lines: list[_Line] = []
    for i, d in enumerate(tree.children):
        if i:
            lines.append(_Line(0, 0, "", blank=True))
        assert isinstance(d, Tree)
        _decl(d, lines)
    lines = _attach(lines, comments, lexer_lines(text))
    rendered: list[str] = []
    for ln in lines:
        if ln.blank:
            if rendered and rendered[-1] != "":
                rendered.append("")
            continue
        rendered.append(INDENT * ln.depth + ln.text)
    while rendered and rendered[-1] == "":
        rendered.pop()
    return "\n".join(rendered) + "\n" if rendered else ""
