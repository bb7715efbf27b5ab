"""Find the spans of a page that are not the report: chrome, source lines, disclaimers, spam,
captions, and debris of HTML comments and escaped characters.

Whole lines are judged by the patterns in data/boilerplate.tsv (data, so a new site's chrome is
a line to add, not code to write), after escaped-character debris (`<U+00A0>`) is taken out of
them. Inside report lines, that debris, injected spam phrases (data/spam.txt) and photo captions
glued to a line are struck as spans of their own. Short lines that sit between chrome lines
(breadcrumb items such as 云南要闻) are chrome too, and so are the short lines of a footer block
(after 相关链接, 分享：, 扫一扫在手机打开当前页). A page saved several times holds the report more
than once: every later copy of a long run of lines is boilerplate of kind `duplicate`
(`repeats.py`), so every later stage sees the report once.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..record import Span
from .normalize import lines, normalized
from .repeats import repeated_lines

_WS = re.compile(r"[\s\u00a0\u3000\u200b-\u200f\ufeff]+")
_DEBRIS = re.compile(r"<U\+[0-9A-Fa-f]{4,5}>|<!--.*?-->|&(nbsp|amp|lt|gt|quot|#\d+);")
# a photo caption glued to a report line by a crawler (3月5日，…作《政府工作报告》。新华社记者姚大伟摄)
_INLINE_CAPTION = re.compile(r"\d{1,2}月\d{1,2}日[,，][^。\n]{0,80}?作《?政府工作报告》?。[^。\n]{0,24}?(?:记者|通讯员)[^。\n]{0,8}?摄")


@lru_cache(maxsize=1)
def _line_rules() -> list[tuple[str, re.Pattern]]:
    rules = []
    for row in resources.files(__package__).joinpath("data/boilerplate.tsv").read_text("utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        kind, pattern = row.split("\t", 1)
        rules.append((kind, re.compile(pattern)))
    return rules


@lru_cache(maxsize=256)
def _combined_rules(kept: tuple[int, ...] | None = None) -> re.Pattern:
    """The line rules (all, or those numbered in `kept`) in one pattern, each as a named group
    k<number>, in the file's order. fullmatch of an alternation succeeds with its first
    alternative that can match the whole string, so the group that matched is the first rule
    that fullmatches: the same answer as trying the rules one by one, in one call."""
    rules = _line_rules()
    kept = range(len(rules)) if kept is None else kept
    return re.compile("|".join(f"(?P<k{i}>{rules[i][1].pattern})" for i in kept))


@lru_cache(maxsize=1)
def _spam() -> re.Pattern | None:
    terms = [t.strip() for t in resources.files(__package__).joinpath("data/spam.txt").read_text("utf-8").splitlines()
             if t.strip() and not t.startswith("#")]
    if not terms:
        return None
    # A spam phrase with the Latin/digit tail sites glue to it (九游会俱乐部j9入口).
    return re.compile("(?:" + "|".join(terms) + r")[A-Za-z0-9]*(?:入口|官网|官方网站|平台|app|APP)?")


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with, when the pattern says so plainly
    (literals, classes of literals, groups, alternatives, repeats), else None (any character)."""
    from re import _constants as c, _parser

    def seq(items) -> tuple[set | None, bool]:            # (first characters, can be empty)
        out: set = set()
        for op, av in items:
            first, empty = item(op, av)
            if first is None:
                return None, False
            out |= first
            if not empty:
                return out, False
        return out, True

    def item(op, av) -> tuple[set | None, bool]:
        if op is c.LITERAL:
            return {chr(av)}, False
        if op is c.IN and all(o in (c.LITERAL, c.RANGE) for o, _ in av) and \
                sum(1 if o is c.LITERAL else a[1] - a[0] + 1 for o, a in av) <= 256:
            return {chr(a) if o is c.LITERAL else chr(x) for o, a in av
                    for x in ([a] if o is c.LITERAL else range(a[0], a[1] + 1))}, False
        if op is c.SUBPATTERN:
            return seq(av[-1])
        if op is c.BRANCH:
            out, empty = set(), False
            for alt in av[1]:
                first, e = seq(alt)
                if first is None:
                    return None, False
                out |= first
                empty = empty or e
            return out, empty
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            first, e = seq(av[2])
            return first, (e or av[0] == 0) if first is not None else False
        return None, False

    first, empty = seq(_parser.parse(pattern))
    return frozenset(first) if first is not None and not empty else None


@lru_cache(maxsize=1)
def _spam_starts() -> re.Pattern | None:
    """One character class of the characters a spam match can start with (None: any)."""
    spam = _spam()
    first = _first_chars(spam.pattern) if spam else None
    return re.compile("[" + "".join(map(re.escape, sorted(first))) + "]") if first else None


def _has_spam(text: str) -> bool:
    """_spam().search(text) is not None: the spam pattern tried only where one of its first
    characters stands (the regex engine would try it at every character)."""
    spam = _spam()
    if spam is None:
        return False
    starts = _spam_starts()
    if starts is None:
        return spam.search(text) is not None
    match = spam.match
    return any(match(text, m.start()) for m in starts.finditer(text))


def line_key(normalized_line: str) -> str:
    """A line as the rules see it: no white space, no escaped-character debris."""
    if "<" in normalized_line or "&" in normalized_line:      # every debris pattern starts so
        normalized_line = _DEBRIS.sub("", normalized_line)
    return _WS.sub("", normalized_line)


def line_kind(line: str, normalized_line: str | None = None) -> str | None:
    """The boilerplate kind of one whole line, or None if it is (possibly) report text."""
    return _key_kind(line_key(normalized_line if normalized_line is not None else normalized(line)))


def _key_kind(key: str) -> str | None:
    """line_kind() of a line whose line_key() is `key`."""
    if not key:
        return None
    if len(key) > 400:          # report paragraphs are long; of the rules only a site notice may be
        return "disclaimer" if _rule("disclaimer").fullmatch(key[:400]) else None
    rules = _candidates.get((key[0], len(key)), False)
    if rules is False:
        rules = _rules_for(key[0], len(key))
    m = rules.fullmatch(key) if rules is not None else None
    return _line_rules()[int(m.lastgroup[1:])][0] if m else None


_candidates: dict[tuple[str, int], re.Pattern | None] = {}


def _rules_for(first: str, length: int) -> re.Pattern | None:
    """The combined pattern of the rules that can match a key starting with `first` and of this
    length (each rule's first characters and its shortest and longest match, from the parsed
    pattern): a paragraph of report text is tried against the few rules that allow its length."""
    if len(_candidates) > 50_000:
        _candidates.clear()
    kept = tuple(i for i, (starts, lo, hi) in enumerate(_rule_facts())
                 if (starts is None or first in starts) and lo <= length <= hi)
    _candidates[(first, length)] = rules = _combined_rules(kept) if kept else None
    return rules


@lru_cache(maxsize=1)
def _rule_facts() -> list[tuple[frozenset[str] | None, int, int]]:
    from re import _parser
    return [(_first_chars(rx.pattern), *_parser.parse(rx.pattern).getwidth()) for _, rx in _line_rules()]


def _rule(kind: str) -> re.Pattern:
    return next(rx for k, rx in _line_rules() if k == kind)


def find_boilerplate(text: str, norm: str | None = None) -> list[Span]:
    """Page chrome, scraper spam and other lines that are not the report. `norm` is
    normalized(text) when the caller has it already (it costs a pass over the document)."""
    spans: list[Span] = []
    line_spans = lines(text)
    norm = norm if norm is not None else normalized(text)   # once for the document, sliced per line
    keys = [line_key(norm[s:e]) if e > s else "" for s, e in line_spans]
    kinds = [_key_kind(key) for key in keys]
    _fill_breadcrumbs(text, line_spans, kinds, keys)
    _fill_page_head(keys, kinds, line_spans, len(text))
    _fill_footers(keys, kinds)
    for i in repeated_lines(keys, kinds):
        kinds[i] = "duplicate"
    inline = _inline_kinds(text, norm)
    for i, ((s, e), kind) in enumerate(zip(line_spans, kinds)):
        if kind == "trailer":                       # a licence footer: strike to the end
            spans.append(Span(s, _trim(text, s, len(text))[1], "disclaimer"))
            break
        if kind:
            s2, e2 = _trim(text, s, e)
            if s2 < e2:
                spans.append(Span(s2, e2, kind))
        elif inline:
            spans.extend(_inline(text, norm, s, e, *inline))
    spans.extend(_comment_blocks(text, spans))
    return _merge(spans)


CRUMB_SEPARATORS = (">", ">>", "»", "›", "＞")


def _fill_breadcrumbs(text: str, line_spans, kinds, keys) -> None:
    """A short line between two chrome lines (云南要闻 in 首页 > 云南要闻 >) is chrome too."""
    def prev_kind(i):
        for j in range(i - 1, -1, -1):
            if _WS.sub("", text[slice(*line_spans[j])]):
                return kinds[j]
        return None

    def prev_key(i):
        return next((keys[j] for j in range(i - 1, -1, -1) if keys[j]), None)

    def next_kind(i):
        for j in range(i + 1, len(kinds)):
            if _WS.sub("", text[slice(*line_spans[j])]):
                return kinds[j]
        return None

    for i, (s, e) in enumerate(line_spans):
        if s == e or kinds[i] or len(keys[i]) > 10:   # keys[i] is this line's key less debris: never longer
            continue
        key = _WS.sub("", text[s:e])
        if not key or len(key) > 10 or re.search(r"[。，,；;！!？?]|政府工作报告", key):
            continue
        if prev_kind(i) in ("chrome", "source") and next_kind(i) in ("chrome", "source"):
            kinds[i] = "chrome"
        elif prev_key(i) in CRUMB_SEPARATORS:
            kinds[i] = "chrome"                     # 首页 > 政务信息 > 宁夏要闻: the last crumb
        elif prev_kind(i) in ("chrome", "source") and i + 1 < len(line_spans) \
                and _WS.sub("", text[slice(*line_spans[i + 1])]) == key:
            kinds[i] = kinds[i + 1] = "chrome"      # 首页 > 云南要闻 云南要闻: a bread crumb said twice


# The report's opening: the salutation (各位代表：), the dateline before it (——2026年1月26日在…, or
# a page headline that is the only dateline: 2021年1月24日广东省省长马兴瑞在…会议上作政府工作报告),
# and the title and speaker lines just above the dateline.
SALUTATION = re.compile(r"(?:各位代表|同志们|各位委员)")
DATE = r"(?:(?:19|20)\d\d|[一二三四五六七八九〇○零]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日"
DATELINE = re.compile(rf"[—\-－~─━―–]{{1,2}}.{{0,4}}{DATE}|[(（]?{DATE}在")              # ——2026年1月26日在…
HEADLINE_DATELINE = re.compile(rf"{DATE}.{{0,40}}在.{{2,60}}(?:会议|大会)")            # 2021年1月24日广东省省长马兴瑞在…
TITLE_LINE = re.compile(r".{0,30}(?:政府工作报告|工作报告|报告)(?:[(（][^)）]{0,16}[)）])?"
                        r"|.{0,24}(?:人民政府|(?:代理)?(?:总理|省长|市长|县长|区长|旗长|州长|盟长|主席))[\u4e00-\u9fff·•．.]{0,12}"
                        r"|.{0,30}(?:会议|大会)上")        # the second line of a dateline broken in two
HEAD_SHARE, HEAD_MIN = 0.15, 6000      # the opening stands in the first 15% of the text (or 6000 characters)


def _fill_page_head(keys: list[str], kinds: list[str | None], line_spans, length: int) -> None:
    """A scraped page's head (menus, crumbs, headlines, id lines, share buttons) stands before the
    report's opening: every line above the title and speaker lines over the dateline is chrome
    (chrome already found between them, such as 来源： or 【字体】, does not part the title from
    the dateline). Nothing is struck when no salutation opens the report near the top."""
    limit = max(HEAD_MIN, int(length * HEAD_SHARE))
    salutation = next((i for i, key in enumerate(keys) if SALUTATION.match(key)), None)
    if salutation is None or line_spans[salutation][0] > limit:
        return
    # the first dateline (a header printed twice keeps its first copy: repeats.py strikes the
    # second), or else the last headline that says where the report was delivered
    anchor = next((i for i in range(salutation) if kinds[i] is None and DATELINE.match(keys[i])), None)
    if anchor is None:
        anchor = next((i for i in range(salutation - 1, -1, -1)
                       if kinds[i] is None and HEADLINE_DATELINE.search(keys[i])), salutation)
    top, kept, whole = anchor, 0, ""
    for i in range(anchor - 1, -1, -1):
        if not keys[i] or kinds[i] is not None:
            continue
        above = next((keys[j] for j in range(i - 1, -1, -1) if keys[j]), "")
        broken = (len(keys[i]) <= 2 and TITLE_LINE.fullmatch(above + keys[i])) or \
            (len(whole) <= 2 and TITLE_LINE.fullmatch(keys[i] + whole))    # 政府工作报 / 告: one title
        if kept == 3 or not (TITLE_LINE.fullmatch(keys[i]) or broken):
            break
        top, kept, whole = i, kept + 1, keys[i]
    for i in range(top):
        if keys[i] and kinds[i] is None:
            kinds[i] = "chrome"


FOOTER_LINE_MAX = 40                   # a footer's lines are short: links, ids, buttons


def _fill_footers(keys: list[str], kinds: list[str | None]) -> None:
    """A footer opener (相关链接, 分享：, 扫一扫在手机打开当前页; kind `footer` in boilerplate.tsv)
    after the last paragraph of report text opens the page's footer: every line after it is
    footer too (link titles, id lines, buttons). An opener between two pages of the report
    strikes only its own line."""
    last_paragraph = max((i for i, key in enumerate(keys) if kinds[i] is None and len(key) > FOOTER_LINE_MAX),
                         default=-1)
    opener = next((i for i in range(last_paragraph + 1, len(keys)) if kinds[i] == "footer"), None)
    if opener is not None:
        for i in range(opener + 1, len(keys)):
            if keys[i] and kinds[i] is None:
                kinds[i] = "footer"


def _inline_kinds(text: str, norm: str) -> tuple[bool, bool, bool] | None:
    """Which inline patterns can match at all in this text (each is then looked for line by line):
    debris starts with < or &, a caption holds 摄, and a spam phrase found in a line is found in
    the whole text (it has no line break). Most reports have none of the three."""
    spam = _spam()
    debris, caption = "<" in text or "&" in text, "摄" in norm
    spam_here = _has_spam(text)
    return (debris, caption, spam_here) if debris or caption or spam_here else None


def _inline(text: str, norm: str, start: int, end: int,
            debris: bool = True, caption: bool = True, spam_here: bool = True) -> list[Span]:
    out = [Span(m.start(), m.end(), "debris") for m in _DEBRIS.finditer(text, start, end)] if debris else []
    if caption and "摄" in norm[start:end]:
        out += [Span(m.start(), m.end(), "caption") for m in _INLINE_CAPTION.finditer(norm, start, end)]
    spam = _spam() if spam_here else None
    if spam:
        out += [Span(m.start(), m.end(), "spam") for m in spam.finditer(text, start, end)]
    return out


def _comment_blocks(text: str, spans: list[Span]) -> list[Span]:
    """HTML comments that span lines (<!-- ... -->) in scraped text."""
    return [Span(m.start(), m.end(), "debris") for m in re.finditer(r"<!--.*?-->", text, re.S)
            if "\n" in m.group()]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for sp in sorted(spans, key=lambda x: (x.start, -x.end)):
        if out and sp.start < out[-1].end:
            if sp.end > out[-1].end:
                out[-1] = Span(out[-1].start, sp.end, out[-1].kind)
            continue
        out.append(sp)
    return out
