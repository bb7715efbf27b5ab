"""`baogao facts`: the observations of reports as a table (or CSV/JSON), each with its sentence."""
from __future__ import annotations

import csv
import json
import sys

KEY_INDICATORS = ("gdp", "industrial_value_added", "fixed_asset_investment", "retail_sales",
                  "general_budget_revenue", "disposable_income", "urban_disposable_income",
                  "rural_disposable_income", "new_urban_jobs", "urban_unemployment_rate", "cpi")
COLUMNS = ["report", "indicator", "measure", "value", "high", "unit", "status", "period", "flags",
           "scope", "start", "end", "sentence"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "facts", help="print the indicator observations of reports (table, csv or json)",
        description="Print every observation (indicator, measure, value, unit, status, period, flags) "
                    "with the sentence it came from. Give report files, or --db to read a corpus "
                    "built by `baogao ingest`.")
    p.add_argument("files", nargs="*", metavar="FILE", help="report files to parse")
    p.add_argument("--db", help="read observations from a corpus database instead of files")
    p.add_argument("--indicator", action="append", help="only this indicator id (repeatable)")
    p.add_argument("--key", action="store_true", help="only the key indicators (GDP, investment, revenue, incomes, jobs, prices)")
    p.add_argument("--wide", action="store_true",
                   help="one row per report: growth of GDP, revenue, investment, retail sales, income (actual and target)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(run=run)


def run(args) -> int:
    if not args.files and not args.db:
        print("baogao facts: give report files or --db FILE", file=sys.stderr)
        return 2
    from .vocabulary import UnknownName, indicator_id
    try:
        wanted = {indicator_id(i) for i in args.indicator or []} | (set(KEY_INDICATORS) if args.key else set())
    except UnknownName as e:
        print(f"baogao facts: {e}", file=sys.stderr)
        return 2
    rows, failed, wide = [], 0, []
    for name, report in _reports(args):
        if report is None:
            failed += 1
            continue
        if args.wide:
            wide.append(wide_row(name, report))
        rows += [r for r in fact_rows(name, report) if not wanted or r["indicator"] in wanted]
    if args.wide:
        _print_wide(wide, args.format)
    else:
        _print(rows, args.format, compact=args.key)
    return 1 if failed else 0


WIDE = [("gdp", "GDP"), ("general_budget_revenue", "revenue"), ("fixed_asset_investment", "investment"),
        ("retail_sales", "retail"), ("disposable_income", "income")]


def wide_row(name: str, record: dict) -> dict:
    """Key growth rates of one report: the reviewed year's actual and the coming year's target."""
    meta = record.get("meta", {})
    region = meta.get("region") or {}
    place = region.get("county") or region.get("city") or region.get("province") or \
        ("全国" if region.get("level") == "national" else None) or region.get("name") or "?"
    row = {"report": name, "region": place, "code": region.get("code") or "", "date": meta.get("date") or "",
           "reviews": meta.get("review_year") or ""}
    reviewed = meta.get("review_year")
    for ind, label in WIDE:
        for status, period in (("actual", reviewed), ("target", reviewed + 1 if reviewed else None)):
            vals = [o for o in record.get("observations", []) if o["indicator"] == ind
                    and o["measure"] == "growth_pct" and o["status"] == status
                    and (period is None or str(o.get("period")) == str(period))]
            row[f"{label}_{status}"] = _fmt(vals[0]) if vals else ""
    return row


def _fmt(o: dict) -> str:
    v = f"{o['value']:g}" + (f"–{o['high']:g}" if o.get("high") is not None else "")
    return v + ("+" if o.get("floor") else "~" if o.get("approx") else "")


def _defused(rows: list[dict]) -> list[dict]:
    """Text cells that a spreadsheet would run as a formula get a leading ' (store/cells.py)."""
    from ..store.cells import defuse
    return [{k: defuse(v) for k, v in r.items()} for r in rows]


def _print_wide(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    cols = list(rows[0]) if rows else []
    if fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=cols)
        w.writeheader()
        w.writerows(_defused(rows))
        return
    print("growth in %, actual (reviewed year) / target (coming year); ~ about, + at least;"
          " reports without any of these figures are left out")
    head = f"{'region':<10} {'code':<7} {'date':<11} {'reviews':<8}" + " ".join(f"{label:>15}" for _, label in WIDE)
    print(head)
    rows = [r for r in rows if any(r[f"{label}_{st}"] for _, label in WIDE for st in ("actual", "target"))]
    for r in sorted(rows, key=lambda r: (r["region"], str(r["reviews"]), str(r["date"]))):
        cells = " ".join(f"{(r[label + '_actual'] or '-') + ' / ' + (r[label + '_target'] or '-'):>15}" for _, label in WIDE)
        print(f"{r['region'][:8]:<10} {r['code']:<7} {r['date'] or '?':<11} {str(r['reviews'] or '?'):<8}{cells}")


def _reports(args):
    if args.db:
        from ..store import Corpus
        with Corpus(args.db, readonly=True) as corpus:
            for rid in corpus.reports()["id"]:
                d = corpus.report(int(rid))
                yield f"{rid}:{d.get('doc')}", d
        return
    from ..pipeline import parse
    from ..read import ReadError
    for f in args.files:
        try:
            yield f, parse(f).to_dict()
        except ReadError as e:
            print(f"baogao: {f}: {e}", file=sys.stderr)
            yield f, None


def fact_rows(name: str, record: dict) -> list[dict]:
    text = record.get("text", "")
    rows = []
    for o in record.get("observations", []):
        s, e = o.get("sentence") or (o["start"], o["end"])
        flags = ",".join(f for f in ("approx", "estimated", "floor", "ceiling") if o.get(f))
        rows.append({"report": name, "indicator": o["indicator"], "measure": o["measure"], "value": o["value"],
                     "high": o.get("high"), "unit": o.get("unit", ""), "status": o["status"],
                     "period": o.get("period"), "flags": flags, "scope": o.get("scope") or "",
                     "start": o["start"], "end": o["end"], "sentence": " ".join(text[s:e].split()),
                     "context": _context(text, s, e, o["start"], o["end"])})
    return rows


def _context(text: str, s: int, e: int, start: int, end: int, width: int = 30) -> str:
    """The figure in its sentence, marked 【】, cut to a window around it."""
    left = text[max(s, start - width):start]
    right = text[end:min(e, end + width)]
    return " ".join(f"{left}【{text[start:end]}】{right}".split())


def _print(rows: list[dict], fmt: str, compact: bool = False) -> None:
    if fmt == "json":
        print(json.dumps([{k: r[k] for k in COLUMNS} for r in rows], ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(_defused(rows))
        return
    report = None
    for r in rows:
        if r["report"] != report:
            report = r["report"]
            print(f"\n{report}")
        value = f"{r['value']:g}" + (f"–{r['high']:g}" if r["high"] is not None else "")
        scope = f" {r['scope']}" if r["scope"] else ""
        line = (f"  {r['indicator']:<26} {r['measure']:<14} {value:>10} {r['unit']:<6} {r['status']:<6} "
                f"{str(r['period']):<10} {r['flags']}{scope}")
        print(line if compact else f"{line}\n      …{r['context']}…")
    if not rows:
        print("no observations")
