"""Parse speed against its peers, interleaved in one process, one core (issue 15).

    .venv/bin/python bench/speed.py [--rounds 5] [--tree PATH] [--no-write]

On every report of ../shared/corpus/ (decoded once by baogao.parse), each round times, text
after text and in turn on the same string:
* `baogao.parse_text(text)`;
* `jieba.lcut(text)` (default mode, HMM on; the dictionary loaded before timing);
* `rjieba.cut(text)` (jieba's algorithm in Rust);
* one regex pass: `len(NUMBER.findall(text))` with NUMBER = `[0-9]+(?:\\.[0-9]+)?` (a floor:
  the cost of looking at every character once from Python's regex engine);
* search token building: `store.db.prepare`'s tokens, `index_grams(text[s:e])` for every
  sentence of the report (what an ingest worker does for the index);
* `store.db.prepare(record)` whole (tokens + body size + MinHash signature).
Interleaving puts the machine's drift (other sessions, frequency) on every side alike; the
figure per side is the sum over texts of the best of the rounds for that text, and the ratios
are taken from those sums. jieba and rjieba are imported from bench/.venv-peers (never
dependencies of baogao); `--tree` imports baogao from another checkout's src/ (to measure the
tree before a change on the same footing).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH, Idle, corpus_files, log, machine, wait_idle, write_result  # noqa: E402

NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _peers_path() -> None:
    for sp in sorted((BENCH / ".venv-peers" / "lib").glob("python3*/site-packages")):
        sys.path.append(str(sp))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_REPS", 5)))
    ap.add_argument("--tree", help="import baogao from this checkout's src/")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    if args.tree:
        sys.path.insert(0, str(Path(args.tree).resolve() / "src"))
    _peers_path()
    import baogao
    from baogao.store.db import prepare
    from baogao.store.search import report_grams
    sides = {"parse_text": None, "jieba": None, "rjieba": None, "regex": None, "tokens": None, "prepare": None}
    try:
        import jieba
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
    except ImportError:
        jieba = None
        log("bench: jieba not in bench/.venv-peers (bench/run.sh creates it): skipped")
    try:
        import rjieba
    except ImportError:
        rjieba = None
        log("bench: rjieba not in bench/.venv-peers: skipped")
    files = corpus_files()
    texts, records = [], []
    for f in files:
        try:
            r = baogao.parse(f)
        except baogao.ReadError:
            continue
        texts.append(r.text)
        records.append(json.loads(r.to_json()))
    chars = sum(map(len, texts))
    calls = {
        "parse_text": lambda i: baogao.parse_text(texts[i]),
        "jieba": (lambda i: jieba.lcut(texts[i])) if jieba else None,
        "rjieba": (lambda i: rjieba.cut(texts[i])) if rjieba else None,
        "regex": lambda i: len(NUMBER.findall(texts[i])),
        "tokens": lambda i: report_grams(texts[i], [(s["start"], s["end"]) for s in records[i]["sentences"]]),
        "prepare": lambda i: prepare(records[i]),
    }
    calls = {k: v for k, v in calls.items() if v}
    for fn in calls.values():                     # warm-up
        fn(0)
    best = {k: [float("inf")] * len(texts) for k in calls}
    wait = wait_idle(float(os.environ.get("BENCH_WAIT_IDLE", 120)))
    log(f"bench: {len(texts)} texts, {chars:,} chars, {args.rounds} rounds, sides: {', '.join(calls)}")
    clock = time.perf_counter
    with Idle() as idle:
        for rnd in range(args.rounds):
            for i in range(len(texts)):
                for k, fn in calls.items():
                    t0 = clock()
                    fn(i)
                    dt = clock() - t0
                    if dt < best[k][i]:
                        best[k][i] = dt
            log(f"bench: round {rnd + 1}/{args.rounds}: parse_text {sum(best['parse_text']):.2f} s")
    seconds = {k: sum(v) for k, v in best.items()}
    res = {"benchmark": "parse speed, interleaved (bench/speed.py)", "machine": machine(),
           "tree": str(Path(baogao.__file__).resolve().parents[2]), "rounds": args.rounds,
           "docs": len(texts), "chars": chars, "wait_idle": wait, "machine_load": idle.result,
           "seconds": {k: round(v, 4) for k, v in seconds.items()},
           "chars_per_s": {k: round(chars / v) for k, v in seconds.items()},
           "ms_per_report": {k: round(1000 * v / len(texts), 3) for k, v in seconds.items()}}
    p = seconds["parse_text"]
    res["ratios"] = {f"parse_text_vs_{k}": round(seconds[k] / p, 4) for k in ("jieba", "rjieba", "regex") if k in seconds}
    res["targets"] = {"parse_text >= 5x jieba.lcut": {"measured": res["ratios"].get("parse_text_vs_jieba"), "target": 5.0,
                                                      "met": (res["ratios"].get("parse_text_vs_jieba") or 0) >= 5.0}}
    print(f"{len(texts)} reports, {chars:,} characters, best of {args.rounds} interleaved rounds per text; "
          f"other processes used {idle.result['other_cpu_share']:.0%} of the machine")
    print(f"{'side':<12}{'seconds':>10}{'chars/s':>14}{'ms/report':>11}")
    for k in calls:
        print(f"{k:<12}{seconds[k]:>10.3f}{chars / seconds[k]:>14,.0f}{1000 * seconds[k] / len(texts):>11.2f}")
    for k, v in res["ratios"].items():
        print(f"ratio {k:<26}{v:>9.3f}x")
    if not args.no_write:
        print("written", write_result("speed", res).name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
