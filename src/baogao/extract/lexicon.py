"""The indicator lexicon: canonical ids, their aliases, and phrases that are not them.

Data, not code: data/indicators.tsv (the ids of ../shared/spec/indicators.tsv with aliases
seen in real reports) and data/rules.toml (sub-indicators to block, compound subjects).
Users add indicators in a TOML file of their own without touching code:

    [[indicator]]
    id = "grain_output"
    name = "粮食产量"
    aliases = ["粮食产量", "粮食总产量"]
    units = ["万吨", "吨", "%"]
    kind = "amount"          # or "rate" (a level in %), "days"

Matching uses pyahocorasick (one pass over the text for all aliases); overlapping hits are
resolved leftmost-longest, so 城镇居民人均可支配收入 wins over 居民人均可支配收入 inside it.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import ahocorasick

from ..clean.normalize import normalized


LIST_SEPARATORS = "、和与及"


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    aliases: tuple[str, ...]
    units: tuple[str, ...]
    kind: str = "amount"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    alias: str
    ids: tuple[str, ...]          # one id, several for a compound subject, none for a blocker

    @property
    def blocked(self) -> bool:
        return not self.ids


@dataclass
class Lexicon:
    indicators: dict[str, Indicator]
    not_indicator: tuple[str, ...]
    compound: dict[str, tuple[str, ...]]
    siblings: dict[str, dict[str, str]] = field(default_factory=dict)
    basis: dict[str, dict[str, str]] = field(default_factory=dict)     # indicator -> alias word -> basis
    _automaton: object = field(default=None, repr=False)
    _ids_of: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        auto = ahocorasick.Automaton()
        entries: dict[str, tuple[str, ...]] = {}
        for ind in self.indicators.values():
            for alias in ind.aliases:
                entries.setdefault(normalized(alias), (ind.id,))
        for phrase, ids in self.compound.items():
            entries[normalized(phrase)] = ids
        for phrase in self.not_indicator:
            entries[normalized(phrase)] = ()
        for key, ids in entries.items():
            auto.add_word(key, (key, ids))
        auto.make_automaton()
        self._automaton = auto
        self._ids_of = entries

    def mentions(self, norm: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Indicator mentions in norm[start:end], leftmost-longest, blockers included."""
        end = len(norm) if end is None else end
        hits = []
        # iter() over a slice: pyahocorasick converts the whole string it is given on every call,
        # whatever start/end say, which made a long document quadratic (bench: PERFORMANCE.md)
        for last, (key, ids) in self._automaton.iter(norm[start:end]):
            first = start + last - len(key) + 1
            hits.append(Mention(first, start + last + 1, key, ids))
        hits.sort(key=lambda m: (m.start, -(m.end - m.start)))
        out: list[Mention] = []
        for h in hits:
            if out and h.start < out[-1].end:
                continue
            if len(h.ids) == 1 and h.start > start and norm[h.start - 1] in LIST_SEPARATORS:
                h = self._shared_head(norm, start, h, out)
            out.append(h)
        return out

    def _shared_head(self, norm: str, start: int, m: Mention, before: list[Mention]) -> Mention:
        """一产、二产、三产增加值 / 城镇、农村居民收入: items listed before an alias that become
        aliases themselves with the alias's head (一产 + 增加值) are one compound subject, their
        ids in order; anything else (two whole aliases: 游客人次、旅游花费) leaves the mention as it is."""
        ids, first, pos = list(m.ids), m.start, m.start
        while pos - 1 > start and norm[pos - 1] in LIST_SEPARATORS:
            sep = pos - 1
            if before and before[-1].end == sep:
                break                           # a whole alias stands before: a list of aliases
            k = sep
            while k > start and sep - k < 6 and "\u4e00" <= norm[k - 1] <= "\u9fff" and norm[k - 1] not in LIST_SEPARATORS:
                k -= 1
            item = self._item_with_head(norm[k:sep], m.alias)
            if item is None:
                break
            ids.insert(0, item[1])
            first = pos = sep - len(item[0])
        if first == m.start or len(set(ids)) < len(ids):
            return m
        while before and before[-1].end > first:
            before.pop()
        return Mention(first, m.end, norm[first:m.end], tuple(ids))

    def with_head(self, words: str, head: str) -> Mention | None:
        """The alias made of the longest tail of `words` and `head` (规模以上工业 + 增加值), as a
        mention of no place of its own, or None."""
        for j in range(len(words)):
            ids = self._ids_of.get(words[j:] + head)
            if ids and len(ids) == 1:
                return Mention(0, 0, words[j:] + head, ids)
        return None

    def _item_with_head(self, words: str, alias: str) -> tuple[str, str] | None:
        """(the item, its id): the longest tail of `words` that, given a tail of `alias` of at
        least two characters (the head), makes a known alias of one indicator."""
        for j in range(len(words)):
            item = words[j:]
            for cut in range(1, len(alias) - 1):
                ids = self._ids_of.get(item + alias[cut:])
                if ids and len(ids) == 1:
                    return item, ids[0]
        return None

    def kind(self, indicator_id: str) -> str:
        ind = self.indicators.get(indicator_id)
        return ind.kind if ind else "amount"


def _read_tsv(text: str) -> dict[str, Indicator]:
    out = {}
    for row in text.splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        cols = row.split("\t")
        id_, name, aliases, units = cols[:4]
        kind = cols[4] if len(cols) > 4 and cols[4] else "amount"
        out[id_] = Indicator(id_, name, tuple(a for a in aliases.split(";") if a),
                             tuple(u for u in units.split(";") if u), kind)
    return out


KINDS = ("amount", "rate", "days")
USER_KEYS = {"id", "name", "aliases", "units", "kind"}


class LexiconError(ValueError):
    """A user's indicator file ($BAOGAO_INDICATORS) that cannot be used; str() names the file and
    the reason in one line."""


def _user_indicators(path: Path) -> dict[str, Indicator]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(f"{path}: no such file (named by BAOGAO_INDICATORS)") from None
    except (OSError, UnicodeDecodeError) as e:
        raise LexiconError(f"{path}: cannot read it: {getattr(e, 'strerror', None) or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise LexiconError(f"{path}: not valid TOML: {e}") from None
    items = data.get("indicator", [])
    if not isinstance(items, list) or not items:
        raise LexiconError(f"{path}: no [[indicator]] tables (see `baogao parse --help` and docs/RECORD.md)")
    out = {}
    for k, item in enumerate(items, 1):
        out.update([_user_indicator(path, k, item)])
    return out


def _user_indicator(path: Path, k: int, item: dict) -> tuple[str, Indicator]:
    where = f"{path}: indicator {k}"
    unknown = sorted(set(item) - USER_KEYS)
    if unknown:
        raise LexiconError(f"{where}: unknown key {unknown[0]!r} (keys: {', '.join(sorted(USER_KEYS))})")
    id_ = item.get("id")
    if not isinstance(id_, str) or not id_.strip():
        raise LexiconError(f"{where}: needs an id (a string such as \"grain_output\")")
    aliases = item.get("aliases") or ([item["name"]] if item.get("name") else [])
    if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise LexiconError(f"{where} ({id_}): aliases must be a list of non-empty strings (or give a name)")
    units = item.get("units", [])
    if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
        raise LexiconError(f"{where} ({id_}): units must be a list of strings")
    kind = item.get("kind", "amount")
    if kind not in KINDS:
        raise LexiconError(f"{where} ({id_}): kind {kind!r} is not one of {', '.join(KINDS)}")
    name = item.get("name", aliases[0])
    if not isinstance(name, str):
        raise LexiconError(f"{where} ({id_}): name must be a string")
    return id_, Indicator(id_, name, tuple(aliases), tuple(units), kind)


@lru_cache(maxsize=8)
def load_lexicon(user_file: str | None = None) -> Lexicon:
    """The shipped lexicon, plus a user's TOML file (argument or $BAOGAO_INDICATORS)."""
    pkg = resources.files(__package__).joinpath("data")
    indicators = _read_tsv(pkg.joinpath("indicators.tsv").read_text("utf-8"))
    rules = tomllib.loads(pkg.joinpath("rules.toml").read_text("utf-8"))
    user_file = user_file or os.environ.get("BAOGAO_INDICATORS")
    if user_file:
        indicators.update(_user_indicators(Path(user_file)))
    compound = {k: tuple(v) for k, v in rules.get("compound", {}).items()}
    siblings = {k: dict(v) for k, v in rules.get("siblings", {}).items()}
    basis = {k: dict(v) for k, v in rules.get("basis", {}).items()}
    return Lexicon(indicators, tuple(rules.get("not_indicator", [])), compound, siblings, basis)
