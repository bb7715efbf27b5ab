"""Ingest time, peak memory and search latency on a synthetic national-scale corpus.

    BENCH_SIZES=1000,10000,60000 .venv/bin/python bench/scale.py

For each size N (default 1000,10000,60000; BENCH_SIZES to change):
* bench/synth.py makes sure reports 0..N-1 exist (bench/work/synth/shard_*/);
* `baogao ingest SHARD_DIRS... --db bench/work/scale_N.db` runs in a fresh database, as a user
  would run it (one writer process plus one parser process per core). Measured: wall time,
  reports/s, characters/s, the database's size, the peak RSS of the biggest single process
  (ru_maxrss from wait4: the writer or one parser worker, whichever is largest) and the peak of
  the sum of RSS over the whole process tree, sampled every 0.25 s with psutil (shared pages
  counted once per process, so an overestimate);
* search latency: `Corpus(db, readonly=True).search(query, limit=20)` for each query, one cold
  call (reported apart), then --reps timed calls; p50/p95 per query and over all calls. The
  number of matching sentences is counted apart (not timed).

Results: bench/results/scale.json (merged by size, so sizes can be run one at a time), or
bench/results/$BENCH_SCALE_RESULT.json (e.g. the tree before a change, measured with --search-only on
the same databases: PYTHONPATH=<that tree>/src BENCH_SCALE_RESULT=scale_before ... --search-only).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, ROOT, WORK, Idle, log, machine, percentile, wait_idle, write_result  # noqa: E402
from synth import generate, shard_dirs  # noqa: E402

QUERIES = ["河长制", "营商环境", "保交楼", "数字经济", "新质生产力",
           "数字经济 实体经济",            # two words: both in the sentence (AND)
           '"全面推进乡村振兴"',            # a phrase
           "发展"]                          # a very common word (issue 15: every query shape)
DEFAULT_SIZES = "1000,10000,60000"
RESULT = os.environ.get("BENCH_SCALE_RESULT", "scale")


class TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and its descendants."""

    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.peak_procs = pid, every, 0, 0
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._halt.is_set():
            try:
                procs = [root] + root.children(recursive=True)
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                if total > self.peak:
                    self.peak, self.peak_procs = total, len(procs)
            except psutil.Error:
                return
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def _limit_memory(gib: float):
    """preexec_fn: cap each process's address space, so a run that would exhaust the machine
    fails with MemoryError in the benchmark instead of waking the OOM killer (the machine may
    be shared)."""
    def apply():
        if gib > 0:
            limit = int(gib * (1 << 30))
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def ingest(n: int, dirs: list[Path], db: Path, jobs: int | None, mem_limit_gib: float = 0, env: dict | None = None) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "baogao.cli", "ingest", *map(str, dirs), "--db", str(db)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    log(f"scale: ingest {n} reports -> {db.name} ...")
    out_path, err_path = db.with_suffix(".stdout"), db.with_suffix(".stderr")
    with open(out_path, "w") as out, open(err_path, "w") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env, preexec_fn=_limit_memory(mem_limit_gib))
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
    size = sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists())
    summary = out_path.read_text(errors="replace").strip().splitlines()[:1]
    import sqlite3
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as conn:
        reports, chars = conn.execute("SELECT COUNT(*), COALESCE(SUM(chars), 0) FROM reports").fetchone()
        sentences = conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        failures = conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0]
    return {"reports": reports, "failed": failures, "chars": chars, "sentences": sentences,
            "exit_code": proc.returncode, "summary": summary, "address_space_limit_gib": mem_limit_gib or None,
            "stderr_tail": err_path.read_text(errors="replace").strip().splitlines()[-3:], "seconds": round(wall, 2),
            "reports_per_s": reports / wall, "chars_per_s": chars / wall,
            "seconds_per_1000_reports": round(wall / max(reports, 1) * 1000, 2),
            "db_mb": round(size / 1e6, 1),
            "peak_rss_single_process_mb": round(usage.ru_maxrss / 1024, 1),
            "peak_rss_tree_mb": round(sampler.peak / 1e6, 1), "tree_processes_at_peak": sampler.peak_procs,
            "user_cpu_s": round(usage.ru_utime, 1), "sys_cpu_s": round(usage.ru_stime, 1)}


def filtered_queries(db: Path) -> list[tuple[str, dict]]:
    """Typical filtered searches on this database: a level, a province, one county (the county
    with the most reports, so the same one on every run), a year range, and (issue 15) a
    prefecture's worth of reports, 100-300: the region (a prefecture's four digits, or at 10,000
    reports, where no prefecture holds 100, a small province's two) whose reports are closest to
    200, with a common term (营商环境) and a very common one (发展); and 发展 in the largest province."""
    import sqlite3
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as conn:
        county = conn.execute("SELECT region_code FROM reports WHERE region_level = 'county' AND region_code "
                              "IS NOT NULL GROUP BY region_code ORDER BY COUNT(*) DESC, region_code LIMIT 1"
                              ).fetchone()[0]
        prefecture = conn.execute(
            "SELECT c, n FROM (SELECT substr(region_code, 1, 4) AS c, COUNT(*) AS n FROM reports WHERE region_code "
            "IS NOT NULL GROUP BY c UNION ALL SELECT substr(region_code, 1, 2), COUNT(*) FROM reports WHERE "
            "region_code IS NOT NULL GROUP BY substr(region_code, 1, 2)) ORDER BY ABS(n - 200), c LIMIT 1").fetchone()
        province = conn.execute("SELECT substr(region_code, 1, 2) AS c FROM reports WHERE region_code IS NOT NULL "
                                "GROUP BY c ORDER BY COUNT(*) DESC, c LIMIT 1").fetchone()
    shapes = [("营商环境", {"level": "county"}), ("营商环境", {"region": county[:2]}),
              ("营商环境", {"region": county}), ("河长制", {"region": county}),
              ("数字经济 实体经济", {"year": "2020-2024"}), ("发展", {"year": "2020-2024"}),
              ("发展", {"level": "county"})]
    if prefecture:
        shapes += [("营商环境", {"region": prefecture[0]}), ("发展", {"region": prefecture[0]}),
                   ("河长制", {"region": prefecture[0]})]
    if province:
        shapes += [("发展", {"region": province[0]})]
    return shapes


def search_latency(db: Path, reps: int, order: str = "newest", queries=None) -> dict:
    from baogao.store import Corpus
    from baogao.store.search import parse_query
    per_query, every = {}, []
    with Corpus(db, readonly=True) as corpus:
        for q, filters in queries or [(q, {}) for q in QUERIES]:
            t0 = time.perf_counter()
            first = corpus.search(q, limit=20, order=order, **filters)
            cold = time.perf_counter() - t0
            times = []
            for _ in range(reps):
                t0 = time.perf_counter()
                corpus.search(q, limit=20, order=order, **filters)
                times.append(time.perf_counter() - t0)
            matches = corpus.conn.execute("SELECT COUNT(*) FROM sentence_index WHERE sentence_index MATCH ?",
                                          (parse_query(q).fts,)).fetchone()[0]
            every += times
            name = q + "".join(f" --{k} {v}" for k, v in filters.items())
            kept = None
            if filters.get("region"):
                kept = corpus.conn.execute("SELECT COUNT(*) FROM reports WHERE region_code LIKE ?",
                                           (filters["region"] + "%",)).fetchone()[0]
            per_query[name] = {"matching_sentences": matches, "returned": len(first), "reports_kept": kept,
                            "cold_ms": round(cold * 1e3, 2), "p50_ms": round(percentile(times, 50) * 1e3, 2),
                            "p95_ms": round(percentile(times, 95) * 1e3, 2), "max_ms": round(max(times) * 1e3, 2)}
    return {"api": f"Corpus(db, readonly=True).search(query, limit=20, order={order!r})", "reps": reps,
            "queries": per_query,
            "p50_ms": round(percentile(every, 50) * 1e3, 2), "p95_ms": round(percentile(every, 95) * 1e3, 2)}


def measure_search(n: int, db: Path, reps: int) -> dict:
    """The typical queries in both orders, and filtered queries (reported apart)."""
    runs = {"search": dict(reps=reps),
            # the other order, for the record: bm25 over every match, so it grows with the corpus
            "search_relevance": dict(reps=max(reps // 3, 5), order="relevance"),
            "search_filtered": dict(reps=max(reps // 3, 5), queries=filtered_queries(db)),
            "search_filtered_relevance": dict(reps=max(reps // 3, 5), order="relevance", queries=filtered_queries(db))}
    out = {}
    for key, kwargs in runs.items():
        with Idle() as idle:
            out[key] = search_latency(db, **kwargs)
        out[key]["machine_load"] = idle.result
        log(f"scale: {n}: {key} p50 {out[key]['p50_ms']} ms, p95 {out[key]['p95_ms']} ms")
    return out


def search_only(sizes: list[int], reps: int, res: dict) -> None:
    """--search-only: measure search again on the databases a --keep run left."""
    for n in sizes:
        db = WORK / f"scale_{n}.db"
        if not db.exists() or "ingest" not in res["sizes"].get(str(n), {}):
            log(f"scale: {n}: no kept database {db.name} (run with --keep first); skipped")
            continue
        res["sizes"][str(n)].update(measure_search(n, db, reps))
        write_result(RESULT, res)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", DEFAULT_SIZES))
    ap.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_SEARCH_REPS", 30)))
    ap.add_argument("--jobs", type=int, help="parser processes for ingest (default: one per core)")
    ap.add_argument("--keep", action="store_true", help="keep the databases (bench/work/scale_N.db)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--search-only", action="store_true",
                    help="no ingest: measure search again on the databases a --keep run left")
    args = ap.parse_args()
    try:
        import baogao.store  # noqa: F401
    except ImportError:
        log("scale: baogao.store is missing: nothing to measure")
        return 2
    sizes = [int(s) for s in args.sizes.replace(" ", "").split(",") if s]
    out_dir = WORK / "synth"
    previous = RESULTS / f"{RESULT}.json"
    res = json.loads(previous.read_text()) if previous.exists() else {}
    res.update({"benchmark": "ingest and search at scale", "machine": machine(), "queries": QUERIES})
    res.setdefault("sizes", {})
    ram_gib = (os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")) / (1 << 30)
    limit = float(os.environ.get("BENCH_MEM_LIMIT_GB", round(0.75 * ram_gib, 1)))
    res["wait_idle"] = wait_idle(float(os.environ.get("BENCH_WAIT_IDLE", 600)))
    last = None                      # (size, peak MB of the largest process) of the last run
    for n in (sizes if not args.search_only else []):
        if last and not os.environ.get("BENCH_FORCE"):
            predicted = last[1] * n / last[0] / 1024
            if predicted > limit:
                note = (f"skipped: peak memory grew with the corpus ({last[1]:.0f} MB at {last[0]} reports), "
                        f"so {n} reports predict ~{predicted:.1f} GiB, over the {limit} GiB limit "
                        f"(BENCH_FORCE=1 runs it anyway, capped at the limit)")
                log(f"scale: {n}: {note}")
                res["sizes"][str(n)] = {"skipped": note, "predicted_peak_gib": round(predicted, 1)}
                write_result(RESULT, res)
                continue
        t0 = time.perf_counter()
        manifest = generate(n, out_dir, seed=args.seed)
        gen = time.perf_counter() - t0
        dirs = shard_dirs(out_dir, n)
        shards = [manifest["shards"][d.name.split("_")[1].lstrip("0") or "0"] for d in dirs]
        if n % 1000:
            log(f"scale: {n} is not a multiple of 1000: the last shard holds {shards[-1]['files']} reports")
        db = WORK / f"scale_{n}.db"
        entry = {"synth": {"reports": sum(s["files"] for s in shards), "chars": sum(s["chars"] for s in shards),
                           "mb": round(sum(s["bytes"] for s in shards) / 1e6, 1),
                           "generate_seconds": round(gen, 1)},
                 }
        with Idle() as idle:
            entry["ingest"] = ingest(n, dirs, db, args.jobs, limit)
        entry["ingest"]["machine_load"] = idle.result
        last = (n, entry["ingest"]["peak_rss_single_process_mb"])
        log(f"scale: {n}: ingest {entry['ingest']['seconds']} s, peak RSS "
            f"{entry['ingest']['peak_rss_single_process_mb']} MB (one process), "
            f"{entry['ingest']['peak_rss_tree_mb']} MB (tree); searching ...")
        entry.update(measure_search(n, db, args.reps))
        res["sizes"][str(n)] = entry
        write_result(RESULT, res)
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
    if args.search_only:
        search_only(sizes, args.reps, res)
    done = {k: v for k, v in sorted(res["sizes"].items(), key=lambda kv: int(kv[0])) if "ingest" in v}
    res["seconds_per_1000_reports_by_size"] = {k: v["ingest"]["seconds_per_1000_reports"] for k, v in done.items()}
    res["peak_mb_per_1000_reports_by_size"] = {k: round(v["ingest"]["peak_rss_single_process_mb"] / int(k) * 1000, 1)
                                               for k, v in done.items()}
    write_result(RESULT, res)
    print(f"{'reports':>8}{'ingest s':>10}{'s/1000':>8}{'peak MB':>9}{'tree MB':>9}{'db MB':>8}"
          f"{'search p50 ms':>15}{'p95 ms':>8}{'relevance p95':>15}{'filtered p95':>14}")
    for k, v in sorted(res["sizes"].items(), key=lambda kv: int(kv[0])):
        if "skipped" in v:
            print(f"{k:>8}  {v['skipped']}")
            continue
        i, q = v["ingest"], v["search"]
        print(f"{k:>8}{i['seconds']:>10.1f}{i['seconds_per_1000_reports']:>8.1f}{i['peak_rss_single_process_mb']:>9.0f}"
              f"{i['peak_rss_tree_mb']:>9.0f}{i['db_mb']:>8.0f}{q['p50_ms']:>15.1f}{q['p95_ms']:>8.1f}"
              f"{v.get('search_relevance', {}).get('p95_ms', float('nan')):>15.1f}"
              f"{v.get('search_filtered', {}).get('p95_ms', float('nan')):>14.1f}")
    targets = {}
    if "60000" in done:
        q = done["60000"]["search"]
        targets["search p95 < 100 ms at 60k"] = {"measured_ms": q["p95_ms"], "met": q["p95_ms"] < 100}
    for size, bound in (("10000", 100), ("60000", 200)):      # issue 15: every query shape, both orders
        runs = [done[size].get(k) for k in ("search", "search_relevance", "search_filtered",
                                            "search_filtered_relevance")] if size in done else []
        shapes = {f"{name} ({run['api'].split('order=')[1].rstrip(')')})": q["p95_ms"]
                  for run in runs if run for name, q in run["queries"].items()}
        if shapes:
            worst = max(shapes, key=shapes.get)
            targets[f"every query shape p95 <= {bound} ms at {int(size) // 1000}k"] = {
                "worst_shape": worst, "measured_ms": shapes[worst], "met": shapes[worst] <= bound}
    if done:
        peak = max(v["ingest"]["peak_rss_single_process_mb"] for v in done.values())
        targets["ingest peak memory < 1 GB (largest process)"] = {"measured_mb": peak, "met": peak < 1000}
        tree = max(v["ingest"]["peak_rss_tree_mb"] for v in done.values())
        targets["ingest peak memory < 1 GB (whole process tree)"] = {"measured_mb": tree, "met": tree < 1000}
    if len(done) > 1:
        # Linear: the cost per report at the largest size within 20% of the smallest's.
        per = [(int(k), v["ingest"]["seconds_per_1000_reports"]) for k, v in done.items()]
        ratio = round(per[-1][1] / per[0][1], 3)
        targets[f"ingest linear ({per[0][0]} -> {per[-1][0]}: s per 1000 reports within 1.2x)"] = {
            "measured_ratio": ratio, "met": ratio <= 1.2}
    res["targets"] = targets
    write_result(RESULT, res)
    for k, v in targets.items():
        print(f"target {k}: {'met' if v['met'] else 'MISS'} ({v})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
