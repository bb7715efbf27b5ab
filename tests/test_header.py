"""Header styles of real reports: one header and its expected meta per row."""
import pytest

import baogao

HEADERS = [
    # (header lines as printed, date, term, session, speaker name, speaker title, review year)
    ("──2023年2月8日在太原市晋源区第六届\n人民代表大会第四次会议上\n太原市晋源区人民政府代区长 张耀\n各位代表:\n一、2022年工作回顾\n",
     "2023-02-08", 6, 4, "张耀", "代区长", 2022),
    ("政府工作报告\n——2024年2月21日在区十五届人大四次会议上\n解放区人民政府区长 千怀贵\n各位代表:\n一、2023年工作回顾\n",
     "2024-02-21", 15, 4, "千怀贵", "区长", 2023),
    ("政 府 工 作 报 告\n\n \n\n----2012年2月29日在海拉尔区第十三届人民代表大会第六次会议上\n\n \n\n海拉尔区人民政府区长　　张天喜\n\n　　各位代表：\n\n　　一、过去一年工作回顾\n",
     "2012-02-29", 13, 6, "张天喜", "区长", 2011),
    ("导航菜单\n\n(辽宁省)鞍山市千山区人民政府工作报告(2022年12月22日)\n\n  政府工作报告\n\n  ——2022年12月22日在鞍山市千山区\n\n  第六届人民代表大会第二次会议第一次全体会议上\n\n  千山区人民政府区长 赵宇旭\n\n  各位代表:\n\n  一、2022年工作回顾\n",
     "2022-12-22", 6, 2, "赵宇旭", "区长", 2022),
    # a page's publication date printed before the delivery date, speaker name spaced out
    ("下载\n打印\n2026年上海市政府工作报告\n来源：解放日报\n时间：2026-02-09\n——2026年2月3日在上海市第十六届人民代表大会第四次会议上\n上海市市长 龚 正\n各位代表：\n一、2025年工作回顾\n",
     "2026-02-03", 16, 4, "龚正", "市长", 2025),
    # dates in Chinese numerals, no 第
    ("政府工作报告\n——二〇二六年一月二十七日在某某县十四届人大五次会议上\n某某县人民政府县长 李明\n各位代表：\n",
     "2026-01-27", 14, 5, "李明", "县长", 2025),
    # office on one line, name on the next (national 2024)
    ("政府工作报告\n\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n国务院总理　\n李　强\n\n各位代表：\n\n一、2023年工作回顾\n",
     "2024-03-05", 14, 2, "李强", "总理", 2023),
    # speaker on the dateline's line, escaped no-break space between office and name (gov.cn)
    ("政府工作报告\n——2015年3月5日在第十二届全国人民代表大会第三次会议上国务院总理<U+00A0>李克强\n各位代表：<U+200D>\n一、2014年工作回顾\n",
     "2015-03-05", 12, 3, "李克强", "总理", 2014),
    # full-width digits, 代总理
    ("1988年政府工作报告——１９８８年３月２５日在第七届全国人民代表大会第一次会议上\n国务院代总理　李鹏\n　　各位代表！\n",
     "1988-03-25", 7, 1, "李鹏", "代总理", 1987),
    # minority name with a middle dot, no dateline dash
    ("2026年新疆维吾尔自治区政府工作报告\n来源：新疆日报\n时间：2026-02-12\n自治区主席 艾尔肯·吐尼亚孜\n——2026年1月27日在新疆维吾尔自治区第十四届人民代表大会第四次会议上\n各位代表：\n",
     "2026-01-27", 14, 4, "艾尔肯·吐尼亚孜", "主席", 2025),
    # a date in brackets (贵州), spaced-out digits
    ("政府工作报告\n（2026年1月27日在贵州省第十四届人民代表大会第四次会议上）\n省长 李炳军\n各位代表：\n", "2026-01-27", 14, 4, "李炳军", "省长", 2025),
    ("——1 9 9 8 年3 月5 日在第九届全国人民代表大会第一次会议上\n　　 国务院总理李鹏\n各位代表：\n", "1998-03-05", 9, 1, "李鹏", "总理", 1997),
]


@pytest.mark.parametrize("header, date, term, session, name, title, year", HEADERS)
def test_header(header, date, term, session, name, title, year):
    m = baogao.parse_text(header + "过去一年，全区地区生产总值增长5%。\n").meta
    assert (m.date, m.congress["term"], m.congress["session"]) == (date, term, session)
    assert (m.speaker["name"], m.speaker["title"]) == (name, title)
    assert m.review_year == year


def test_meta_spans_point_at_what_was_read():
    text = HEADERS[0][0] + "正文。\n"
    m = baogao.parse_text(text).meta
    s, e = m.spans["date"]
    assert text[s:e] == "2023年2月8日"
    s, e = m.spans["speaker"]
    assert "张耀" in text[s:e]


@pytest.mark.parametrize("header, title", [
    ("政 府 工 作 报 告\n——2023年1月6日在株洲市石峰区第六届人民代表大会第三次会议上\n石峰区人民政府代区长 石慧彬\n各位代表:\n", "石峰区人民政府工作报告"),
    ("导航菜单\n(辽宁省)鞍山市千山区人民政府工作报告(2022年12月22日)\n  政府工作报告\n  ——2022年12月22日在鞍山市千山区\n第六届人民代表大会第二次会议上\n千山区人民政府区长 赵宇旭\n各位代表:\n", "鞍山市千山区人民政府工作报告"),
    ("──2023年2月8日在太原市晋源区第六届\n人民代表大会第四次会议上\n太原市晋源区人民政府代区长 张耀\n各位代表:\n", "太原市晋源区人民政府工作报告"),
    ("2026年北京市政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n北京市市长 殷勇\n各位代表：\n", "2026年北京市政府工作报告"),
])
def test_title_printed_or_built(header, title):
    assert baogao.parse_text(header).meta.title == title


def test_sections_levels_and_sequence():
    text = ("一、2014年工作回顾\n（一）经济增长进一步加快，综合实力显著提高。2014年，地区生产总值完成283亿元。\n"
            "一是经济增长。\n（二）项目带动成效凸显。全年实施项目38个。\n二、2015年工作安排\n"
            "五、这不是标题，因为序号不连续\n三、加强政府自身建设\n")
    secs = baogao.parse_text(text).sections
    assert [(s.level, s.title) for s in secs] == [
        (1, "一、2014年工作回顾"), (2, "（一）经济增长进一步加快，综合实力显著提高。"),
        (2, "（二）项目带动成效凸显。"), (1, "二、2015年工作安排"), (1, "三、加强政府自身建设")]
    for s in secs:
        assert text[s.start:s.end] == s.title


def test_congress_from_the_opening_paragraph():
    """national 2003: no dateline, but the opening paragraph names the session it reports to."""
    from baogao import parse_text
    text = "各位代表：\n本届政府1998年3月就职，任期即将结束。现在，我代表国务院，向第十届全国人民代表大会第一次会议报告过去五年的工作。\n"
    meta = parse_text(text).meta
    assert meta.congress == {"term": 10, "session": 1} and meta.date is None
    assert text[slice(*meta.spans["congress"])] == "第十届全国人民代表大会第一次会议"
