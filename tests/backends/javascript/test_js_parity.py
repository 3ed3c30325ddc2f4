"""Each function both runtimes have gives the same result in both, on the same Hypothesis inputs (issue 23).

The whole-report differential test (test_js_differential) finds a slip between runtime.py and runtime.mjs
only when a drawn run happens to reach it (the hint window of 4 KiB against 8 KiB went unseen).  Here
each shared function is called directly, in Python and in JavaScript, on inputs drawn for it: the
whole-file hints (files of every separator, quoting and encoding, many longer than the hint window),
the details of a finding, the report built, written as JSON and rendered as text (with the bound on the
findings listed, details read from files, hints, a spec), masking, the deceased list, the personnummer
check, ``printable`` and ``quoted``.  The JavaScript calls of one example run in one node process
(tests/backends/javascript/parity.mjs, the fixture ``js_calls``).
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pnr_shapes import pnr_shaped, with_pnrs

from lss_rules.backends.python.cache import load_validator
from lss_rules.generators.edges import EDGE_PNRS
from lss_rules.runtime import python as runtime

SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large, HealthCheck.too_slow],
)
YEAR = 2023


def _plain(value: Any) -> Any:
    """JSON data as both languages receive it (tuples as lists, sets as sorted lists)."""
    return json.loads(json.dumps(value, default=sorted))


MOD = load_validator(YEAR)
FIELDS = list(MOD.DETAILS["fields"])
SEPARATOR = MOD.DETAILS["separator"]
DETAILS = {"sv": _plain(MOD.DETAILS), "en": _plain(MOD.DETAILS_EN)}
RULE_IDS = [*MOD.RULES, "X-R01"]


def _ymd(d: datetime.date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _report(args: dict[str, Any]) -> dict[str, str]:
    findings: Any = [(r, fi, line, tuple(fields), pnr) for r, fi, line, fields, pnr in args["findings"]]
    if args["listed"] is not None:
        raw = runtime.RawFindings(args["listed"])
        raw.extend(findings)
        raw.settle()
        findings = raw
    rules = {rule: tuple(pair) for rule, pair in args["rules"].items()}
    built = runtime.build_report(
        args["year"],
        args["paths"],
        args["records"],
        findings,
        rules,
        args["notChecked"],
        args["show"],
        lazy=True,
        spec=args["spec"],
        hints=args["hints"],
        details=args["details"],
    )
    out = io.StringIO()
    runtime.write_json(built, out)
    return {"json": out.getvalue(), "text": runtime.render_text(built, args["titles"], args["notes"], args["lang"])}


def _deceased(path: str) -> dict[str, str]:
    return {pnr: _ymd(died) for pnr, died in runtime.read_deceased(path).items()}


PYTHON = {
    "hints": lambda path, separator, fields, lang: runtime.file_hints(path, separator, fields, lang),
    "details": runtime.finding_details,
    "report": _report,
    "mask": runtime.mask,
    "mask_text": runtime.mask_text,
    "printable": runtime.printable,
    "quoted": runtime.quoted,
    "deceased": _deceased,
    "personnummer": lambda pnr, ymd: runtime.valid_personnummer(
        pnr, datetime.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
    ),
}


def python_result(call: list[Any]) -> dict[str, Any]:
    name, *args = call
    try:
        return {"value": _plain(PYTHON[name](*args))}
    except runtime.InputError as exc:
        return {"error": str(exc)}


def assert_same(js_calls: Callable[[list[list[Any]]], list[dict[str, Any]]], calls: list[list[Any]]) -> None:
    """Every call gives the same result (or the same InputError message) in both runtimes."""
    for call, js in zip(calls, js_calls(calls), strict=True):
        assert js == python_result(call), call


# --------------------------------------------------------------------------- the inputs

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)  # a lone surrogate is no JSON text
TEXTS = st.one_of(
    TEXT, pnr_shaped(), with_pnrs(TEXT), st.sampled_from(("", "\x1b[31m", "a'b\"c\\", "\u2028\U00018d80"))
)
VALUES = st.one_of(
    st.sampled_from(("", "0", "1", "01", "9", "114", "0114", "2023", "198001012384", "19800101-2384", " 1", "x")),
    st.sampled_from(EDGE_PNRS),
    TEXTS,
)


@st.composite
def hint_files(draw: st.DrawFn) -> bytes:
    """A submission's bytes: a header line or not, separators and quotes that change along the file, long
    lines (many files are longer than the 4 KiB the hints read), every encoding the hints name."""
    lines = []
    if draw(st.integers(0, 3)) == 0:
        names = [draw(st.sampled_from((n, n.upper(), f'"{n}"', f" {n} "))) for n in FIELDS]
        lines.append(draw(st.sampled_from((";", ",", "\t", "|"))).join(names))
    switch = draw(st.integers(0, 40))  # the line from which another separator is used
    first, later = draw(st.sampled_from((";", ",", "\t", "|"))), draw(st.sampled_from((";", ",", "\t", "|")))
    quote = draw(st.sampled_from(("", "", '"', "'")))
    for i in range(draw(st.integers(0, 40))):
        n = len(FIELDS) + draw(st.sampled_from((0, 0, 0, -1, 1, -5)))
        values = [quote + draw(st.sampled_from(("0", "1", "0114", "198001012384", "", "x"))) + quote for _ in range(n)]
        if draw(st.integers(0, 2)) == 0:
            values[-1] += "x" * draw(st.integers(0, 600))
        lines.append((first if i < switch else later).join(values))
        if draw(st.integers(0, 12)) == 0:
            lines.append(draw(st.sampled_from(("", " ", "\t"))))
    end = draw(st.sampled_from(("\n", "\r\n")))
    text = end.join(lines) + draw(st.sampled_from(("", end)))
    encoding = draw(st.sampled_from(("utf-8", "utf-8", "utf-8-sig", "iso-8859-1", "utf-16", "utf-16-le", "utf-32")))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 10)) == 0:
        data = data[: draw(st.integers(0, len(data)))]  # cut anywhere, inside a character too
    return data


@st.composite
def window_files(draw: st.DrawFn) -> bytes:
    """Lines of the layout's separator filling about the hint window, then lines of another separator:
    what the start of the file holds decides the hints (the 4 KiB against 8 KiB of old)."""
    n_long = draw(st.integers(1, 19))
    size = int(runtime._HINT_BYTES * draw(st.sampled_from((0.5, 0.9, 1.0, 1.2, 1.6, 2.5)))) // n_long
    head = SEPARATOR.join(["0114", "198001012384", *["0"] * (len(FIELDS) - 2)])
    long_line = head + "x" * max(0, size - len(head) - 1)
    other = draw(st.sampled_from((",", "\t", "|")))
    short = other.join(["0114", "198001012384", *["0"] * (len(FIELDS) - 2)])
    return ("".join(f"{long_line}\n" for _ in range(n_long)) + f"{short}\n" * draw(st.integers(0, 25))).encode()


@st.composite
def separated_files(draw: st.DrawFn) -> bytes:
    """Every line with all its separators (the common case both runtimes answer on a short path): a header
    line or not, values quoted or not, a stray quote or a separator too many in some line."""
    lines = []
    if draw(st.booleans()):
        lines.append(SEPARATOR.join(draw(st.sampled_from((n, n.upper(), f'"{n}"'))) for n in FIELDS))
    quote = draw(st.sampled_from(("", "", '"', "'")))
    for _ in range(draw(st.integers(1, 30))):
        values = [
            quote + draw(st.sampled_from(("0", "1", "0114", "198001012384", "", "x", "o'", '"'))) + quote
            for _ in range(len(FIELDS) + draw(st.sampled_from((0, 0, 0, 1))))
        ]
        lines.append(SEPARATOR.join(values))
    return ("\n".join(lines) + "\n").encode()


@SETTINGS
@given(
    files=st.lists(st.one_of(hint_files(), window_files(), separated_files()), min_size=10, max_size=10),
    lang=st.sampled_from(runtime.LANGUAGES),
)
def test_hints(js_calls, tmp_path_factory, files, lang):
    folder = tmp_path_factory.mktemp("hints")
    calls = []
    for i, data in enumerate(files):
        path = folder / f"{i}.txt"
        path.write_bytes(data)
        calls.append(["hints", str(path), SEPARATOR, FIELDS, lang])
    assert_same(js_calls, calls)


def test_hints_past_the_window_are_drawn():
    """The drawn files reach past the hint window (the case that once differed), not only in theory."""
    longer = 0

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(hint_files(), window_files()))
    def draw(data):
        nonlocal longer
        longer += len(data) > runtime._HINT_BYTES

    draw()
    assert longer >= 5


@st.composite
def detail_calls(draw: st.DrawFn) -> list[Any]:
    lang = draw(st.sampled_from(runtime.LANGUAGES))
    details = DETAILS[lang]
    rule = draw(st.sampled_from([*details["checks"], *details["rules"], "X-R01"]))
    fields = draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=5))
    parts = draw(
        st.one_of(
            st.integers(0, 40),
            st.lists(VALUES, min_size=len(FIELDS), max_size=len(FIELDS)),
            st.lists(VALUES, max_size=len(FIELDS) + 2),
        )
    )
    return ["details", rule, fields, parts, details, draw(st.booleans())]


@SETTINGS
@given(calls=st.lists(detail_calls(), min_size=40, max_size=40))
def test_details(js_calls, calls):
    assert_same(js_calls, calls)


def _line(values: list[tuple[int, str]]) -> str:
    parts = ["0"] * len(FIELDS)
    for at, value in values:
        parts[at] = value
    return SEPARATOR.join(parts).replace("\n", " ").replace("\r", " ")


def _drawn_labels(details: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The detail table with some fields' labels drawn (a spec's label may hold ESC, a bidi override...)."""
    return st.dictionaries(st.sampled_from(FIELDS), TEXTS, max_size=4).map(
        lambda drawn: {**details, "labels": {**details["labels"], **drawn}}
    )


@st.composite
def report_calls(draw: st.DrawFn, folder: Path) -> list[Any]:
    lang = draw(st.sampled_from(runtime.LANGUAGES))
    paths, records = [], []
    for i in range(draw(st.integers(1, 3))):
        path = folder / f"{len(list(folder.iterdir()))}-{i}.txt"
        # a line of the layout with a few values drawn (a whole line of drawn values is too much to draw)
        line = st.lists(st.tuples(st.sampled_from(range(len(FIELDS))), VALUES), max_size=4).map(_line)
        lines = draw(st.lists(line, max_size=5))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
        records.append(len(lines))
    ids = draw(st.lists(st.sampled_from(RULE_IDS), min_size=1, max_size=6, unique=True))
    rules = {r: [draw(st.sampled_from(("error", "warning"))), draw(TEXTS)] for r in ids}
    finding = st.tuples(
        st.sampled_from(ids),
        st.integers(0, len(paths) - 1),
        st.one_of(st.none(), st.integers(1, 8)),
        st.lists(st.sampled_from(FIELDS), unique=True, max_size=4),
        st.one_of(st.none(), st.just(""), VALUES),
    )
    hint = st.fixed_dictionaries({"code": st.sampled_from(("separator", "quoted")), "message": TEXTS})
    spec = st.one_of(
        st.none(), st.fixed_dictionaries({"path": st.one_of(st.none(), TEXTS), "digest": st.just("ab" * 32)})
    )
    args = {
        "year": YEAR,
        "paths": paths,
        "records": records,
        "findings": draw(st.lists(finding, max_size=20)),
        "rules": rules,
        "notChecked": draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)),
        "show": draw(st.booleans()),
        "spec": draw(spec),
        "hints": draw(
            st.one_of(st.none(), st.lists(st.lists(hint, max_size=2), min_size=len(paths), max_size=len(paths)))
        ),
        "details": draw(st.one_of(st.none(), st.just(DETAILS[lang]), _drawn_labels(DETAILS[lang]))),
        "listed": draw(st.one_of(st.none(), st.integers(1, 3))),
        "titles": {r: draw(TEXTS) for r in ids},
        "notes": draw(st.lists(TEXTS, max_size=2)),
        "lang": lang,
    }
    return ["report", args]


@SETTINGS
@given(data=st.data())
def test_reports_as_json_and_text(js_calls, tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("reports")
    calls = [data.draw(report_calls(folder)) for _ in range(6)]
    assert_same(js_calls, calls)


@SETTINGS
@given(texts=st.lists(st.one_of(TEXTS, st.none()), min_size=60, max_size=60))
def test_masking_printable_and_quoted(js_calls, texts):
    calls = [["mask", t] for t in texts] + [["mask_text", t] for t in texts]
    calls += [[name, t] for t in texts if t is not None for name in ("printable", "quoted")]
    assert_same(js_calls, calls)


@st.composite
def deceased_files(draw: st.DrawFn) -> bytes:
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        pnr = draw(st.one_of(st.sampled_from(EDGE_PNRS), st.text("0123456789", min_size=11, max_size=13), TEXT))
        date = draw(
            st.one_of(
                st.dates().map(datetime.date.isoformat),
                st.sampled_from(("1990-02-30", "20230930", "2023-W40", " 1990-01-01", "1990-1-1", "0000-01-01")),
                TEXTS,
            )
        )
        sep = draw(st.sampled_from((";", ";", ";;", ",")))
        shape = draw(st.sampled_from(("{p}{s}{d}", "{p}{s}{d}", "", " ", "\x85", "{p}")))
        rows.append(shape.format(p=pnr, s=sep, d=date))
    end = draw(st.sampled_from(("\n", "\r\n")))
    return (draw(st.sampled_from(("", "\ufeff"))) + end.join(rows) + end).encode("utf-8", errors="replace")


@SETTINGS
@given(files=st.lists(deceased_files(), min_size=10, max_size=10))
def test_deceased_lists(js_calls, tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("deceased")
    calls = []
    for i, data in enumerate(files):
        (folder / f"{i}.txt").write_bytes(data)
        calls.append(["deceased", str(folder / f"{i}.txt")])
    assert_same(js_calls, calls)


PNRS = st.one_of(
    st.sampled_from(EDGE_PNRS),
    st.text("0123456789", min_size=12, max_size=12),
    st.builds(  # a real birth date (a samordningsnummer too), any serial and check digit
        lambda d, extra, tail: _ymd(d)[:6] + f"{d.day + extra:02d}" + tail,
        st.dates(datetime.date(1800, 1, 1), datetime.date(2100, 12, 31)),
        st.sampled_from((0, 60)),
        st.text("0123456789", min_size=4, max_size=4),
    ),
)


@SETTINGS
@given(
    pnrs=st.lists(PNRS, min_size=200, max_size=200),
    on=st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)),
)
def test_personnummer_check(js_calls, pnrs, on):
    """Twelve ASCII digits (what the generated code checks with it), on a reference date."""
    assert_same(js_calls, [["personnummer", p, _ymd(on)] for p in pnrs])
