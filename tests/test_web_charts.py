"""The server-drawn SVG charts (serve/chart.py) and plain labels (serve/labels.py), without a server."""
from __future__ import annotations

import re

from baogao.serve import chart, labels


def series(name, years_values, dashed=False):
    return chart.Series(name, chart.PALETTE[0], dashed=dashed,
                        points=[chart.Point(x, y, f"{x}: {y}", f"/reports/1#pos-{x}") for x, y in years_values])


def test_a_missing_year_is_a_gap_not_a_line_across_it():
    svg = str(chart.line_chart([series("a", [(2012, 5), (2013, 6), (2015, 7), (2016, 7.5), (2019, 3)])]))
    paths = re.findall(r'<path class="line" d="([^"]+)"', svg)
    assert len(paths) == 2                               # 2012-2013 and 2015-2016; 2019 alone
    assert all(d.count("L") == 1 for d in paths)         # each joins two years, none spans 2014 or 2017-2018
    assert svg.count('class="point"') == 5


def test_runs_cut_where_a_year_is_missing():
    points = [chart.Point(year, 1.0) for year in (2019, 2012, 2013, 2014, 2016)]
    assert [[p.x for p in run] for run in chart.runs(points)] == [[2012, 2013, 2014], [2016], [2019]]


def test_charts_are_as_wide_as_their_box_and_escape_labels():
    svg = str(chart.line_chart([series("<b>x</b>", [(2020, 1), (2021, 2)])], y_label="<script>"))
    assert 'width="100%"' in svg and "viewBox=\"0 0 1000" in svg and "<script>" not in svg and "<b>" not in svg
    bars = str(chart.bar_chart([chart.Bar("<i>", 2.0, "t", "/x?a=1&b=2")]))
    assert "<i>" not in bars and "a=1&amp;b=2" in bars and 'class="hit"' in bars


def test_year_ticks_keep_a_few_major_labels():
    ticks = chart.year_ticks(1990, 2026)
    assert len(ticks) <= 12 and [y for y, major in ticks if major] == [1990, 2000, 2010, 2020]
    assert all(major for _, major in chart.year_ticks(2012, 2016))


def test_range_chart_draws_ranges_hollow_dots_and_the_nation():
    rows = [chart.RangeRow("浙江", 5, 5.5, "5–5.5%"), chart.RangeRow("湖北", 5.5, None, "5.5%左右", hollow=True),
            chart.RangeRow("全国", 5, None, "5%左右", hollow=True, highlight=True),
            chart.RangeRow("<x>", 4.5, None, "4.5%", href="/reports/2#pos-1")]
    svg = str(chart.range_chart(rows, unit="%", reference=rows[2]))
    assert svg.count('class="range"') == 1 and svg.count('class="dot"') == 3
    assert svg.count('fill="#fff"') == 2                  # 左右: hollow
    assert chart.NATION_COLOR in svg and 'class="reference"' in svg and "&lt;x&gt;" in svg
    assert len(set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg)) - {"#fff"}) == 2   # two colours, any number of rows


def test_plain_labels():
    names = {"gdp": "地区生产总值", "cpi": "居民消费价格"}
    assert labels.series_label(names, "gdp", "growth_pct", "%") == "地区生产总值 增速 %"
    assert labels.series_label(names, "gdp", "growth_pct", "％", region_code="100000") == "国内生产总值 增速 %"
    assert labels.series_label(names, "gdp", "level", "亿元") == "地区生产总值 亿元"
    assert labels.target_wording(6.0, None, "approx", "%") == "6%左右"
    assert labels.target_wording(4.5, 5.0, "range", "％") == "4.5–5%"
    assert labels.target_wording(1200, None, "floor", "万人") == "1200万人以上"
    assert labels.short_region_name("新疆维吾尔自治区", "province") == "新疆"
    assert labels.short_region_name("中华人民共和国", "national") == "全国"
    assert labels.signed(-2.5) == "−2.5" and labels.signed(0.9) == "+0.9"
