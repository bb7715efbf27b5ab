"""Inline SVG charts drawn on the server: a line chart over years, a horizontal bar chart and a
ranked dot-and-range chart of one year.

The charts have no viewBox: they are as wide as their box (width="100%") and place things across
in percentages, so a chart on a 390-pixel phone keeps 12-pixel labels instead of shrinking a
960-pixel drawing to a third of its size. Only the line chart's paths need a scaled drawing
(a path takes no percentages): they sit in an inner <svg> stretched to the plot, with strokes
that do not stretch (vector-effect). Every label goes through escape(); points, bars and rows
can link to the place in a report they come from.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup, escape

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22"]
NATION_COLOR = "#b3261e"
ROW_COLOR = "#1f5fa8"


@dataclass
class Point:
    x: int
    y: float
    tooltip: str = ""
    href: str | None = None


@dataclass
class Series:
    name: str
    color: str
    dashed: bool = False          # targets are dashed with hollow markers
    points: list[Point] = field(default_factory=list)


@dataclass
class Bar:
    label: str
    value: float
    tooltip: str = ""
    href: str | None = None


@dataclass
class RangeRow:
    """One region's value in a one-year chart: a dot, or a bar from low to high for a range."""
    label: str
    low: float
    high: float | None = None
    text: str = ""                # the value as written beside the mark: 5–5.5, 6 左右, ≥ 5
    tooltip: str = ""
    href: str | None = None
    hollow: bool = False          # approximate (左右): a hollow dot
    highlight: bool = False       # the nation, drawn in another colour

    @property
    def middle(self) -> float:
        return self.low if self.high is None else (self.low + self.high) / 2


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if high <= low:
        low, high = low - 1, high + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def fmt(value: float) -> str:
    """A number as people write it: 5 not 5.0, 102.46 not 102.46000001."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fmt_axis(value: float) -> str:
    """Tick labels in the units Chinese reports use: 1250万, 3.5亿."""
    for factor, suffix in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= factor:
            return fmt(round(value / factor, 4)) + suffix
    return fmt(value)


def year_ticks(first: int, last: int) -> list[tuple[int, bool]]:
    """(year, major) for the year axis: at most about 12 labels, of which the major ones (at most
    about 6) are the only ones a phone shows (CSS hides the others below 600 pixels)."""
    span = max(last - first, 1)
    steps = [1, 2, 5, 10, 20, 25, 50, 100]
    step = next(s for s in steps if span / s <= 12)
    major = next(s for s in steps if s >= step and span / s <= 6)
    start = math.ceil(first / step) * step
    return [(year, year % major == 0) for year in range(start, last + 1, step)]


def runs(points: list[Point]) -> list[list[Point]]:
    """The points cut where a year is missing: a line joins consecutive years only, so a year with
    no value (no report, or a report that does not say) is a gap, not a straight line across it."""
    out: list[list[Point]] = []
    for point in sorted(points, key=lambda p: p.x):
        if out and point.x == out[-1][-1].x + 1:
            out[-1].append(point)
        else:
            out.append([point])
    return out


# -- the line chart ------------------------------------------------------------------------------
LINE_LEFT, LINE_WIDTH = 7.0, 89.0       # the plot's left edge and width, in % of the chart's width
INNER_WIDTH = 1000                      # the inner drawing's width (its x units), stretched to the plot


def line_chart(series: list[Series], y_label: str = "", x_label: str = "year", height: int = 320) -> Markup:
    """Years across, values up; one path per run of consecutive years, a marker per value."""
    points = [p for s in series for p in s.points]
    if not points:
        return Markup("")
    top, bottom = 34, height - 34
    x_low, x_high = min(p.x for p in points), max(p.x for p in points)
    if x_low == x_high:
        x_low, x_high = x_low - 1, x_high + 1
    ticks = nice_ticks(min(0.0, *(p.y for p in points)), max(p.y for p in points))
    y_low, y_high = ticks[0], ticks[-1]

    def share(x: float) -> float:               # 0..1 across the plot
        return (x - x_low) / (x_high - x_low)

    def sy(y: float) -> float:
        return top + (y_high - y) / (y_high - y_low) * (bottom - top)

    parts = [f'<svg class="chart line-chart" width="100%" height="{height}" role="img" '
             f'aria-label="{escape(y_label)}" xmlns="http://www.w3.org/2000/svg">']
    for tick in ticks:      # the value sits on its grid line at the left: no margin of fixed width needed
        parts.append(f'<line class="grid" x1="0" x2="100%" y1="{sy(tick):.1f}" y2="{sy(tick):.1f}"/>'
                     f'<text class="tick" x="0" y="{sy(tick) - 3:.1f}">{fmt_axis(tick)}</text>')
    for year, major in year_ticks(x_low, x_high):
        parts.append(f'<text class="tick{"" if major else " minor"}" x="{LINE_LEFT + LINE_WIDTH * share(year):.2f}%" '
                     f'y="{bottom + 16}" text-anchor="middle">{year}</text>')
    parts.append(f'<line class="axis" x1="0" x2="100%" y1="{bottom}" y2="{bottom}"/>')
    if y_label:
        parts.append(f'<text class="axis-label" x="0" y="13">{escape(y_label)}</text>')
    if x_label:
        parts.append(f'<text class="axis-label x-label" x="100%" y="{height - 2}" text-anchor="end">'
                     f'{escape(x_label)}</text>')
    parts.append(f'<svg class="plot" x="{LINE_LEFT}%" y="0" width="{LINE_WIDTH}%" height="{height}" '
                 f'viewBox="0 0 {INNER_WIDTH} {height}" preserveAspectRatio="none" overflow="visible">')
    parts += [_series_paths(s, share, sy) for s in series]
    parts.append("</svg>")
    parts += [_series_markers(s, share, sy) for s in series]
    parts.append("</svg>")
    return Markup("".join(parts))


def _series_paths(s: Series, share, sy) -> str:
    dash = ' stroke-dasharray="6 4"' if s.dashed else ""
    paths = []
    for run in runs(s.points):
        if len(run) > 1:
            d = " ".join(f"{'M' if i == 0 else 'L'}{INNER_WIDTH * share(p.x):.1f},{sy(p.y):.1f}"
                         for i, p in enumerate(run))
            paths.append(f'<path class="line" d="{d}" stroke="{s.color}" fill="none" stroke-width="2"'
                         f' vector-effect="non-scaling-stroke"{dash}/>')
    return f'<g class="series-lines" data-name="{escape(s.name)}">{"".join(paths)}</g>'


def _series_markers(s: Series, share, sy) -> str:
    out = [f'<g class="series" data-name="{escape(s.name)}">']
    fill = "#fff" if s.dashed else s.color
    for p in sorted(s.points, key=lambda p: p.x):
        marker = (f'<circle class="point" cx="{LINE_LEFT + LINE_WIDTH * share(p.x):.2f}%" cy="{sy(p.y):.1f}" r="4.5" '
                  f'fill="{fill}" stroke="{s.color}" stroke-width="2"><title>{escape(p.tooltip)}</title></circle>')
        out.append(f'<a href="{escape(p.href)}">{marker}</a>' if p.href else marker)
    out.append("</g>")
    return "".join(out)


# -- the bar chart -------------------------------------------------------------------------------
BAR_MAX = 86.0          # the longest bar, in % of the width: the rest holds its value


def bar_chart(bars: list[Bar], unit: str = "", row: int = 36) -> Markup:
    """One horizontal bar per row, its label above it and its value after it; the unit on top."""
    if not bars:
        return Markup("")
    top = 24 if unit else 4
    height = top + row * len(bars) + 4
    high = max((b.value for b in bars), default=0) or 1
    parts = [f'<svg class="chart bar-chart" width="100%" height="{height}" role="img" '
             f'aria-label="{escape(unit)}" xmlns="http://www.w3.org/2000/svg">']
    if unit:
        parts.append(f'<text class="axis-label" x="0" y="13">{escape(unit)}</text>')
    for i, bar in enumerate(bars):
        y = top + i * row
        length = max(bar.value, 0) / high * BAR_MAX
        # a transparent row under the marks: the whole row is the link, not only its ink
        body = (f'<rect class="hit" x="0" y="{y}" width="100%" height="{row}" fill="transparent"/>'
                f'<text class="bar-label" x="0" y="{y + 13}">{escape(bar.label)}</text>'
                f'<rect class="bar" x="0" y="{y + 18}" width="{length:.2f}%" height="12">'
                f'<title>{escape(bar.tooltip)}</title></rect>'
                f'<text class="bar-value" x="{length:.2f}%" dx="6" y="{y + 28}">{fmt(bar.value)}</text>')
        parts.append(f'<a class="bar-link" href="{escape(bar.href)}">{body}</a>' if bar.href else body)
    parts.append("</svg>")
    return Markup("".join(parts))


# -- the ranked dot-and-range chart --------------------------------------------------------------
LABELS_END, PLOT_LEFT, PLOT_WIDTH = 25.0, 27.0, 56.0      # in % of the width; values go after the marks


def range_chart(rows: list[RangeRow], unit: str = "", reference: RangeRow | None = None,
                row: int = 24) -> Markup:
    """Regions down (as given: ranked by the caller), values across: a dot for a value, a bar from
    low to high for a range, the value as written after it. `reference` (the nation) is also
    drawn as a dashed line across every row."""
    if not rows:
        return Markup("")
    values = [v for r in rows for v in (r.low, r.high) if v is not None]
    ticks = nice_ticks(min(values), max(values), count=4)
    low, high = ticks[0], ticks[-1]

    def sx(value: float) -> float:
        return PLOT_LEFT + (value - low) / (high - low) * PLOT_WIDTH

    axis_top = 34 if unit else 16         # the unit on a line of its own: beside the ticks a phone clips it
    first_row = axis_top + 6
    height = first_row + row * len(rows) + 22
    parts = [f'<svg class="chart range-chart" width="100%" height="{height}" role="img" '
             f'aria-label="{escape(unit)}" xmlns="http://www.w3.org/2000/svg">']
    if unit:
        parts.append(f'<text class="axis-label" x="0" y="13">{escape(unit)}</text>')
    for i in range(0, len(rows), 2):        # a band on every other row guides the eye across
        parts.append(f'<rect class="band" x="0" y="{first_row + i * row}" width="100%" height="{row}"/>')
    for tick in ticks:                      # ticks above and below: a long chart is read from both ends
        x = f"{sx(tick):.2f}%"
        parts.append(f'<line class="grid" x1="{x}" x2="{x}" y1="{axis_top + 2}" y2="{height - 18}"/>'
                     f'<text class="tick" x="{x}" y="{axis_top - 2}" text-anchor="middle">{fmt_axis(tick)}</text>'
                     f'<text class="tick" x="{x}" y="{height - 4}" text-anchor="middle">{fmt_axis(tick)}</text>')
    if reference is not None:
        x = f"{sx(reference.middle):.2f}%"
        parts.append(f'<line class="reference" x1="{x}" x2="{x}" y1="{axis_top + 2}" y2="{height - 18}" '
                     f'stroke="{NATION_COLOR}" stroke-dasharray="4 3"><title>{escape(reference.tooltip)}</title></line>')
    for i, r in enumerate(rows):
        parts.append(_range_row(r, first_row + i * row, row, sx))
    parts.append("</svg>")
    return Markup("".join(parts))


def _range_row(r: RangeRow, y: float, row: int, sx) -> str:
    middle, color = y + row / 2, NATION_COLOR if r.highlight else ROW_COLOR
    label = (f'<text class="row-label{" nation" if r.highlight else ""}" x="{LABELS_END}%" y="{middle + 4:.1f}" '
             f'text-anchor="end">{escape(r.label)}</text>')
    if r.high is not None and r.high > r.low:
        left, right = sx(r.low), sx(r.high)
        mark = (f'<rect class="range" x="{left:.2f}%" y="{middle - 4:.1f}" width="{right - left:.2f}%" height="8" '
                f'rx="4" fill="{color}"/>')
        end = right
    else:
        end = sx(r.low)
        fill = "#fff" if r.hollow else color
        mark = (f'<circle class="dot" cx="{end:.2f}%" cy="{middle:.1f}" r="5" fill="{fill}" stroke="{color}" '
                f'stroke-width="2"/>')
    text = f'<text class="row-value" x="{end:.2f}%" dx="9" y="{middle + 4:.1f}">{escape(r.text)}</text>'
    hit = f'<rect class="hit" x="0" y="{y}" width="100%" height="{row}" fill="transparent"/>'
    body = f'<g class="row"><title>{escape(r.tooltip)}</title>{hit}{label}{mark}{text}</g>'
    return f'<a class="row-link" href="{escape(r.href)}">{body}</a>' if r.href else body
