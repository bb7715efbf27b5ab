#!/usr/bin/env python3
"""Build src/baogao/regions/data/areacodes.tsv.gz from ../shared/data/areacodes/result.csv.

The source (yescallop/areacodes, CC0) has one row per code and name, with validity years and
successor codes. We keep the same facts in a compact table the package can load quickly:

    code  name  level  parent  start  end  successors

- level: province | city | county (省级 / 地级 / 县级).
- parent: the code of the prefecture (county) or province (prefecture, and counties listed as
  直辖 under a province or a municipality); empty for provinces.
- start: first year in force (inclusive); end: year changed or retired (exclusive), empty if in use.
- successors: as in the source, `code` or `code[YYYY]`, ';'-separated.

Rows that differ only because the parent prefecture was renamed (the county keeps its code and
name, the source retires the old row with itself as successor) are merged into one row, so a
name lookup does not see the same district twice.

Usage: python tools/build_gazetteer.py [--src CSV] [--out TSV.GZ]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / ".." / "shared" / "data" / "areacodes" / "result.csv"
OUT = ROOT / "src" / "baogao" / "regions" / "data" / "areacodes.tsv.gz"
LEVELS = {"省级": "province", "地级": "city", "县级": "county"}
HEADER = ["code", "name", "level", "parent", "start", "end", "successors"]


def read_rows(src: Path) -> list[dict]:
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = []
        for r in csv.DictReader(f):
            level = LEVELS[r["级别"]]
            code = r["代码"]
            if level == "province":
                parent = ""
            elif level == "city" or r["二级行政区"] == "直辖":
                parent = code[:2] + "0000"
            else:
                parent = code[:4] + "00"
            rows.append({"code": code, "name": r["名称"], "level": level, "parent": parent,
                         "start": int(r["启用时间"]),
                         "end": int(r["变更/弃用时间"]) if r["变更/弃用时间"] else None,
                         "successors": [s for s in r["新代码"].split(";") if s],
                         "prefecture": r["二级行政区"]})
    return rows


def _untagged(succ: list[str]) -> list[str]:
    return [s for s in succ if "[" not in s]


def merge_renamed_parent(rows: list[dict]) -> list[dict]:
    """Join a row retired only because its parent was renamed with the row that follows it."""
    rows = sorted(rows, key=lambda r: (r["code"], r["start"]))
    out: list[dict] = []
    for r in rows:
        prev = out[-1] if out else None
        if (prev and prev["code"] == r["code"] and prev["name"] == r["name"]
                and prev["end"] == r["start"] and _untagged(prev["successors"]) in ([], [r["code"]])):
            # keep the partial transfers ([YYYY]) of both periods; drop the self-successor
            tagged = [s for s in prev["successors"] if "[" in s]
            prev.update(end=r["end"], successors=tagged + [s for s in r["successors"] if s not in tagged])
            continue
        out.append(dict(r))
    return out


def check_parents(rows: list[dict]) -> list[str]:
    """Every parent code must exist with an overlapping validity period."""
    by_code: dict[str, list[dict]] = {}
    for r in rows:
        by_code.setdefault(r["code"], []).append(r)
    problems = []
    for r in rows:
        if not r["parent"]:
            continue
        end = r["end"] or 9999
        if not any(p["start"] < end and (p["end"] or 9999) > r["start"] for p in by_code.get(r["parent"], [])):
            problems.append(f"{r['code']} {r['name']}: parent {r['parent']} not in force {r['start']}-{r['end']}")
    return problems


def to_tsv_gz(rows: list[dict]) -> bytes:
    text = io.StringIO()
    text.write("# Division codes 1981-2024, from yescallop/areacodes (CC0 1.0); built by tools/build_gazetteer.py\n")
    text.write("\t".join(HEADER) + "\n")
    for r in rows:
        text.write("\t".join([r["code"], r["name"], r["level"], r["parent"], str(r["start"]),
                              str(r["end"] or ""), ";".join(r["successors"])]) + "\n")
    buf = io.BytesIO()
    # mtime=0 and no file name: the same source always gives the same bytes
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return buf.getvalue()


def build(src: Path = SRC) -> bytes:
    rows = merge_renamed_parent(read_rows(src))
    problems = check_parents(rows)
    if problems:
        raise SystemExit("parent check failed:\n" + "\n".join(problems[:20]))
    return to_tsv_gz(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=SRC)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    data = build(args.src)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    n = gzip.decompress(data).decode("utf-8").count("\n") - 2
    print(f"wrote {args.out} ({len(data)} bytes, {n} rows)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
