"""Shared helpers for the benchmarks: paths, the corpus file list, the machine, JSON results."""
from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared"
CORPUS = Path(os.environ.get("BENCH_CORPUS", SHARED / "corpus"))
RESULTS = BENCH / "results"
WORK = Path(os.environ.get("BENCH_WORK", BENCH / "work"))      # generated data, gitignored
PEERS_PY = BENCH / ".venv-peers" / "bin" / "python"
SUFFIXES = {".txt", ".html", ".htm", ".docx", ".pdf"}


def corpus_files(root: Path = CORPUS) -> list[Path]:
    """Every report file under the corpus folder, in a stable order (hidden files skipped)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "?"
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "baogao": _baogao_version(),
        "git": _git_head(),
        "date": _dt.datetime.now().isoformat(timespec="seconds"),
    }


def _baogao_version() -> str | None:
    try:
        import baogao
        return baogao.__version__
    except Exception:
        return None


def _git_head() -> str | None:
    try:       # read-only: which commit the numbers belong to
        head = (ROOT / ".git" / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = ROOT / ".git" / head[5:]
            return ref.read_text().strip()[:12] if ref.exists() else head[5:]
        return head[:12]
    except OSError:
        return None


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    xs = sorted(values)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


def summary_stats(values: list[float]) -> dict:
    return {"n": len(values), "min": min(values), "median": statistics.median(values),
            "max": max(values)}


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def run_quiet(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# -- was the machine idle? -------------------------------------------------------------------------
def _proc_stat() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine, steal seconds) since boot, from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0, 0.0
    v = [int(x) for x in fields] + [0] * 10
    user, nice, system, idle, iowait, irq, softirq, steal = v[:8]
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def _own_cpu() -> float:
    """CPU seconds of this process and its live descendants (and their reaped children)."""
    try:
        import psutil
    except ImportError:
        import resource
        r = resource.getrusage(resource.RUSAGE_SELF)
        c = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime
    me = psutil.Process()
    total = 0.0
    for p in [me] + me.children(recursive=True):
        try:
            t = p.cpu_times()
            total += t.user + t.system + (t.children_user + t.children_system if p is me else 0)
        except psutil.Error:
            pass
    return total


class Idle:
    """Measures how much of the machine other processes used during a `with` block.

    `other_cpu_share` = (machine busy CPU - our CPU) / (wall x cores): 0 on an idle machine.
    A shared machine (other sessions, CI) makes wall-clock numbers slower than they are."""

    def __enter__(self):
        self.t0, (self.busy0, self.steal0), self.own0 = time_now(), _proc_stat(), _own_cpu()
        return self

    def __exit__(self, *exc):
        wall = time_now() - self.t0
        busy, steal = _proc_stat()
        own = _own_cpu() - self.own0
        cores = os.cpu_count() or 1
        self.result = {"wall_s": round(wall, 2), "own_cpu_s": round(own, 2),
                       "other_cpu_share": round(max(0.0, (busy - self.busy0 - own) / (wall * cores)), 3) if wall else None,
                       "steal_share": round((steal - self.steal0) / (wall * cores), 3) if wall else None,
                       "loadavg_after": [round(x, 2) for x in os.getloadavg()]}
        return False


def time_now() -> float:
    import time
    return time.perf_counter()


def wait_idle(max_wait: float, threshold: float = 0.10, window: float = 5.0) -> dict:
    """Wait (up to max_wait s) until other processes use less than `threshold` of the machine
    over a `window`-second sample. Returns what was seen; never fails."""
    import time
    t0 = time.perf_counter()
    share = None
    while True:
        with Idle() as probe:
            time.sleep(window)
        share = probe.result["other_cpu_share"]
        waited = time.perf_counter() - t0
        if share is None or share < threshold or waited >= max_wait:
            return {"waited_s": round(waited, 1), "other_cpu_share": share, "idle": share is not None and share < threshold}
        log(f"bench: machine busy ({share:.0%} used by other processes); waiting ({waited:.0f}/{max_wait:.0f} s)")
