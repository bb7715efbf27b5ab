"""The report's year from the text's own evidence (parse/year.py): a table of real lines."""
import pytest
from conftest import CORPUS

import baogao
from baogao.parse.sections import find_sections
from baogao.parse.year import report_year

# (text: real lines of the sample corpus, file name, expected year, its source, the evidence read)
CASES = [
    # headings: a plan heading with its year (1998, spaced digits), a five-year review (2011)
    ("各位代表：\n一、关于过去五年的政府工作\n五年来。\n二、关于1 9 9 8 年政府工作的建议\n", None, 1998, "text", "1 9 9 8 年政府工作"),
    ("各位代表：\n一、“十一五”时期国民经济和社会发展的回顾\n二、“十二五”时期的主要目标和任务\n三、2011年的工作\n", None, 2011, "text", "一、“十一五”时期国民经济和社会发展的回顾"),
    ("各位代表：\n一、“九五”时期国民经济和社会发展的回顾\n二、“十五”期间的奋斗目标和指导方针\n", None, 2001, "text", "一、“九五”时期国民经济和社会发展的回顾"),
    # statements: ahead in the plan part (2013), the year reviewed (1993, 2002, 1958)
    ("各位代表：\n一、过去五年工作回顾\n五年来。\n二、今年经济社会发展的总体要求、主要预期目标和宏观经济政策\n"
     "2013年是全面贯彻落实党的十八大精神的开局之年，是实施“十二五”规划承前启后的关键一年。\n", None, 2013, "text", "2013年是全面贯彻落实党的十八大精神的开局之年"),
    ("这里要特别指出，刚刚过去的１９９２年，以邓小平同志重要谈话和中国共产党第十四次全国代表大会为标志。\n", None, 1993, "text", "刚刚过去的１９９２年"),
    ("现在，我代表国务院向大会作政府工作报告。\n首先报告２００１年的工作。\n２００２年是我们党和国家发展史上非常重要的一年。\n", None, 2002, "text", "首先报告２００１年"),
    ("（一）一九五七年经济战线上的胜利\n一九五七年是我国在各个战线上取得伟大胜利的一年。\n", None, 1958, "text", "一九五七年是我国在各个战线上取得伟大胜利的一年"),
    # in the review part, 2011年是…开局之年 names the year reviewed (hailar 2012)
    ("一、过去一年工作回顾\n2011年是“十二五”的开局之年，也是我区开拓进取的一年。\n", None, 2012, "text", "2011年是“十二五”的开局之年"),
    # the file name only as a last hint, and no year at all without one
    ("各位代表：\n我们第一届全国人民代表大会第一次会议，在听了报告以后。\n", "1954_1954年中华人民共和国国务院政府工作报告", 1954, "file name", None),
    ("各位代表：\n我们第一届全国人民代表大会第一次会议，在听了报告以后。\n", "report", None, None, None),
]


@pytest.mark.parametrize("text, name, year, source, evidence", CASES)
def test_year_from_the_text(text, name, year, source, evidence):
    sections = find_sections(text, [])
    found = report_year(text, None, None, None, sections, name=name)
    assert (found.year, found.source) == (year, source)
    assert (text[found.span[0]:found.span[1]] if found.span else None) == evidence


def test_date_then_review_heading():
    r = baogao.parse_text("政府工作报告\n——2023年2月8日在太原市晋源区第六届人民代表大会第四次会议上\n各位代表：\n一、2022年工作回顾\n")
    assert (r.meta.year, r.meta.year_source, r.meta.review_year, r.meta.review_year_source) == (2023, "date", 2022, "heading")
    r = baogao.parse_text("各位代表：\n一、2018年工作回顾\n过去一年。\n")
    assert (r.meta.year, r.meta.year_source, r.meta.review_year) == (2019, "review_year", 2018)
    assert r.meta.date is None                  # no day printed: only the year is inferred


def test_every_report_of_the_sample_corpus_has_a_year():
    """The file name is used only where the text states no year (Wikisource texts without a
    dateline or a year in their headings); the one disagreement with the file name is 1980,
    whose text is about the plans of 1980 and 1981 and names 1981 in its plan heading."""
    from_file_name, disagree = [], []
    for path in sorted(CORPUS.rglob("*.txt")):
        if path.parent.name not in ("national", "national-govcn-gbk", "hailar", "seeds", "provinces-2026"):
            continue
        meta = baogao.parse(path).meta
        assert meta.year and meta.year_source in ("date", "review_year", "text", "file name"), path
        if meta.year_source == "file name":
            from_file_name.append(path.stem[:4])
        if path.stem[:4].isdigit() and int(path.stem[:4]) != meta.year:
            disagree.append((path.name[:4], meta.year))
    assert disagree == [("1980", 1981)]
    assert from_file_name == ["1954", "1955", "1956", "1959", "1960", "1964", "1975", "1978", "1979", "1981",
                              "1982", "1983", "1984", "1986"]
