"""The fast paths of parsing give what the plain code they replace gives (issue 15): each is
checked against that plain code on random text made of the characters that matter to it. The
whole-corpus guard is tests/test_parse_reference.py; these catch a difference on text the
corpus does not hold."""
from __future__ import annotations

import random
import re

from baogao.clean import boilerplate
from baogao.clean.normalize import _TABLE, lines, normalized
from baogao.extract import quantities

ALPHABET = (list("\n\r \t a，。１２ＡＢ\u3000\u00a0\u200b\ufeff中文报告") + [chr(c) for c in range(0xFF00, 0xFF61)])


def _texts(alphabet, n=4000, longest=40, seed=1):
    rnd = random.Random(seed)
    for _ in range(n):
        yield "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest)))


def _lines_plain(text):
    out, pos = [], 0
    for m in re.finditer(r"\r*\n|\r", text):
        out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def test_normalized_is_the_translate_table():
    for t in _texts(ALPHABET):
        assert normalized(t) == t.translate(_TABLE), repr(t)


def test_lines_as_the_line_break_regex():
    for t in _texts(ALPHABET):
        assert lines(t) == _lines_plain(t), repr(t)
        assert lines(t) == _lines_plain(t), repr(t)          # the kept copy
    shared = "一\n二\r\n三"
    got = lines(shared)
    got.append((99, 99))                                     # a caller's change does not stick
    assert lines(shared) == _lines_plain(shared)


def test_combined_line_rules_pick_the_first_rule_that_matches():
    keys = ["相关链接", "分享到:", "首页", "您的位置:首页>新闻", "来源:新华社", "2024-03-05",
            "2024年3月5日10:00", "中国政府网", "本文仅代表作者观点", "新华社记者李涛摄", "<!--",
            "本作品是中华人民共和国的", "全年地区生产总值增长5%。", "字号:大中小", ")", "责任编辑:张三",
            "=====", "正文", "(来源:人民日报)", "点击进入专题", "x", "|", ""]
    rnd = random.Random(2)
    pieces = keys + list("相关链接分享首页来源摄:>)|x0123456789年月日")
    keys += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 6))) for _ in range(3000)]
    for key in keys:
        plain = next((kind for kind, rx in boilerplate._line_rules() if rx.fullmatch(key)), None) if key else None
        if len(key) > 400:
            continue
        assert boilerplate._key_kind(key) == plain, key


def test_scanner_number_is_number():
    plain = re.compile(quantities.NUMBER)
    fast = re.compile(quantities.NUMBER_FIRST_DIGIT)
    for t in _texts(list("0123456789 .,，年万亿元%") + ["\n"], n=6000, longest=24, seed=3):
        for pos in range(len(t)):
            a, b = plain.match(t, pos), fast.match(t, pos)
            assert (a and a.span()) == (b and b.span()), (t, pos)
