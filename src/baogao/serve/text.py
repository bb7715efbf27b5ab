"""A report's text as HTML: sliced at span offsets, every piece escaped on its own.

The text is cut at every start and end of a boilerplate span, section title, quantity and
observation. Each piece becomes one element (`<span>`, or `<del>` when it is boilerplate) that
carries its offset in `data-s` and the indices of the figures covering it in `data-q` / `data-o`.
Pieces never nest, so overlapping spans need no care, and the concatenated text content of the
elements is exactly `text` (carriage returns are written as &#13; so the HTML parser keeps them).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Item:
    start: int
    end: int
    kind: str        # bp | head | q | o
    index: int


def render_text(text: str, record: dict) -> Markup:
    """The whole text with boilerplate struck, titles anchored and figures highlighted."""
    n = len(text)
    items = [item for item in _items(record) if 0 <= item.start < item.end <= n]
    anchors = defaultdict(list)
    for i, section in enumerate(record.get("sections") or []):
        anchors[min(max(section["start"], 0), n)].append(i)
    opens, closes = defaultdict(list), defaultdict(list)
    for item in items:
        opens[item.start].append(item)
        closes[item.end].append(item)
    bounds = sorted({0, n, *opens, *closes, *anchors})
    active: set[Item] = set()
    out = []
    for a, b in zip(bounds, bounds[1:] + [None]):
        out += [f'<a class="anchor" id="sec-{i}"></a>' for i in anchors.get(a, [])]
        active.difference_update(closes.get(a, []))
        active.update(opens.get(a, []))
        if b is not None and b > a:
            out.append(_piece(text[a:b], a, active, record))
    return Markup("".join(out))


def _items(record: dict):
    for i, b in enumerate(record.get("boilerplate") or []):
        yield Item(b["start"], b["end"], "bp", i)
    for i, s in enumerate(record.get("sections") or []):
        yield Item(s["start"], s["end"], "head", i)
    for i, q in enumerate(record.get("quantities") or []):
        yield Item(q["start"], q["end"], "q", i)
    for i, o in enumerate(record.get("observations") or []):
        yield Item(o["start"], o["end"], "o", i)


def _piece(piece: str, start: int, active: set[Item], record: dict) -> str:
    by_kind = defaultdict(list)
    for item in active:
        by_kind[item.kind].append(item.index)
    classes, attrs = [], {"data-s": start}
    if by_kind["bp"]:
        kinds = {(record["boilerplate"][i].get("kind") or "") for i in by_kind["bp"]}
        classes.append("bp")
        attrs["title"] = "boilerplate" + (f" ({', '.join(sorted(k for k in kinds if k))})" if any(kinds) else "")
    if by_kind["head"]:
        level = min(record["sections"][i].get("level") or 1 for i in by_kind["head"])
        classes += ["head", f"head-{level}"]
    if by_kind["q"] or by_kind["o"]:
        classes.append("fig obs" if by_kind["o"] else "fig")
        attrs["data-q"] = " ".join(map(str, sorted(by_kind["q"])))
        attrs["data-o"] = " ".join(map(str, sorted(by_kind["o"])))
        attrs["tabindex"] = 0
    tag = "del" if by_kind["bp"] else "span"
    if classes:
        attrs = {"class": " ".join(classes), **attrs}
    attributes = "".join(f' {name}="{escape(str(value))}"' for name, value in attrs.items())
    return f"<{tag}{attributes}>{escape_text(piece)}</{tag}>"


def escape_text(piece: str) -> str:
    """HTML-escaped text whose carriage returns survive parsing (CRLF would become LF)."""
    return str(escape(piece)).replace("\r", "&#13;")


def json_script(data) -> Markup:
    """JSON safe to put inside <script type="application/json">: no '<', '>' or '&' in it."""
    dumped = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    dumped = dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(dumped.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
