"""How long the CLI spends importing before it does anything (issue 14: ≤ 0.2 s).

    .venv/bin/python bench/startup.py

For `baogao --help` and `baogao parse ONE.txt`: `python -X importtime -m baogao.cli ...` in a
fresh process, the import time summed over the top-level imports (its cumulative column), the
median of --runs runs, the heaviest top-level imports, and whether pandas, numpy, fastapi or
pyarrow were imported at all (they belong to the commands that need them). Also the wall time
of the whole command. Results: bench/results/startup.json.
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, ROOT, log, machine, write_result  # noqa: E402

LIMIT_S = 0.2
HEAVY = ("pandas", "numpy", "fastapi", "pyarrow", "uvicorn", "jinja2")
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def imports(args: list[str]) -> tuple[float, dict[str, float], float]:
    """(seconds of imports, top-level module -> seconds, wall seconds) of one run."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "baogao.cli", *args], capture_output=True,
                          text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    top = {}
    for m in LINE.finditer(proc.stderr):
        if len(m.group(3)) == 1:                # one space of indent: imported by the script itself
            top[m.group(4)] = top.get(m.group(4), 0) + int(m.group(2)) / 1e6
    return sum(top.values()), top, wall


def measure(name: str, args: list[str], runs: int) -> dict:
    results = [imports(args) for _ in range(runs)]
    total = statistics.median(r[0] for r in results)
    top = results[len(results) // 2][1]
    seen = set()
    for _, modules, _ in results:
        seen |= {m.split(".")[0] for m in modules}
    out = {"command": "baogao " + " ".join(args), "import_s": round(total, 3),
           "wall_s": round(statistics.median(r[2] for r in results), 3),
           "heaviest": {m: round(s, 3) for m, s in sorted(top.items(), key=lambda kv: -kv[1])[:6]},
           "heavy_imported": sorted(seen & set(HEAVY)), "within_limit": total <= LIMIT_S}
    log(f"startup: {name}: imports {total * 1000:.0f} ms (limit {LIMIT_S * 1000:.0f}), wall {out['wall_s'] * 1000:.0f} ms; "
        f"heavy modules: {out['heavy_imported'] or 'none'}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    one = CORPUS / "seeds" / "000_35cb704d32544e9e.txt"
    out = {"machine": machine(), "limit_s": LIMIT_S,
           "help": measure("--help", ["--help"], args.runs),
           "parse": measure("parse one file", ["parse", str(one)], args.runs)}
    write_result("startup", out)
    return 0 if out["help"]["within_limit"] and out["parse"]["within_limit"] else 1


if __name__ == "__main__":
    sys.exit(main())
