"""From a name (鼓楼区) or a whole report to a division code, with the evidence that decided it.

Many names are shared (鼓楼区 is in 南京, 徐州, 福州 and 开封), so a name alone rarely settles a
code. Each candidate is scored by what the context says about it: the names of its prefecture
and province, the same name written together with its parent (南京市鼓楼区), and the names of
its neighbours (the other districts of its prefecture, the districts of a city). A code is
chosen only when one candidate has clearly more evidence than the rest, or is the only one;
otherwise `code` is None and the candidates carry their scores. Never a silent guess.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Iterable

from .gazetteer import MUNICIPALITIES, Division, Gazetteer, get_gazetteer, short_name

# Evidence weights. A prefecture named in the context is stronger than a province (a province
# holds many same-named districts); a parent written right before the name (南京市鼓楼区) is the
# strongest sign; each neighbour name is weak alone, so their sum is capped.
W_PREFECTURE, W_PREFECTURE_SHORT = 3.0, 2.5
W_PROVINCE, W_PROVINCE_SHORT = 2.0, 1.5
W_ADJACENT = 4.0
W_NEIGHBOUR, NEIGHBOUR_CAP = 1.0, 4.0
# A pick needs a lead of MARGIN points and RATIO times the runner-up's score.
MARGIN, RATIO = 1.5, 1.5


@dataclass
class Resolution:
    query: str
    year: int | None
    code: str | None = None
    name: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    level: str | None = None                 # province | city | county
    candidates: list[dict] = field(default_factory=list)
    reason: str = ""

    @property
    def resolved(self) -> bool:
        return self.code is not None

    def to_dict(self) -> dict:
        return asdict(self)


# -- resolve ------------------------------------------------------------------------------------
def resolve(name: str, year: int | None = None, context: str | None = None, *,
            level: str | Iterable[str] | None = None) -> Resolution:
    """Resolve a division name, optionally qualified (太原市晋源区), as it stood in `year`.

    `context` is any text about the place (a report body, a header line); `level` restricts the
    candidates ("county", {"city", "county"}, or "municipality" for 北京/上海/天津/重庆).
    """
    g = get_gazetteer()
    query = (name or "").strip()
    target, qualifiers = split_names(g, query)
    # the qualifiers (太原市 in 太原市晋源区) are context, and the query itself shows adjacency
    ctx = "\n".join([query, context or ""])
    divs, note = _candidates(g, target, year, _levels(level))
    res = Resolution(query=query, year=year)
    if not divs:
        res.reason = f"no division named {target}" + (f" at level {level}" if level else "")
        return res
    scored = sorted((_score(g, d, year, target, ctx) for d in divs),
                    key=lambda c: (-c["score"], c["code"], c["start"]))
    res.candidates = [_public(c) for c in scored]
    in_force = year is not None and all(c["_div"].valid(year) for c in scored)
    pick, why = _decide(scored, target, year if in_force else None, bool(context) or bool(qualifiers))
    res.reason = f"{note}; {why}" if note else why
    if pick is None:
        _shared_facts(g, res, [c["_div"] for c in scored], year)
        return res
    d = pick["_div"]
    res.code, res.name, res.level = d.code, d.name, d.level
    res.province, res.city, res.county = _names(g, d, year)
    if year is not None and not d.valid(year):
        after = g.successors(d.code, d.start)
        res.reason += f"; {d.code} was in force {d.years()}" + (f", succeeded by {', '.join(after)}" if after else "")
    return res


def split_names(g: Gazetteer, s: str) -> tuple[str, list[str]]:
    """太原市晋源区 -> ("晋源区", ["太原市"]); a plain or unknown name -> (name, [])."""
    if not s or g.is_name(s):
        return s, []
    parts, i = [], 0
    while i < len(s):
        for n in range(min(len(s) - i, g.max_name_len), 1, -1):
            if g.is_name(s[i:i + n]):
                parts.append(s[i:i + n])
                i += n
                break
        else:
            return s, []
    return parts[-1], parts[:-1]


def _levels(level) -> set[str] | None:
    if not level:
        return None
    return {level} if isinstance(level, str) else set(level)


def _level_ok(d: Division, levels: set[str] | None) -> bool:
    if levels is None:
        return True
    return d.level in levels or ("municipality" in levels and d.code in MUNICIPALITIES)


def _candidates(g: Gazetteer, name: str, year: int | None,
                levels: set[str] | None) -> tuple[list[Division], str]:
    """Divisions the name may mean, in force in `year`, widening step by step when none is."""
    def ok(ds):
        return [d for d in ds if _level_ok(d, levels)]

    if year is None:
        return ok(g.by_name(name)) or ok(g.by_short(name)), ""
    short = short_name(name)
    by_short = f"matched {name} as a short name" if short == name else \
        f"no {name} in force in {year}; matched the short name {short}"
    tiers = [
        (g.by_name(name, year), ""),
        # reports come early in the year: a division renamed during `year` still spoke then
        (g.by_name(name, year - 1), f"no {name} in force in {year}; took the one in force in {year - 1}"),
        (g.by_short(name, year), by_short),
        (g.by_name(name) + g.by_short(name), f"nothing named {name} was in force in {year}; candidates from all years"),
    ]
    for ds, note in tiers:
        ds = _dedupe(ok(ds))
        if ds:
            return ds, note
    return [], ""


def _dedupe(ds: list[Division]) -> list[Division]:
    seen, out = set(), []
    for d in ds:
        if (d.code, d.start) not in seen:
            seen.add((d.code, d.start))
            out.append(d)
    return out


# -- scoring ------------------------------------------------------------------------------------
def _score(g: Gazetteer, d: Division, year: int | None, query: str, ctx: str) -> dict:
    at = d.at(year)
    score, why = 0.0, []
    own = {d.name, d.short, query, short_name(query)}
    parents = []
    pref = g.prefecture(d, at)
    prov = g.province(d, at)
    if pref is not None and pref is not d:
        parents.append((pref, "prefecture", W_PREFECTURE, W_PREFECTURE_SHORT))
    if prov is not None and prov is not d and prov is not pref:
        parents.append((prov, "province", W_PROVINCE, W_PROVINCE_SHORT))
    for p, label, w_full, w_short in parents:
        s, w = _parent_evidence(p, w_full, w_short, ctx, own)
        if s:
            score += s
            why.append(f"{label} {w}")
        adj = _adjacent(p, d, ctx)
        if adj:
            score += W_ADJACENT
            why.append(f"written {adj}")
    found = _neighbours_found(g, d, at, ctx, own)
    if found:
        score += min(W_NEIGHBOUR * len(found), NEIGHBOUR_CAP)
        why.append("neighbours " + "、".join(found[:5]) + ("…" if len(found) > 5 else ""))
    names = _names(g, d, year)
    return {"code": d.code, "name": d.name, "level": d.level, "province": names[0], "city": names[1],
            "start": d.start, "end": d.end, "score": round(score, 2),
            "why": "; ".join(why) or "nothing in the context points here", "_div": d}


def _parent_evidence(p: Division, w_full: float, w_short: float, ctx: str, own: set) -> tuple[float, str]:
    """Score for a parent named in the context, more for repeated mentions (up to double)."""
    short = p.short if len(p.short) >= 2 and p.short not in own else None
    if p.name in own:
        return 0.0, ""
    n_full = ctx.count(p.name)
    n_short = ctx.count(short) if short else 0
    if n_full:
        w, label = w_full, p.name
    elif n_short:
        w, label = w_short, short
    else:
        return 0.0, ""
    n = max(n_full, n_short)
    return w * min(1 + 0.25 * (n - 1), 2.0), f"{label} ×{n}"


def _adjacent(p: Division, d: Division, ctx: str) -> str | None:
    """The parent written right before the name: 南京市鼓楼区, 南京鼓楼."""
    for pn in (p.name, p.short):
        for dn in (d.name, d.short):
            if len(dn) >= 2 and pn + dn in ctx:
                return pn + dn
    return None


def _neighbours_found(g: Gazetteer, d: Division, at: int, ctx: str, own: set) -> list[str]:
    """Names of nearby divisions that appear in the context: siblings under the same parent and,
    for a city or province, its own divisions. Only names of three or more characters count:
    two-character names (东区, 代县) hide inside ordinary words."""
    near = g.siblings(d, at) + g.children(d.code, at)
    found = []
    for n in near:
        for name in (n.name, n.short):
            if len(name) >= 3 and name not in own and not any(name in o or o in name for o in own if o) \
                    and name in ctx and name not in found:
                found.append(name)
                break
    return found


# -- deciding -----------------------------------------------------------------------------------
def _decide(scored: list[dict], target: str, year: int | None, has_context: bool) -> tuple[dict | None, str]:
    when = f" in force in {year}" if year is not None else ""
    top = scored[0]
    if len(scored) == 1:
        return top, f"the only {target}{when}: {top['code']} {_place(top)}"
    second = scored[1]
    a, b = top["score"], second["score"]
    if a >= MARGIN and a - b >= MARGIN and a >= RATIO * b:
        return top, (f"{top['code']} {_place(top)} of {len(scored)} named {target}{when}: {top['why']}; "
                     f"next best {second['code']} {_place(second)} scored {b:g}")
    if not has_context:
        return None, f"{len(scored)} divisions named {target}{when} and no context to choose between them"
    if a == 0:
        return None, f"{len(scored)} divisions named {target}{when}; the context names none of their parents or neighbours"
    return None, (f"{len(scored)} divisions named {target}{when}; the context does not single one out "
                  f"({top['code']} {_place(top)} {a:g} vs {second['code']} {_place(second)} {b:g})")


def _place(c: dict) -> str:
    """南京市鼓楼区 for a county, 江苏省南京市 for a city: the name with its parent."""
    if c["level"] == "county":
        return (c["city"] or c["province"] or "") + c["name"]
    if c["level"] == "city":
        return (c["province"] or "") + c["name"]
    return c["name"]


def _names(g: Gazetteer, d: Division, year: int | None) -> tuple[str | None, str | None, str | None]:
    n = g.names(d, d.at(year))
    return n["province"], n["city"], n["county"]


def _shared_facts(g: Gazetteer, res: Resolution, divs: list[Division], year: int | None) -> None:
    """When no code is chosen, still report what all candidates agree on (level, province)."""
    levels = {d.level for d in divs}
    if len(levels) == 1:
        res.level = levels.pop()
    provs = {_names(g, d, year)[0] for d in divs}
    if len(provs) == 1:
        res.province = provs.pop()
    cities = {_names(g, d, year)[1] for d in divs}
    if len(cities) == 1:
        res.city = cities.pop()


def _public(c: dict) -> dict:
    return {k: v for k, v in c.items() if not k.startswith("_")}
