"""The issue-15 figures as Markdown tables, from the result files of one run (docs/PERFORMANCE.md
is written from this output).

    .venv/bin/python bench/report.py

Reads bench/results/: speed.json and speed_before.json (bench/speed.py), ingest_speedup.json and
dedup_cost.json (bench/dedup_cost.py), scale.json and scale_before.json (bench/scale.py; the
latter: the tree before the speed-up searching the same databases, --search-only). A missing
file is skipped.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS  # noqa: E402

RUNS = (("search", "newest"), ("search_relevance", "relevance"), ("search_filtered", "newest"),
        ("search_filtered_relevance", "relevance"))


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def speed() -> None:
    now, before = load("speed"), load("speed_before")
    if not now:
        return
    print(f"## Parse speed (bench/speed.py: {now['docs']} reports, {now['chars']:,} characters, "
          f"best of {now['rounds']} interleaved rounds per text)\n")
    print("| side | before: s | before: chars/s | now: s | now: chars/s | now: ms/report |")
    print("|---|---:|---:|---:|---:|---:|")
    for side, secs in now["seconds"].items():
        b = (before or {}).get("seconds", {}).get(side)
        rate = f"{before['chars'] / b:,.0f}" if b else ""
        print(f"| {side} | {b if b is not None else ''} | {rate} | {secs} | "
              f"{now['chars_per_s'][side]:,} | {now['ms_per_report'][side]} |")
    print()
    print("| ratio (same run) | before | now |")
    print("|---|---:|---:|")
    for k, v in now["ratios"].items():
        print(f"| {k} | {(before or {}).get('ratios', {}).get(k, '')} | {v} |")
    if before and "tokens" in before["seconds"]:
        print(f"\nsearch tokens: {before['seconds']['tokens']} s -> {now['seconds']['tokens']} s "
              f"({before['seconds']['tokens'] / now['seconds']['tokens']:.2f}x); prepare(): "
              f"{before['seconds']['prepare']} -> {now['seconds']['prepare']} s "
              f"({before['seconds']['prepare'] / now['seconds']['prepare']:.2f}x)")
    print(f"\nother processes used {now['machine_load']['other_cpu_share']:.0%} of the machine during the run "
          f"(before: {(before or {}).get('machine_load', {}).get('other_cpu_share', float('nan')):.0%})\n")


def ingest(name: str, title: str) -> None:
    res = load(name)
    if not res:
        return
    print(f"## {title} (bench/dedup_cost.py --before {res['before']}, rounds interleaved)\n")
    print("| reports | before: s / 1000 | now: s / 1000 | wall ratio | before: CPU s / 1000 | now: CPU s / 1000 "
          "| CPU ratio | other processes |")
    print("|---:|---|---|---:|---|---|---:|---|")
    for n, v in sorted(res["sizes"].items(), key=lambda kv: int(kv[0])):
        cpu = v.get("cpu_seconds_per_1000_reports", {})
        load_ = v.get("other_cpu_share_per_run")
        print(f"| {int(n):,} | {', '.join(map(str, v['seconds_per_1000_reports']['before']))} | "
              f"{', '.join(map(str, v['seconds_per_1000_reports']['after']))} | {v['ratio']} | "
              f"{', '.join(map(str, cpu.get('before', [])))} | {', '.join(map(str, cpu.get('after', [])))} | "
              f"{v.get('cpu_ratio', '')} | {', '.join(f'{x:.0%}' for x in load_) if load_ else ''} |")
    print()


def search() -> None:
    now, before = load("scale"), load("scale_before")
    if not now:
        return
    for n in sorted(now["sizes"], key=int):
        entry = now["sizes"][n]
        if "search" not in entry:
            continue
        ing = entry.get("ingest", {})
        print(f"## {int(n):,} reports: ingest {ing.get('seconds')} s ({ing.get('seconds_per_1000_reports')} s per "
              f"1000, other processes {ing.get('machine_load', {}).get('other_cpu_share', float('nan')):.0%}), "
              f"search p50 / p95 ms\n")
        old = (before or {}).get("sizes", {}).get(n, {})
        print("| query | order | reports kept | matches | before p50 / p95 | now p50 / p95 | now cold |")
        print("|---|---|---:|---:|---:|---:|---:|")
        worst = (None, 0)
        for run, order in RUNS:
            for q, v in entry.get(run, {}).get("queries", {}).items():
                b = old.get(run, {}).get("queries", {}).get(q)
                was = f"{b['p50_ms']} / {b['p95_ms']}" if b else ""
                print(f"| {q} | {order} | {v.get('reports_kept') or ''} | {v['matching_sentences']:,} | {was} | "
                      f"{v['p50_ms']} / **{v['p95_ms']}** | {v['cold_ms']} |")
                if v["p95_ms"] > worst[1]:
                    worst = (f"{q} ({order})", v["p95_ms"])
        loads = [entry[r]["machine_load"]["other_cpu_share"] for r, _ in RUNS if r in entry]
        print(f"\nslowest shape: {worst[0]}, p95 {worst[1]} ms; other processes used "
              f"{min(loads):.0%}-{max(loads):.0%} of the machine\n")


def main() -> int:
    speed()
    ingest("ingest_speedup", "Ingest against the tree before the speed-up")
    ingest("dedup_cost", "Ingest against the tree before dedup (issue 12)")
    search()
    return 0


if __name__ == "__main__":
    sys.exit(main())
