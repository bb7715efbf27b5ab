"""Peer libraries on the same texts, one core. Runs in bench/.venv-peers (never the product's venv).

    bench/.venv-peers/bin/python bench/peers.py TEXTS.jsonl OUT.json [--rt-budget SECONDS]

TEXTS.jsonl: one {"doc": ..., "text": ...} per line, the texts exactly as baogao decoded them.

* jieba.lcut(text) on every text (default mode, HMM on), after jieba.initialize(): the
  dictionary load is not timed.
* Microsoft Recognizers-Text, Chinese: the currency and dimension models
  (recognizers_number_with_unit) and the percentage model (recognizers_number), each built
  once before timing and then `.parse(text)` on every text. (The `recognize_currency(...)`
  helpers build a new recognizer on every call; timing those would be unfair to the library.)
  Each text is passed whole, as baogao gets it: on the corpus this is faster than passing it
  line by line (which we checked). When the three models would need more than --rt-budget
  seconds for the corpus, they run on a fixed sample instead: the texts in a fixed shuffled
  order (seed 0) until the budget is spent, and the rate is extrapolated to the corpus. The
  output says so ("sampled": true, the sample's chars and documents).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def bench_jieba(texts: list[str], reps: int) -> dict:
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    t0 = time.perf_counter()
    jieba.initialize()
    init = time.perf_counter() - t0
    jieba.lcut(texts[0][:2000])                       # warm-up
    chars = sum(map(len, texts))
    times, tokens = [], 0
    for _ in range(reps):
        t0 = time.perf_counter()
        tokens = 0
        for t in texts:
            tokens += len(jieba.lcut(t))
        times.append(time.perf_counter() - t0)
    best = min(times)
    return {"library": "jieba", "version": getattr(jieba, "__version__", "?"), "call": "jieba.lcut(text)",
            "init_seconds": round(init, 3), "reps": reps, "seconds": [round(t, 3) for t in times],
            "best_seconds": round(best, 3), "chars": chars, "docs": len(texts), "tokens": tokens,
            "chars_per_s": chars / best}


def bench_recognizers(texts: list[str], budget: float) -> dict:
    from importlib.metadata import version

    from recognizers_number import NumberRecognizer
    from recognizers_number_with_unit import NumberWithUnitRecognizer
    from recognizers_text import Culture
    t0 = time.perf_counter()
    nu = NumberWithUnitRecognizer(Culture.Chinese)
    nr = NumberRecognizer(Culture.Chinese)
    models = {"currency": nu.get_currency_model(), "dimension": nu.get_dimension_model(),
              "percentage": nr.get_percentage_model()}
    init = time.perf_counter() - t0
    for m in models.values():                          # warm-up (lazy regex compilation)
        m.parse("全年地区生产总值完成102.46亿元，增长2.3%，新增耕地3300亩。")
    total_chars = sum(map(len, texts))
    order = list(range(len(texts)))
    random.Random(0).shuffle(order)
    per_model = {name: 0.0 for name in models}
    found = {name: 0 for name in models}
    done_chars, done_docs = 0, 0
    start = time.perf_counter()
    for i in order:
        text = texts[i]
        for name, model in models.items():
            t0 = time.perf_counter()
            found[name] += len(model.parse(text))
            per_model[name] += time.perf_counter() - t0
        done_chars += len(text)
        done_docs += 1
        if time.perf_counter() - start > budget and done_docs < len(texts):
            break
    seconds = sum(per_model.values())
    rate = done_chars / seconds
    sampled = done_docs < len(texts)
    return {"library": "recognizers-text-suite", "version": version("recognizers-text-suite"),
            "call": "NumberWithUnitRecognizer(Culture.Chinese).get_currency_model()/get_dimension_model(), "
                    "NumberRecognizer(Culture.Chinese).get_percentage_model(); model.parse(text)",
            "init_seconds": round(init, 3), "sampled": sampled, "budget_seconds": budget,
            "chars": done_chars, "docs": done_docs, "corpus_chars": total_chars, "corpus_docs": len(texts),
            "seconds": round(seconds, 3), "chars_per_s": rate,
            "estimated_corpus_seconds": round(total_chars / rate, 1),
            "per_model": {name: {"seconds": round(s, 3), "chars_per_s": done_chars / s, "found": found[name]}
                          for name, s in per_model.items()}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("texts")
    ap.add_argument("out")
    ap.add_argument("--jieba-reps", type=int, default=1)
    ap.add_argument("--rt-budget", type=float, default=900.0, help="seconds for Recognizers-Text (default 900)")
    ap.add_argument("--skip", action="append", default=[], choices=["jieba", "recognizers"])
    args = ap.parse_args()
    texts = [d["text"] for d in load(args.texts)]
    out = {"python": sys.version.split()[0]}
    if "jieba" not in args.skip:
        print("peers: jieba.lcut ...", file=sys.stderr, flush=True)
        out["jieba"] = bench_jieba(texts, args.jieba_reps)
    if "recognizers" not in args.skip:
        print("peers: Recognizers-Text (currency, dimension, percentage) ...", file=sys.stderr, flush=True)
        out["recognizers"] = bench_recognizers(texts, args.rt_budget)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
