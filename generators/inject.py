"""Lines with one finding each, placed among a register's valid lines (``build_register(error_rate=P)``).

Each target (a rule or check of the year) gets a line from :mod:`lss_rules.meaning.derive`'s violations, made
this person's (their municipality and personnummer, an unused test number where the rule needs another), kept
only when the reference evaluator finds exactly the intended finding on it; a rule over lines (``unique``) gets
a repeated line in the same file or the same person and insats in a second municipality's file.
"""

from __future__ import annotations

from lss_rules.generators.builder import Builder, Entry
from lss_rules.language import model as m
from lss_rules.meaning import derive
from lss_rules.runtime import python as runtime


def inject(ym: m.YearModel, b: Builder, files: dict[str, list[Entry]], codes: list[str], rate: float) -> None:
    rng = b.rng
    total = sum(len(v) for v in files.values())
    wanted = round(rate * total)
    targets = [t for t in derive.record_targets(ym) if _external(ym, t) is False]
    targets = [t for t in targets if t == _count_check(ym) or derive.violations(ym, t)]
    targets += [r.id for r in ym.rules if r.unique is not None and (r.unique.each_flag_in is None or len(codes) > 1)]
    if not targets:
        return
    free = [(c, e) for c in codes for e in files[c] if not e.locked]
    rng.shuffle(free)
    done = 0
    i = 0
    order = list(targets)
    rng.shuffle(order)
    misses = 0
    while done < wanted and free and misses < 10 * len(order):
        target = order[i % len(order)]
        i += 1
        code, entry = free.pop()
        placed = _place(ym, b, files, codes, code, entry, target)
        if placed:
            done += placed
            misses = 0
        else:
            misses += 1
            free.insert(0, (code, entry))


def _external(ym: m.YearModel, ident: str) -> bool:
    return any(r.id == ident and r.rule.scope == "external" for r in ym.rules)


def _count_check(ym: m.YearModel) -> str | None:
    return next((c.id for c in ym.checks if c.check.kind == "field_count"), None)


def _place(
    ym: m.YearModel,
    b: Builder,
    files: dict[str, list[Entry]],
    codes: list[str],
    code: str,
    entry: Entry,
    target: str,
) -> int:
    rng = b.rng
    lines = b.lines
    rule = next((r for r in ym.rules if r.id == target), None)
    if rule is not None and rule.unique is not None:
        key = rule.unique.key
        parts = entry.text.split(lines.sep)
        if rule.unique.each_flag_in is None:  # a repeat in the same file: the later line draws it
            # (a person with a line elsewhere too: that line has other insatser, so no LSS-R09)
            lst = files[code]
            at = lst.index(entry)
            dup = Entry(entry.text, entry.person, [(target, (key,))], locked=True)
            lst.insert(rng.randint(at + 1, len(lst)), dup)
            entry.locked = True
            return 1
        # the same person and insats from a second municipality: both lines draw it
        if entry.shared:  # the person is in another file already: a copy there would also repeat it
            return 0
        other = rng.choice([c for c in codes if c != code])
        values = dict(zip(lines.names, parts, strict=True))
        for f in ym.fields:
            if isinstance(f.type, m.MunicipalityType) and not f.optional:
                values[f.name] = other
            elif f.differs_from is not None and values[f.name] == values.get(f.differs_from):
                values[f.name] = ""
        members = rule.unique.each_flag_in.members
        flags = tuple(n for n in lines.names if n == key or (n in members and values[n] == "1"))
        entry.findings = [(target, flags)]
        entry.locked = True
        lst = files[other]
        lst.insert(rng.randint(0, len(lst)), Entry(lines.text(values), entry.person, [(target, flags)], locked=True))
        return 2
    if target == _count_check(ym):
        parts = entry.text.split(lines.sep)
        text = rng.choice([lines.sep.join(parts[:-1]), entry.text + lines.sep + "0", entry.text + lines.sep, ""])
        entry.text, entry.findings, entry.locked = text, [(target, ())], True
        return 1
    sols = list(derive.violations(ym, target))
    rng.shuffle(sols)
    own = dict(zip(lines.names, entry.text.split(lines.sep), strict=True))
    for sol in sols[:4]:
        values = sol.mapping
        base = derive.base_record(ym)
        for f in ym.fields:
            if isinstance(f.type, m.MunicipalityType) and not f.optional and f.name not in sol.changed:
                values[f.name] = own[f.name]
        for f in ym.fields:
            d = f.differs_from
            if d is not None and values[f.name] != "":
                if sol.mapping[f.name] == sol.mapping[d]:
                    values[f.name] = values[d]
                elif values[f.name] == values[d]:
                    values[f.name] = next(c for c in b.codes if c != values[d])
        p = lines.pnr
        sp = sol.mapping[p]
        choices: list[str] = []
        if p not in sol.changed and entry.shared:  # a new person, so the other line stays valid alone
            bucket = b.buckets.get(int(sp[:4]))
            choices = [bucket[-1]] if bucket else []
        elif p not in sol.changed:
            choices = [own[p]]
        elif sp == "":
            choices = [""]
        elif runtime.valid_personnummer(sp, ym.reference_date) if len(sp) == 12 and sp.isdigit() else False:
            bucket = b.buckets.get(int(sp[:4]))
            choices = [bucket[-1]] if bucket else []
        elif len(sp) == 12 and sp.isdigit():  # fails LSS-R01: an unused test number of the same kind
            kind = derive._invalid_kind(sp)
            choices = [x for x in b.invalid if derive._invalid_kind(x) == kind][:1]
        else:  # malformed (LSS-S02): the same malformation of this person's test number
            choices = [_reshape(own[p], sp, base[p])]
        for pnr in choices:
            values[p] = pnr
            found = lines.findings(values)
            if len(found) == 1 and found[0][0] == target:
                if pnr in b.invalid:
                    b.invalid.remove(pnr)
                y = int(pnr[:4]) if pnr[:4].isdigit() else None
                if y is not None and b.buckets.get(y) and b.buckets[y][-1] == pnr:
                    b.buckets[y].pop()
                entry.text, entry.findings, entry.locked = lines.text(values), list(found), True
                return 1
    return 0


def _reshape(own: str, bad: str, base: str) -> str:
    """Apply to ``own`` the malformation that turned ``base`` into ``bad`` (drop, add, insert a character)."""
    if bad == base[:11]:
        return own[:11]
    if bad.startswith(base):
        return own + bad[len(base) :]
    if bad.replace("-", "") == base:
        return own[:8] + "-" + own[8:]
    if bad[:11] == base[:11]:
        return own[:11] + bad[11:]
    return bad
