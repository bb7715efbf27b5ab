"""Inline SVG charts drawn on the server: a line chart over years and a horizontal bar chart.

Every label goes through escape(); points and bars can link to the place in a report they come from.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup, escape

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22"]


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


def line_chart(series: list[Series], y_label: str = "", width: int = 960, height: int = 360) -> Markup:
    """Years across, values up; one path and its markers per series."""
    points = [p for s in series for p in s.points]
    if not points:
        return Markup("")
    left, right, top, bottom = 64, 30, 28, 40
    years = [p.x for p in points]
    x_low, x_high = min(years), max(years)
    if x_low == x_high:
        x_low, x_high = x_low - 1, x_high + 1
    ticks = nice_ticks(min(0.0, *(p.y for p in points)), max(p.y for p in points))
    y_low, y_high = ticks[0], ticks[-1]

    def sx(x: float) -> float:
        return left + (x - x_low) / (x_high - x_low) * (width - left - right)

    def sy(y: float) -> float:
        return top + (y_high - y) / (y_high - y_low) * (height - top - bottom)

    parts = [f'<svg class="chart line-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(y_label)}" xmlns="http://www.w3.org/2000/svg">']
    for tick in ticks:
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{sy(tick):.1f}" y2="{sy(tick):.1f}"/>'
                     f'<text class="tick" x="{left - 6}" y="{sy(tick) + 4:.1f}" text-anchor="end">{fmt_axis(tick)}</text>')
    step = max(1, math.ceil((x_high - x_low) / 12))
    for year in range(x_low, x_high + 1, step):
        parts.append(f'<text class="tick" x="{sx(year):.1f}" y="{height - bottom + 18}" '
                     f'text-anchor="middle">{year}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{height - bottom}" y2="{height - bottom}"/>'
                 f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{height - bottom}"/>')
    if y_label:
        parts.append(f'<text class="axis-label" x="{left}" y="{top - 8}">{escape(y_label)}</text>')
    for s in series:
        parts.append(_series_svg(s, sx, sy))
    parts.append("</svg>")
    return Markup("".join(parts))


def _series_svg(s: Series, sx, sy) -> str:
    points = sorted(s.points, key=lambda p: p.x)
    path = " ".join(f"{'M' if i == 0 else 'L'}{sx(p.x):.1f},{sy(p.y):.1f}" for i, p in enumerate(points))
    dash = ' stroke-dasharray="6 4"' if s.dashed else ""
    out = [f'<g class="series" data-name="{escape(s.name)}">',
           f'<path class="line" d="{path}" stroke="{s.color}" fill="none" stroke-width="2"{dash}/>']
    for p in points:
        fill = "#fff" if s.dashed else s.color
        marker = (f'<circle class="point" cx="{sx(p.x):.1f}" cy="{sy(p.y):.1f}" r="4.5" fill="{fill}" '
                  f'stroke="{s.color}" stroke-width="2"><title>{escape(p.tooltip)}</title></circle>')
        out.append(f'<a href="{escape(p.href)}">{marker}</a>' if p.href else marker)
    out.append("</g>")
    return "".join(out)


def bar_chart(bars: list[Bar], unit: str = "", width: int = 960, row: int = 24) -> Markup:
    """One horizontal bar per row, labelled on the left, value on the right."""
    if not bars:
        return Markup("")
    label_width, value_width, top = 230, 70, 8
    height = top * 2 + row * len(bars)
    high = max((b.value for b in bars), default=0) or 1
    scale = (width - label_width - value_width) / high
    parts = [f'<svg class="chart bar-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(unit)}" xmlns="http://www.w3.org/2000/svg">']
    for i, bar in enumerate(bars):
        y = top + i * row
        length = max(bar.value, 0) * scale
        body = (f'<text class="bar-label" x="{label_width - 8}" y="{y + row * 0.68:.1f}" text-anchor="end">'
                f'{escape(bar.label)}</text>'
                f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 6}">'
                f'<title>{escape(bar.tooltip)}</title></rect>'
                f'<text class="bar-value" x="{label_width + length + 6:.1f}" y="{y + row * 0.68:.1f}">'
                f'{fmt(bar.value)}</text>')
        parts.append(f'<a class="bar-link" href="{escape(bar.href)}">{body}</a>' if bar.href else body)
    parts.append("</svg>")
    return Markup("".join(parts))
