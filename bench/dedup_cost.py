"""What recognising the same report twice costs at ingest: this tree against the tree before it.

    .venv/bin/python bench/dedup_cost.py                       # sizes 1000,10000
    .venv/bin/python bench/dedup_cost.py --sizes 1000 --rounds 3 --before 385afd0
    .venv/bin/python bench/dedup_cost.py --before 2c59426 --out ingest_speedup   # issue 15: against the tree before the speed-up

Issue 12 asks that ingest time per report at 1k and 10k stay within 1.15x of what it was before
near-duplicate detection (MinHash signatures, LSH bands, the canonical choice, the year from
the text) and repeated-copy detection were added. The "before" tree is a git worktree of the
commit named by --before (default: the last commit without them), made under bench/work/; both
trees ingest the same synthetic reports (bench/synth.py) into fresh databases with the same
interpreter and dependencies, `baogao ingest` as a user runs it, rounds interleaved (before,
after, before, after, ...) so a slower moment of the machine hits both. Reported: seconds per
1000 reports of each round, the median of each tree, and the ratio after / before.

Results: bench/results/dedup_cost.json (merged by size), or bench/results/OUT.json with --out
(issue 15 measures ingest against the tree before its speed-up the same way: --before 2c59426
--out ingest_speedup, where the ratio is to be at most 1 / 1.4).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, ROOT, WORK, Idle, log, machine, write_result  # noqa: E402
from scale import ingest  # noqa: E402
from synth import generate, shard_dirs  # noqa: E402

BEFORE = "385afd0"          # the last commit without dedup (store/dedup.py) and clean/repeats.py
LIMIT = 1.15


def worktree(rev: str) -> Path:
    """A checkout of `rev` under bench/work/ (made once, reused)."""
    path = WORK / f"tree_{rev}"
    if not (path / "src" / "baogao").is_dir():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--force", str(path), rev],
                       check=True, capture_output=True)
    return path


def run(tree: Path | None, n: int, dirs: list[Path], jobs: int | None) -> dict:
    """`baogao ingest` of the tree (None: this one) into a fresh database."""
    env = os.environ.copy()
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")       # ahead of the editable install of this tree
    db = WORK / f"dedup_{'before' if tree else 'after'}_{n}.db"
    result = ingest(n, dirs, db, jobs, env=env)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    if result["exit_code"] != 0 or result["reports"] == 0:
        raise SystemExit(f"dedup_cost: ingest failed ({tree or 'this tree'}): {result['stderr_tail']}")
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000,10000"))
    ap.add_argument("--rounds", type=int, default=2, help="ingests per tree and size (interleaved)")
    ap.add_argument("--before", default=BEFORE, help="the commit to compare with")
    ap.add_argument("--jobs", type=int, help="parser processes (default: one per core)")
    ap.add_argument("--out", default="dedup_cost", help="results file name (bench/results/OUT.json)")
    ap.add_argument("--limit", type=float, default=LIMIT, help="the largest ratio after / before allowed")
    args = ap.parse_args()
    before = worktree(args.before)
    previous = RESULTS / f"{args.out}.json"          # merged by size, so sizes can be run one at a time
    sizes = json.loads(previous.read_text())["sizes"] if previous.exists() else {}
    if previous.exists() and json.loads(previous.read_text()).get("before") != args.before:
        sizes = {}
    out = {"machine": machine(), "before": args.before, "limit": args.limit, "sizes": sizes}
    for n in [int(s) for s in args.sizes.split(",") if s]:
        synth = WORK / "synth"
        generate(n, synth)
        dirs = shard_dirs(synth, n)
        rounds = {"before": [], "after": []}
        cpu = {"before": [], "after": []}
        load = []
        for k in range(args.rounds):
            for name, tree in (("before", before), ("after", None)):
                with Idle() as idle:
                    r = run(tree, n, dirs, args.jobs)
                load.append(idle.result["other_cpu_share"])
                rounds[name].append(r["seconds_per_1000_reports"])
                cpu[name].append(round((r["user_cpu_s"] + r["sys_cpu_s"]) / r["reports"] * 1000, 2))
                log(f"dedup_cost: {n} reports, round {k + 1}, {name}: {r['seconds_per_1000_reports']} s per 1000, "
                    f"{cpu[name][-1]} CPU s per 1000 (other processes: {load[-1]:.0%} of the machine)")
        med = {name: statistics.median(v) for name, v in rounds.items()}
        med_cpu = {name: statistics.median(v) for name, v in cpu.items()}
        ratio = round(med["after"] / med["before"], 3)
        cpu_ratio = round(med_cpu["after"] / med_cpu["before"], 3)
        # CPU seconds of all the ingest's processes (wait4), less sensitive than wall time to other
        # sessions sharing the machine; both are reported
        out["sizes"][str(n)] = {"seconds_per_1000_reports": rounds, "median": med, "ratio": ratio,
                                "speedup": round(1 / ratio, 3), "within_limit": ratio <= args.limit,
                                "cpu_seconds_per_1000_reports": cpu, "median_cpu": med_cpu,
                                "cpu_ratio": cpu_ratio, "cpu_speedup": round(1 / cpu_ratio, 3),
                                "other_cpu_share_per_run": load}
        log(f"dedup_cost: {n} reports: {med['before']} -> {med['after']} s per 1000 reports, ratio {ratio} "
            f"({'within' if ratio <= args.limit else 'OVER'} {args.limit}); CPU {med_cpu['before']} -> "
            f"{med_cpu['after']} s per 1000, ratio {cpu_ratio}")
        write_result(args.out, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
