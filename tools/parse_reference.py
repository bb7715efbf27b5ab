"""The records of the whole sample corpus as hashes: the reference tests/test_parse_reference.py
compares against, so a speed change that alters a single byte of any record fails the tests.

    .venv/bin/python tools/parse_reference.py            # check: exit 1 and name the files that differ
    .venv/bin/python tools/parse_reference.py --write    # regenerate tests/data/parse_reference.json

Regenerate (--write) only when records change on purpose (a parsing rule, a lexicon line), in
the same commit as that change, and say so in its message. A speed change must never need it.

For each file under ../shared/corpus/ (bench/common.py's list): the sha256 of
`baogao.parse(path).to_json()` with source.path made relative to the corpus (the record is
otherwise what `baogao parse --out` writes), and the sha256 of what ingest derives from the record
(`store.db.prepare`: the search tokens of every sentence, the body size, the MinHash signature).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
REFERENCE = ROOT / "tests" / "data" / "parse_reference.json"
SUFFIXES = {".txt", ".html", ".htm", ".docx", ".pdf"}


def corpus_files(root: Path = CORPUS) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


def digests(path: Path, root: Path = CORPUS) -> dict:
    import baogao
    from baogao.store.db import prepare
    report = baogao.parse(path)
    report.source["path"] = str(path.relative_to(root))
    record = report.to_json()
    derived = prepare(json.loads(record))
    derived = {"grams": derived["grams"], "body_chars": derived["body_chars"],
               "signature": derived["signature"].hex(), "shingles": derived["shingles"]}
    return {"record": hashlib.sha256(record.encode("utf-8")).hexdigest(),
            "ingest": hashlib.sha256(json.dumps(derived, ensure_ascii=False).encode("utf-8")).hexdigest()}


def compute(root: Path = CORPUS) -> dict:
    out = {}
    for path in corpus_files(root):
        try:
            out[str(path.relative_to(root))] = digests(path, root)
        except Exception as e:          # a file baogao refuses: its one-line reason is the reference
            out[str(path.relative_to(root))] = {"error": f"{type(e).__name__}: {e}"}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="regenerate the reference")
    args = ap.parse_args()
    got = compute()
    if args.write:
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        REFERENCE.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"written {REFERENCE.relative_to(ROOT)}: {len(got)} files")
        return 0
    want = json.loads(REFERENCE.read_text(encoding="utf-8"))
    bad = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
    for k in bad:
        print(f"differs: {k}  {want.get(k)} -> {got.get(k)}")
    print(f"{len(got)} files, {len(bad)} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
