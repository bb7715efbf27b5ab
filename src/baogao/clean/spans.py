"""Sorted, non-overlapping spans with O(log n) membership: "is this offset struck?".

Scraped pages carry hundreds of boilerplate spans; asking each sentence, quantity and
character about all of them was the parser's hot spot (bench/results/profile_parse.json).
"""
from __future__ import annotations

from bisect import bisect_right


class SpanSet:
    def __init__(self, spans):
        merged: list[list[int]] = []
        for s, e in sorted((int(s), int(e)) for s, e in spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def __iter__(self):
        return iter(zip(self.starts, self.ends))

    def contains(self, pos: int) -> bool:
        """pos lies inside a span."""
        return self.end_containing(pos) is not None

    def end_containing(self, pos: int) -> int | None:
        """The end of the span pos lies in (spans that touch are one), None if it lies in none."""
        k = bisect_right(self.starts, pos) - 1
        return self.ends[k] if k >= 0 and pos < self.ends[k] else None

    def covers(self, start: int, end: int) -> bool:
        """[start, end) lies wholly inside one span."""
        k = bisect_right(self.starts, start) - 1
        return k >= 0 and end <= self.ends[k]
