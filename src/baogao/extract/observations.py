"""Indicator observations: which quantity measures which indicator, how, when, and for sure or
as a target.

A report states its figures in a few recurring shapes, handled here as small steps over each
sentence, split into clauses at ，；：、:
- the subject of a clause is an indicator alias at its start (after words like 全年/全区/其中/
  预计/新增); a clause that starts with a predicate (增长…, 同比…, 位列…, a number) keeps the
  previous clause's subject, so 全年地区生产总值完成102.46亿元，增长2.3% gives two;
- 分别 distributes a list of numbers over a list of subjects (or a compound subject such as
  一二三产增加值), in order;
- the measure comes from the unit and the words between subject and number (增长 -> growth_pct,
  下降 -> negative, 占 -> share_pct, 年均 -> avg_growth_pct, 个百分点 -> pp_change, 新增/增加 ->
  change, otherwise level; a rate indicator's % is a level);
- the status and period come from where the sentence stands: the targets paragraph and the
  plan part of the report give targets for the coming year (or 到2030年, or a five-year span),
  the review gives actuals for the reviewed year, an explicit 2020年的… gives that year;
- rank phrases (增速六城区排名第三) give rank observations with scope and of.
Sub-indicators are blocked by the lexicon (rules.toml), so 规上工业战略性新兴产业增加值 is not
industrial_value_added.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from ..clean.normalize import lines
from ..parse.numerals import cn_to_int
from ..record import Observation, Quantity, Section, Span
from .lexicon import Lexicon, Mention, load_lexicon

from . import patterns as P

CLAUSE_SEP = "，,；;：:、"
HARD_SEP = "；;"
SUBJECT_PREFIX = re.compile(f"(?:{P.words('subject_prefix')})*")
PREDICATE_START = re.compile(f"(?:{P.words('predicate_lead')})*(?:{P.words('predicate_head')})")
GROWTH = P.compiled("growth")
DECLINE = P.compiled("decline")
SHARE = P.compiled("share")
CHANGE = P.compiled("change")
CHANGE_DOWN = P.compiled("change_down")
NEW_PREFIX = P.compiled("new_prefix")
TRANSPARENT = P.compiled("transparent")
YEAR_BEFORE = P.compiled("year_before")
TO_YEAR = P.compiled("to_year")
RANK = P.compiled("rank")
MOVE_TO = P.compiled("move_to")
RANK_LIST = P.compiled("rank_list")
RANK_EACH = P.compiled("rank_each")
RANK_FOLLOW = P.compiled("rank_follow")
FIVE_YEAR = [(re.compile(r"十一五"), (2006, 2010)), (re.compile(r"十二五"), (2011, 2015)),
             (re.compile(r"十三五"), (2016, 2020)), (re.compile(r"十四五"), (2021, 2025)),
             (re.compile(r"十五五"), (2026, 2030)), (re.compile(r"(?<![十])十五(?:”)?(?:时期|期间|计划)"), (2001, 2005)),
             (re.compile(r"“九五”|九五(?:时期|期间|计划)"), (1996, 2000)), (re.compile(r"“八五”|八五(?:时期|期间|计划)"), (1991, 1995)),
             (re.compile(r"“七五”|七五(?:时期|期间|计划)"), (1986, 1990)), (re.compile(r"“六五”|六五(?:时期|期间|计划)"), (1981, 1985))]
SINGLE_YEAR = P.compiled("single_year")
PAST_FIVE = P.compiled("past_five")
NEXT_FIVE = P.compiled("next_five")
NTH_PLAN = re.compile(r"第(?P<n>[一二三四五六七八九十]{1,3})个五年(?:规划|计划)")
BARE_FIVE = P.compiled("bare_five")
PLAN_SECTION = P.compiled("plan_section")
TARGET_TRIGGER = P.compiled("target_trigger")
SENTENCE_TARGET = P.compiled("sentence_target")
PAST_MARK = P.compiled("past_mark")
PASSAGE_LEAD = P.compiled("passage_lead")
PASSAGE_OPENS = P.compiled("passage_opens")
PASSAGE_ENDS = P.compiled("passage_ends")
LATER_OPENER = re.compile(r"[。！!]\s*(?P<opens>" + P.regex("passage_opens") + ")")
PASSAGE_SECOND = re.compile(r"[^。\n]{0,30}?(?:之年|的一年)。\s*(?P<opens>" + P.regex("passage_opens") + ")")
PAST_OPENER = P.compiled("past_opener")
LOOKS_AHEAD = P.compiled("looks_ahead")
COMPARISON_BASE = P.compiled("comparison_base")
PLAN_WORDS = P.compiled("plan_words")
THRESHOLD_THEN_EXACT = P.compiled("threshold_then_exact")
THRESHOLD_BEFORE = P.compiled("threshold_before")
LEVEL_REACHED = P.compiled("level_reached")
OWN_NOUN_STRIP = P.compiled("own_noun_strip")
SUPERSEDED = P.compiled("superseded")
DISTRIBUTE = P.compiled("distribute")
QUANTITY_TAIL = P.compiled("quantity_tail")
ATTRIBUTE = P.compiled("attribute")
FOLLOWER_OK = P.compiled("follower_ok")
NATIONAL_GAP = P.compiled("national_gap")
FROM_PART_YEAR = P.compiled("from_part_year")
OTHER_ENTITY = P.compiled("other_entity")
PART_YEAR_OPENER = P.compiled("part_year_opener")
REACHED = P.compiled("reached")
AVERAGE = P.compiled("average")
LIST_GLUE = P.compiled("list_glue")
COMPARISON_BASE_BEFORE = P.compiled("comparison_base_before")
YEARS_COMPARED = P.compiled("years_compared")
AVERAGE_GROWTH = P.compiled("average_growth")
THRESHOLD_SERIES = P.compiled("threshold_series")
SECTOR_RATIO = P.compiled("sector_ratio")
SPENDING_LEAD = P.compiled("spending_lead")
TO_LIVELIHOOD = P.compiled("to_livelihood")
CIRCUMSTANCE_AFTER = P.compiled("circumstance_after")
SECTORS = ("primary_value_added", "secondary_value_added", "tertiary_value_added")
THRESHOLDS_IN_TURN = P.compiled("thresholds_in_turn")
KEPT_WITHIN = P.compiled("kept_within")
TOPIC_LEAD = P.compiled("topic_lead")
LISTED_RANK = P.compiled("listed_rank")
UNIT_FAMILIES = {
    "money": re.compile(r"元|美元|欧元|港元"),
    "entities": re.compile(r"^(?:万|千)?(?:户|家|个)$"),
    "persons": re.compile(r"^(?:万|千|亿)?(?:人|人次|名)$"),
    "days": re.compile(r"^(?:天|日)$"),
}
ONE_YEAR = "one year"            # a paragraph in a passage about one year (see _passages)
PARAGRAPH_WINDOW = 20_000      # longer than any real paragraph (a merged page's line: 17,463)
INHERENTLY_NEW = {"new_urban_jobs", "tax_fee_relief", "domestic_capital_introduced", "foreign_capital_used"}


@dataclass(frozen=True)
class Context:
    status: str                  # actual | target
    period: int | None           # default period of figures in this sentence
    span: str | None             # a five-year span the sentence speaks of ("2021-2025")
    estimated_from: int | None   # offset of 预计 in the sentence, if any
    title_span: str | None = None    # a five-year span the section title names (一、2025年工作和“十四五”…)
    future_end: int | None = None    # a five-year plan's last year, for its goals (“十五五”…主要目标是)
    own_scope: str | None = None     # the 全X the region says of itself: 区 for 海拉尔区, 省, 国 (None: unknown)
    topic: Mention | None = None     # the subject a short sentence before named (经营主体稳中培优。总量达…)


def find_observations(text: str, norm: str, sentences: list[Span], sections: list[Section],
                      quantities: list[Quantity], review_year: int | None, date: str | None,
                      lexicon: Lexicon | None = None, region: dict | None = None) -> list[Observation]:
    lexicon = lexicon or load_lexicon()
    own_scope = _own_scope(region)
    starts = [q.start for q in quantities]
    line_spans = lines(text)
    line_starts = [s for s, _ in line_spans]
    year_now = int(date[:4]) if date else (review_year + 1 if review_year else None)
    target_year = (review_year + 1) if review_year else year_now
    # "this year" is the coming year in a report delivered early in the year, "next year" in one
    # delivered in December
    coming = re.compile(r"明年" if date and int(date[5:7]) >= 10 else r"今年(?!以来|上半年|前)")
    title_at = _title_finder(sections, norm)
    passage_at = _passages(norm, line_spans, sections, review_year)
    out: list[Observation] = []
    for n, sent in enumerate(sentences):
        i, j = bisect_right(starts, sent.start - 1), bisect_right(starts, sent.end - 1)
        qs = quantities[i:j]
        # str.find skips most sentences before the rank regex runs
        if not qs and (not _may_rank(norm, sent) or not RANK.search(norm, sent.start, sent.end)) \
                and not _may_be_ratio(norm, sent):
            continue
        k = bisect_right(line_starts, sent.start) - 1
        last_figure = (qs[-1].end - sent.start) if qs else None
        ctx = _context(norm, sent, line_spans[k], title_at, review_year, target_year, coming, passage_at[k], last_figure)
        if own_scope:
            ctx = replace(ctx, own_scope=own_scope)
        if n and TOPIC_LEAD.match(norm, sent.start, sent.end):
            ctx = replace(ctx, topic=_topic(norm, sentences[n - 1], line_spans[k], lexicon))
        out.extend(_sentence(norm, sent, qs, ctx, lexicon))
    return [_scope_as_written(text, norm, o) for o in out]


def _scope_as_written(text: str, norm: str, o: Observation) -> Observation:
    """A rank's scope as the report prints it (全市22个县（市、区）), not as the normalized view has it."""
    if not o.scope:
        return o
    at = norm.find(o.scope, o.start, o.end)
    return replace(o, scope=text[at:at + len(o.scope)]) if at >= 0 else o


TOPIC_MAX = 16          # a topic sentence is a short run-in lead: 经营主体稳中培优。


def _topic(norm: str, prev: Span, line: tuple[int, int], lexicon: Lexicon) -> Mention | None:
    """经营主体稳中培优。总量达1461.4万户: a sentence that opens on 总量 speaks of the subject of the
    short sentence before it in its paragraph, when that sentence opens with one indicator."""
    if prev.start < line[0] or prev.end - prev.start > TOPIC_MAX:
        return None
    named = [m for m in lexicon.mentions(norm, prev.start, prev.end) if not m.blocked]
    if len(named) != 1 or len(named[0].ids) != 1 or not _is_subject(norm, prev.start, named[0]):
        return None
    return named[0]


def _own_scope(region: dict | None) -> str | None:
    """The character a region's report uses for itself after 全: 全区 in 海拉尔区's, 全市 in a city's
    (or 北京市's), 全省, 全国; None when the region is not known."""
    if not region:
        return None
    level = region.get("level")
    if level == "national":
        return "国"
    name = region.get(level) if level in ("county", "city", "province") else None
    return name[-1] if name and name[-1] in SCOPE_CHARS else None


# -- context: status, period, five-year span ----------------------------------------------------
def _context(norm: str, sent: Span, line: tuple[int, int], title_at,
             review_year: int | None, target_year: int | None, coming: re.Pattern,
             passage: str | None = None, last_figure: int | None = None) -> Context:
    """last_figure: where the sentence's last figure starts (relative): a plan named after it
    (…能耗累计降幅完成“十四五”任务) does not set the period of the figures before it."""
    title = title_at(sent.start)
    # the paragraph before the sentence, at most PARAGRAPH_WINDOW characters of it (a page whose
    # crawler ran everything into one line would otherwise be read again for every sentence)
    lo = max(line[0], sent.start - PARAGRAPH_WINDOW)
    para_before = norm[lo:sent.end]
    sentence = norm[sent.start:sent.end]
    in_plan = _plan_title(title, target_year)
    triggered = bool(TARGET_TRIGGER.search(para_before) or SENTENCE_TARGET.search(sentence)) \
        and not PAST_MARK.search(sentence[:12]) and not SINGLE_YEAR.search(norm[line[0]:line[0] + 24])
    triggered = triggered or bool(coming.search(sentence))
    status = "target" if (in_plan or triggered) else "actual"
    past = status == "target" and _reports_the_past(norm, sent, line, target_year)
    if past:
        status = "actual"           # 过去一年…国内生产总值增长10.3% quoted in the plan part
    span = _five_year_span(sentence[:last_figure], status, review_year, target_year)
    if span is None and passage != ONE_YEAR and not SINGLE_YEAR.search(norm[line[0]:line[0] + 24]):
        # a paragraph that opens on one year (刚刚过去的2025年), or follows one, is not about the
        # five years; a section titled by five years alone (一、过去五年工作回顾) is, whatever
        # plan a paragraph names
        titled = None if re.search(r"(?:19|20)\d\d年", title or "") or _plans_named(title or "") > 1 \
            else _five_year_span(title or "", status, review_year, target_year)
        if titled and not _points_the_right_way(titled, status, review_year, target_year):
            titled = None           # a section on the plan ahead holds a review of the plan behind
        # the paragraph up to this sentence's last figure: a plan named after it is not its period
        upto = sent.start + last_figure if last_figure is not None else sent.end
        span = titled or _five_year_span(norm[lo:upto], status, review_year, target_year)
    if span is None and status == "actual" and passage != ONE_YEAR:
        span = passage              # a passage opened by 这五年 (in this paragraph or one before)
    own_span = _five_year_span(sentence, "target", review_year, target_year) \
        or _five_year_span(norm[line[0]:min(line[1], line[0] + 60)], "target", review_year, target_year)
    if status == "actual" and own_span and own_span == span and target_year and (
            int(span[:4]) >= target_year or (int(span[:4]) < target_year <= int(span[-4:]) and PLAN_WORDS.search(sentence))) \
            and not past and not _reports_the_past(norm, sent, line, target_year):
        status = "target"           # the goals of a plan ahead (“十五五”…), or of the plan under way (按调整后的“八五”计划)
    period = target_year if status == "target" else review_year
    est = sentence.find("预计")
    title_span = _five_year_span(title or "", status, review_year, target_year)
    future_end = None
    opening = norm[line[0]:line[0] + 30]
    if status == "target" and span and target_year and int(span[:4]) >= target_year \
            and (_five_year_span(opening, status, review_year, target_year) == span or title_span == span) \
            and f"{target_year}年" not in (title or "") \
            and not coming.search(para_before) and f"{target_year}年" not in para_before:
        future_end = int(span[-4:])     # “十五五”…主要目标是: the plan's goals, not this year's targets
    return Context(status, period, span, sent.start + est if est >= 0 and status == "actual" else None,
                   title_span, future_end)


def _passages(norm: str, line_spans: list[tuple[int, int]], sections: list[Section],
              review_year: int | None) -> list[str | None]:
    """What each paragraph speaks of: a five-year span, ONE_YEAR, or None (what its section says).
    A paragraph that opens with 这五年, 过去五年, 五年来, “十四五”时期 or ——这是…的五年 opens a
    five-year passage; one that opens on a single year (刚刚过去的2025年, 过去一年, 2025年，…) or
    on this year (今年) opens a one-year passage. Either holds until the other opens or a heading
    comes: the paragraphs after 刚刚过去的2025年 in a part headed “十四五”时期工作回顾 are about 2025."""
    level_of = {s.start: s.level for s in sections}
    heading_starts = sorted(level_of)
    out, span = [], None
    for s, e in line_spans:
        if s == e:                  # a blank line (half of a report's lines) changes nothing
            out.append(span)
            continue
        k = bisect_right(heading_starts, e - 1) - 1
        heading = heading_starts[k] if k >= 0 and heading_starts[k] >= s else None
        if heading is not None and not norm[s:e].lstrip().startswith(("——", "-")):
            # a part's heading ends any passage; a subsection's keeps the passage it stands in
            # (五年来，… then （一）…（八）: the five years), unless it names a year or the five itself
            title = norm[s:min(e, s + 40)]
            if level_of[heading] == 1:
                span = None
            elif re.search(r"(?:19|20)\d\d年", title):
                span = ONE_YEAR
            elif span is not None and "五" in title:
                span = _past_span(title, review_year) or span
            out.append(None if level_of[heading] == 1 else span)
            continue
        opening = PASSAGE_LEAD.sub("", norm[s:min(e, s + 40)], count=1)
        if SINGLE_YEAR.match(opening) or PASSAGE_ENDS.match(opening):
            # 2015年是“十二五”收官之年。过去五年，…: a year named in passing, then the five years
            second = PASSAGE_SECOND.match(norm, s, min(e, s + 60))
            span = (_past_span(norm[second.start("opens"):second.start("opens") + 24], review_year) or span) \
                if second else ONE_YEAR
        elif norm.find("五", s, min(e, s + 60)) >= 0 and PASSAGE_OPENS.match(opening):
            span = _past_span(opening[:24], review_year) or span
        out.append(span)
        later = LATER_OPENER.search(norm, s, e) if span in (None, ONE_YEAR) and norm.find("五", s, e) >= 0 else None
        if later:                   # …值得倍加珍惜！ after 。五年来，…: the subsections that follow are the five years
            span = _past_span(later.group("opens")[:24], review_year) or span
    return out


def _past_span(scope: str, review_year: int | None) -> str | None:
    found = _five_year_span(scope, "actual", review_year, None)
    return found if found and review_year and int(found[-4:]) <= review_year else None


def _reports_the_past(norm: str, sent: Span, line: tuple[int, int], target_year: int | None) -> bool:
    """A sentence of the plan part that quotes the year reviewed: it, or a sentence before it in its
    paragraph, opens with 过去一年/去年/2012年，, or says 全面实现年初确定的主要目标, and nothing
    since looks ahead."""
    lo = max(line[0], sent.start - PARAGRAPH_WINDOW)
    before = norm[lo:sent.end]
    opener = None
    for m in PAST_OPENER.finditer(before):
        if m.group("y") and (target_year is None or int(m.group("y")) >= target_year):
            continue                    # 2026年，… in the plan part is the plan's year
        opener = m
    if opener is None:
        return False
    here = sent.start - lo
    if opener.end() >= here:
        return True                 # the opener is in this sentence
    # the sentences since the opener, and this one up to its first figure, must not turn to the year ahead
    first_figure = re.search(r"\d|百分之", before[here:])
    head_end = here + (first_figure.start() if first_figure else len(before) - here)
    return not LOOKS_AHEAD.search(before, opener.end(), head_end)


def _plan_title(title: str | None, target_year: int | None) -> bool:
    """The plan part: 二、2015年工作安排, 三、2026年主要工作, “十五五”时期主要目标任务, 今年…"""
    if not title or re.search(r"回顾|总结|成就|过去", title):
        return False
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", title)]
    if target_year and years and max(years) >= target_year:
        return True
    return bool(PLAN_SECTION.search(title))


def _title_finder(sections: list[Section], norm: str = ""):
    """title_at(pos): the title of the level-1 section holding pos, by bisection (this runs
    for every sentence with a number, so the section list is indexed once). An appendix headed
    附件1 alone is titled by the line after it too (附件1 2022年省十件民生实事: the plan's year)."""
    level1 = [s for s in sections if s.level == 1]
    starts = [s.start for s in level1]
    titles = [s.title + (" " + norm[s.end:s.end + 40].strip().split("\n")[0] if BARE_APPENDIX.fullmatch(s.title.strip()) else "")
              for s in level1]

    def title_at(pos: int) -> str | None:
        k = bisect_right(starts, pos) - 1
        if k < 0:
            return None
        sec = level1[k]
        return titles[k] if pos < (sec.body_end if sec.body_end >= 0 else 1 << 30) else None
    return title_at


BARE_APPENDIX = re.compile(r"附件\s*[\d一二三四五六七八九十]*")


def _points_the_right_way(span: str, status: str, review_year, target_year) -> bool:
    if status == "actual":
        return review_year is not None and int(span[-4:]) <= review_year
    return target_year is not None and int(span[:4]) >= target_year


def _plans_named(scope: str) -> int:
    if "五" not in scope:
        return 0
    return sum(1 for rx, _ in FIVE_YEAR if rx.search(scope))


def _five_year_span(scope: str, status: str, review_year: int | None, target_year: int | None) -> str | None:
    if "五" not in scope:
        return None                 # every plan and five-year phrase holds 五: most sentences have none
    # 较“十三五”末的N亿元: a plan named as a comparison base is not what the passage is about
    found = [(m.start(), a, b) for rx, (a, b) in FIVE_YEAR for m in rx.finditer(scope)
             if not COMPARISON_BASE.match(scope, m.end()) and not COMPARISON_BASE_BEFORE.search(scope[max(0, m.start() - 3):m.start()])]
    for m in NTH_PLAN.finditer(scope):             # 第十五个五年规划: the n-th plan, from 1966 the third
        n = cn_to_int(m.group("n"))
        if n and n >= 3:
            found.append((m.start(), 1966 + 5 * (n - 3), 1970 + 5 * (n - 3)))
    if review_year:                 # 这五年, 五年来: the five years to the year reviewed
        found += [(m.start(), review_year - 4, review_year) for m in [PAST_FIVE.search(scope)] if m]
    if target_year:
        found += [(m.start(), target_year, target_year + 4) for m in [NEXT_FIVE.search(scope)] if m]
    bare = BARE_FIVE.search(scope)
    if bare and status == "target" and target_year:
        found.append((bare.start(), target_year, target_year + 4))
    elif bare and status == "actual" and review_year:
        found.append((bare.start(), review_year - 4, review_year))
    if found:                      # the span named first is the one the passage is about
        _, a, b = min(found)
        return f"{a}-{b}"
    return None


# -- one sentence ------------------------------------------------------------------------------
def _clauses(norm: str, sent: Span) -> list[tuple[int, int, str]]:
    """(start, end, separator before) for the clauses of a sentence."""
    out, pos, sep = [], sent.start, ""
    for k in range(sent.start, sent.end):
        if norm[k] in CLAUSE_SEP:
            out.append((pos, k, sep))
            pos, sep = k + 1, norm[k]
    out.append((pos, sent.end, sep))
    return out


def _sentence(norm: str, sent: Span, qs: list[Quantity], ctx: Context, lexicon: Lexicon) -> list[Observation]:
    if PART_YEAR_OPENER.match(norm, sent.start, sent.end):
        return []                   # 上半年，…: figures of part of the year
    mentions = lexicon.mentions(norm, sent.start, sent.end)
    clauses = _clauses(norm, sent)
    if ctx.own_scope:
        mentions = [_scoped(norm, m, clauses, ctx.own_scope) for m in mentions]
    other = next((c[1] for c in clauses if OTHER_ENTITY.match(norm, c[0], c[1])), None)
    if other is not None:           # 海口经济圈…，经济总量年均增长5.8%: the generic words are the other entity's
        mentions = [m for m in mentions if m.start < other or m.alias not in GENERIC_ALIASES]
    out: list[Observation] = []
    used: set[int] = set()
    out += _distributions(norm, sent, qs, mentions, clauses, ctx, lexicon, used)
    subject: Mention | None = ctx.topic        # carried from a short sentence before (经营主体稳中培优。)
    new_context = False
    list_new = False            # 新增A7227家、B3200家: 新增 governs every item of the 、 list
    by_clause = {c: [q for q in qs if c[0] <= q.start < c[1]] for c in clauses}
    for c in clauses:
        cstart, cend, sep = c
        own = [m for m in mentions if cstart <= m.start < cend]
        if sep == "、" and subject is None:
            # 猕猴桃综合产值增长8.5%、出口增长53.6%: a weak alias continuing a list about
            # something else names that thing's part, not the region's total
            own = [m for m in own if m.alias not in WEAK_ALIASES]
        list_new = bool(NEW_PREFIX.match(norm, cstart) or re.match(r"(?:全年|当年|今年)?(?:新增|净增|新登记|新注册)", norm[cstart:cend])) \
            or (list_new and sep == "、")
        subjects = [m for m in own if _is_subject(norm, cstart, m)]
        lead = norm[cstart:cend].lstrip(" \u3000“”\"")
        if subjects or any(m.blocked and _is_subject(norm, cstart, m) for m in own):
            pass
        elif TRANSPARENT.fullmatch(lead.strip()):
            continue
        elif subject is not None and (sibling := _sibling(lexicon, subject, lead)):
            subject = sibling       # …收入增长2.3%、支出首次超过7000亿元: the other half of the head
        elif lead.startswith("增加值") and (sector := _sector_named(norm, sent, cstart, lexicon)):
            subject = sector        # 规模以上工业企业达7.6万家、增加值增长3%: the sector just named
        elif (sep and sep in HARD_SEP) or not PREDICATE_START.match(lead) or _own_noun(norm, cstart, by_clause[c]):
            subject, new_context = None, False
        for q in by_clause[c]:
            before = [m for m in subjects + [m for m in own if m.blocked] if m.end <= q.start]
            if before:
                last = max(before, key=lambda m: m.end)
                subject = None if last.blocked else last
                if subject is not None:
                    # 新增科技型中小企业7227家、高新技术企业3200家: 新增 governs the whole 、 list
                    new_here = bool(NEW_PREFIX.search(norm[max(cstart, subject.start - 8):subject.start]))
                    new_context = new_here or (list_new and last.start - cstart < 2)
            if id(q) in used or subject is None:
                continue
            shared = _joined_subjects(norm, subject, mentions, cstart, q) if subject.start >= cstart else list(subject.ids)
            if len(shared) > 1:
                if len(by_clause[c]) == 1:
                    for ind in shared:
                        out += _listed(norm, sent, q, ind, subject.end, ctx, lexicon, cstart)
                continue
            if subject.alias in WEAK_ALIASES and subject.start >= cstart and \
                    re.search(r"[\u4e00-\u9fff]{2,}", OWN_NOUN_STRIP.sub("", norm[subject.end:q.start])):
                continue            # 进出口加工总值达到1000亿元: the figure of a noun the alias qualifies
            seg_start = subject.end if subject.start >= cstart else cstart
            if subject.alias.endswith(GROWTH_ALIAS_ENDS):
                # 经济增长5%左右, 经济年均增长…6.5%: the alias carries the verb (and 年均)
                seg_start = subject.start if subject.start >= cstart else seg_start
            obs = _observation(norm, sent, q, subject, seg_start, ctx, lexicon, new_context, cstart)
            if obs:
                out.append(obs)
        if subjects:
            last = subjects[-1]
            if not by_clause[c] or last.start > by_clause[c][-1].start:
                subject = None if last.blocked else last
                new_context = bool(NEW_PREFIX.search(norm[max(cstart, last.start - 8):last.start]))
    out = _without_parts(norm, sent, out)
    out += _ranks(norm, sent, mentions, clauses, ctx, qs)
    out += _sector_shares(norm, sent, ctx)
    out += _livelihood_shares(norm, sent, qs, ctx, out)
    return out


def _livelihood_shares(norm: str, sent: Span, qs: list[Quantity], ctx: Context, found) -> list[Observation]:
    """财政支出近八成投向民生领域: a share of spending said to go to livelihoods is the livelihood
    share (the spending is the whole, 民生 after the figure the part)."""
    out = []
    for q in qs:
        if q.unit not in ("%", "％") or any(o.start == q.start for o in found):
            continue
        to = TO_LIVELIHOOD.match(norm, q.end, sent.end)    # the spending named before the figure or after it
        if to and (to.group("whole") or SPENDING_LEAD.search(norm, max(sent.start, q.start - 12), q.start)):
            placed = _status_period(norm, sent, q, "share_pct", ctx, _clause_start(norm, q.start, sent), "livelihood_expenditure")
            if placed:
                out.append(Observation(indicator="livelihood_expenditure", measure="share_pct", value=q.value, unit="%",
                                       status=placed[0], period=placed[1], start=q.start, end=q.end, approx=q.approx,
                                       floor=q.floor, sentence=(sent.start, sent.end)))
    return out


RATIO_COLON = re.compile("[:∶：]")     # one search per sentence: a loop of str.find cost more


def _may_be_ratio(norm: str, sent: Span) -> bool:
    return RATIO_COLON.search(norm, sent.start, sent.end) is not None and norm.find("产", sent.start, sent.end) >= 0


def _sector_shares(norm: str, sent: Span, ctx: Context) -> list[Observation]:
    """三次产业比重调整为4.2∶41.1∶54.7: the shares of the three sectors in GDP, when they add up to
    100 (a ratio has no unit, so the quantity scanner leaves it); in a five-year passage the
    shares reached in its last year."""
    if not _may_be_ratio(norm, sent):
        return []
    out = []
    for m in SECTOR_RATIO.finditer(norm, sent.start, sent.end):
        values = [float(m.group(g)) for g in "abc"]
        if not 99 <= sum(values) <= 101:
            continue
        period = int(ctx.span[-4:]) if ctx.span and ctx.status == "actual" else ctx.period
        out += [Observation(indicator=ind, measure="share_pct", value=v, unit="%", status=ctx.status, period=period,
                            start=m.start(g), end=m.end(g), sentence=(sent.start, sent.end))
                for ind, v, g in zip(SECTORS, values, "abc")]
    return out


SCOPE_CHARS = "市省国区县州盟旗"
FOREIGN_SCOPE = re.compile(f"全([{SCOPE_CHARS}])")


def _scoped(norm: str, m: Mention, clauses, own: str) -> Mention:
    """A subject under another government's 全X (全市地区生产总值 in a district's report: the city's
    figure) names that government's figure: it blocks, as a sub-indicator would."""
    cstart = max((c[0] for c in clauses if c[0] <= m.start), default=m.start)
    scopes = FOREIGN_SCOPE.findall(norm, cstart, m.start)
    return Mention(m.start, m.end, m.alias, ()) if scopes and scopes[-1] != own else m


def _without_parts(norm: str, sent: Span, found: list[Observation]) -> list[Observation]:
    """A figure after 其中 of the indicator the sentence has just given is a part of that figure
    (退税减税约2.5万亿元，其中留抵退税约1.5万亿元), not a second value of it."""
    if len(found) < 2 or norm.find("其中", sent.start, sent.end) < 0:
        return found

    def is_part(o: Observation) -> bool:
        head = norm[_clause_start(norm, o.start, sent):o.start].lstrip(" \u3000")
        return head.startswith("其中") and any(
            k.start < o.start and k.indicator == o.indicator and k.measure == o.measure for k in found)
    return [o for o in found if not is_part(o)]


WEAK_ALIASES = P.word_set("weak_aliases")
GENERIC_ALIASES = P.word_set("generic_aliases")
GROWTH_ALIAS_ENDS = ("增长", "增速", "速度")
SHARE_ALIAS_ENDS = ("比重", "占比")


def _own_noun(norm: str, cstart: int, qs: list[Quantity]) -> bool:
    """A clause with a noun of its own before its number (新增上市公司48家, 新增农村劳动力转移就业
    2.1万人) speaks of that noun, not of the subject before it."""
    if not qs:
        return False
    rest = OWN_NOUN_STRIP.sub("", norm[cstart:qs[0].start])
    return re.search(r"[\u4e00-\u9fff]{2,}", rest) is not None


def _sibling(lexicon: Lexicon, subject: Mention, lead: str) -> Mention | None:
    """A clause that opens with the other half of its subject's head (支出 after 一般公共预算收入,
    总花费 after 接待游客): rules.toml [siblings]."""
    for word, pairs in lexicon.siblings.items():
        if lead.startswith(word) and len(subject.ids) == 1 and subject.ids[0] in pairs:
            return Mention(subject.start, subject.end, word, (pairs[subject.ids[0]],))
    return None


def _sector_named(norm: str, sent: Span, cstart: int, lexicon: Lexicon) -> Mention | None:
    """增加值 alone after a clause that names a sector's firms (规模以上工业企业…): that sector's
    value added, when sector + 增加值 is an alias."""
    before = norm[max(sent.start, cstart - 30):cstart]
    firms = before.rfind("企业")
    if firms < 0:
        return None
    named = lexicon.with_head(re.split(r"[，,；;、。：:]", before[:firms])[-1], "增加值")
    return Mention(cstart - 1, cstart - 1, named.alias, named.ids) if named else None     # before its clause, as a carried subject


def _is_subject(norm: str, cstart: int, m: Mention) -> bool:
    """An alias is the clause's subject when only subject-like words stand before it. A weak
    alias (税收, 出口: words that also name parts of something else) must open its clause,
    not close a list (新兴产业税收 is not tax revenue)."""
    prefix = norm[cstart:m.start]
    if m.alias in WEAK_ALIASES:
        return SUBJECT_PREFIX.fullmatch(prefix) is not None and not prefix.endswith("等")
    if prefix.endswith("占") or prefix.endswith("占全") or re.search(r"占[^，,；;]{0,3}$", prefix):
        return False                                     # 占一般公共预算支出的73%: the whole, not the subject
    if re.search(r"等[\u4e00-\u9fff]{0,4}$", prefix):
        return True                                      # 增值税留抵退税等减税降费: the head of a list
    return SUBJECT_PREFIX.fullmatch(prefix) is not None


def _observation(norm: str, sent: Span, q: Quantity, subject: Mention, seg_start: int, ctx: Context,
                 lexicon: Lexicon, new_context: bool, cstart: int, indicator: str | None = None) -> Observation | None:
    indicator = indicator or subject.ids[0]
    if _counts_something_else(norm, q, sent):
        return None
    seg = norm[seg_start:q.start]
    if subject.alias.endswith(GROWTH_ALIAS_ENDS) and not GROWTH.search(seg):
        seg = "增长" + seg          # 经济增长速度的宏观调控目标，定为百分之八至九: the alias says growth
    elif subject.alias.endswith(SHARE_ALIAS_ENDS):
        seg = "比重" + seg          # 服务业比重从45.3%上升到51.6%: the alias says share
    if NATIONAL_GAP.search(seg):
        return None                 # 增幅高于全国0.7个百分点: a gap to the nation's rate, not a change
    if FROM_PART_YEAR.search(norm[max(sent.start, q.start - 6):q.start]):
        return None                 # 从上半年5.5%降到5.3%: a figure of part of the year
    if SUPERSEDED.search(norm[max(sent.start, q.start - 8):q.start]):
        return None                 # 由原定平均每年百分之六调高到…: the figure replaced
    if "在" in seg and CIRCUMSTANCE_AFTER.match(norm, q.end, sent.end):
        return None                 # 在对美贸易下降超3成的情况下增长12%: the circumstance's figure
    if THRESHOLDS_IN_TURN.search(norm, max(sent.start, q.start - 24), q.start):
        return None                 # 进出口总额接连突破8万亿元、9万亿元: steps, not the level
    if THRESHOLD_SERIES.match(norm, q.end):
        return None                 # 连跨5万亿元、6万亿元两个台阶: a step passed on the way to the last
    if THRESHOLD_BEFORE.search(norm[max(sent.start, q.start - 4):q.start]) and THRESHOLD_THEN_EXACT.match(norm, q.end) \
            and not q.unit.endswith(("%", "％")):
        return None                 # 突破3万亿元、达3.6万亿元: the round threshold, then the figure itself
    measure, sign = _measure(seg, q, indicator, lexicon, new_context)
    if measure is None or not _unit_fits(indicator, measure, q.unit, lexicon):
        return None
    if measure == "growth_pct" and new_context:
        return None                 # 新增市场主体1.18万户，增长62.36%: growth of what? left out
    placed = _status_period(norm, sent, q, measure, ctx, cstart, indicator)
    if placed is None:
        return None
    status, period = placed
    value = q.value * sign
    high = q.high * sign if q.high is not None else None
    if high is not None and sign < 0:
        value, high = high, value
    value, high, unit = _plain_multiplier(value, high, q.unit.removesuffix("人民币"))     # 1148亿元人民币: 亿元
    basis = next((b for word, b in lexicon.basis.get(indicator, {}).items() if word in subject.alias), None)
    return Observation(indicator=indicator, measure=measure, value=value, unit=unit, status=status, basis=basis,
                       period=period, start=q.start, end=q.end, high=high, approx=q.approx,
                       estimated=ctx.estimated_from is not None and ctx.estimated_from < q.start,
                       floor=q.floor, ceiling=q.ceiling, sentence=(sent.start, sent.end))


def _counts_something_else(norm: str, q: Quantity, sent: Span) -> bool:
    """The number counts a noun after it (新增2户独角兽企业) or describes one (经济总量超500亿元的
    县域): it is not a figure of the clause's subject."""
    after = QUANTITY_TAIL.sub("", norm[q.end:min(sent.end, q.end + 12)], count=1)
    if ATTRIBUTE.match(after):
        return True
    return bool(after) and not FOLLOWER_OK.match(after)


def _plain_multiplier(value: float, high: float | None, unit: str) -> tuple[float, float | None, str]:
    """8千亿元 -> 8000 亿元: multipliers made of two (千亿, 百亿, 十万) become one the reader and the
    scorer know (亿, 万); the quantity keeps the unit as written."""
    for compound, (factor, plain) in COMPOUND_MULTIPLIERS.items():
        if unit.startswith(compound):
            scale = lambda v: None if v is None else round(v * factor, 10)
            return scale(value), scale(high), plain + unit[len(compound):]
    return value, high, unit


COMPOUND_MULTIPLIERS = {"千亿": (1000, "亿"), "百亿": (100, "亿"), "十亿": (10, "亿"), "千万": (1000, "万"),
                        "百万": (100, "万"), "十万": (10, "万")}


def _measure(seg: str, q: Quantity, indicator: str, lexicon: Lexicon, new_context: bool) -> tuple[str | None, int]:
    unit = q.unit.replace("％", "%")
    kind = lexicon.kind(indicator)
    # 涨幅回落到2.6%, 增速回落至6.5%: the value reached, not a fall by that much; the verb nearest
    # the figure decides (在对美贸易下降超3成的情况下增长12%: a rise)
    last_fall = max((m.end() for m in DECLINE.finditer(seg)), default=-1)
    last_rise = max((m.end() for m in GROWTH.finditer(seg)), default=-1)
    declines = last_fall > last_rise and not REACHED.search(seg)
    if unit in ("%", "‰"):
        if kind == "rate" and not AVERAGE_GROWTH.search(seg):
            return "level", (-1 if indicator == "cpi" and declines else 1)     # 调查失业率全年平均为5.45%
        if AVERAGE.search(seg):
            return "avg_growth_pct", (-1 if declines else 1)
        if SHARE.search(seg):
            return "share_pct", 1
        if kind == "rate":
            return "level", (-1 if indicator == "cpi" and declines else 1)
        if kind == "days":
            return "share_pct", 1
        if GROWTH.search(seg) or declines:
            return "growth_pct", (-1 if declines else 1)
        return None, 1
    if unit.endswith("百分点"):
        return "pp_change", (-1 if declines else 1)
    if kind == "rate" or AVERAGE.search(seg):
        return None, 1
    if CHANGE.search(seg.rstrip()) and not re.search(r"增长到|增加到|增至|提高到", seg):
        return "change", (-1 if CHANGE_DOWN.search(seg.rstrip()) else 1)
    if new_context and indicator not in INHERENTLY_NEW and not LEVEL_REACHED.search(seg):
        return "change", 1
    return "level", 1


def _unit_fits(indicator: str, measure: str, unit: str, lexicon: Lexicon) -> bool:
    if measure in ("growth_pct", "share_pct", "avg_growth_pct", "pp_change") or unit.endswith("%"):
        return True
    ind = lexicon.indicators.get(indicator)
    if not ind or not ind.units:
        return True
    # the unit must belong to a family of the indicator's typical units (money, entities,
    # persons, days), or end like one of them (万亩 for 亩)
    families = [rx for rx in UNIT_FAMILIES.values() if any(rx.search(u) for u in ind.units)]
    if any(rx.search(unit) for rx in families):
        return True
    return not families or any(unit.endswith(u.lstrip("万亿千")) for u in ind.units if u != "%")


FLOW_INDICATORS = P.word_set("flow_indicators")
CUMULATIVE = P.compiled("cumulative_growth")
N_YEARS = P.compiled("n_years")
WITHIN_YEARS = P.compiled("within_years")
ANNUAL = P.compiled("annual")
EVERY_YEAR = P.compiled("every_year")
TOTAL_WORDS = P.compiled("total_words")
END_LEVEL = P.compiled("end_level")


def _status_period(norm: str, sent: Span, q: Quantity, measure: str, ctx: Context, cstart: int,
                   indicator: str = ""):
    before = norm[max(sent.start, q.start - 8):q.start]
    clause_head = norm[max(sent.start, cstart - 40):q.start]
    if measure == "avg_growth_pct":
        return ctx.status, ctx.span or _default_span(ctx)
    y = YEAR_BEFORE.search(before)
    if y:
        return ctx.status, int(y.group(1))
    compared = YEARS_COMPARED.search(norm, sent.start, q.start)
    if compared:
        # 1986年同1978年相比，国民生产总值由3480亿元增加到9380亿元，…增长102%: the base year's
        # level, the end year's level, a change over the years, growth over them (left out)
        first, last = int(compared.group("base")), int(compared.group("end"))
        if re.search(r"(?:由|从)$", before):
            return ctx.status, first
        if measure == "growth_pct":
            return None
        if measure in ("change", "pp_change"):
            return ctx.status, f"{first + 1}-{last}"
        if measure == "level":
            return ctx.status, last
    base = re.search(r"比((?:19|20)\d\d)年(?:末|底)?(?:增长|增加|提高|下降|减少)", norm[cstart:q.start])
    if base and measure in ("growth_pct", "change", "pp_change") and ctx.period and int(base.group(1)) < ctx.period - 1:
        if measure == "growth_pct":
            return None             # 比2002年增长65.5%: growth over several years, not year on year
        return ctx.status, f"{int(base.group(1)) + 1}-{ctx.period}"   # 比2010年增加13480元: over the years
    if measure == "growth_pct" and (CUMULATIVE.search(norm[cstart:q.start]) or WITHIN_YEARS.search(norm[sent.start:q.start])):
        return None                 # 五年增长N%, 3年增长58.6%, 较“十三五”增长16.3%, 五年内…增长百分之四十四
    if re.search(r"(?:由|从|比)上年(?:的|末|底)?$", before) and isinstance(ctx.period, int):
        return ctx.status, ctx.period - 1
    years = N_YEARS.search(norm[cstart:q.start])
    if years and measure == "change" and isinstance(ctx.period, int):
        n = cn_to_int(years.group("n"))                  # 高新技术企业5年增加2万多家
        if n and 1 < n <= 10:
            return ctx.status, f"{ctx.period - n + 1}-{ctx.period}"
    if ctx.status == "target":
        t = TO_YEAR.search(clause_head) or TO_YEAR.search(norm, sent.start, q.start)    # 到2030年……失业率控制在5.5%
        if t:
            return "target", int(t.group(1))
        if ctx.future_end and ctx.span and (measure in ("change", "pp_change") or TOTAL_WORDS.search(norm[cstart:q.start])
                                            or indicator in INHERENTLY_NEW
                                            or (measure == "level" and KEPT_WITHIN.search(norm, cstart, q.start))):
            return "target", ctx.span       # 五年城镇新增就业4500万人, 失业率控制在5.5%左右: over the plan's years
        return "target", ctx.future_end or ctx.period
    span = ctx.span
    if not span and ctx.title_span and (re.search(r"(?:从|由)$", before) or re.search(r"五年|累计", norm[cstart:q.start])
                                        or _from_to(norm, cstart, q)
                                        or (measure != "growth_pct" and AVERAGE_GROWTH.search(norm, sent.start, sent.end))):
        # 从7248亿元提高到8865亿元, or a sentence that gives an average a year (人均可支配收入年均增长6%，
        # 城镇新增就业超690万人), in a section on the five years and the last: the five years
        span = ctx.title_span
    if span and int(span[-4:]) <= (ctx.period or 0):
        return _span_period(norm, cstart, q, before, measure, indicator, span, ctx.period)
    if span is None and re.search(r"五年(?:合计|累计|共计|共|间|内)", norm[cstart:q.start]):
        return None                 # 计划规定，五年合计国家财政收入为…: five years we cannot place
    return "actual", ctx.period


def _span_period(norm: str, cstart: int, q: Quantity, before: str, measure: str, indicator: str,
                 span: str, review_year: int) -> tuple[str, int | str] | None:
    """The period of a figure in a passage about five years: a total or a flow over the years has
    the span, a level reached has the span's last year, 从A…到B's A the year before the span;
    growth without 年均 is growth over the years, not year on year, and gives nothing."""
    first, last = int(span[:4]), int(span[-4:])
    clause = norm[cstart:q.start]
    if re.search(r"(?:从|由)$", before):               # 从27136元增长到36439元: the base year
        return "actual", first - 1
    if ANNUAL.search(clause):
        return "actual", review_year                    # 同比增长: the year reviewed, said in passing
    if measure == "growth_pct":
        return None
    if measure in ("change", "pp_change"):
        return "actual", span
    if EVERY_YEAR.search(clause):
        # 每年城镇新增就业60万人以上: a bound that held in every year of the five (the span); a bare
        # 每年…N is neither a total nor a level reached
        return ("actual", span) if (q.floor or q.approx) else None
    if measure == "level" and KEPT_WITHIN.search(clause):
        return "actual", span                           # 城镇登记失业率控制在3.5%以内: every year of the five
    if indicator in INHERENTLY_NEW:
        return "actual", span                           # new jobs, capital brought in: only ever a flow
    if TOTAL_WORDS.search(clause):
        return "actual", span
    if _from_to(norm, cstart, q) or END_LEVEL.search(clause) or indicator not in FLOW_INDICATORS:
        return "actual", last
    return "actual", span                               # a flow, bare: the sum of the years


def _from_to(norm: str, cstart: int, q: Quantity) -> bool:
    """The second number of 从X增长到Y."""
    return bool(re.search(r"从[^，,；;]{1,16}(?:增长|增加|提高|提升|上升|扩大|跃升)(?:到|至)$", norm[cstart:q.start]))


def _default_span(ctx: Context) -> str | None:
    if ctx.period is None:
        return None
    if ctx.status == "target":
        return f"{ctx.period}-{ctx.period + 4}"
    return f"{ctx.period - 4}-{ctx.period}"


# -- 分别 -------------------------------------------------------------------------------------
def _distributions(norm, sent, qs, mentions, clauses, ctx, lexicon, used) -> list[Observation]:
    """分别 (and 均) after a list of subjects: the k-th number to the k-th subject, or one number
    to every subject (A、B分别同比增长N%; 城镇…、农村…收入均增长8%); a list with items we do not
    know gives each known item its own number by position (…绿化覆盖率、绿地率分别达46.84%、43.46%);
    a compound subject followed by a list of numbers gets them in order (城乡居民人均收入年均增长5.3%、7.7%)."""
    out = []
    for m in DISTRIBUTE.finditer(norm, sent.start, sent.end):
        at = m.start()
        each = m.group() != "分别"              # 均: one number for all
        subjects = _list_subjects(norm, at, mentions, sent)
        stop = re.search(r"[；;。]", norm[at:sent.end])
        limit = at + stop.start() if stop else sent.end
        clause_stop = re.search(r"[，,；;。]", norm[at:sent.end])
        clause_limit = at + clause_stop.start() if clause_stop else sent.end
        free = [q for q in qs if q.start > at and id(q) not in used]
        cstart = max(c[0] for c in clauses if c[0] <= at)
        if len(subjects) < 2:
            positions = _positional(norm, at, mentions, clauses)
            numbers = [q for q in free if q.start < clause_limit]
            if positions and not each and len(numbers) == positions[0]:
                for k, ind in positions[1]:
                    out += _listed(norm, sent, numbers[k], ind, positions[2], ctx, lexicon, cstart)
                used.update(id(q) for q in numbers)
                continue
            # 全域旅游人数、旅游综合收入分别增长9.2%、10.2%: a list of subjects we cannot read whole
            # gives nothing, rather than the first number to the one subject we know
            before = [m for m in mentions if m.end <= at and not m.blocked]
            if len(subjects) == 1 and before and re.search(r"[、和及与]", norm[max(sent.start, before[-1].start - 12):at]):
                used.update(id(q) for q in qs if at < q.start < clause_limit)
            continue
        after = [] if each else [q for q in free[:len(subjects)] if q.start < limit]
        if len(after) != len(subjects):
            in_clause = [q for q in free if q.start < clause_limit]
            if len(in_clause) != 1:
                continue
            after = in_clause * len(subjects)        # one number for every subject of the list
        # the words between the last subject and 分别 count too (年均分别…增长: average growth)
        head_end = max(m.end for m in mentions if m.end <= at and not m.blocked)
        seg_start = head_end if at - head_end <= 8 else at
        for ind, q in zip(subjects, after):
            out += _listed(norm, sent, q, ind, seg_start, ctx, lexicon, cstart)
            used.add(id(q))
    out += _compound_lists(norm, sent, qs, mentions, clauses, ctx, lexicon, used)
    out += _implicit_lists(norm, sent, qs, mentions, clauses, ctx, lexicon, used)
    return out


def _implicit_lists(norm, sent, qs, mentions, clauses, ctx, lexicon, used) -> list[Observation]:
    """A clause without a subject of its own whose numbers, joined by 、/和, are as many as the
    subjects listed before it takes them in order, as 分别 would (城镇居民人均可支配收入15781元，
    农村居民人均纯收入4761元，实际增长8.4%和8%; 城乡居民人均可支配收入分别达6.9万元、3.4万元，
    增长4.2%、5.3%): giving each number to the last subject alone would be wrong."""
    out = []
    if len(qs) < 2 or not mentions:
        return out
    hard = [c for c in clauses if c[2] != "、"]
    for k, (cstart, _, _) in enumerate(hard):
        cend = hard[k + 1][0] - 1 if k + 1 < len(hard) else sent.end
        if k == 0 or any(cstart <= m.start < cend for m in mentions):
            continue
        run = [q for q in qs if cstart <= q.start < cend]
        if len(run) < 2 or any(id(q) in used for q in run) or not PREDICATE_START.match(norm, cstart):
            continue
        if not all(re.fullmatch(r"\s*[、和及与]\s*", norm[a.end:b.start]) for a, b in zip(run, run[1:])):
            continue
        if norm.find("分别", cstart, run[0].start) >= 0:
            continue                # handled with its own list by _distributions
        subjects = _list_subjects(norm, cstart, mentions, sent)
        if len(subjects) != len(run):
            continue
        for ind, q in zip(subjects, run):
            out += _listed(norm, sent, q, ind, cstart, ctx, lexicon, cstart)
        used.update(id(q) for q in run)
    return out


def _positional(norm, at, mentions, clauses):
    """The items of the list before 分别 in its clause (split at 、/和): (how many, [(k, indicator)])
    for the items that are aliases, when every known item is a whole item."""
    cstart = max((c[0] for c in clauses if c[0] <= at and c[2] != "、"), default=at)
    items, pos = [], cstart
    for m in re.finditer(r"[、和及与]", norm[cstart:at]):
        items.append((pos, cstart + m.start()))
        pos = cstart + m.end()
    items.append((pos, at))
    if len(items) < 2:
        return None
    known = []
    for k, (s, e) in enumerate(items):
        inside = [m for m in mentions if s <= m.start and m.end <= e and not m.blocked and len(m.ids) == 1]
        if inside and inside[-1].end >= e - 2 and _is_subject(norm, s, inside[-1]):
            known.append((k, inside[-1].ids[0]))
    # the words of the last item after its noun count for every number (…游客人均花费年均分别增长)
    return (len(items), known, items[-1][0]) if known else None


def _compound_lists(norm, sent, qs, mentions, clauses, ctx, lexicon, used) -> list[Observation]:
    out = []
    for m in mentions:
        if len(m.ids) < 2 or not (sent.start <= m.start < sent.end):
            continue
        free = [q for q in qs if q.start > m.end and id(q) not in used]
        if len(free) < len(m.ids):
            continue
        run = free[:len(m.ids)]
        gaps = [norm[a.end:b.start] for a, b in zip(run, run[1:])]
        if all(re.fullmatch(r"\s*[、和及与]\s*", g) for g in gaps) and not re.search(r"[，,；;。]", norm[m.end:run[0].start]):
            cstart = max(c[0] for c in clauses if c[0] <= m.start)
            for ind, q in zip(m.ids, run):
                out += _listed(norm, sent, q, ind, m.end, ctx, lexicon, cstart)
                used.add(id(q))
    return out


def _listed(norm, sent, q, indicator, at, ctx, lexicon, cstart) -> list[Observation]:
    listed = Mention(at, at, "", (indicator,))
    obs = _observation(norm, sent, q, listed, at, ctx, lexicon, False, cstart, indicator=indicator)
    return [obs] if obs else []


def _joined_subjects(norm: str, subject: Mention, mentions: list[Mention], cstart: int, q: Quantity) -> list[str]:
    """The subject and the subjects joined to it by 和/与/及 in its clause, for one number they
    share (城镇居民人均可支配收入和农村居民人均纯收入年均实际增长超过7%); a compound subject
    names several itself (城乡居民可支配收入增长18%)."""
    if len(subject.ids) > 1:
        return list(subject.ids)
    k = mentions.index(subject)
    first = last = k

    def joined(a: Mention, b: Mention) -> bool:
        return not a.blocked and not b.blocked and len(a.ids) == len(b.ids) == 1 \
            and re.fullmatch(r"\s*[和与及、]\s*", norm[a.end:b.start]) is not None
    while first > 0 and joined(mentions[first - 1], mentions[first]):    # 、 may end the clause before
        first -= 1
    while last + 1 < len(mentions) and mentions[last + 1].end <= q.start and joined(mentions[last], mentions[last + 1]):
        last += 1
    return [m.ids[0] for m in mentions[first:last + 1]]


def _list_subjects(norm: str, at: int, mentions: list[Mention], sent: Span) -> list[str]:
    """Indicators named before 分别: a compound subject, or aliases joined by 、/和/及 — each
    possibly with its own level (城镇…收入9422元，农村…纯收入2936元，扣除价格因素，分别增长7.7%和6.8%)."""
    before = [m for m in mentions if sent.start <= m.end <= at and not m.blocked]
    if not before or not _listy(norm[before[-1].end:at]):
        return []
    last = before[-1]
    if len(last.ids) > 1:
        return list(last.ids)
    ids = [last.ids[0]]
    for k in range(len(before) - 1, 0, -1):
        earlier = before[k - 1]
        if not _listy(norm[earlier.end:before[k].start]) or len(earlier.ids) != 1 \
                or not _is_subject(norm, _clause_start(norm, earlier.start, sent), earlier):
            break               # 新登记文化和旅游经营主体1.1万户，接待游客数量和…分别: not one list
        ids.insert(0, earlier.ids[0])
    return ids


def _clause_start(norm: str, pos: int, sent: Span) -> int:
    k = pos
    while k > sent.start and norm[k - 1] not in CLAUSE_SEP:
        k -= 1
    return k


def _listy(gap: str) -> bool:
    """Only list glue between subjects: separators, a figure of the subject, or a qualifier."""
    if re.search(r"[；;。]", gap) or len(gap) > 40:
        return False
    rest = TRANSPARENT.sub("", gap)
    rest = re.sub(r"(?:达到|达|完成|为|实现|增长|同比|比上年)?\d[\d.,]*(?:万亿|亿|万)?(?:元|美元|%|人次|人|户|家|个|项|吨)?", "", rest)
    rest = LIST_GLUE.sub("", rest)
    return re.fullmatch(r"[、，,和及与\s]*", rest) is not None


# -- ranks ------------------------------------------------------------------------------------


RANK_WORD = re.compile("第|首位|榜首")


def _may_rank(norm: str, sent: Span) -> bool:
    """Every rank phrase holds 第, 首位 or 榜首."""
    return RANK_WORD.search(norm, sent.start, sent.end) is not None


def _ranks(norm, sent, mentions, clauses, ctx, qs=()) -> list[Observation]:
    out = []
    if not _may_rank(norm, sent):
        return out
    for m in RANK.finditer(norm, sent.start, sent.end):
        n = 1 if m.group("first") else cn_to_int(m.group("n"))   # 居全国首位 = 1
        if not n or m.group("of") == "增量":
            continue                        # 增量保持全国第一: the rank of the increment, not of the level
        if m.group("both"):
            ofs = ["level", "growth"]       # 总量和增速均居全国第5位: one rank for each
        elif m.group("of"):
            ofs = ["growth" if m.group("of") in GROWTH_OF else "level"]
        else:                               # 增长6%，居全国第四: the rank of the growth just given
            ofs = ["growth" if _after_growth(norm, m.start(), qs, sent) else "level"]
        listed = _listed_ranks(norm, m, n, mentions, clauses, sent)
        if listed:                          # 分别增长6%、5.2%，分别居全国第二、第七: one each
            out += [_rank(ind, k, m.group("scope"), ofs[0], ctx.period, m.start(), m.end(), sent) for ind, k in listed]
            continue
        subjects = _rank_subjects(norm, m.start(), mentions, clauses, sent)
        for subject in subjects:
            for of in ofs:
                out += _rank_pair(norm, m, subject, n, of, ctx, sent)
        follow = RANK_FOLLOW.match(norm, m.end(), sent.end)
        if follow and cn_to_int(follow.group("n")):     # 总量居全市第3位、增速居第1位
            of = "growth" if follow.group("of") in GROWTH_OF else "level"
            out += [_rank(subject, cn_to_int(follow.group("n")), m.group("scope"), of, ctx.period,
                          follow.start("n") - 1, follow.end(), sent) for subject in subjects]
    return out


GROWTH_OF = ("增速", "增幅", "增长率", "净增长率", "增长速度")


def _after_growth(norm: str, pos: int, qs, sent: Span) -> bool:
    """A rank phrase right after a growth rate of its clause or the one before (固定资产投资增长6%，
    居全国第四): nothing but separators, 分别 or 均 between them."""
    before = [q for q in qs if q.end <= pos]
    if not before:
        return False
    q = before[-1]
    if not q.unit.endswith(("%", "％")) or not re.fullmatch(r"[\s，,、]*(?:左右|以上)?[\s，,、]*(?:分别|均|并)?", norm[q.end:pos]):
        return False
    k = q.start                 # the clause of the rate, a 、 list included (分别增长6%、5.2%)
    while k > sent.start and norm[k - 1] not in "，,；;：:":
        k -= 1
    lead = norm[k:q.start]
    return bool(GROWTH.search(lead)) and not SHARE.search(lead)


def _listed_ranks(norm, m, n, mentions, clauses, sent) -> list[tuple[str, int]]:
    """分别居全国第二、第七、第九 after a 分别 list of subjects: the k-th rank to the k-th subject."""
    if not norm[max(sent.start, m.start() - 2):m.start()].endswith("分别"):
        return []
    ranks, pos = [n], m.end()
    while (nxt := LISTED_RANK.match(norm, pos)) and nxt.end() <= sent.end:
        ranks.append(cn_to_int(nxt.group(1)))
        pos = nxt.end()
    if len(ranks) < 2 or not all(ranks):
        return []
    lists = [d.start() for d in DISTRIBUTE.finditer(norm, sent.start, m.start() - 2) if d.group() == "分别"]
    subjects = _list_subjects(norm, lists[-1], mentions, sent) if lists else []
    return list(zip(subjects, ranks)) if len(subjects) == len(ranks) else []


def _rank_pair(norm, m, subject, n, of, ctx, sent) -> list[Observation]:
    period = ctx.period
    moved = MOVE_TO.match(norm, m.end())
    if moved and (m.group("from") or norm[max(sent.start, m.start() - 1):m.start()] in ("从", "由")):
        # 从全国第13位升至第9位: the first rank is the base year's, the second the latest
        first = int(ctx.span[:4]) - 1 if ctx.span else (ctx.period or 1) - 1
        return [_rank(subject, n, m.group("scope"), of, first, m.start(), m.end(), sent),
                _rank(subject, cn_to_int(moved.group("n")), m.group("scope"), of, period, moved.start(), moved.end(), sent)]
    return [_rank(subject, n, m.group("scope"), of, period, m.start(), m.end(), sent)]


def _rank_subjects(norm, pos, mentions, clauses, sent) -> list[str]:
    """The indicators a rank phrase speaks of: a list (…等六项主要经济指标全部位列全市第一; a 分别
    list then 均居全国第2), or the one subject of its clause or carried to it."""
    head = norm[max(sent.start, pos - 24):pos]
    if RANK_LIST.search(head):
        start = max((k for k in range(sent.start, pos) if norm[k] in "，,；;"), default=sent.start - 1) + 1
        return [m.ids[0] for m in mentions if start <= m.start < pos and not m.blocked and len(m.ids) == 1
                and (m.start == start or norm[m.start - 1] in "、和及与")]
    if RANK_EACH.search(norm[max(sent.start, pos - 2):pos + 1]):
        before = [d for d in DISTRIBUTE.finditer(norm, sent.start, pos) if d.group() == "分别"]
        if before:
            at = before[-1].start()
            listed = _list_subjects(norm, at, mentions, sent)
            if len(listed) >= 2:
                return listed
            positions = _positional(norm, at, mentions, clauses)
            if positions:
                return [ind for _, ind in positions[1]]
    subject = _rank_subject(norm, pos, mentions, clauses)
    return [subject] if subject else []


def _rank(indicator, n, scope, of, period, start, end, sent) -> Observation:
    return Observation(indicator=indicator, measure="rank", value=n, unit="", status="actual", period=period,
                       start=start, end=end, scope=scope, of=of, sentence=(sent.start, sent.end))


def _rank_subject(norm, pos, mentions, clauses) -> str | None:
    """The indicator a rank phrase speaks of: in its clause, or carried from the clauses before
    (规上工业增加值完成5.58亿元，增长7.8%，增速六城区排名第三) as long as each clause on the way
    starts with a predicate or a rank, and no ；/; stands between."""
    idx = max(k for k, c in enumerate(clauses) if c[0] <= pos)
    for k in range(idx, -1, -1):
        cstart, cend, sep = clauses[k]
        limit = pos if k == idx else cend
        own = [m for m in mentions if cstart <= m.start < limit and _is_subject(norm, cstart, m)]
        if own:
            if k == idx and re.search(r"[\u4e00-\u9fff]{2,}", OWN_NOUN_STRIP.sub("", norm[own[-1].end:pos])):
                return None         # 出口通关效率稳居中部地区第1: the rank of a noun the alias qualifies
            return own[-1].ids[0] if len(own[-1].ids) == 1 else None
        lead = norm[cstart:cend].lstrip(" \u3000“”\"")
        carries = PREDICATE_START.match(lead) or RANK.match(norm, cstart)
        if not carries or (sep and sep in HARD_SEP):
            return None
    return None
