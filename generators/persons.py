"""The persons of a synthetic register: ages, sexes, personkrets and insatser with Sweden's shape.

:class:`Shape` holds, for one year model, how many test numbers there are by age and sex, the
published shape (:mod:`lss_rules.generators.population`) and which insatser the year's rules allow
at which age and personkrets (found by running the rules, never written down per rule).  It knows
the largest register it can draw with the real shape (:attr:`Shape.capacity`) and draws persons:

1. persons by age band (the cuts of both published band sets) and sex in proportion to the expected
   persons; inside a band by single year of age in proportion to the population, as far as
   Skatteverket's test numbers of that age and sex go (the rest goes to the other ages of the band
   that are at least a tenth as common; never to the few very old ages);
2. personkrets by age and sex from the rates;
3. insatser by quota: for every insats and sex, the published share of persons is dealt out among the
   persons whose age the insats fits (weighted by :data:`AGE_PROFILE`, our assumption) and whose
   other insatser the rules allow together with it; daglig verksamhet goes first to persons with a
   bostad för vuxna until one person in four has both; a person left without an insats takes one
   from a person of the same sex with two or more.  So the shares per insats and sex are met exactly
   but for rounding.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from lss_rules.errors import UsageError
from lss_rules.generators import population as pop
from lss_rules.generators.builder import blank_record
from lss_rules.language import model as m
from lss_rules.meaning import derive

#: How common an insats is by age among the persons of that age (relative weight; 0 = never).  Not
#: published: our assumption.  The year's rules narrow it further (korttidstillsyn 12–23, daglig
#: verksamhet 16–70, boende för barn up to 25, bostad för vuxna from 17: read from the rules).
AGE_PROFILE: dict[str, tuple[tuple[int, int, float], ...]] = {
    "personlig_assistans": ((0, 64, 1.0), (65, 131, 0.3)),
    "ledsagarservice": ((3, 79, 1.0), (80, 131, 0.5)),
    "kontaktperson": ((5, 79, 1.0), (80, 131, 0.5)),
    "avlosarservice": ((0, 17, 1.0), (18, 25, 0.3)),
    "korttidsvistelse": ((0, 17, 1.0), (18, 25, 0.5), (26, 64, 0.05)),
    "korttidstillsyn": ((0, 131, 1.0),),
    "familjehem": ((0, 21, 1.0),),
    "bostad_barn": ((0, 21, 1.0),),
    "boende_vuxna": ((0, 19, 0.2), (20, 131, 1.0)),
    "bostad_vuxna": ((0, 19, 0.2), (20, 131, 1.0)),
    "annan_bostad": ((0, 19, 0.2), (20, 131, 1.0)),
    "daglig_verksamhet": ((0, 19, 0.2), (20, 131, 1.0)),
}
ADULT_HOUSING = ("boende_vuxna", "bostad_vuxna", "annan_bostad")
#: Dealing order: housing for adults first (daglig verksamhet is paired with it), then the rest.
DEAL_ORDER = (
    *ADULT_HOUSING,
    "daglig_verksamhet",
    "korttidstillsyn",
    "familjehem",
    "bostad_barn",
    "avlosarservice",
    "korttidsvistelse",
    "personlig_assistans",
    "ledsagarservice",
    "kontaktperson",
)
#: Overflow inside an age band goes only to ages at least this common (relative to the band's most common age).
OVERFLOW_MIN = 0.1


def _weights_by_age(flag: str) -> tuple[float, ...]:
    segments = AGE_PROFILE.get(flag, ((0, 131, 1.0),))
    return tuple(next((w for lo, hi, w in segments if lo <= a <= hi), 0.0) for a in range(133))


_BY_AGE = {f: _weights_by_age(f) for f in AGE_PROFILE}
_FLAT = _weights_by_age("")


def age_weight(flag: str, age: int) -> float:
    return _BY_AGE.get(flag, _FLAT)[min(max(age, 0), 132)]


def is_male(pnr: str) -> bool:
    return int(pnr[10]) % 2 == 1


@dataclass(frozen=True, slots=True)
class Person:
    pnr: str
    age: int
    sex: str
    krets: int
    flags: tuple[str, ...]


def _apportion(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """Largest-remainder apportionment of ``total`` by ``weights``, each at most its cap (water-filling)."""
    n = len(weights)
    out = [0] * n
    if total <= 0 or n == 0:
        return out
    caps = list(caps) if caps is not None else [total] * n
    open_ = [i for i in range(n) if weights[i] > 0 and caps[i] > 0]
    left = float(total)
    quota = [0.0] * n
    while open_ and left > 1e-9:
        wsum = sum(weights[i] for i in open_)
        capped = [i for i in open_ if quota[i] + left * weights[i] / wsum >= caps[i]]
        if not capped:
            for i in open_:
                quota[i] += left * weights[i] / wsum
            left = 0.0
            break
        for i in capped:
            left -= caps[i] - quota[i]
            quota[i] = caps[i]
        open_ = [i for i in open_ if i not in capped]
    out = [min(math.floor(q + 1e-9), caps[i]) for i, q in enumerate(quota)]
    short = min(total, sum(caps)) - sum(out)
    order = sorted(range(n), key=lambda i: (-(quota[i] - out[i]), i))
    for i in itertools.cycle(order) if short > 0 else ():
        if short <= 0:
            break
        if out[i] < caps[i] and quota[i] > 0:
            out[i] += 1
            short -= 1
        elif all(out[j] >= caps[j] or quota[j] <= 0 for j in order):
            break
    return out


class Shape:
    """The published shape of one year and the test numbers to draw it with."""

    def __init__(self, ym: m.YearModel) -> None:
        self.ym = ym
        self.lines = derive.Lines(ym)
        self.flags = [f.name for f in ym.fields if derive.is_flag(f)]
        self.bit = {f: 1 << i for i, f in enumerate(self.flags)}
        self.enum = next((f for f in ym.fields if isinstance(f.type, m.EnumType)), None)
        self.targets = pop.field_targets(self.flags, ym.year)
        self.weights = pop.cell_weights(ym.year)
        self.bands = pop.fine_bands()
        self.numbers: dict[tuple[int, str], list[str]] = {}
        for y, nums in self.lines.pool.by_birth_year.items():
            for n in nums:
                self.numbers.setdefault((ym.year - y, "men" if is_male(n) else "women"), []).append(n)
        self.ws: dict[tuple[int, str], float] = {}
        for (a, s, _), w in self.weights.items():
            self.ws[(a, s)] = self.ws.get((a, s), 0.0) + w
        self.total = sum(self.ws.values())
        self.pool_size = sum(len(v) for v in self.numbers.values())
        self._template = blank_record(ym)
        cuts = {0}
        for c in derive._all_ages(ym):
            cuts.update((c, c + 1))
        self._cuts = sorted(cuts)
        self._allowed: dict[tuple[int, int], frozenset[int]] = {}
        self.capacity = self._capacity()

    # ----------------------------------------------------------- the rules
    def allowed_ages(self, mask: int, krets: int) -> frozenset[int]:
        """Ages at which the year's rules accept this set of insatser (cached), by running them.

        For one insats the rules are run at every age where some rule switches; for several, the ages
        are those every one of them allows, if the rules accept the combination at one such age (the
        rules that combine insatser, LSS-R05 and LSS-R06, do not depend on age; a test checks that).
        """
        key = (mask, krets)
        got = self._allowed.get(key)
        if got is None and mask & (mask - 1):
            common = frozenset(range(pop.MAX_AGE + 1))
            for b in self.bit.values():
                if mask & b:
                    common &= self.allowed_ages(b, krets)
            rep = next((n for a in sorted(common) for s in pop.SEXES for n in self.numbers.get((a, s), ())[:1]), None)
            if rep is not None and self._findings(mask, krets, rep):
                common = frozenset()
            got = self._allowed[key] = common
        if got is None:
            got = self._allowed[key] = self.exact_allowed_ages(mask, krets)
        return got

    def _findings(self, mask: int, krets: int, pnr: str) -> bool:
        values = dict(self._template)
        for f, b in self.bit.items():
            if mask & b:
                values[f] = "1"
        if self.enum is not None:
            values[self.enum.name] = str(krets)
        self.lines.fix_up(values)
        values[self.lines.pnr] = pnr
        return bool(self.lines.findings(values))

    def exact_allowed_ages(self, mask: int, krets: int) -> frozenset[int]:
        """Like :meth:`allowed_ages`, but running the rules at every cut age (for tests)."""
        ages: set[int] = set()
        for lo, hi in itertools.pairwise([*self._cuts, pop.MAX_AGE + 1]):
            rep = next((n for a in range(lo, hi) for s in pop.SEXES for n in self.numbers.get((a, s), ())[:1]), None)
            if rep is not None and not self._findings(mask, krets, rep):
                ages.update(range(lo, hi))
        return frozenset(ages)

    def valid(self, mask: int, krets: int, age: int) -> bool:
        return age in self.allowed_ages(mask, krets)

    # ----------------------------------------------------------- ages and sexes
    def allocate(self, n: int, distort: bool = False) -> dict[tuple[int, str], int] | None:
        """Persons by (age, sex) for a register of ``n``; None when the real shape does not fit
        (or, with ``distort``, the rest put where test numbers are left)."""
        cells = [(b, s) for b in self.bands for s in pop.SEXES]
        cw = [sum(self.ws.get((a, s), 0.0) for a in range(b[0], b[1] + 1)) for b, s in cells]
        quotas = _apportion(n, cw)
        out: dict[tuple[int, str], int] = {}
        fits = True
        for (band, s), q in zip(cells, quotas, strict=True):
            ages = list(range(band[0], band[1] + 1))
            w = [self.ws.get((a, s), 0.0) for a in ages]
            top = max(w, default=0.0)
            avail = [len(self.numbers.get((a, s), ())) for a in ages]
            # first the proportional share everywhere, then overflow only to common ages
            base = _apportion(q, w, None)
            caps = [avail[i] if w[i] >= OVERFLOW_MIN * top else min(avail[i], base[i]) for i in range(len(ages))]
            got = _apportion(q, w, caps)
            if sum(got) < q:
                fits = False
            for a, c in zip(ages, got, strict=True):
                if c:
                    out[(a, s)] = c
        if fits:
            return out
        if not distort:
            return None
        left = n - sum(out.values())
        rest = sorted(
            ((a, s) for (a, s), nums in self.numbers.items() if len(nums) > out.get((a, s), 0)),
            key=lambda k: (-self.ws.get(k, 0.0), k[0], k[1]),
        )
        for key in rest:
            if left <= 0:
                break
            take = min(left, len(self.numbers[key]) - out.get(key, 0))
            out[key] = out.get(key, 0) + take
            left -= take
        return out

    def _capacity(self) -> int:
        lo, hi = 0, self.pool_size
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.allocate(mid) is not None:
                lo = mid
            else:
                hi = mid - 1
        return lo

    # ----------------------------------------------------------- drawing
    def draw(self, n: int, rng: random.Random, distort: bool = False) -> tuple[list[Person], list[str]]:
        """``n`` persons with the year's shape, and notes on what could not be met."""
        if n > self.pool_size:
            raise UsageError(
                f"{n} personer begärda men Skatteverkets testlistor har bara {self.pool_size} giltiga "
                f"personnummer för {self.ym.year}; personnummer hittas aldrig på"
            )
        alloc = self.allocate(n, distort=distort)
        if alloc is None:
            raise UsageError(
                f"{n} personer begärda men {self.capacity} är det största register för {self.ym.year} som "
                "Skatteverkets testpersonnummer räcker till med verklig ålders- och könsfördelning; "
                "ange högst --persons "
                f"{self.capacity}, eller --allow-distortion för att låta fördelningen böja sig"
            )
        notes: list[str] = []
        ages: list[int] = []
        sexes: list[str] = []
        krets: list[int] = []
        pnrs: list[str] = []
        for (a, s), c in sorted(alloc.items()):
            nums = self.numbers[(a, s)]
            pnrs += rng.sample(nums, c)
            kw = [self.weights.get((a, s, k), 0.0) for k in pop.KRETSAR]
            if sum(kw) <= 0:
                kw = [self.weights.get((min(a, 110), s, k), 0.0) + 1e-9 for k in pop.KRETSAR]
            ks = [k for k, c2 in zip(pop.KRETSAR, _apportion(c, kw), strict=True) for _ in range(c2)]
            rng.shuffle(ks)
            ages += [a] * c
            sexes += [s] * c
            krets += ks
        masks = self._deal(ages, sexes, krets, rng, notes)
        named: dict[int, tuple[str, ...]] = {}
        for mask in set(masks):
            named[mask] = tuple(f for f in self.flags if mask & self.bit[f])
        people = [Person(pnrs[i], ages[i], sexes[i], krets[i], named[masks[i]]) for i in range(len(pnrs))]
        rng.shuffle(people)
        return people, notes

    def _deal(
        self, ages: list[int], sexes: list[str], krets: list[int], rng: random.Random, notes: list[str]
    ) -> list[int]:
        n = len(ages)
        masks = [0] * n
        adult = 0
        for f in ADULT_HOUSING:
            adult |= self.bit.get(f, 0)
        dv = self.bit.get("daglig_verksamhet", 0)
        dv_total = sum(self.targets.get("daglig_verksamhet", {}).values())
        of_sex = {s: [i for i in range(n) if sexes[i] == s] for s in pop.SEXES}
        log, rand = math.log, rng.random
        for f in DEAL_ORDER:
            if f not in self.bit:
                continue
            b = self.bit[f]
            table = _BY_AGE.get(f, _FLAT)
            for s in pop.SEXES:
                want = round(self.targets[f][s] * n)
                keyed: list[tuple[float, int]] = []
                allowed: dict[tuple[int, int], frozenset[int]] = {}
                for i in of_sex[s]:
                    mi = masks[i]
                    if mi & b:
                        continue
                    a = ages[i]
                    w = table[a]
                    if w <= 0:
                        continue
                    key = (mi | b, krets[i])
                    ok = allowed.get(key)
                    if ok is None:
                        ok = allowed[key] = self.allowed_ages(*key)
                    if a in ok:
                        keyed.append((-log(1.0 - rand()) / w, i))
                keyed.sort()
                chosen: list[int] = []
                if b == dv and adult and dv_total > 0:
                    joint = round(pop.JOINT_DV_BOENDE * n * self.targets[f][s] / dv_total)
                    paired = [i for _, i in keyed if masks[i] & adult][:joint]
                    taken = set(paired)
                    chosen = paired + [i for _, i in keyed if i not in taken and not masks[i] & adult]
                    chosen += [i for _, i in keyed if i not in taken and masks[i] & adult]
                else:
                    chosen = [i for _, i in keyed]
                for i in chosen[:want]:
                    masks[i] |= b
        # persons without an insats take one from a person of the same sex who has two or more
        holders: dict[tuple[str, str], list[int]] = {}
        for i in range(n):
            if masks[i] & (masks[i] - 1):
                for f, b in self.bit.items():
                    if masks[i] & b:
                        holders.setdefault((f, sexes[i]), []).append(i)
        for lst in holders.values():  # donors keeping the pair daglig verksamhet + bostad för vuxna come last
            rng.shuffle(lst)
            lst.sort(key=lambda d: bool(masks[d] & dv and masks[d] & adult), reverse=True)
        extra = 0
        fitting: dict[tuple[int, int], list[tuple[float, str]]] = {}
        for i in range(n):
            if masks[i]:
                continue
            fits = fitting.get((ages[i], krets[i]))
            if fits is None:
                fits = fitting[(ages[i], krets[i])] = [
                    (age_weight(f, ages[i]), f)
                    for f in self.flags
                    if age_weight(f, ages[i]) > 0 and self.valid(self.bit[f], krets[i], ages[i])
                ]
            options = sorted((-log(1.0 - rand()) / w, f) for w, f in fits)
            given = False
            for _, f in options:
                b = self.bit[f]
                lst = holders.get((f, sexes[i]), [])
                while lst:
                    d = lst.pop()
                    rest = masks[d] & ~b
                    if masks[d] & b and rest and self.valid(rest, krets[d], ages[d]):
                        masks[d] = rest
                        masks[i] = b
                        given = True
                        break
                if given:
                    break
            if not given and options:
                masks[i] = self.bit[options[0][1]]
                extra += 1
            elif not given:  # no insats fits this age at all (should not happen): the quietest one
                masks[i] = self.bit[derive._quiet_flag(self.ym)]
                extra += 1
        if extra:
            notes.append(f"{extra} personer fick en insats utöver de publicerade andelarna (ingen att ta över)")
        return masks

    def add_insats(self, p: Person, rng: random.Random) -> Person | None:
        """The person with one more insats the rules allow (for a second municipality), or None."""
        mask = sum(self.bit[f] for f in p.flags)
        options = [
            (-math.log(1.0 - rng.random()) / age_weight(f, p.age), f)
            for f in self.flags
            if f not in p.flags and age_weight(f, p.age) > 0 and self.valid(mask | self.bit[f], p.krets, p.age)
        ]
        if not options:
            return None
        f = min(options)[1]
        return Person(p.pnr, p.age, p.sex, p.krets, tuple(x for x in self.flags if x in p.flags or x == f))


def pick(cum: Sequence[float], rng: random.Random) -> int:
    return bisect.bisect_right(cum, rng.random() * cum[-1])
