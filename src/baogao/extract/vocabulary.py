"""The names a user may ask for: indicator ids (or their Chinese names and aliases), measures,
statuses. An unknown name is an error that lists the closest valid ones, so `--indicator GDP`
or `--measure growth` says what was meant instead of returning nothing."""
from __future__ import annotations

import difflib

from .lexicon import load_lexicon

MEASURES = {
    "level": "the value itself (亿元, 万人, a rate in %)",
    "growth_pct": "growth on the year before, in % (增长8%)",
    "avg_growth_pct": "average growth a year over a span, in % (年均增长6%)",
    "share_pct": "a share of a whole, in % (占比, 比重)",
    "pp_change": "a change in percentage points (提高2个百分点)",
    "change": "an absolute change (增加/新增 N)",
    "rank": "a rank among regions (居全省第3位): value, scope and of (level or growth)",
}
STATUSES = ("actual", "target")


class UnknownName(ValueError):
    """An indicator, measure or status that does not exist; str() names the closest valid ones."""


def indicator_id(name: str | None) -> str | None:
    """The indicator id for an id, a Chinese name or an alias (地区生产总值 -> gdp), or None
    for None. Raises UnknownName."""
    if name is None or not str(name).strip():
        return None
    name = str(name).strip()
    indicators = load_lexicon().indicators
    if name in indicators:
        return name
    lowered = name.lower()
    for ind in indicators.values():
        if lowered == ind.id.lower() or name == ind.name or name in ind.aliases:
            return ind.id
    names = {ind.id: ind.id for ind in indicators.values()}
    names.update({ind.name: ind.id for ind in indicators.values()})
    close = difflib.get_close_matches(lowered, list(names), n=5, cutoff=0.6) + \
        [i for i in indicators if lowered in i or i in lowered]
    suggestions = list(dict.fromkeys(names[c] for c in close))[:5]
    hint = ", ".join(f"{i} ({indicators[i].name})" for i in suggestions) if suggestions else \
        "see `baogao indicators`"
    raise UnknownName(f"no indicator {name!r}: did you mean {hint}?" if suggestions
                      else f"no indicator {name!r}: {hint}")


def measure_name(name: str | None) -> str | None:
    return _one_of("measure", name, list(MEASURES))


def status_name(name: str | None) -> str | None:
    return _one_of("status", name, list(STATUSES))


def _one_of(kind: str, name: str | None, valid: list[str]) -> str | None:
    if name is None or not str(name).strip():
        return None
    name = str(name).strip()
    if name in valid:
        return name
    close = difflib.get_close_matches(name.lower(), valid, n=3, cutoff=0.3) + [v for v in valid if name.lower() in v]
    close = list(dict.fromkeys(close))[:3]
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UnknownName(f"no {kind} {name!r}: {hint}(one of {', '.join(valid)})")


# -- `baogao indicators` -----------------------------------------------------------------------
def add_parser(sub) -> None:
    p = sub.add_parser("indicators", help="list the indicators, their names, aliases and units, and the measures",
                       description="The indicator ids that --indicator takes (an id, its Chinese name or an "
                                   "alias), with the words reports use for them, their units and kind, then "
                                   "the measures that --measure takes. Your own indicators: a TOML file named "
                                   "by $BAOGAO_INDICATORS (docs/RECORD.md).")
    p.add_argument("--format", dest="fmt", choices=("table", "csv", "json"), default="table")
    p.add_argument("--aliases", action="store_true", help="every alias (default: the first few)")
    p.set_defaults(run=cmd_indicators)


def rows() -> list[dict]:
    return [{"id": ind.id, "name": ind.name, "kind": ind.kind, "units": ";".join(ind.units),
             "aliases": ";".join(ind.aliases)} for ind in load_lexicon().indicators.values()]


def cmd_indicators(args) -> int:
    import csv
    import json
    import sys
    table = rows()
    if args.fmt == "json":
        print(json.dumps({"indicators": table, "measures": MEASURES}, ensure_ascii=False, indent=1))
    elif args.fmt == "csv":
        from ..store.cells import defuse
        w = csv.DictWriter(sys.stdout, fieldnames=list(table[0]))
        w.writeheader()
        w.writerows({k: defuse(v) for k, v in r.items()} for r in table)
    else:
        width = max(len(r["id"]) for r in table)
        print(f"{'indicator':<{width}}  {'kind':<6}  {'units':<16}  name and aliases")
        for r in table:
            aliases = r["aliases"].split(";")
            shown = aliases if args.aliases or len(aliases) <= 4 else aliases[:4] + [f"… {len(aliases) - 4} more"]
            print(f"{r['id']:<{width}}  {r['kind']:<6}  {r['units']:<16}  {r['name']}: {', '.join(shown)}")
        print("\nmeasures (--measure):")
        for name, meaning in MEASURES.items():
            print(f"  {name:<15} {meaning}")
    return 0
