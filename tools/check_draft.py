#!/usr/bin/env python3
"""tools/check_draft.py DRAFT.json SOURCE (an annotator's check before build_gold.py; tests/ANNOTATION.md): every observation's `quantity` occurs in the text (in reading
order is not required); counts by indicator; ids are canonical."""
import json, sys, csv
from pathlib import Path
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
draft = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
raw = Path(sys.argv[2]).read_bytes()
for enc in ("utf-8", "gb18030"):
    try:
        text = raw.decode(enc); break
    except UnicodeDecodeError:
        pass
ids = {r["id"] for r in csv.DictReader(open(SHARED / "spec" / "indicators.tsv", encoding="utf-8"), delimiter="\t")}
bad = 0
for o in draft.get("observations", []):
    q = o.get("quantity")
    if o.get("indicator") not in ids:
        print("not a canonical id:", o); bad += 1
    if o.get("measure") not in ("level", "growth_pct", "change", "pp_change", "share_pct", "avg_growth_pct", "rank"):
        print("bad measure:", o); bad += 1
    if not q or q not in text:
        print("quantity not in text:", o); bad += 1
    if o.get("status") not in ("actual", "target"):
        print("bad status:", o); bad += 1
keys = {}
for o in draft.get("observations", []):
    k = (o["indicator"], o["measure"], o["status"], str(o["period"]), o["value"], o.get("high"), o.get("scope"), o.get("of"))
    keys[k] = keys.get(k, 0) + 1
for k, n in keys.items():
    if n > 1:
        print("listed twice:", k)
print(f"{len(draft.get('observations', []))} observations, {bad} problems")
