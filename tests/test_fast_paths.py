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


def test_report_grams_are_index_grams_sentence_by_sentence():
    from baogao.store.search import index_grams, report_grams
    alphabet = (list("河长制政府工作报告中国 \u3000\t5Gg0１２ＡＢａｂ，。…㈠ﬁΣσİ①\u0301e\u00a0") + ["\U00020001", "\U0002A6A5"])
    rnd = random.Random(4)
    for n in range(1500):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60)))
        cuts = sorted(rnd.sample(range(len(text) + 1), min(len(text) + 1, rnd.randint(0, 8))))
        spans = [(a, b) for a, b in zip(cuts, cuts[1:])] + ([(0, len(text))] if n % 3 == 0 else [])
        assert report_grams(text, spans) == [index_grams(text[a:b]) for a, b in spans], (text, spans)
    assert report_grams("", []) == []
    assert report_grams("河长制", [(0, 0), (0, 3)]) == ["", "河长 长制 制"]


def test_dedup_body_codes_are_the_folded_kept_characters():
    import numpy as np

    from baogao.store import dedup
    alphabet = list("國務院報告中国 ，。_a1１Ａ\u3000㑮\u346e①²\u0301é-") + ["\U00020001", "\ud800"]
    rnd = random.Random(5)
    for _ in range(2000):
        body = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        plain = dedup._KEEP.sub("", body.translate(dedup._folding_table()))
        want = np.frombuffer(plain.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
        assert dedup._body_codes(body).tolist() == want.tolist(), repr(body)


def test_spam_looked_for_only_where_it_can_start():
    spam = boilerplate._spam()
    pieces = ["九游会", "俱乐部", "开云", "体育", "澳门", "娱乐", "bet365", "BET", "真人", "百家乐", "娱乐城",
              "彩票", "投注", "平台", "金沙", "线上", "棋牌", "政府", "。", "\n", "a", "j9"]
    rnd = random.Random(6)
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        assert boilerplate._has_spam(text) == (spam.search(text) is not None), text
    assert boilerplate._first_chars("a(?:b|c)?d") == frozenset("a")
    assert boilerplate._first_chars("(?:x|y)?z") == frozenset("xyz")
    assert boilerplate._first_chars(".{0,3}z") is None and boilerplate._first_chars("a?") is None


def test_compact_view_as_character_by_character():
    from baogao.clean.normalize import _SPACE, Compact
    from baogao.clean.spans import SpanSet

    def plain(text, start, end, skip):
        chars, index, pos = [], [], start
        for m in _SPACE.finditer(text, start, end):
            chars += [text[i] for i in range(pos, m.start())]
            index += list(range(pos, m.start()))
            pos = m.end()
        chars += [text[i] for i in range(pos, end)]
        index += list(range(pos, end))
        if skip:
            struck = SpanSet(skip)
            keep = [k for k, i in enumerate(index) if not struck.contains(i)]
            chars, index = [chars[k] for k in keep], [index[k] for k in keep]
        return normalized("".join(chars)), index

    rnd = random.Random(7)
    for t in _texts(ALPHABET + list("<U+00A0>"), n=1500, seed=8):
        start = rnd.randint(0, len(t))
        end = rnd.randint(start, len(t))
        skip = [(a, a + rnd.randint(0, 5)) for a in rnd.sample(range(len(t) + 1), min(2, len(t) + 1))]
        for sk in (None, skip):
            view = Compact(t, start, end, sk)
            assert (view.text, view.index) == plain(t, start, end, sk), (t, start, end, sk)
