#!/usr/bin/env bash
# make bench: parse throughput vs peers, parse speed interleaved with jieba, rjieba and a regex pass
# (bench/speed.py, issue 15), then ingest/search at scale; bench/report.py prints the tables.
#   BENCH_SCALE=0            skip the scale benchmark
#   BENCH_SIZES=1000,10000   sizes for the scale benchmark (default 1000,10000,60000)
#   BENCH_REPS=3             repetitions of the parse timings (best is reported)
#   BENCH_RT_BUDGET=900      seconds Recognizers-Text may take before it is sampled
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PEERS=bench/.venv-peers

# The peers (jieba, Recognizers-Text) live in their own venv so they never become dependencies
# of baogao. recognizers-text-suite needs emoji<1.0.
if [ ! -x "$PEERS/bin/python" ] || ! "$PEERS/bin/python" -c "import jieba, rjieba, recognizers_number_with_unit" 2>/dev/null; then
  echo "bench: creating $PEERS (jieba, rjieba, recognizers-text-suite, emoji<1.0)" >&2
  python3 -m venv "$PEERS"
  "$PEERS/bin/pip" install -q --upgrade pip
  "$PEERS/bin/pip" install -q jieba rjieba recognizers-text-suite 'emoji<1.0'
fi

"$PY" bench/run.py
"$PY" bench/speed.py
if [ "${BENCH_SCALE:-1}" != 0 ]; then
  "$PY" bench/scale.py
fi
"$PY" bench/report.py
