"""Repeated copies inside one file are boilerplate of kind `duplicate` (clean/repeats.py)."""
from conftest import CORPUS

import baogao
from baogao.clean import find_boilerplate

PARAS = [
    "各位代表：",
    "现在，我代表国务院，向大会报告过去五年的政府工作，并对今年工作提出建议，请各位代表审议，并请全国政协委员提出意见。",
    "一、过去五年工作回顾",
    "第十一届全国人民代表大会第一次会议以来的五年，是我国发展进程中极不平凡的五年。我们有效应对国际金融危机的严重冲击，"
    "保持经济平稳较快发展，国内生产总值从26.6万亿元增加到51.9万亿元，跃升到世界第二位；公共财政收入从5.1万亿元增加到11.7万亿元。",
    "这五年，我国经济实力大幅提升。经济保持长期平稳较快发展，国内生产总值年均增长9.3%，"
    "城镇新增就业5870万人，城镇居民人均可支配收入和农村居民人均纯收入年均分别实际增长8.8%和9.9%。",
    "过去一年，国内生产总值增长7.8%，居民消费价格涨幅回落到2.6%。",
]


def _struck(text, kind):
    return [(s.start, s.end) for s in find_boilerplate(text) if s.kind == kind]


def test_a_page_saved_three_times_keeps_its_first_copy():
    copy = "\n".join(PARAS) + "\n"
    chrome = "当前位置： 首页>> 中国概况\n【字体：大 中 小】\n"
    text = chrome + copy + chrome + copy + chrome + "  " + copy.replace("\n", " \n")
    struck = _struck(text, "duplicate")
    first_copy = text.index(PARAS[0])
    assert struck and struck[0][0] > first_copy + len(copy) - 1
    # everything of the second and third copies is struck, nothing of the first
    second = text.index(PARAS[0], first_copy + 1)
    assert struck[0][0] == second
    assert text[struck[-1][0]:struck[-1][1]] == PARAS[-1]


def test_short_repeats_are_not_copies():
    """各位代表： and one sentence said twice are report text, not a second copy."""
    text = "\n".join(PARAS) + "\n各位代表：\n" + PARAS[-1] + "\n"
    assert _struck(text, "duplicate") == []


def test_a_tail_that_repeats_the_last_paragraph():
    """1988.txt (gov.cn): the page ends with the closing paragraph again, cut short."""
    closing = ("当前的国内形势和国际形势，对我国的建设和改革都很有利。我们一定要在中国共产党的领导下，紧紧把握有利时机，"
               "励精图治，埋头苦干，齐心协力，团结奋斗，沿着有中国特色的社会主义道路奋勇前进。")
    tail = closing[closing.index("国际形势，"):]
    text = "\n".join(PARAS) + "\n各位代表！\n" + closing + "\n" + tail + "\n"
    struck = _struck(text, "duplicate")
    assert [text[s:e] for s, e in struck] == [tail]


def _unstruck(page, phrase):
    """Offsets of the occurrences of phrase that lie outside boilerplate."""
    from baogao.clean.spans import SpanSet
    struck = SpanSet((b.start, b.end) for b in page.boilerplate)
    at, out = page.text.find(phrase), []
    while at >= 0:
        if not struck.contains(at):
            out.append(at)
        at = page.text.find(phrase, at + 1)
    return out


def test_six_copies_of_the_1954_gov_cn_page_leave_one():
    page = baogao.parse(CORPUS / "national-govcn-gbk" / "1954.txt")
    phrase = "现在，我代表中央人民政府作工作报告"
    assert page.text.count(phrase) == 6 and len(_unstruck(page, phrase)) == 1
    assert sum(1 for s in page.sentences if phrase in page.text[s.start:s.end]) == 1


def test_the_2013_gov_cn_page_gives_one_copys_observations():
    page = baogao.parse(CORPUS / "national-govcn-gbk" / "2013.txt")
    phrase = "国内生产总值增长7.5%左右"
    assert page.text.count(phrase) == 6 and len(_unstruck(page, phrase)) == 1
    first_duplicate = min(b.start for b in page.boilerplate if b.kind == "duplicate")
    assert page.observations and all(o.end <= first_duplicate for o in page.observations)
    keys = [(o.indicator, o.measure, o.status, o.period, o.value, o.start) for o in page.observations]
    assert len(keys) == len(set(keys))
