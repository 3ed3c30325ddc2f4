"""The profile of a register: generated against published, side by side (``lss-rules generate --profile``).

:func:`measure` reads the lines of a register (any register of the year's layout, not only a generated
one) and compares them with the published figures (:mod:`lss_rules.generators.population`): persons per
insats by sex, the share of men, age bands (both published band sets), personkrets, persons per 10,000
inhabitants, both daglig verksamhet and bostad för vuxna, persons older than 100, and persons per
municipality against population with Spearman's rank correlation.  Persons per 10,000 inhabitants of a
generated register are its shares scaled to the year's total persons.  For a year other than 2021 the
"published" column is the 2021 shape scaled to that year's total (the table says so).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lss_rules.generators import population as pop
from lss_rules.generators.persons import is_male
from lss_rules.language import model as m

SEX_SV = {"women": "kvinnor", "men": "män"}


@dataclass(frozen=True)
class Row:
    group: str
    label: str
    generated: float
    published: float
    unit: str = "%"

    @property
    def deviation(self) -> float | None:
        """Relative deviation of the generated figure from the published one (None when that is 0)."""
        return None if self.published == 0 else self.generated / self.published - 1


@dataclass(frozen=True)
class Profile:
    year: int
    persons: int
    lines: int
    basis: str  # where the published column comes from
    rows: tuple[Row, ...]
    spearman: float
    municipalities: tuple[tuple[str, str, int, int], ...]  # code, name, population, persons

    def group(self, name: str) -> list[Row]:
        return [r for r in self.rows if r.group == name]

    def row(self, group: str, label: str) -> Row:
        return next(r for r in self.rows if r.group == group and r.label == label)


INSATS = "Personer per insats (andel av alla personer)"
INSATS_SEX = "Personer per insats och kön (andel av personerna av det könet)"
SEX = "Kön"
AGE = "Åldersband (andel av personerna)"
KRETS = "Personkrets (andel av personerna)"
RATE = "Personer per 10 000 invånare"
OTHER = "Övrigt"


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation (average ranks for ties)."""

    def ranks(v: Sequence[float]) -> list[float]:
        order = sorted(range(len(v)), key=lambda i: v[i])
        out = [0.0] * len(v)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return out

    if len(xs) < 2:
        return float("nan")
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else float("nan")


def _names() -> dict[str, str]:
    from lss_rules.generators.bulk import municipality_names

    return municipality_names()


def measure(ym: m.YearModel, files: Mapping[str, Sequence[str]]) -> Profile:
    """The profile of a register (file name ``<kommunkod>.txt`` -> lines)."""
    names = ym.field_names
    sep = ym.layout.separator
    pnr_at = next(i for i, f in enumerate(ym.fields) if isinstance(f.type, m.PersonnummerType))
    krets_at = next((i for i, f in enumerate(ym.fields) if isinstance(f.type, m.EnumType)), None)
    flag_at = [(i, pop.category_of(f.name)) for i, f in enumerate(ym.fields) if isinstance(f.type, m.FlagType)]
    people: dict[str, tuple[int, str, str, set[str], set[str]]] = {}  # pnr -> age, sex, krets, categories, fields
    per_file: dict[str, set[str]] = {}
    lines = 0
    for name, file_lines in files.items():
        seen = per_file.setdefault(name.rsplit(".", 1)[0].rsplit("/", 1)[-1], set())
        for line in file_lines:
            lines += 1
            parts = line.split(sep)
            if len(parts) != len(names):
                continue
            pnr = parts[pnr_at]
            if len(pnr) != 12 or not pnr.isdigit():
                continue
            seen.add(pnr)
            got = people.get(pnr)
            if got is None:
                krets = parts[krets_at] if krets_at is not None else ""
                got = people[pnr] = (ym.year - int(pnr[:4]), "men" if is_male(pnr) else "women", krets, set(), set())
            for i, cat in flag_at:
                if parts[i] == "1":
                    got[4].add(names[i])
                    if cat is not None:
                        got[3].add(cat)
    n = len(people) or 1
    by_sex = {s: sum(1 for p in people.values() if p[1] == s) or 1 for s in pop.SEXES}
    total, how = pop.total_persons(ym.year)
    weights = pop.cell_weights(ym.year)
    wsum = sum(weights.values())
    shares = pop.insats_shares(ym.year)
    rows: list[Row] = []
    cats = {c for _, c in flag_at if c is not None}
    for c in pop.CATEGORIES:
        if c not in cats:
            continue
        gen = sum(1 for p in people.values() if c in p[3]) / n
        rows.append(Row(INSATS, pop.CATEGORY_LABELS[c], 100 * gen, 100 * sum(shares[c].values())))
    men_pub = pop.men_share()
    for c in pop.CATEGORIES:
        if c not in cats:
            continue
        for s in pop.SEXES:
            gen = sum(1 for p in people.values() if c in p[3] and p[1] == s) / by_sex[s]
            pub = shares[c][s] / (men_pub if s == "men" else 1 - men_pub)
            rows.append(Row(INSATS_SEX, f"{pop.CATEGORY_LABELS[c]}, {SEX_SV[s]}", 100 * gen, 100 * pub))
    rows.append(Row(SEX, "män", 100 * by_sex["men"] / n if people else 0.0, 100 * men_pub))
    for bands in pop.band_sets():
        for lo, hi in bands:
            label = f"{lo}–{hi}" if hi < pop.MAX_AGE else f"{lo}+"
            gen = sum(1 for p in people.values() if lo <= p[0] <= hi) / n
            pub = sum(w for (a, _, _), w in weights.items() if lo <= a <= hi) / wsum
            rows.append(Row(AGE, label, 100 * gen, 100 * pub))
    if krets_at is not None:
        for k in pop.KRETSAR:
            gen = sum(1 for p in people.values() if p[2] == str(k)) / n
            pub = sum(w for (_, _, kk), w in weights.items() if kk == k) / wsum
            rows.append(Row(KRETS, f"personkrets {k}", 100 * gen, 100 * pub))
    # persons per 10,000 inhabitants: the register's shares scaled to the year's total
    popu = pop.population_by_age(ym.year)
    for bands in pop.band_sets():
        for lo, hi in bands:
            for s in pop.SEXES:
                inhabitants = sum(v for (a, ss), v in popu.items() if ss == s and lo <= a <= hi) or 1
                gen = sum(1 for p in people.values() if lo <= p[0] <= hi and p[1] == s) / n * total
                if ym.year == pop.SOURCE_YEAR:  # the published rates themselves
                    rate = sum(pop.rates()[(lo, hi)][(s, k)] for k in pop.KRETSAR)
                else:
                    rate = 1e4 * sum(w for (a, ss, _), w in weights.items() if ss == s and lo <= a <= hi) / inhabitants
                label = f"{lo}–{hi}" if hi < pop.MAX_AGE else f"{lo}+"
                rows.append(Row(RATE, f"{label}, {SEX_SV[s]}", 1e4 * gen / inhabitants, rate, ""))
    adult = {"boende_vuxna", "bostad_vuxna", "annan_bostad"}
    both = sum(1 for p in people.values() if "daglig_verksamhet" in p[4] and p[4] & adult) / n
    rows.append(Row(OTHER, "både daglig verksamhet och bostad för vuxna", 100 * both, 100 * pop.JOINT_DV_BOENDE))
    old = sum(1 for p in people.values() if p[0] > 100) / n
    pub_old = sum(w for (a, _, _), w in weights.items() if a > 100) / wsum
    rows.append(Row(OTHER, "äldre än 100 år", 100 * old, 100 * pub_old))
    inhab = pop.municipality_population(sorted(per_file), _names(), ym.year)
    munis = tuple(
        sorted(((c, _names().get(c, c), inhab.get(c, 0), len(v)) for c, v in per_file.items()), key=lambda t: -t[2])
    )
    rho = spearman([float(t[2]) for t in munis], [float(t[3]) for t in munis])
    if ym.year == pop.SOURCE_YEAR:
        basis = f"publicerat för 1 oktober {ym.year} (SCB/Socialstyrelsen; åldersband: takt × folkmängd)"
    else:
        figure = f"{round(total):,}".replace(",", " ")
        basis = (
            f"2021 års form (insatser, ålder, kön, personkrets) överförd till {ym.year} och skalad till "
            f"{figure} personer ({how})"
        )
        own = [pop.CATEGORY_LABELS[c] for c in pop.own_figures(ym.year)]
        if own:
            basis += f"; personer per insats publicerade för {ym.year}: {', '.join(own)} (könsfördelning som 2021)"
    return Profile(ym.year, len(people), lines, basis, tuple(rows), rho, munis)


def _fmt(v: float, unit: str) -> str:
    return f"{v:.1f}{unit and ' ' + unit}"


def _dev(r: Row) -> str:
    d = r.deviation
    return "–" if d is None else f"{100 * d:+.0f} %"


def to_text(p: Profile) -> str:
    """The profile as a plain text table (for the terminal)."""
    out = [
        f"Profil för {p.year}: {p.persons} personer, {p.lines} poster, {len(p.municipalities)} kommuner",
        f"Jämförs med: {p.basis}",
    ]
    width = max(len(r.label) for r in p.rows) + 2
    group = None
    for r in p.rows:
        if r.group != group:
            group = r.group
            out += ["", f"{group}", f"  {'':<{width}}{'genererat':>12}{'publicerat':>12}{'avvikelse':>11}"]
        out.append(f"  {r.label:<{width}}{_fmt(r.generated, r.unit):>12}{_fmt(r.published, r.unit):>12}{_dev(r):>11}")
    out += ["", "Personer per kommun mot folkmängd", f"  Spearmans rangkorrelation: {p.spearman:.3f}"]
    shown = [*p.municipalities[:3], *p.municipalities[-3:]] if len(p.municipalities) > 6 else list(p.municipalities)
    for code, name, inhabitants, persons in shown:
        out.append(f"  {code} {name:<18}{inhabitants:>10} invånare{persons:>8} personer")
    return "\n".join(out) + "\n"


def to_markdown(p: Profile) -> str:
    """The profile as markdown tables (for the docs site)."""
    out: list[str] = []
    group = None
    for r in p.rows:
        if r.group != group:
            group = r.group
            # the first column's header names what it lists: a table header cell is never empty
            out += ["", f"### {group}", "", f"| {group} | genererat | publicerat | avvikelse |", "|---|---:|---:|---:|"]
        out.append(f"| {r.label} | {_fmt(r.generated, r.unit)} | {_fmt(r.published, r.unit)} | {_dev(r)} |")
    out += [
        "",
        "### Personer per kommun mot folkmängd",
        "",
        f"Spearmans rangkorrelation: **{p.spearman:.3f}** ({len(p.municipalities)} kommuner).",
        "",
        "| kommun | invånare | personer |",
        "|---|---:|---:|",
    ]
    shown = [*p.municipalities[:3], *p.municipalities[-3:]] if len(p.municipalities) > 6 else list(p.municipalities)
    for code, name, inhabitants, persons in shown:
        out.append(f"| {code} {name} | {inhabitants} | {persons} |")
    return "\n".join(out).lstrip("\n") + "\n"


def to_svg(p: Profile) -> str:
    """Generated against published, plain SVG (no script): bars for insatser and age bands, and persons
    per municipality against population (log–log)."""
    rows = [*p.group(INSATS), *p.group(AGE)]
    bar, gap, left, scale_w = 9, 8, 190, 420
    most = max([r.generated for r in rows] + [r.published for r in rows] + [1.0])
    parts: list[str] = []
    y = 40
    for k, r in enumerate(rows):
        if k == 0 or r.group != rows[k - 1].group:
            if k:
                y += 14
            parts.append(f'<text x="4" y="{y - 4}" font-weight="bold">{html.escape(r.group.split(" (")[0])}</text>')
        parts.append(f'<text x="{left - 6}" y="{y + bar + 3}" text-anchor="end">{html.escape(r.label)}</text>')
        for i, (v, colour) in enumerate(((r.generated, "#1f6f8b"), (r.published, "#d99a2b"))):
            w = scale_w * v / most
            yy = y + i * bar
            parts.append(f'<rect x="{left}" y="{yy}" width="{w:.1f}" height="{bar - 1}" fill="{colour}"/>')
            parts.append(f'<text x="{left + w + 4:.1f}" y="{yy + bar - 1}" font-size="10">{v:.1f} %</text>')
        y += 2 * bar + gap
    # persons per municipality against population, both on log scales
    y += 24
    parts.append(
        f'<text x="4" y="{y}" font-weight="bold">Personer per kommun mot folkmängd '
        f"(logaritmiska skalor; Spearman {p.spearman:.3f})</text>"
    )
    top, ph, pw = y + 16, 220, scale_w
    pts = [(inh, n) for _, _, inh, n in p.municipalities if inh > 0 and n > 0]
    if pts:
        lx = [math.log10(a) for a, _ in pts]
        ly = [math.log10(b) for _, b in pts]
        x0, x1 = min(lx), max(lx) if max(lx) > min(lx) else min(lx) + 1
        y0, y1 = min(ly), max(ly) if max(ly) > min(ly) else min(ly) + 1
        parts.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>')
        for a, b in zip(lx, ly, strict=True):
            cx = left + pw * (a - x0) / (x1 - x0)
            cy = top + ph - ph * (b - y0) / (y1 - y0)
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2" fill="#1f6f8b" fill-opacity="0.6"/>')
        low, high = min(pts), max(pts)
        parts += [
            f'<text x="{left}" y="{top + ph + 14}" font-size="10">{low[0]} invånare</text>',
            f'<text x="{left + pw}" y="{top + ph + 14}" font-size="10" text-anchor="end">{high[0]} invånare</text>',
            f'<text x="{left - 6}" y="{top + ph}" font-size="10" text-anchor="end">{10**y0:.0f} personer</text>',
            f'<text x="{left - 6}" y="{top + 10}" font-size="10" text-anchor="end">{10**y1:.0f} personer</text>',
        ]
    height = top + ph + 30
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + scale_w + 80}" height="{height}" '
        f'role="img" aria-labelledby="t" font-family="sans-serif" font-size="12">',
        f'<title id="t">Genererat mot publicerat {p.year}: andel personer per insats och åldersband, '
        "personer per kommun mot folkmängd</title>",
        '<rect x="190" y="8" width="12" height="10" fill="#1f6f8b"/><text x="206" y="17">genererat</text>',
        '<rect x="290" y="8" width="12" height="10" fill="#d99a2b"/><text x="306" y="17">publicerat</text>',
    ]
    return "\n".join([*head, *parts, "</svg>"]) + "\n"


def worst(p: Profile, group: str) -> Row | None:
    """The row of a group that deviates most (relative) from the published figure."""
    rows = [r for r in p.group(group) if r.deviation is not None]
    return max(rows, key=lambda r: abs(r.deviation or 0.0), default=None)


def bend(p: Profile) -> str:
    """How far the register's shape is from the published one, in one line (Swedish)."""
    parts = []
    for group, what in ((AGE, "åldersband"), (INSATS, "insats"), (SEX, "andel män"), (KRETS, "personkrets")):
        r = worst(p, group)
        if r is not None:
            label = what if group == SEX else f"{what} {r.label}"
            parts.append(f"{label}: {r.generated:.1f} % mot {r.published:.1f} % ({_dev(r)})")
    old = p.row(OTHER, "äldre än 100 år")
    parts.append(f"äldre än 100 år: {old.generated:.1f} %")
    parts.append(f"Spearman kommuner {p.spearman:.3f}")
    return "formen jämfört med den publicerade, största avvikelser: " + "; ".join(parts)


# ----------------------------------------------------------------- the docs site

PAGE = "generator/profil.md"
CHART = "generator/profil.svg"


def _cache_key(spec: m.Spec, year: int) -> str:
    import hashlib
    from importlib import resources

    from lss_rules import __version__

    digest = hashlib.sha256(f"lss-rules {__version__}\0{spec.digest}\0{year}\0".encode())
    pkg = resources.files("lss_rules.generators")
    for name in ("bulk.py", "persons.py", "population.py", "profile.py"):
        digest.update((pkg / name).read_bytes())
    digest.update((resources.files("lss_rules.meaning") / "derive.py").read_bytes())
    for item in sorted((pkg / "data").iterdir(), key=lambda t: t.name):
        if item.is_file() and item.name.endswith((".csv", ".json")):
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()[:24]


def default_profile(spec: m.Spec, year: int) -> Profile:
    """The profile of the default register of a year (seed 1), cached on disk with the validators."""
    import json
    from dataclasses import asdict

    from lss_rules.backends.python.cache import cache_dir
    from lss_rules.backends.python.cachedir import CacheDir
    from lss_rules.generators.bulk import build_register

    directory = cache_dir()  # None: no usable cache folder (e.g. HOME empty), computed every time
    name = f"profile-{year}-{_cache_key(spec, year)}.json"
    folder = CacheDir.open(directory) if directory is not None else None  # checked as the validators' folder
    try:
        cached = _cached_profile(folder.read(name, 1 << 20)) if folder is not None else None
        if cached is not None:
            return cached
        ym = spec.for_year(year)
        p = measure(ym, build_register(ym, seed=1).files)
        if folder is not None:
            folder.write(name, json.dumps(asdict(p), ensure_ascii=False).encode("utf-8"))
        return p
    finally:
        if folder is not None:
            folder.close()


def _cached_profile(data: bytes | None) -> Profile | None:
    import json

    if data is None:
        return None
    try:
        d = json.loads(data.decode("utf-8"))
        return Profile(
            d["year"],
            d["persons"],
            d["lines"],
            d["basis"],
            tuple(Row(**r) for r in d["rows"]),
            d["spearman"],
            tuple(tuple(t) for t in d["municipalities"]),
        )
    except (ValueError, KeyError, TypeError, RecursionError):
        return None


def site_pages(spec: m.Spec, year: int) -> dict[str, str]:
    """The docs page (and its SVG chart) of the default register of ``year``."""
    from lss_rules.generators.bulk import capacity

    p = default_profile(spec, year)
    ym = spec.for_year(year)
    text = "\n".join(
        [
            f"# Syntetiska register: profil {year}",
            "",
            f"`lss-rules generate --year {year} --seed 1 -o DIR --profile` ger ett register med {p.persons} "
            f"personer ({p.lines} poster) i {len(p.municipalities)} kommuner — det största som Skatteverkets "
            f"testpersonnummer räcker till med verklig ålders- och könsfördelning för {year} "
            f"(`capacity`: {capacity(ym)}). Större register kräver `--allow-distortion`, och då säger "
            "utskriften hur långt formen böjts.",
            "",
            f"Jämförs med: {p.basis}.",
            "",
            "![Genererat mot publicerat: andel personer per insats och åldersband](profil.svg)",
            "",
            "## Genererat mot publicerat",  # the tables' ### headings follow a ##: no level skipped
            "",
            to_markdown(p),
        ]
    )
    return {PAGE: text, CHART: to_svg(p)}
