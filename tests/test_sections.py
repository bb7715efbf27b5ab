"""Sections: real heading lines and the levels they must get (parse/sections.py)."""
import pytest

from baogao.parse.sections import find_sections

BODY = "各位代表：\n现在，我代表政府向大会报告工作。\n"
PARA = "全年地区生产总值增长5%，一般公共预算收入增长3%。\n"

CASES = [
    # parts without numbers, numbered headings under them one level down (内蒙古 2026)
    (BODY + "“十四五”时期发展成就和2025年工作回顾\n" + PARA + "一、把铸牢中华民族共同体意识作为民族地区各项工作的主线\n" + PARA
     + "“十五五”时期主要目标和2026年重点工作\n" + PARA + "二、全力抓好七项重点工作\n" + PARA + "附件\n" + PARA,
     [(1, "“十四五”时期发展成就和2025年工作回顾"), (2, "一、把铸牢中华民族共同体意识作为民族地区各项工作的主线"),
      (1, "“十五五”时期主要目标和2026年重点工作"), (2, "二、全力抓好七项重点工作"), (1, "附件")]),
    # 结束语 closes a report beside its numbered parts (national 1993)
    (BODY + "一、改革开放和现代化建设取得伟大成就的五年\n" + PARA + "二、争取国民经济再上一个新台阶\n" + PARA + "结束语\n" + PARA,
     [(1, "一、改革开放和现代化建设取得伟大成就的五年"), (1, "二、争取国民经济再上一个新台阶"), (1, "结束语")]),
    # unnumbered parts of the 1980s (national 1988)
    (BODY + "过去五年国内工作的基本总结\n" + PARA + "今后五年建设和改革的目标、方针和任务\n" + PARA,
     [(1, "过去五年国内工作的基本总结"), (1, "今后五年建设和改革的目标、方针和任务")]),
    # headings a crawler merged into one long line (national-govcn-gbk 2014)
    (BODY + "任务艰巨而繁重。" * 30 + "一、2013年工作回顾过去一年是本届政府依法履职的第一年，任务艰巨而繁重。"
     + "面对世界经济复苏艰难。" * 20 + "二、2014年工作总体部署2014年，我国面临的形势依然错综复杂。\n",
     [(1, "一、2013年工作回顾"), (1, "二、2014年工作总体部署")]),
    # escaped-space debris before a heading (national-govcn-gbk 2013) is not part of it
    (BODY + "<U+00A0><U+00A0>一、过去五年工作回顾\n" + PARA, [(1, "一、过去五年工作回顾")]),
    # a heading run into its paragraph is lost, but the next part is still found (national 1987);
    # indented items 一、…； are not parts
    (BODY + "一、当前国内形势和基本任务\n" + PARA + "二、坚持长期稳定发展经济的方针\n" + PARA
     + "三、深入改革经济体制和扩大对外开放国民经济的长期稳定发展，要靠深入改革。\n" + PARA
     + "四、巩固和发展安定团结的政治局面\n" + PARA + "　　一、继续深入批评资产阶级自由化的错误观点；\n",
     [(1, "一、当前国内形势和基本任务"), (1, "二、坚持长期稳定发展经济的方针"), (1, "四、巩固和发展安定团结的政治局面")]),
    # appendices after the report (广东 2022, 2025): 附件1 is a part, its numbered items a level down
    (BODY + "一、2021年工作回顾\n" + PARA + "二、2022年工作安排\n" + PARA + "附件1\n2022年省十件民生实事\n"
     + "一、提供优质基础教育，努力让学生“上好学”\n" + PARA + "二、提高困难群众生活救助水平\n" + PARA
     + "附件2：名词解释\n" + PARA,
     [(1, "一、2021年工作回顾"), (1, "二、2022年工作安排"), (1, "附件1"), (2, "一、提供优质基础教育，努力让学生“上好学”"),
      (2, "二、提高困难群众生活救助水平"), (1, "附件2：名词解释")]),
    # parts headed 关于… (national 1984); a title of an agreement (关于香港问题的联合声明, 1993) is no part
    (BODY + "关于国内建设\n" + PARA + "一、经济形势\n" + PARA + "关于外交工作\n" + PARA + "关于香港问题的联合声明\n" + PARA,
     [(1, "关于国内建设"), (2, "一、经济形势"), (1, "关于外交工作")]),
    # a short paragraph lead ending with 。 is not a heading; the report's title line is not a part
    (BODY + "加大稳经济政策实施力度。\n2026年政府工作报告\n" + PARA, []),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[1][0][1][:10] if c[1] else "none" for c in CASES])
def test_section_levels(text, expected):
    struck = [(m, m + 16) for m in [text.find("<U+00A0><U+00A0>")] if m >= 0]
    assert [(s.level, s.title) for s in find_sections(text, struck)] == expected
