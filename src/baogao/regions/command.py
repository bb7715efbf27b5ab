"""`baogao region NAME [--year Y] [--context TEXT] [--successors]`: which division is NAME?"""
from __future__ import annotations

import unicodedata

from .gazetteer import get_gazetteer
from .resolve import resolve


def add_parser(subparsers):
    p = subparsers.add_parser(
        "region", help="resolve a region name to its division code, with candidates",
        description="Resolve a division name (鼓楼区, 内蒙古, 太原市晋源区) to its code as it stood in a "
                    "year. Shared names are decided from --context (parent or neighbour names); when "
                    "nothing decides, every candidate is listed and no code is chosen.")
    p.add_argument("name", metavar="NAME", help="division name, short name or qualified name")
    p.add_argument("--year", type=int, help="the year the name refers to (codes change over time)")
    p.add_argument("--context", metavar="TEXT", help="text about the place: parent, neighbours, ...")
    p.add_argument("--successors", action="store_true",
                   help="also show today's code(s) for each candidate, following successor chains")
    p.set_defaults(run=run)
    return p


def run(args) -> int:
    res = resolve(args.name, args.year, args.context)
    g = get_gazetteer()
    head = ["code", "name", "parents", "valid", "score", "why"]
    if args.successors:
        head.insert(4, "today")
    rows = []
    for c in res.candidates:
        parents = " ".join(_distinct(c["province"], c["city"], but=c["name"]))
        valid = f"{c['start']}-{c['end'] - 1}" if c["end"] else f"{c['start']}-"
        row = [c["code"], c["name"], parents or "-", valid, f"{c['score']:g}", c["why"]]
        if args.successors:
            row.insert(4, ",".join(g.successors(c["code"], c["start"])) or "?")
        rows.append(row)
    if rows:
        print(_table(head, rows))
    if res.code:
        where = " ".join(_distinct(res.province, res.city, res.county))
        print(f"\n=> {res.code} {where or res.name} ({res.level})")
    else:
        print("\n=> no code chosen")
    print(f"   {res.reason}")
    return 0


def _distinct(*names: str | None, but: str | None = None) -> list[str]:
    """Names once each, in order (北京市 is both province and city of 朝阳区)."""
    out = []
    for n in names:
        if n and n != but and n not in out:
            out.append(n)
    return out


def _width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [head] + rows) for i in range(len(head) - 1)]
    lines = []
    for r in [head] + rows:
        cells = [r[i] + " " * (widths[i] - _width(r[i])) for i in range(len(widths))] + [r[-1]]
        lines.append("  ".join(cells))
    return "\n".join(lines)
