"""The division-code gazetteer: every county-and-above division 1981-2024 with its validity years.

A code can name different divisions over time (410703 was 新华区 until 2003, 卫滨区 after), so
every lookup that can be ambiguous takes a `year`. Years follow the source: `start` is the first
year a division is in force (inclusive), `end` the year it changed or was retired (exclusive).

The table ships as data/areacodes.tsv.gz (built by tools/build_gazetteer.py) and is loaded once,
lazily, by `get_gazetteer()`.
"""
from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("data") / "areacodes.tsv.gz"
MUNICIPALITIES = ("110000", "120000", "310000", "500000")     # 北京 天津 上海 重庆

# Longest first, so 自治县 is stripped before 县 and 新区 before 区.
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区",
            "省", "市", "区", "县", "旗", "盟")
# Ethnic names that precede 自治… in division names (广西壮族自治区, 孟连傣族拉祜族佤族自治县).
ETHNIC = ("蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
          "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇",
          "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
          "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙",
          "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各")
_ETHNIC_FORMS = sorted([e + "族" for e in ETHNIC] + ["维吾尔"], key=len, reverse=True)


def short_name(name: str) -> str:
    """The name without its administrative suffix: 鼓楼区 -> 鼓楼, 广西壮族自治区 -> 广西.

    Returns the name itself when stripping would leave fewer than two characters (沙县, 城区),
    because one-character stems are not used as names.
    """
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            if suffix.startswith("自治"):
                base = _strip_ethnic(base)
            return base if len(base) >= 2 else name
    return name


def _strip_ethnic(base: str) -> str:
    """广西壮族 -> 广西, 积石山保安族东乡族撒拉族 -> 积石山, 鄂温克族 -> 鄂温克 (nothing else left)."""
    while True:
        for form in _ETHNIC_FORMS:
            if base.endswith(form) and len(base) > len(form):
                base = base[: -len(form)]
                break
        else:
            return base[:-1] if base.endswith("族") and len(base) > 2 else base


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: str                      # province | city | county
    parent: str | None              # code of the prefecture or province
    start: int                      # first year in force (inclusive)
    end: int | None                 # year changed or retired (exclusive); None if in use
    successors: tuple[tuple[str, int | None], ...]   # (code, year of a partial transfer or None)
    short: str                      # name without suffix (鼓楼区 -> 鼓楼); the name itself if too short

    def valid(self, year: int | None) -> bool:
        return year is None or (self.start <= year and (self.end is None or year < self.end))

    def years(self) -> str:
        return f"{self.start}-{self.end - 1}" if self.end else f"{self.start}-"

    def at(self, year: int | None) -> int:
        """`year` if this division was in force then, otherwise the nearest year when it was."""
        last = self.end - 1 if self.end else 9999
        if year is None:
            return last
        return min(max(year, self.start), last)


class Gazetteer:
    def __init__(self, divisions: list[Division]):
        self.divisions = divisions
        self._by_code: dict[str, list[Division]] = {}
        self._by_name: dict[str, list[Division]] = {}
        self._by_short: dict[str, list[Division]] = {}
        self._children: dict[str, list[Division]] = {}
        for d in divisions:
            self._by_code.setdefault(d.code, []).append(d)
            self._by_name.setdefault(d.name, []).append(d)
            if d.short != d.name:
                self._by_short.setdefault(d.short, []).append(d)
            if d.parent:
                self._children.setdefault(d.parent, []).append(d)
        self.max_name_len = max(len(n) for n in self._by_name)

    @classmethod
    def load(cls, path: Path = DATA) -> "Gazetteer":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            lines = [ln for ln in f.read().split("\n") if ln and not ln.startswith("#")]
        return cls([_parse_row(ln) for ln in lines[1:]])        # lines[0] is the column header

    # -- by code ---------------------------------------------------------------------------------
    def get(self, code: str, year: int | None = None) -> Division | None:
        """The division with this code in force in `year`; without a year, the latest one."""
        rows = self._by_code.get(str(code), [])
        if year is None:
            return rows[-1] if rows else None
        return next((d for d in rows if d.valid(year)), None)

    def history(self, code: str) -> list[Division]:
        """Every division that has carried this code, oldest first."""
        return list(self._by_code.get(str(code), []))

    # -- by name ---------------------------------------------------------------------------------
    def by_name(self, name: str, year: int | None = None) -> list[Division]:
        """Divisions with exactly this name (鼓楼区), in force in `year` if given."""
        return [d for d in self._by_name.get(name, []) if d.valid(year)]

    def by_short(self, name: str, year: int | None = None) -> list[Division]:
        """Divisions whose short name matches: 鼓楼 or 鼓楼区 -> every 鼓楼区; 内蒙古 -> 内蒙古自治区."""
        key = short_name(name)
        found = self._by_short.get(key, []) + (self._by_name.get(key, []) if key != name else [])
        return [d for d in _unique(found) if d.valid(year)]

    def lookup(self, name: str, year: int | None = None) -> list[Division]:
        """Exact-name matches if there are any in force in `year`, else short-name matches."""
        return self.by_name(name, year) or self.by_short(name, year)

    def is_name(self, s: str) -> bool:
        """Is `s` a division name or a short name (used to split 太原市晋源区 into parts)?"""
        return s in self._by_name or s in self._by_short

    # -- hierarchy -------------------------------------------------------------------------------
    def parent(self, d: Division, year: int | None = None) -> Division | None:
        if not d.parent:
            return None
        at = d.at(year)
        rows = self._by_code.get(d.parent, [])
        exact = next((p for p in rows if p.valid(at)), None)
        if exact:
            return exact
        # the source sometimes starts a prefecture a year after its first county: take the nearest
        return min(rows, key=lambda p: abs(p.at(at) - at), default=None)

    def province(self, d: Division, year: int | None = None) -> Division | None:
        while d is not None and d.level != "province":
            d = self.parent(d, year)
        return d

    def prefecture(self, d: Division, year: int | None = None) -> Division | None:
        """The city-level division above a county; for 直辖 counties of 北京/上海/天津/重庆, the municipality."""
        if d.level != "county":
            return None
        p = self.parent(d, year)
        if p is None:
            return None
        if p.level == "city" or p.code in MUNICIPALITIES:
            return p
        return None                 # a county under a province directly (仙桃市, 济源市)

    def names(self, d: Division, year: int | None = None) -> dict[str, str | None]:
        """province / city / county names of a division, e.g. 110105 -> 北京市, 北京市, 朝阳区."""
        prov = self.province(d, year)
        pref = self.prefecture(d, year)
        return {"province": prov.name if prov else None,
                "city": d.name if d.level == "city" else (pref.name if pref else None),
                "county": d.name if d.level == "county" else None}

    def children(self, code: str, year: int | None = None) -> list[Division]:
        return [c for c in self._children.get(str(code), []) if c.valid(year)]

    def siblings(self, d: Division, year: int | None = None) -> list[Division]:
        """Other divisions under the same parent in force in `year` (or when `d` was)."""
        if not d.parent:
            return []
        at = d.at(year)
        return [s for s in self.children(d.parent, at) if s.code != d.code and s.level == d.level]

    # -- successors ------------------------------------------------------------------------------
    def successors(self, code: str, year: int | None = None) -> list[str]:
        """Today's code(s) for `code` (as it stood in `year`), following successor chains.

        A division still in use is its own successor. Partial transfers (a successor tagged with
        a year before the division ended) are not followed: the division went on after them.
        Returns [] when the source records no successor and none can be inferred.
        """
        d = self.get(code, year)
        if d is None:
            return []
        out: list[str] = []
        self._follow(d, out, set())
        return sorted(set(out))

    def _follow(self, d: Division, out: list[str], seen: set) -> None:
        if (d.code, d.start) in seen:
            return
        seen.add((d.code, d.start))
        if d.end is None:
            out.append(d.code)
            return
        for nxt in self._next(d):
            self._follow(nxt, out, seen)

    def _next(self, d: Division) -> list[Division]:
        """The divisions `d` became when it ended."""
        codes = [c for c, y in d.successors if y is None or y >= d.end]
        found = [n for n in (self.get(c, d.end) for c in codes) if n is not None]
        if found:
            return found
        # same code, next period (锦西市 -> 葫芦岛市 kept 211400)
        same = self.get(d.code, d.end)
        if same is not None and same is not d:
            return [same]
        # 地区 -> 市 with the same stem in the same province (忻州地区 -> 忻州市): the source lists none
        prov = d.code[:2]
        stem = [n for n in self.by_short(d.short, d.end)
                if n.level == d.level and n.code[:2] == prov and n is not d]
        return stem if len(stem) == 1 else []


def _parse_row(line: str) -> Division:
    code, name, level, parent, start, end, succ = line.split("\t")
    successors = []
    for s in filter(None, succ.split(";")):
        c, _, y = s.partition("[")
        successors.append((c, int(y[:4]) if y else None))
    return Division(code, name, level, parent or None, int(start), int(end) if end else None,
                    tuple(successors), short_name(name))


def _unique(rows: list[Division]) -> list[Division]:
    seen, out = set(), []
    for d in rows:
        if id(d) not in seen:
            seen.add(id(d))
            out.append(d)
    return out


_GAZETTEER: Gazetteer | None = None
_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The shared gazetteer, loaded on first use."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _LOCK:
            if _GAZETTEER is None:
                _GAZETTEER = Gazetteer.load()
    return _GAZETTEER


def successors(code: str, year: int | None = None) -> list[str]:
    """Today's code(s) following successor chains; see Gazetteer.successors."""
    return get_gazetteer().successors(code, year)
