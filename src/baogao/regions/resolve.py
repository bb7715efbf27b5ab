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
    query = re.sub(r"\s+", "", name or "")
    target, qualifiers = split_names(g, query)
    # the qualifiers (太原市 in 太原市晋源区) are context, and the query itself shows adjacency
    ctx = "\n".join([query, context or ""])
    divs, note = _candidates(g, target, year, _levels(level))
    res = Resolution(query=query, year=year)
    if not divs:
        levels = _levels(level)
        res.reason = f"no division named {target}" + (f" at level {'/'.join(sorted(levels))}" if levels else "")
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
        seen = f" (context: {top['why']})" if top["score"] > 0 else ""
        return top, f"the only {target}{when}: {top['code']} {_place(top)}{seen}"
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


# -- locate: the delivering government of a whole report -----------------------------------------
HEAD_LIMIT = 3000           # the header zone ends at 各位代表, which comes within this many chars
AFTER_GREETING = 150        # ...plus the opening sentence (我代表千山区人民政府向大会报告工作)
WINDOW = 24                 # how far before an anchor a government's name can start

# Places where a report names the government that delivers it. A name is read backwards from
# the anchor: 太原市晋源区|人民政府, 在上海市|第十六届人民代表大会, 上海市|市长, 2026年北京市|政府工作报告.
ANCHORS = (
    ("title", 1, re.compile(r"(?:人民)?政府工作报告")),
    ("congress", 2, re.compile(r"(?:第[〇零一二三四五六七八九十百\d]+届)?人民代表大会|[〇零一二三四五六七八九十百\d]+届人大")),
    ("government", 2, re.compile(r"人民政府")),
    ("speaker", 2, re.compile(r"(?:代理|代)?(?:常务)?(总理|省长|市长|区长|县长|旗长|州长|盟长|主席|专员)")),
)
# What the speaker's office says about the level of the government.
OFFICE_LEVELS = {"总理": {"national"}, "省长": {"province"}, "主席": {"province"},
                 "市长": {"city", "county", "municipality"}, "区长": {"county"}, "县长": {"county"},
                 "旗长": {"county"}, "州长": {"city"}, "盟长": {"city"}, "专员": {"city"}}
# A bare level word before an anchor (在区十五届人大, 自治区人民政府主席, 我代表县人民政府).
LEVEL_WORDS = (("自治区", {"province"}), ("省", {"province"}), ("区", {"county"}), ("县", {"county"}),
               ("旗", {"county"}), ("州", {"city"}), ("盟", {"city"}))
NATIONAL_HEAD = re.compile(r"国务院总理|代表国务院|代表中央人民政府|届全国人民代表大会|全國人民代表大會|国务院政府工作报告")
NATIONAL_WORDS = re.compile(r"我国|全国|我國|全國")
LOCAL_WORDS = re.compile(r"全省|全市|全区|全县|全州|全盟|全旗|我省|我市|我区|我县|我州|我旗")
_DEBRIS = re.compile(r"<U\+[0-9A-Fa-f]{4}>|&nbsp;|[\s\u3000\xa0]+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")


@dataclass
class _Mention:
    kind: str
    weight: int
    chain: list[str]                 # 太原市, 晋源区
    levels: set[str] | None          # what the anchor says about the level
    where: str                       # the text it was read from, for the evidence


def locate(text: str, year: int | None = None, hints: dict | None = None) -> dict:
    """The region of a whole report, as the dict for `meta.region`.

    Reads the delivering government from the report's own header (title, dateline, speaker) and
    resolves it against the gazetteer, using the body as context. `hints` (the header parser's
    province/city/county/level) are used when present, as extra context or when the report
    itself names nothing. Returns code None with candidates when the evidence does not settle it.
    """
    g = get_gazetteer()
    hints = {k: v for k, v in (hints or {}).items() if v}
    head = _compact(_head(text))
    evidence: list[str] = []
    if year is None:
        year, said = _year(head)
        if year is not None:
            evidence.append(said)
    mentions = _mentions(g, head)
    named = [m for m in mentions if m.chain]
    levels = _office_levels(mentions)
    if not named and _is_national(head, text, levels, hints):
        return _national(evidence + _national_evidence(head, levels, hints))
    if not named and hints:
        named = _hint_mentions(hints)
    if not named:
        return _unresolved(evidence + ["the header names no government"], levels)
    chain, said = _choose_chain(named)
    evidence += said
    if levels is None and hints.get("level") in ("province", "city", "county"):
        levels = {hints["level"]} | ({"municipality"} if hints["level"] == "province" else set())
    context = _hint_text(hints) + "\n" + text
    res = resolve("".join(chain), year, context, level=levels)
    if not res.candidates and levels:
        # the office and the name disagree (区长 of a 市?): show what the name means, choose nothing
        res = resolve("".join(chain), year, context)
        if res.code:
            evidence.append(f"{res.reason}; but the header implies level {'/'.join(sorted(levels))}, "
                            f"so no code is chosen")
            return {"code": None, "province": None, "city": None, "county": None, "level": None,
                    "name": None, "candidates": res.candidates, "evidence": evidence}
    evidence.append(res.reason)
    return {"code": res.code, "province": res.province, "city": res.city, "county": res.county,
            "level": res.level, "name": res.name, "candidates": res.candidates, "evidence": evidence}


def _head(text: str) -> str:
    m = re.search(r"各\s*位\s*代\s*表", text[:HEAD_LIMIT])
    end = m.end() + AFTER_GREETING if m else 800
    return text[:max(end, 600)]


def _compact(s: str) -> str:
    """Drop white space and escaped-space debris so 政 府 工 作 报 告 and wrapped lines match."""
    return _DEBRIS.sub("", s).translate(_FULLWIDTH)


def _year(head: str) -> tuple[int | None, str]:
    """The year of delivery: from the dateline, else a full date, else a year in the title."""
    cn = "[〇零○一二三四五六七八九]"
    for pattern, said in ((r"(\d{4})年\d{1,2}月\d{1,2}日(?:至\d{1,2}日)?在", "the dateline"),
                          (rf"({cn}{{4}})年[一二三四五六七八九十]{{1,3}}月[一二三四五六七八九十]{{1,3}}日", "the dateline"),
                          (r"(\d{4})年\d{1,2}月\d{1,2}日", "a date in the header"),
                          (r"((?:19|20)\d{2})年[^，。；]{0,20}?政府工作报告", "the title")):
        m = re.search(pattern, head)
        if m:
            y = int(m.group(1).translate(_CN_DIGITS))
            if 1949 <= y <= 2100:
                return y, f"year {y} from {said}"
    return None, ""


def _mentions(g: Gazetteer, head: str) -> list[_Mention]:
    out = []
    for kind, weight, pattern in ANCHORS:
        for m in pattern.finditer(head):
            start = max(0, m.start() - WINDOW)
            window = head[start:m.start()]
            office = m.group(1) if kind == "speaker" else None
            if office == "总理":
                # 总理 heads the State Council only; a name before it is a person's (赵紫阳总理)
                out.append(_Mention(kind, weight, [], OFFICE_LEVELS[office], head[max(0, m.start() - 8):m.end()]))
                continue
            if office:
                window = re.sub(r"(?:人民)?政府$", "", window)
            window = re.sub(r"(?:19|20)\d{2}年度?$", "", window)     # 陕西省2026年政府工作报告
            chain, begin = _chain_before(g, window)
            if office and chain and not g.by_name(chain[-1]):
                chain = []          # 王正谱省长: before an office only a full name (上海市市长) counts
            levels = OFFICE_LEVELS.get(office)
            if office == "主席" and not (chain or window.endswith(("自治区", "人民政府"))):
                continue            # 主席 of something else (政协主席) says nothing about the government
            if not chain and levels is None:
                levels = next((lv for w, lv in LEVEL_WORDS if window.endswith(w)), None)
            where = head[start + begin:m.end()] if chain else head[max(0, m.start() - 8):m.end()]
            out.append(_Mention(kind, weight, chain, levels, where))
    return out


def _chain_before(g: Gazetteer, window: str) -> tuple[list[str], int]:
    """The division names that end the window, longest match first: …在太原市晋源区 -> [太原市, 晋源区],
    with the index in the window where the first name starts."""
    names, i = [], len(window)
    while i > 0:
        if window[i - 1] in "()（）【】[]〔〕·•、":       # (辽宁省)鞍山市千山区
            i -= 1
            continue
        for n in range(min(i, g.max_name_len), 1, -1):
            if g.is_name(window[i - n:i]):
                names.insert(0, window[i - n:i])
                i -= n
                break
        else:
            break
    while i < len(window) and names and not window[i:].startswith(names[0]):
        i += 1                      # skip the bracket before the first name
    if len(names) == 1 and len(names[0]) == 2 and i > 0 and _is_cjk(window[i - 1]) and window[i - 1] not in "在于年日":
        # a lone two-character name (新区, 城区, 鼓楼) glued to other characters is more likely the
        # tail of a name the gazetteer does not know (钱塘新区) than the name itself
        return [], len(window)
    return names, i


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _office_levels(mentions: list[_Mention]) -> set[str] | None:
    """The level the speaker's office implies; else what bare level words say, if they agree."""
    for m in mentions:
        if m.kind == "speaker" and m.levels:
            return set(m.levels)
    said = [frozenset(m.levels) for m in mentions if m.levels]
    return set(said[0]) if said and len(set(said)) == 1 else None


def _choose_chain(named: list[_Mention]) -> tuple[list[str], list[str]]:
    """The government named most often (weighted by where), with its longest written form."""
    votes: dict[str, int] = {}
    best: dict[str, list[str]] = {}
    seen = set()
    for m in named:
        target = m.chain[-1]
        if (m.kind, target) not in seen:       # one vote per kind of place
            seen.add((m.kind, target))
            votes[target] = votes.get(target, 0) + m.weight
        if len(m.chain) > len(best.get(target, [])):
            best[target] = m.chain
    order = {m.chain[-1]: i for i, m in reversed(list(enumerate(named)))}
    target = max(votes, key=lambda t: (votes[t], len(best[t]), -order[t]))
    said = [f"{m.kind}: {m.where}" for m in named if m.chain[-1] == target][:3]
    others = [t for t in votes if t != target]
    if others:
        said.append("also named: " + "、".join(others))
    return best[target], said


def _hint_mentions(hints: dict) -> list[_Mention]:
    chain = [hints[k] for k in ("province", "city", "county") if hints.get(k)]
    return [_Mention("hints", 1, chain, None, "header parser: " + "".join(chain))] if chain else []


def _hint_text(hints: dict) -> str:
    return "".join(hints.get(k) or "" for k in ("province", "city", "county"))


def _is_national(head: str, text: str, levels: set[str] | None, hints: dict) -> bool:
    """A State Council report: 国务院总理 / 全国人民代表大会 in the header, or a body that speaks
    of 全国/我国 and hardly ever of 全省/全市/全区 (old reports print no header at all)."""
    national = len(NATIONAL_WORDS.findall(text))
    local = len(LOCAL_WORDS.findall(text))
    if levels == {"national"} or hints.get("level") == "national" or NATIONAL_HEAD.search(head):
        return local <= national
    return national >= 5 and local * 5 < national


def _national_evidence(head: str, levels: set[str] | None, hints: dict) -> list[str]:
    m = NATIONAL_HEAD.search(head)
    if m:
        return [f"the header says {m.group(0)}"]
    if levels == {"national"}:
        return ["the speaker is 总理"]
    if hints.get("level") == "national":
        return ["the header parser read a national report"]
    return ["no government named in the header; the body speaks of 全国/我国, not of a province or city"]


def _national(evidence: list[str]) -> dict:
    return {"code": None, "province": None, "city": None, "county": None, "level": "national",
            "name": "中华人民共和国", "candidates": [], "evidence": evidence}


def _unresolved(evidence: list[str], levels: set[str] | None) -> dict:
    level = next(iter(levels)) if levels and len(levels) == 1 else None
    return {"code": None, "province": None, "city": None, "county": None, "level": level,
            "name": None, "candidates": [], "evidence": evidence}
