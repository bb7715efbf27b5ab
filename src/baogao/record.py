"""The report record (../shared/spec/REPORT_JSON.md) as typed Python objects.

Like spaCy's Doc/Span: the decoded `text` never changes; everything else is an offset pair
(start, end) into it, so any figure can be shown in its sentence. `Report.to_dict()` gives
exactly the interchange format the scorer and the store read; `Report.from_dict()` reverses it.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str = ""          # boilerplate: why it was struck (chrome, disclaimer, caption, ...)


@dataclass(frozen=True, slots=True)
class Section:
    level: int              # 1 for 一、…, 2 for （一）…
    title: str
    start: int             # span of the title
    end: int
    body_end: int = -1      # where the section's content ends (next section of same or higher level)


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    text: str               # exact surface from the first digit to the end of the unit
    value: float            # the number as written (5500余万元 -> 5500)
    unit: str               # as written, with its multiplier (万元, 亿元, %, 个百分点)
    high: float | None = None       # upper bound of a range (4.5%—5%)
    approx: bool = False            # 余/多/左右/约/近
    floor: bool = False             # 以上/超过/突破
    ceiling: bool = False           # 以内/以下/不超过


@dataclass(slots=True)
class Observation:
    indicator: str
    measure: str            # level | growth_pct | change | pp_change | share_pct | avg_growth_pct | rank
    value: float
    unit: str
    status: str             # actual | target
    period: int | str | None
    start: int
    end: int
    high: float | None = None
    scope: str | None = None        # rank only: 全市, 六城区, ...
    of: str | None = None           # rank only: level | growth
    basis: str | None = None        # unemployment only: registered (登记) | surveyed (调查)
    approx: bool = False
    estimated: bool = False
    floor: bool = False
    ceiling: bool = False
    sentence: tuple[int, int] | None = None   # span of the sentence it came from

    def to_dict(self) -> dict[str, Any]:
        d = {"indicator": self.indicator, "measure": self.measure, "value": self.value,
             "unit": self.unit, "status": self.status, "period": self.period,
             "start": self.start, "end": self.end}
        if self.high is not None:
            d["high"] = self.high
        if self.measure == "rank":
            d["scope"], d["of"] = self.scope or "", self.of or "level"
        if self.basis:
            d["basis"] = self.basis
        for flag in ("approx", "estimated", "floor", "ceiling"):
            if getattr(self, flag):
                d[flag] = True
        if self.sentence:
            d["sentence"] = list(self.sentence)
        return d


@dataclass(slots=True)
class Meta:
    title: str | None = None
    region: dict[str, Any] = field(default_factory=dict)   # code, province, city, county, level, candidates
    date: str | None = None                                # ISO date of delivery
    congress: dict[str, int | None] = field(default_factory=lambda: {"term": None, "session": None})
    speaker: dict[str, str | None] = field(default_factory=lambda: {"name": None, "title": None})
    review_year: int | None = None
    year: int | None = None                                # year of delivery
    year_source: str | None = None                         # date | review_year | text | file name
    review_year_source: str | None = None                  # heading | date | year (the year before `year`)
    spans: dict[str, list[int]] = field(default_factory=dict)   # where each field was read: name -> [start, end]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Report:
    doc: str
    text: str
    meta: Meta = field(default_factory=Meta)
    source: dict[str, Any] = field(default_factory=dict)    # path, format (txt|html|docx|pdf), encoding, sha256
    boilerplate: list[Span] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)

    # -- views -------------------------------------------------------------------------
    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence that contains `offset` (binary search over sorted spans)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if s.end <= offset:
                lo = mid + 1
            elif s.start > offset:
                hi = mid
            else:
                return s
        return None

    def body_chars(self) -> int:
        """Non-space characters of the report proper."""
        return body_chars(self.text, [(b.start, b.end) for b in self.boilerplate])

    # -- interchange -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "text": self.text,
            "source": self.source,
            "meta": self.meta.to_dict(),
            "boilerplate": [{"start": b.start, "end": b.end, "kind": b.kind} for b in self.boilerplate],
            "sections": [{"level": s.level, "title": s.title, "start": s.start, "end": s.end,
                          "body_end": s.body_end} for s in self.sections],
            "sentences": [{"start": s.start, "end": s.end} for s in self.sentences],
            "quantities": [_quantity_dict(q) for q in self.quantities],
            "observations": [o.to_dict() for o in self.observations],
            "audit": self.audit,
        }

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Report":
        meta_keys = {f.name for f in fields(Meta)}
        obs_keys = {f.name for f in fields(Observation)}
        q_keys = {f.name for f in fields(Quantity)}
        return cls(
            doc=d["doc"], text=d["text"], source=d.get("source", {}),
            meta=Meta(**{k: v for k, v in d.get("meta", {}).items() if k in meta_keys}),
            boilerplate=[Span(b["start"], b["end"], b.get("kind", "")) for b in d.get("boilerplate", [])],
            sections=[Section(s.get("level", 1), s["title"], s["start"], s["end"], s.get("body_end", -1))
                      for s in d.get("sections", [])],
            sentences=[Span(s["start"], s["end"]) for s in d.get("sentences", [])],
            quantities=[Quantity(**{k: v for k, v in q.items() if k in q_keys}) for q in d.get("quantities", [])],
            observations=[Observation(**{k: (tuple(v) if k == "sentence" and v else v)
                                         for k, v in o.items() if k in obs_keys})
                          for o in d.get("observations", [])],
            audit=d.get("audit", []),
        )

    @classmethod
    def from_json(cls, s: str) -> "Report":
        return cls.from_dict(json.loads(s))


def body_chars(text: str, struck: list[tuple[int, int]]) -> int:
    """Non-space characters of `text` outside the struck spans (which do not overlap)."""
    return _nonspace(text) - sum(_nonspace(text[s:e]) for s, e in struck)


def _nonspace(s: str) -> int:
    return sum(map(len, s.split()))     # str.split() splits on exactly the str.isspace() characters


def _quantity_dict(q: Quantity) -> dict[str, Any]:
    d: dict[str, Any] = {"start": q.start, "end": q.end, "text": q.text, "value": q.value, "unit": q.unit}
    if q.high is not None:
        d["high"] = q.high
    for flag in ("approx", "floor", "ceiling"):
        if getattr(q, flag):
            d[flag] = True
    return d
