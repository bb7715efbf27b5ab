"""Parse throughput over the whole sample corpus, side by side with jieba and Recognizers-Text.

    .venv/bin/python bench/run.py [--reps 3] [--no-peers] [--profile] [--rt-budget S]

Writes bench/results/throughput.json (and profile_parse.json when profiled) and prints a
summary with the ratios and the issue's targets. See bench/README.md.

What is timed (wall clock, time.perf_counter, after a warm-up that loads the gazetteer and the
indicator lexicon):
* one core: `baogao.parse(path)` on every corpus file in turn (read + decode + HTML + clean +
  sections + header + region + quantities + observations); best of --reps runs;
* one core: `baogao.parse_text(text)` on the decoded texts: the same input the peers get;
* all cores: `baogao.parse(path)` in a ProcessPoolExecutor with one worker per core (workers
  started and warmed before timing, biggest files first, only the character count returned);
* peers (bench/peers.py in bench/.venv-peers): jieba.lcut and the three Recognizers-Text
  models on the decoded texts, one core.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PEERS_PY, ROOT, WORK, Idle, corpus_files, log, machine, run_quiet, wait_idle, write_result  # noqa: E402

TARGETS = {
    "vs_jieba_one_core": 3.0,          # parse at least 3x faster than jieba.lcut alone, same text
    "vs_recognizers_one_core": 50.0,   # at least 50x faster than Recognizers-Text
    "mb_per_s_per_core": 1.0,          # at least 1 MB of text per second per core
}


# -- workers -----------------------------------------------------------------------------------
def _warm() -> None:
    import baogao
    baogao.parse_text("——2024年3月6日在山阳区第十一届人民代表大会第五次会议上\n各位代表：\n一、工作回顾\n"
                      "全年地区生产总值完成102.46亿元，增长2.3%。\n")


def _parse_len(path: str) -> tuple[int, int]:
    import baogao
    report = baogao.parse(path)
    return len(report.text), len(report.text.encode("utf-8"))


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


# -- the measurements ----------------------------------------------------------------------------
def one_core(files: list[Path], reps: int) -> tuple[dict, list[dict]]:
    import baogao
    _warm()
    texts, per_file, times = [], [], []
    failures = []
    for rep in range(reps):
        t_all = time.perf_counter()
        for f in files:
            t0 = time.perf_counter()
            try:
                report = baogao.parse(f)
            except baogao.ReadError as e:
                if rep == 0:
                    failures.append({"file": str(f), "reason": str(e)})
                continue
            dt = time.perf_counter() - t0
            if rep == 0:
                texts.append({"doc": str(f.relative_to(f.parents[1])), "text": report.text})
                per_file.append({"file": str(f.relative_to(f.parents[1])), "chars": len(report.text),
                                 "bytes": f.stat().st_size, "seconds": dt,
                                 "quantities": len(report.quantities), "observations": len(report.observations)})
            else:
                for rec in per_file:
                    if rec["file"] == str(f.relative_to(f.parents[1])):
                        rec["seconds"] = min(rec["seconds"], dt)
        times.append(time.perf_counter() - t_all)
    chars = sum(len(t["text"]) for t in texts)
    utf8 = sum(len(t["text"].encode("utf-8")) for t in texts)
    in_bytes = sum(p["bytes"] for p in per_file)
    best = min(times)
    res = {"call": "baogao.parse(path)", "reps": reps, "seconds": [round(t, 3) for t in times],
           "best_seconds": round(best, 3), "docs": len(texts), "failed": failures, "chars": chars,
           "utf8_bytes": utf8, "input_bytes": in_bytes, "chars_per_s": chars / best,
           "utf8_mb_per_s": utf8 / best / 1e6, "input_mb_per_s": in_bytes / best / 1e6,
           "docs_per_s": len(texts) / best,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "slowest_files": sorted(({**p, "chars_per_s": p["chars"] / p["seconds"]} for p in per_file),
                                   key=lambda p: p["chars_per_s"])[:8]}
    return res, texts


def one_core_text(texts: list[dict], reps: int) -> dict:
    import baogao
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for t in texts:
            baogao.parse_text(t["text"])
        times.append(time.perf_counter() - t0)
    chars = sum(len(t["text"]) for t in texts)
    utf8 = sum(len(t["text"].encode("utf-8")) for t in texts)
    best = min(times)
    return {"call": "baogao.parse_text(text)", "reps": reps, "seconds": [round(t, 3) for t in times],
            "best_seconds": round(best, 3), "docs": len(texts), "chars": chars, "utf8_bytes": utf8,
            "chars_per_s": chars / best, "utf8_mb_per_s": utf8 / best / 1e6, "docs_per_s": len(texts) / best}


def all_cores(files: list[Path], reps: int, workers: int) -> dict:
    order = sorted(files, key=lambda f: f.stat().st_size, reverse=True)     # longest first
    times, chars, utf8, docs = [], 0, 0, 0
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm) as pool:
        pids = set(pool.map(_sleep, [0.3] * (workers * 3)))                  # start and warm every worker
        for _ in range(reps):
            t0 = time.perf_counter()
            futures = [pool.submit(_parse_len, str(f)) for f in order]
            chars = utf8 = docs = 0
            for fut in futures:
                try:
                    c, b = fut.result()
                except Exception:
                    continue
                chars, utf8, docs = chars + c, utf8 + b, docs + 1
            times.append(time.perf_counter() - t0)
    best = min(times)
    return {"call": "baogao.parse(path) in ProcessPoolExecutor", "workers": workers, "workers_started": len(pids),
            "reps": reps, "seconds": [round(t, 3) for t in times], "best_seconds": round(best, 3),
            "docs": docs, "chars": chars, "utf8_bytes": utf8, "chars_per_s": chars / best,
            "utf8_mb_per_s": utf8 / best / 1e6, "docs_per_s": docs / best}


def peers(texts: list[dict], rt_budget: float, jieba_reps: int) -> dict | None:
    if not PEERS_PY.exists():
        log(f"bench: no peers venv at {PEERS_PY.parent.parent} (run bench/run.sh, which creates it): peers skipped")
        return None
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "texts.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
    out = WORK / "peers.json"
    cmd = [str(PEERS_PY), str(Path(__file__).with_name("peers.py")), str(path), str(out),
           "--rt-budget", str(rt_budget), "--jieba-reps", str(jieba_reps)]
    proc = run_quiet(cmd, cwd=ROOT)
    if proc.returncode != 0:
        log(f"bench: peers failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        return None
    return json.loads(out.read_text(encoding="utf-8"))


def profile(texts: list[dict], top: int = 30) -> dict:
    import baogao
    prof = cProfile.Profile()
    prof.enable()
    for t in texts:
        baogao.parse_text(t["text"])
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt
    rows = []
    for (filename, line, func), (cc, nc, tt, ct, callers) in stats.stats.items():
        name = f"{_short(filename)}:{line}({func})"
        rows.append({"function": name, "calls": nc, "tottime": round(tt, 3), "cumtime": round(ct, 3)})
    by_tot = sorted(rows, key=lambda r: r["tottime"], reverse=True)[:top]
    by_cum = sorted((r for r in rows if "baogao" in r["function"]), key=lambda r: r["cumtime"], reverse=True)[:top]
    return {"tool": "cProfile (adds overhead: compare shares, not absolute times)", "total_seconds": round(total, 3),
            "by_tottime": by_tot, "by_cumtime_baogao": by_cum}


def _short(filename: str) -> str:
    for marker in ("/src/baogao/", "/site-packages/", "/lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1] if marker != "/src/baogao/" else "baogao/" + filename.split(marker, 1)[1]
    return filename


# -- report ------------------------------------------------------------------------------------------
def ratios_and_targets(res: dict) -> None:
    one, text, pe = res["parse_one_core"], res["parse_text_one_core"], res.get("peers") or {}
    ratios = {}
    if "jieba" in pe:
        j = pe["jieba"]["chars_per_s"]
        ratios["parse_vs_jieba"] = one["chars_per_s"] / j
        ratios["parse_text_vs_jieba"] = text["chars_per_s"] / j
    if "recognizers" in pe:
        r = pe["recognizers"]["chars_per_s"]
        ratios["parse_vs_recognizers"] = one["chars_per_s"] / r
        ratios["parse_text_vs_recognizers"] = text["chars_per_s"] / r
    ratios["all_cores_vs_one_core"] = res["parse_all_cores"]["chars_per_s"] / one["chars_per_s"]
    res["ratios"] = ratios
    targets = {}
    if "parse_vs_jieba" in ratios:
        targets["parse >= 3x jieba.lcut, one core"] = {
            "target": TARGETS["vs_jieba_one_core"], "measured": round(ratios["parse_vs_jieba"], 2),
            "met": ratios["parse_vs_jieba"] >= TARGETS["vs_jieba_one_core"]}
    if "parse_vs_recognizers" in ratios:
        targets["parse >= 50x Recognizers-Text, one core"] = {
            "target": TARGETS["vs_recognizers_one_core"], "measured": round(ratios["parse_vs_recognizers"], 1),
            "met": ratios["parse_vs_recognizers"] >= TARGETS["vs_recognizers_one_core"]}
    targets[">= 1 MB/s per core (UTF-8 bytes of the text)"] = {
        "target": 1.0, "measured": round(one["utf8_mb_per_s"], 3), "met": one["utf8_mb_per_s"] >= 1.0}
    targets[">= 1 MB/s per core (read as 1M characters/s, stricter)"] = {
        "target": 1.0, "measured": round(one["chars_per_s"] / 1e6, 3), "met": one["chars_per_s"] >= 1e6}
    res["targets"] = targets


def print_summary(res: dict) -> None:
    one, text, allc = res["parse_one_core"], res["parse_text_one_core"], res["parse_all_cores"]
    pe = res.get("peers") or {}
    print(f"\nmachine: {res['machine']['cpu']}, {res['machine']['cores']} cores, "
          f"{res['machine']['ram_gib']} GiB, Python {res['machine']['python']}")
    print(f"corpus: {one['docs']} reports, {one['chars']:,} characters ({one['utf8_bytes'] / 1e6:.1f} MB UTF-8)\n")
    print(f"{'what':<44}{'chars/s':>12}{'MB/s utf8':>11}{'reports/s':>11}")
    rows = [("baogao.parse(path), 1 core", one), ("baogao.parse_text(text), 1 core", text),
            (f"baogao.parse(path), {allc['workers']} processes", allc)]
    for label, r in rows:
        print(f"{label:<44}{r['chars_per_s']:>12,.0f}{r['utf8_mb_per_s']:>11.2f}{r['docs_per_s']:>11.2f}")
    if "jieba" in pe:
        j = pe["jieba"]
        print(f"{'jieba.lcut(text), 1 core':<44}{j['chars_per_s']:>12,.0f}")
    if "recognizers" in pe:
        r = pe["recognizers"]
        note = f"  (sample: {r['docs']} docs, {r['chars']:,} chars)" if r["sampled"] else ""
        print(f"{'Recognizers-Text 3 models, 1 core':<44}{r['chars_per_s']:>12,.0f}{note}")
        for name, m in r["per_model"].items():
            print(f"{'   ' + name:<44}{m['chars_per_s']:>12,.0f}")
    busy = {k: res[k]["machine_load"]["other_cpu_share"] for k in ("parse_one_core", "parse_text_one_core",
                                                                    "parse_all_cores", "peers")
            if (res.get(k) or {}).get("machine_load")}
    print("\nshare of the machine used by other processes during each step: "
          + ", ".join(f"{k} {v:.0%}" for k, v in busy.items()))
    if any(v > 0.05 for v in busy.values()):
        print("WARNING: the machine was not idle; wall-clock figures are pessimistic (run again on an idle machine)")
    print()
    for k, v in res["ratios"].items():
        print(f"ratio {k:<36}{v:>8.2f}x")
    print()
    for k, v in res["targets"].items():
        print(f"target {k:<56} {'met ' if v['met'] else 'MISS'}  (measured {v['measured']}, target {v['target']})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", 3)))
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--profile", action="store_true", help="profile parse_text even when every target is met")
    ap.add_argument("--rt-budget", type=float, default=float(os.environ.get("BENCH_RT_BUDGET", 900)))
    ap.add_argument("--jieba-reps", type=int, default=3)
    args = ap.parse_args()

    files = corpus_files()
    if not files:
        log("bench: no corpus files found")
        return 2
    res: dict = {"benchmark": "parse throughput", "machine": machine(), "corpus_files": len(files)}
    res["wait_idle"] = wait_idle(float(os.environ.get("BENCH_WAIT_IDLE", 600)))
    log(f"bench: parse, one core, {len(files)} files x {args.reps} ...")
    with Idle() as idle:
        res["parse_one_core"], texts = one_core(files, args.reps)
    res["parse_one_core"]["machine_load"] = idle.result
    log("bench: parse_text, one core ...")
    with Idle() as idle:
        res["parse_text_one_core"] = one_core_text(texts, args.reps)
    res["parse_text_one_core"]["machine_load"] = idle.result
    workers = os.cpu_count() or 1
    log(f"bench: parse, {workers} processes ...")
    with Idle() as idle:
        res["parse_all_cores"] = all_cores(files, args.reps, workers)
    res["parse_all_cores"]["machine_load"] = idle.result
    if not args.no_peers:
        log("bench: peers (jieba, Recognizers-Text) in bench/.venv-peers ...")
        with Idle() as idle:
            res["peers"] = peers(texts, args.rt_budget, args.jieba_reps)
        if res["peers"]:
            res["peers"]["machine_load"] = idle.result
    ratios_and_targets(res)
    missed_parse = any(not v["met"] for v in res["targets"].values())
    if args.profile or missed_parse:
        log("bench: profiling parse_text (cProfile) ...")
        prof = profile(texts)
        prof["machine"] = res["machine"]
        write_result("profile_parse", prof)
    path = write_result("throughput", res)
    print_summary(res)
    print(f"\nwritten {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
