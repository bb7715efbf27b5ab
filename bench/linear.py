"""Is parse time linear in the size of hostile inputs? (issue 13)

    .venv/bin/python bench/linear.py

Two shapes, each at doubling sizes, one core, `baogao.parse_text` on the text in memory:
* one sentence of commas without 。 (地区生产总值增长2.3%，… : a figure every 12 characters, the
  worst density a report can have), 128 KB to 1 MB of UTF-8; it took 21 s at 1 MB when time
  grew with the square of a sentence's length;
* the sample corpus's reports run together into one text of 4, 8, 16 and 32 MB of UTF-8 (32 MB
  is the default file size limit, BAOGAO_MAX_MB), a file as a careless export would make it.
For each: seconds, seconds per MB, and the ratio of the largest size's cost per MB to the
smallest's (1.0 = linear). Results: bench/results/linear.json.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, corpus_files, log, machine, write_result  # noqa: E402

MB = 1 << 20


def comma_sentence(size: int) -> str:
    unit = "地区生产总值增长2.3%，"
    return "各位代表：\n一、2025年工作回顾\n" + unit * (size // len(unit.encode("utf-8")))


def many_reports(size: int) -> str:
    """The corpus's reports one after another to `size`, each pass marking its lines (…（2）) so a
    later pass is not a repeated copy (those are boilerplate and cost almost nothing)."""
    from baogao.read import read_source
    texts = [read_source(p).text for p in corpus_files(CORPUS)]
    parts, total, n = [], 0, 0
    while total < size:
        for text in texts:
            marked = text if n == 0 else "\n".join(f"{line}（{n}）" if line.strip() else line for line in text.split("\n"))
            parts.append(marked)
            total += len(marked.encode("utf-8"))
            if total >= size:
                break
        n += 1
    return "\n".join(parts)


def measure(make, sizes: list[int]) -> dict:
    import baogao
    rows = []
    for size in sizes:
        text = make(size)
        mb = len(text.encode("utf-8")) / MB
        t0 = time.perf_counter()
        report = baogao.parse_text(text)
        seconds = time.perf_counter() - t0
        rows.append({"mb": round(mb, 3), "seconds": round(seconds, 2), "seconds_per_mb": round(seconds / mb, 3),
                     "sentences": len(report.sentences), "observations": len(report.observations)})
        log(f"linear: {make.__name__} {mb:.2f} MB: {seconds:.2f} s ({seconds / mb:.2f} s/MB)")
    return {"rows": rows, "cost_per_mb_ratio": round(rows[-1]["seconds_per_mb"] / rows[0]["seconds_per_mb"], 2)}


def main() -> int:
    out = {"machine": machine(),
           "comma_sentence": measure(comma_sentence, [MB // 8, MB // 4, MB // 2, MB]),
           "many_reports": measure(many_reports, [4 * MB, 8 * MB, 16 * MB, 32 * MB])}
    write_result("linear", out)
    for name in ("comma_sentence", "many_reports"):
        log(f"linear: {name}: cost per MB at the largest size / at the smallest = {out[name]['cost_per_mb_ratio']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
