"""The functions of a generated module: ``_forms``, ``_check_file``, ``_national``, ``validate``, ``report``, ``main``.

Each declares the kind of every name it uses (:func:`function`).  Part of
:mod:`lss_rules.backends.validator.lower`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lss_rules.backends.validator import ir
from lss_rules.backends.validator.conditions import fast_forms, form_ok
from lss_rules.backends.validator.ir import (
    FALSE,
    TRUE,
    Assign,
    AugAssign,
    Block,
    Call,
    Comment,
    Compare,
    Continue,
    DictLit,
    ExprStmt,
    For,
    FunctionDef,
    If,
    IfExp,
    Index,
    Intrinsic,
    Lit,
    Not,
    Param,
    ReadFields,
    Return,
    Runtime,
    Stmt,
    Test,
    TupleLit,
    Var,
    all_of,
    any_of,
)
from lss_rules.backends.validator.names import EMPTY, Names, append_finding, check_id, lits
from lss_rules.backends.validator.rules import (
    conditional_checks,
    file_uniques,
    flags_expr,
    member_bits,
    memo_lookup,
    memo_possible,
    missing_required,
    national_bits,
    national_rules,
    record_rules,
    rule_stmts,
    unique_in_file,
    unique_national_collect,
)
from lss_rules.language import model as m


def forms_function(ym: m.YearModel, names: Names) -> FunctionDef:
    """``_forms(...)``: the slow path for a line with a missing or malformed value (S02/S03)."""
    body: list[Stmt] = [Assign(Var("u"), Lit(0)), Assign(Var("s02"), TupleLit(())), Assign(Var("s03"), TupleLit(()))]
    for f in ym.fields:
        v, bit = names.var(f.name), Var(names.bit_name[f.name])
        missing: tuple[Stmt, ...] = (
            (AugAssign(Var("u"), "|", bit), AugAssign(Var("s03"), "++", lits([f.name])))
            if f.always_required
            else (ir.Pass(),)
        )
        malformed = If(
            ir.negate(form_ok(f, v, ym)), (AugAssign(Var("u"), "|", bit), AugAssign(Var("s02"), "++", lits([f.name])))
        )
        body.append(If(Compare("==", v, EMPTY), missing, (malformed,)))
    body.append(Return(TupleLit((Var("u"), Var("s02"), Var("s03")))))
    unpack = Assign(TupleLit(tuple(names.var(f.name) for f in ym.fields)), Var("parts"))
    kinds: dict[str, ir.LocalKind] = {"parts": "pieces", "u": "int", "s02": "list", "s03": "list"}
    kinds |= {names.local[f.name]: "str" for f in ym.fields}
    return function(
        "_forms",
        ("parts",),
        (unpack, *body),
        "The unknown values of a line: (bit mask, malformed fields, missing required fields), in layout order.",
        kinds,
    )


_FAST = "every value of the line has its form"
_UNKNOWN = "the unknown values, as _check_file does"
_TWICE = "the rules that must skip an unknown value: tested on the common line (u == 0) without it"


def file_function(ym: m.YearModel, names: Names, memo: bool = True) -> FunctionDef:
    """``_check_file``: every line of one file, straight-line code per line (``memo``: where possible)."""
    memo = memo and memo_possible(ym, names)
    nationals = national_rules(ym, names)
    params = ["fi", "lines", "dead", "out"] + [f"here{i}" for i in range(len(nationals))]
    params += ["memo"] if memo else []
    s01, s02, s03, s04 = (check_id(ym, k) for k in ("field_count", "value_form", "required_value", "empty_value"))
    pnr_index = None if names.pnr is None else ym.field_names.index(names.pnr)
    parts = Var("parts")
    pnr = names.pnr_value
    body: list[Stmt] = [
        Assign(Var(f"seen{i}"), Intrinsic("new_key_map", (Var("lines"),))) for i in range(len(file_uniques(ym)))
    ]
    body.append(Assign(Var("n"), Lit(0)))

    wrong_count: list[Stmt] = []
    if s01 is not None:
        who: ir.Expr = Lit(None)
        if pnr_index is not None:
            who = IfExp(
                Compare(">", Intrinsic("len", (parts,)), Lit(pnr_index)), Index(parts, Lit(pnr_index)), Lit(None)
            )
        wrong_count.append(append_finding(s01, TupleLit(()), who))
    wrong_count.append(Continue())
    loop: list[Stmt] = []
    # the checks of a line (all of them but the rules that read the personnummer, which follow for every line)
    full: list[Stmt] = [Assign(Var("mark"), Intrinsic("len", (Var("out"),)))] if memo else []
    slow: list[Stmt] = [
        Assign(
            TupleLit((Var("u"), Var("s02"), Var("s03"))),
            Call(Var("_forms"), (parts,)),
        )
    ]
    if s02 is not None:
        slow.append(If(Var("s02"), (append_finding(s02, Var("s02"), pnr),)))
    full.append(Comment("every value has its form (nearly every line), else the slow path finds which do not"))
    full.append(
        If(
            Test(_FAST, fast_forms(ym, names)),
            (Assign(Var("u"), Lit(0)), Assign(Var("s03"), TupleLit(()))),
            tuple(slow),
        )
    )
    required: list[Stmt] = [Assign(Var("c"), Lit(0)), Assign(Var("s04"), TupleLit(()))]
    required += conditional_checks(ym, names)
    if s03 is not None:
        ordered = Call(Runtime("layout_order"), (Var("s03"), Var("FIELDS")))
        required.append(If(Var("s03"), (append_finding(s03, ordered, pnr),)))
    if s04 is not None:
        required.append(If(Var("s04"), (append_finding(s04, Var("s04"), pnr),)))
    # a block of its own too: the values now known to be missing (``c``) come out of it
    full.append(Block("the values required or to be empty", tuple(required), gives="c", sets=("s03", "s04")))
    full.append(AugAssign(Var("u"), "|", Var("c")))
    rules = record_rules(ym, names)
    on_pnr = [rc for rc in rules if names.pnr is not None and names.pnr in rc.rule.reads]
    twice = [rc for rc in rules if rc not in on_pnr and rc.guard]
    once = [rc for rc in rules if rc not in on_pnr and not rc.guard]
    checks: list[Stmt] = []
    if twice:
        checks.append(Comment(_TWICE))
        checks.append(If(Var("u"), tuple(rule_stmts(twice, names)), tuple(rule_stmts(twice, names, guarded=False))))
    checks += rule_stmts(once, names)
    if checks:  # a block of its own: only findings come out of it
        full.append(Block("the record rules", tuple(checks)))
    if memo:
        full += national_bits(ym, names)
        clean = all_of(Not(Var("u")), Compare("==", Intrinsic("len", (Var("out"),)), Var("mark")))
        remember = all_of(
            Compare("is not", Var("key"), Lit(None)),
            clean,
            Compare("<", Intrinsic("len", (Var("memo"),)), Lit(65536)),
        )
        full.append(If(remember, (Assign(Index(Var("memo"), Var("key")), Var("bits") if nationals else TRUE),)))
        remembered: list[Stmt] = [Assign(Var("u"), Lit(0))]
        if nationals:
            remembered.append(Assign(Var("bits"), Var("known")))
        loop += memo_lookup(ym, names)
        loop.append(If(Compare("is", Var("known"), Lit(None)), tuple(full), tuple(remembered)))
    else:
        loop += full
    if names.pnr is not None:
        pnr_known = (names.pnr,)
        on_pnr_stmts = (*rule_stmts(on_pnr, names, known=pnr_known), *unique_in_file(ym, names, pnr_known))
        if on_pnr_stmts:
            loop.append(Comment("the rules that read the personnummer"))
            pnr_rules = If(names.known(pnr_known, names.pnr), on_pnr_stmts)
            loop.append(Block("the rules that read the personnummer", (pnr_rules,)))
    loop += unique_in_file(ym, names)
    collect = unique_national_collect(ym, names, flags_known=memo)
    if collect:  # the flags of the line (``bits``, read by nothing after) ORed into the file's tallies
        loop.append(Block("the national tallies of the line", tuple(collect), sets=("bits",)))
    fields = tuple(names.var(f.name) for f in ym.fields)
    read = ReadFields(Var("line"), Var("SEPARATOR"), parts, fields, tuple(wrong_count), tuple(loop))
    body.append(For("line", Var("lines"), (read,), index="n", start=1))
    for i, ar in enumerate(file_uniques(ym)):
        assert ar.unique is not None
        if names.pnr is not None and ar.unique.key == names.pnr:  # the key its findings carry (--explain reads it)
            keep = Call(Runtime("keep_first_lines"), (Var("out"), Lit(ar.id), Var("fi"), Var(f"seen{i}")))
            body.append(ExprStmt(keep))
    s05 = check_id(ym, "empty_file")
    if s05 is not None:
        body.append(If(Compare("==", Var("n"), Lit(0)), (append_finding(s05, TupleLit(()), Lit(None), Lit(None)),)))
    body.append(Return(Var("n")))
    kinds: dict[str, ir.LocalKind] = {"fi": "int", "lines": "value", "dead": "set", "out": "findings", "memo": "map"}
    kinds |= {f"here{i}": "tally" for i in range(len(nationals))}
    kinds |= {f"seen{i}": "key_map" for i in range(len(file_uniques(ym)))}
    kinds |= {"n": "int", "line": "str", "parts": "pieces", "u": "int", "c": "int", "mark": "int", "bits": "int"}
    kinds |= {"s02": "list", "s03": "list", "s04": "list", "key": "value", "known": "value", "at": "int"}
    kinds |= {names.local[f.name]: "field" for f in ym.fields}
    return function(
        "_check_file",
        tuple(params),
        tuple(body),
        "Check the lines of file number ``fi``; findings go to ``out``; the number of lines.",
        kinds,
    )


def function(
    name: str, params: Sequence[str | Param], body: tuple[Stmt, ...], doc: str, kinds: dict[str, ir.LocalKind]
) -> FunctionDef:
    """A function of the module with the kind of each of its names (``kinds``: a table that may name more)."""
    ps = tuple(Param(p) if isinstance(p, str) else p for p in params)
    names = sorted(ir.assigned(body) | {p.name for p in ps})
    missing = [x for x in names if x not in kinds]
    assert not missing, f"{name}: no kind for {missing}"
    return ir.declared(FunctionDef(name, ps, body, doc, tuple(ir.Local(x, kinds[x]) for x in names)))


def _used(stmts: Iterable[object]) -> set[str]:
    """The names of the Vars in statements."""
    return {node.name for node in ir.nodes(tuple(stmts)) if isinstance(node, Var)}


def national_function(ym: m.YearModel, names: Names) -> FunctionDef | None:
    """``_national``: one file read again, a finding on every line whose key has a flag set in another file too."""
    rules = national_rules(ym, names)
    if not rules:
        return None
    assert names.pnr is not None
    params = ["fi", "lines", "out"] + [f"shared{i}" for i in range(len(rules))]
    body: list[Stmt] = []
    for i, ar in enumerate(rules):
        assert ar.unique is not None
        bits = member_bits(ar, names)
        slots = tuple(TupleLit((Lit(n), Lit(bits.get(n, 0)))) for n in names.ordered((ar.unique.key, *bits)))
        body.append(Comment(f"{ar.id}: the fields of a finding, in layout order, with the bit of each flag"))
        body.append(Assign(Var(f"slots{i}"), TupleLit(slots)))
        body.append(Assign(Var(f"fields{i}"), DictLit(()), note="the shared bits of a line -> its finding's fields"))
    pnr = names.var(names.pnr)
    elsewhere = all_of(*(Compare("not in", pnr, Var(f"shared{i}")) for i in range(len(rules))))
    slow = Index(Call(Var("_forms"), (Var("parts"),)), Lit(0))
    # every form tested by _forms, no fast test first: only a line whose key is in another file's set comes here
    # (a few in a register), so a fast path would buy nothing, and its mutants would be tested by no vector
    rest: list[Stmt] = [Assign(Var("u"), slow, note=_UNKNOWN)]
    read = {r for ar in rules for r in ar.reads}
    required = [missing_required(f, names, ym) for f in ym.fields if f.required_when is not None and f.name in read]
    if required:
        rest += [Assign(Var("c"), Lit(0)), *required, AugAssign(Var("u"), "|", Var("c"))]
    for i, ar in enumerate(rules):
        fields = Var("fields")
        found = Call(Runtime("fields_with_bits"), (Var(f"slots{i}"), Var("bits")))
        finding = (
            Assign(fields, Intrinsic("get", (Var(f"fields{i}"), Var("bits"), Lit(None)))),
            If(
                Compare("is", fields, Lit(None)),
                (Assign(fields, found), Assign(Index(Var(f"fields{i}"), Var("bits")), fields)),
            ),
            ExprStmt(
                Intrinsic(
                    "append",
                    (
                        Var("out"),
                        TupleLit((Lit(ar.id), Var("fi"), Var("n"), fields, Intrinsic("intern", (pnr,)))),
                    ),
                ),
                note="one string a person",
            ),
        )
        shared = Intrinsic("get", (Var(f"shared{i}"), pnr, Lit(0)))
        rest.append(Comment(ar.id))
        rest.append(
            If(
                names.known(ar.reads, ar.id),
                (flags_expr(ar, names, ym), AugAssign(Var("bits"), "&", shared), If(Var("bits"), finding)),
            )
        )
    used = _used(rest) | {pnr.name}
    unpacked = tuple(names.var(f.name) if names.local[f.name] in used else Var("_") for f in ym.fields)
    # the personnummer first: most lines have none in another file and stop there
    reading = ReadFields(Var("line"), Var("SEPARATOR"), Var("parts"), unpacked, (Continue(),), tuple(rest), elsewhere)
    body.append(For("line", Var("lines"), (reading,), index="n", start=1))
    kinds: dict[str, ir.LocalKind] = {"fi": "int", "lines": "value", "out": "findings", "fields": "value"}
    kinds |= {f"shared{i}": "tally" for i in range(len(rules))}
    kinds |= {f"slots{i}": "list" for i in range(len(rules))}
    kinds |= {f"fields{i}": "map" for i in range(len(rules))}
    kinds |= {"line": "str", "n": "int", "parts": "pieces", "u": "int", "c": "int", "bits": "int"}
    kinds |= {names.local[f.name]: "field" for f in ym.fields}
    return function(
        "_national",
        tuple(params),
        tuple(body),
        "The national rules on the lines of file number ``fi``, given the flags ``shared`` by more than one file.",
        kinds,
    )


def validate_function(ym: m.YearModel, names: Names, memo: bool = True) -> FunctionDef:
    """``validate``: every file through ``_check_file``; then, if a key has a flag in two files, ``_national``."""
    rules = national_rules(ym, names)
    memo_arg = [Var("memo")] if memo and memo_possible(ym, names) else []
    here = [Var(f"here{i}") for i in range(len(rules))]
    shared = [Var(f"shared{i}") for i in range(len(rules))]
    fi, path, lines = Var("fi"), Var("path"), Var("lines")
    body: list[Stmt] = [
        Assign(Var("dead"), Lit(None)),
        If(
            Compare("is not", Var("deceased"), Lit(None)),
            (Assign(Var("dead"), Call(Runtime("dead_by"), (Var("deceased"), Var("REFERENCE_DATE")))),),
        ),
        Assign(Var("paths"), Intrinsic("list_of", (Var("paths"),))),
        Assign(Var("out"), Intrinsic("new_findings", ())),
        *(Assign(x, DictLit(())) for x in memo_arg),
        Assign(Var("records"), Intrinsic("new_list", ())),
    ]
    records = Var("records")
    if not rules:
        read = Call(Runtime("iter_lines"), (path, Var("out")))
        check = Call(Var("_check_file"), (fi, read, Var("dead"), Var("out"), *memo_arg))
        body += [
            For("path", Var("paths"), (ExprStmt(Intrinsic("append", (records, check))),), index="fi"),
            Return(TupleLit((records, Var("out")))),
        ]
    else:
        for i, ar in enumerate(rules):
            body.append(
                Assign(
                    Var(f"national{i}"),
                    Intrinsic("new_tally", (Var("paths"),)),
                    note=f"{ar.id}: personnummer -> its flags set so far (bits)",
                )
            )
            body.append(
                Assign(shared[i], Intrinsic("new_tally", ()), note="personnummer -> its flags set in two files or more")
            )
        states = Var("states")
        check = Call(Var("_check_file"), (fi, lines, Var("dead"), Var("out"), *here, *memo_arg))
        first: list[Stmt] = [
            ExprStmt(Intrinsic("append", (states, Call(Runtime("file_state"), (path,))))),
            Assign(lines, Call(Runtime("iter_lines"), (path, Var("out")))),
            *(Assign(x, Intrinsic("new_tally", (lines,))) for x in here),
            ExprStmt(Intrinsic("append", (records, check))),
            *(ExprStmt(Call(Runtime("tally"), (here[i], Var(f"national{i}"), shared[i]))) for i in range(len(rules))),
        ]
        again: list[Stmt] = [
            Assign(lines, Call(Runtime("read_again"), (path, Index(states, fi), Var("out")))),
            ExprStmt(Call(Var("_national"), (fi, lines, Var("out"), *shared))),
        ]
        body += [
            Assign(states, Intrinsic("new_list", ()), note="each file as it was read, to read it again unchanged"),
            For("path", Var("paths"), tuple(first), index="fi"),
            Comment("a personnummer with a flag set in two files: read the files again for the national rules"),
            If(any_of(*shared), (For("path", Var("paths"), tuple(again), index="fi"),)),
            Return(TupleLit((records, Var("out")))),
        ]
    kinds: dict[str, ir.LocalKind] = {"paths": "list", "deceased": "value", "dead": "set", "out": "findings"}
    kinds |= {"memo": "map", "records": "list", "states": "list", "path": "value", "fi": "int", "lines": "value"}
    kinds |= {f"{x}{i}": "tally" for x in ("national", "shared") for i in range(len(rules))}
    kinds |= {f"here{i}": "tally" for i in range(len(rules))}
    return function(
        "validate",
        (Param("paths"), Param("deceased", Lit(None))),
        tuple(body),
        "Check submission files together (one per municipality): (record counts, raw findings).\n\n"
        "``deceased`` maps personnummer to date of death (``read_deceased``); without it the\n"
        "external rules are not checked.  Findings are ``(rule, file index, line, fields, personnummer)``:\n"
        "the first ``LISTED`` of a rule in a file; the others are counted in ``not_listed`` of the list.",
        kinds,
    )


def entry_points() -> tuple[FunctionDef, FunctionDef]:
    report = function(
        "report",
        (
            Param("paths"),
            Param("deceased", Lit(None)),
            Param("show_personnummer", FALSE),
            Param("lazy", FALSE),
            Param("spec_path", Lit(None)),
            Param("lang", Lit("sv")),
        ),
        (
            Assign(Var("paths"), Intrinsic("list_of", (Var("paths"),))),
            Assign(TupleLit((Var("records"), Var("findings"))), Call(Var("validate"), (Var("paths"), Var("deceased")))),
            Assign(Var("not_checked"), IfExp(Compare("is", Var("deceased"), Lit(None)), Var("EXTERNAL"), TupleLit(()))),
            Assign(Var("english"), Compare("==", Var("lang"), Lit("en"))),
            Return(
                Call(
                    Runtime("build_report"),
                    (
                        *(Var(x) for x in ("YEAR", "paths", "records", "findings")),
                        IfExp(Var("english"), Var("RULES_EN"), Var("RULES")),
                        *(Var(x) for x in ("not_checked", "show_personnummer", "lazy")),
                        Call(Runtime("spec_object"), (Var("spec_path"), Var("SPEC_DIGEST"))),
                        Call(Runtime("hints_of"), (Var("paths"), Var("SEPARATOR"), Var("FIELDS"), Var("lang"))),
                        IfExp(Var("english"), Var("DETAILS_EN"), Var("DETAILS")),
                    ),
                )
            ),
        ),
        "The JSON report (a dict) for submission files; ``lazy``: its findings as ``Findings``.\n\n"
        "``spec_path``: the spec folder the module was made from, when not the installed one; "
        "``lang``: ``sv`` or ``en``.",
        {
            **{"paths": "list", "deceased": "value", "show_personnummer": "bool", "lazy": "bool"},
            **{"spec_path": "value", "lang": "str", "records": "list", "findings": "value"},
            **{"not_checked": "value", "english": "bool"},
        },
    )
    main = function(
        "main",
        (Param("argv", Lit(None)),),
        (
            Return(
                Call(
                    Runtime("run_main"),
                    (
                        *(Var(x) for x in ("argv", "YEAR", "PROG", "report", "TITLES", "NOTES")),
                        *(Var(x) for x in ("TITLES_EN", "NOTES_EN")),
                    ),
                )
            ),
        ),
        "Run as a script: the arguments of ``lss-rules validate``, the same report and exit code.",
        {"argv": "value"},
    )
    return report, main
