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
from dataclasses import dataclass

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
FIVE_YEAR = [(re.compile(r"十一五"), (2006, 2010)), (re.compile(r"十二五"), (2011, 2015)),
             (re.compile(r"十三五"), (2016, 2020)), (re.compile(r"十四五"), (2021, 2025)),
             (re.compile(r"十五五"), (2026, 2030)), (re.compile(r"(?<![十])十五(?:”)?(?:时期|期间|计划)"), (2001, 2005))]
SINGLE_YEAR = P.compiled("single_year")
PAST_FIVE = P.compiled("past_five")
NEXT_FIVE = P.compiled("next_five")
PLAN_SECTION = P.compiled("plan_section")
TARGET_TRIGGER = P.compiled("target_trigger")
SENTENCE_TARGET = P.compiled("sentence_target")
PAST_MARK = P.compiled("past_mark")
UNIT_FAMILIES = {
    "money": re.compile(r"元|美元|欧元|港元"),
    "entities": re.compile(r"^(?:万|千)?(?:户|家|个)$"),
    "persons": re.compile(r"^(?:万|千|亿)?(?:人|人次|名)$"),
    "days": re.compile(r"^(?:天|日)$"),
}
INHERENTLY_NEW = {"new_urban_jobs", "tax_fee_relief", "domestic_capital_introduced", "foreign_capital_used"}


@dataclass(frozen=True)
class Context:
    status: str                  # actual | target
    period: int | None           # default period of figures in this sentence
    span: str | None             # a five-year span the sentence speaks of ("2021-2025")
    estimated_from: int | None   # offset of 预计 in the sentence, if any
    title_span: str | None = None    # a five-year span the section title names (一、2025年工作和“十四五”…)
    future_end: int | None = None    # a five-year plan's last year, for its goals (“十五五”…主要目标是)


def find_observations(text: str, norm: str, sentences: list[Span], sections: list[Section],
                      quantities: list[Quantity], review_year: int | None, date: str | None,
                      lexicon: Lexicon | None = None) -> list[Observation]:
    lexicon = lexicon or load_lexicon()
    starts = [q.start for q in quantities]
    line_spans = lines(text)
    line_starts = [s for s, _ in line_spans]
    year_now = int(date[:4]) if date else (review_year + 1 if review_year else None)
    target_year = (review_year + 1) if review_year else year_now
    # "this year" is the coming year in a report delivered early in the year, "next year" in one
    # delivered in December
    coming = re.compile(r"明年" if date and int(date[5:7]) >= 10 else r"今年(?!以来|上半年|前)")
    title_at = _title_finder(sections)
    out: list[Observation] = []
    for sent in sentences:
        i, j = bisect_right(starts, sent.start - 1), bisect_right(starts, sent.end - 1)
        qs = quantities[i:j]
        # every RANK match holds 第: str.find skips most sentences before the regex runs
        if not qs and (norm.find("第", sent.start, sent.end) < 0 or not RANK.search(norm, sent.start, sent.end)):
            continue
        line = line_spans[bisect_right(line_starts, sent.start) - 1]
        ctx = _context(norm, sent, line, title_at, review_year, target_year, coming)
        out.extend(_sentence(norm, sent, qs, ctx, lexicon))
    return out


# -- context: status, period, five-year span ----------------------------------------------------
def _context(norm: str, sent: Span, line: tuple[int, int], title_at,
             review_year: int | None, target_year: int | None, coming: re.Pattern) -> Context:
    title = title_at(sent.start)
    para_before = norm[line[0]:sent.end]
    sentence = norm[sent.start:sent.end]
    in_plan = _plan_title(title, target_year)
    triggered = bool(TARGET_TRIGGER.search(para_before) or SENTENCE_TARGET.search(sentence)) \
        and not PAST_MARK.search(sentence[:12]) and not SINGLE_YEAR.search(norm[line[0]:line[0] + 24])
    triggered = triggered or bool(coming.search(sentence))
    status = "target" if (in_plan or triggered) else "actual"
    span = _five_year_span(sentence, status, review_year, target_year)
    if span is None and not SINGLE_YEAR.search(norm[line[0]:line[0] + 24]):
        # a paragraph that opens on one year (刚刚过去的2025年) is not about the five years
        for scope in (norm[line[0]:line[1]], title or ""):
            if scope is title and re.search(r"(?:19|20)\d\d年", title or ""):
                break                # 一、2025年工作和“十四五”发展回顾: one year unless the paragraph says five
            span = _five_year_span(scope, status, review_year, target_year)
            if span:
                break
    period = target_year if status == "target" else review_year
    est = sentence.find("预计")
    title_span = _five_year_span(title or "", status, review_year, target_year)
    future_end = None
    opening = norm[line[0]:line[0] + 30]
    if status == "target" and span and target_year and int(span[:4]) >= target_year \
            and (_five_year_span(opening, status, review_year, target_year) == span or title_span == span) \
            and f"{target_year}年" not in (title or "") \
            and not coming.search(norm[line[0]:sent.end]) and f"{target_year}年" not in norm[line[0]:sent.end]:
        future_end = int(span[-4:])     # “十五五”…主要目标是: the plan's goals, not this year's targets
    return Context(status, period, span, sent.start + est if est >= 0 and status == "actual" else None,
                   title_span, future_end)


def _plan_title(title: str | None, target_year: int | None) -> bool:
    """The plan part: 二、2015年工作安排, 三、2026年主要工作, “十五五”时期主要目标任务, 今年…"""
    if not title or re.search(r"回顾|总结|成就|过去", title):
        return False
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", title)]
    if target_year and years and max(years) >= target_year:
        return True
    return bool(PLAN_SECTION.search(title))


def _title_finder(sections: list[Section]):
    """title_at(pos): the title of the level-1 section holding pos, by bisection (this runs
    for every sentence with a number, so the section list is indexed once)."""
    level1 = [s for s in sections if s.level == 1]
    starts = [s.start for s in level1]

    def title_at(pos: int) -> str | None:
        k = bisect_right(starts, pos) - 1
        if k < 0:
            return None
        sec = level1[k]
        return sec.title if pos < (sec.body_end if sec.body_end >= 0 else 1 << 30) else None
    return title_at


def _five_year_span(scope: str, status: str, review_year: int | None, target_year: int | None) -> str | None:
    found = [(m.start(), a, b) for rx, (a, b) in FIVE_YEAR for m in [rx.search(scope)] if m]
    if found:                      # the plan period named first is the one the passage is about
        _, a, b = min(found)
        return f"{a}-{b}"
    if PAST_FIVE.search(scope) and review_year:
        return f"{review_year - 4}-{review_year}"
    if NEXT_FIVE.search(scope) and target_year:
        return f"{target_year}-{target_year + 4}"
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
    mentions = lexicon.mentions(norm, sent.start, sent.end)
    clauses = _clauses(norm, sent)
    out: list[Observation] = []
    used: set[int] = set()
    out += _distributions(norm, sent, qs, mentions, clauses, ctx, lexicon, used)
    subject: Mention | None = None
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
        elif sep in HARD_SEP or not PREDICATE_START.match(lead):
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
            if id(q) in used or subject is None or len(subject.ids) != 1:
                continue
            seg_start = subject.end if subject.start >= cstart else cstart
            if subject.alias.endswith(("增长", "增速")):
                seg_start -= 2                       # 经济增长5%左右: the alias carries the verb
            obs = _observation(norm, sent, q, subject, seg_start, ctx, lexicon, new_context, cstart)
            if obs:
                out.append(obs)
        if subjects:
            last = subjects[-1]
            if not by_clause[c] or last.start > by_clause[c][-1].start:
                subject = None if last.blocked else last
                new_context = bool(NEW_PREFIX.search(norm[max(cstart, last.start - 8):last.start]))
    out += _ranks(norm, sent, mentions, clauses, ctx)
    return out


WEAK_ALIASES = P.word_set("weak_aliases")


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
    seg = norm[seg_start:q.start]
    measure, sign = _measure(seg, q, indicator, lexicon, new_context)
    if measure is None or not _unit_fits(indicator, measure, q.unit, lexicon):
        return None
    if measure == "growth_pct" and new_context:
        return None                 # 新增市场主体1.18万户，增长62.36%: growth of what? left out
    status, period = _status_period(norm, sent, q, measure, ctx, cstart, indicator)
    value = q.value * sign
    high = q.high * sign if q.high is not None else None
    if high is not None and sign < 0:
        value, high = high, value
    return Observation(indicator=indicator, measure=measure, value=value, unit=q.unit, status=status,
                       period=period, start=q.start, end=q.end, high=high, approx=q.approx,
                       estimated=ctx.estimated_from is not None and ctx.estimated_from < q.start,
                       floor=q.floor, ceiling=q.ceiling, sentence=(sent.start, sent.end))


def _measure(seg: str, q: Quantity, indicator: str, lexicon: Lexicon, new_context: bool) -> tuple[str | None, int]:
    unit = q.unit.replace("％", "%")
    kind = lexicon.kind(indicator)
    declines = bool(DECLINE.search(seg))
    sign = -1 if declines and not GROWTH.search(seg[seg.rfind("下降") if "下降" in seg else 0:]) else 1
    if unit in ("%", "‰"):
        if "年均" in seg:
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
    if kind == "rate" or "年均" in seg:
        return None, 1
    if CHANGE.search(seg.rstrip()) and not re.search(r"增长到|增加到|增至|提高到", seg):
        return "change", (-1 if CHANGE_DOWN.search(seg.rstrip()) else 1)
    if new_context and indicator not in INHERENTLY_NEW:
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


FLOW_TOTALS = {"new_urban_jobs", "tax_fee_relief", "domestic_capital_introduced", "foreign_capital_used"}
SPAN_WORDS = P.compiled("span_words")


def _status_period(norm: str, sent: Span, q: Quantity, measure: str, ctx: Context, cstart: int,
                   indicator: str = ""):
    before = norm[max(sent.start, q.start - 8):q.start]
    clause_head = norm[max(sent.start, cstart - 40):q.start]
    if measure == "avg_growth_pct":
        return ctx.status, ctx.span or _default_span(ctx)
    y = YEAR_BEFORE.search(before)
    if y:
        return ctx.status, int(y.group(1))
    base = re.search(r"比((?:19|20)\d\d)年(?:末|底)?(?:增长|增加|提高|下降|减少)", norm[cstart:q.start])
    if base and measure in ("growth_pct", "change", "pp_change") and ctx.period and int(base.group(1)) < ctx.period - 1:
        return ctx.status, f"{int(base.group(1)) + 1}-{ctx.period}"   # 比2002年增长65.5%: over five years
    if re.search(r"(?:由|从|比)上年(?:的|末|底)?$", before) and isinstance(ctx.period, int):
        return ctx.status, ctx.period - 1
    if ctx.status == "target":
        t = TO_YEAR.search(clause_head)
        return "target", int(t.group(1)) if t else (ctx.future_end or ctx.period)
    span = ctx.span
    if not span and ctx.title_span and (re.search(r"从$", before) or re.search(r"五年|累计", norm[cstart:q.start])
                                        or _from_to(norm, cstart, q)):
        span = ctx.title_span           # 从7248亿元提高到8865亿元 in a section on the five years
    if span and int(span[-4:]) <= (ctx.period or 0):
        first, last = int(span[:4]), int(span[-4:])
        if re.search(r"从$", before):                      # 从27136元增长到36439元: the base year
            return "actual", first - 1
        if SPAN_WORDS.search(norm[cstart:q.start]) or indicator in FLOW_TOTALS or measure in ("change", "growth_pct"):
            return "actual", span                           # a total or a state over the years
        return "actual", last
    return "actual", ctx.period


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
    out = []
    for m in re.finditer("分别", norm[sent.start:sent.end]):
        at = sent.start + m.start()
        subjects = _list_subjects(norm, at, mentions, sent)
        if len(subjects) < 2:
            # 全域旅游人数、旅游综合收入分别增长9.2%、10.2%: a list of subjects we cannot read whole
            # gives nothing, rather than the first number to the one subject we know
            stop = re.search(r"[，,；;。]", norm[at:sent.end])
            limit = at + stop.start() if stop else sent.end
            before = [m for m in mentions if m.end <= at and not m.blocked]
            if len(subjects) == 1 and before and re.search(r"[、和及与]", norm[max(sent.start, before[-1].start - 12):at]):
                used.update(id(q) for q in qs if at < q.start < limit)
            continue
        after = [q for q in qs if q.start > at and id(q) not in used][:len(subjects)]
        stop = re.search(r"[；;。]", norm[at:sent.end])
        limit = at + stop.start() if stop else sent.end
        after = [q for q in after if q.start < limit]
        if len(after) != len(subjects):
            continue
        cstart = max(c[0] for c in clauses if c[0] <= at)
        for ind, q in zip(subjects, after):
            listed = Mention(at, at, "", (ind,))          # the k-th subject for the k-th number
            obs = _observation(norm, sent, q, listed, at, ctx, lexicon, False, cstart, indicator=ind)
            if obs:
                out.append(obs)
            used.add(id(q))
    return out


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
        if not _listy(norm[before[k - 1].end:before[k].start]) or len(before[k - 1].ids) != 1:
            break
        ids.insert(0, before[k - 1].ids[0])
    return ids


def _listy(gap: str) -> bool:
    """Only list glue between subjects: separators, a figure of the subject, or a qualifier."""
    if re.search(r"[；;。]", gap) or len(gap) > 40:
        return False
    rest = TRANSPARENT.sub("", gap)
    rest = re.sub(r"(?:达到|完成|为|实现|增长|同比|比上年)?\d[\d.,]*(?:万亿|亿|万)?(?:元|美元|%|人|户|家)?", "", rest)
    rest = re.sub(r"分别|同比|比上年|较上年|达到|完成|实现|为", "", rest)
    return re.fullmatch(r"[、，,和及与\s]*", rest) is not None


# -- ranks ------------------------------------------------------------------------------------


def _ranks(norm, sent, mentions, clauses, ctx) -> list[Observation]:
    out = []
    for m in RANK.finditer(norm, sent.start, sent.end):
        subject = _rank_subject(norm, m.start(), mentions, clauses)
        n = cn_to_int(m.group("n"))
        if subject is None or not n:
            continue
        of = "growth" if m.group("of") in ("增速", "增幅", "增长率", "净增长率", "增长速度") else "level"
        period = ctx.period
        moved = MOVE_TO.match(norm, m.end())
        if moved and norm[max(sent.start, m.start() - 1):m.start()] == "从":
            # 从全国第13位升至第9位: the first rank is the base year's, the second the latest
            first = int(ctx.span[:4]) - 1 if ctx.span else (ctx.period or 1) - 1
            out.append(_rank(subject, n, m.group("scope"), of, first, m.start(), m.end(), sent))
            n, period = cn_to_int(moved.group("n")), ctx.period
            out.append(_rank(subject, n, m.group("scope"), of, period, moved.start(), moved.end(), sent))
            continue
        out.append(_rank(subject, n, m.group("scope"), of, period, m.start(), m.end(), sent))
    return out


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
            return own[-1].ids[0] if len(own[-1].ids) == 1 else None
        lead = norm[cstart:cend].lstrip(" \u3000“”\"")
        carries = PREDICATE_START.match(lead) or RANK.match(norm, cstart)
        if not carries or sep in HARD_SEP:
            return None
    return None
