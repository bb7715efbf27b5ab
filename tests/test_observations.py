"""Observations: real sentences and the observations they must give, in the shapes reports use.
Each row: the text (with a heading that places it in the review or the plan part, and a
dateline that gives the year) and the expected (indicator, measure, value, status, period)."""
import json
import subprocess
import sys

import pytest

import baogao
from conftest import CORPUS, ROOT, SCORES, SHARED

REVIEW = "——2023年2月8日在某区第六届人民代表大会第四次会议上\n一、2022年工作回顾\n"
PLAN = REVIEW + "二、2023年工作安排\n"
R2026 = "——2026年1月28日在某省第十四届人民代表大会第四次会议上\n"


def obs(text):
    r = baogao.parse_text(text)
    return {(o.indicator, o.measure, o.value, o.status, o.period) for o in r.observations}


CASES = [
    # level, growth and rank of one indicator in one clause
    (REVIEW + "全年地区生产总值完成102.46亿元,增长2.3%;规上工业增加值完成5.58亿元,增长7.8%,增速六城区排名第三;",
     {("gdp", "level", 102.46, "actual", 2022), ("gdp", "growth_pct", 2.3, "actual", 2022),
      ("industrial_value_added", "level", 5.58, "actual", 2022), ("industrial_value_added", "growth_pct", 7.8, "actual", 2022),
      ("industrial_value_added", "rank", 3, "actual", 2022)}),
    # a list governed by one word; 下降 is negative
    (REVIEW + "预计全年,地区生产总值同比增长2%;固定资产投资同比增长25.3%;一般公共预算收入同比下降33.8%。",
     {("gdp", "growth_pct", 2, "actual", 2022), ("fixed_asset_investment", "growth_pct", 25.3, "actual", 2022),
      ("general_budget_revenue", "growth_pct", -33.8, "actual", 2022)}),
    # parts and shares
    (REVIEW + "全区一般公共预算收入累计完成11.5亿元,其中税收完成10.8亿元,占比93.9%;",
     {("general_budget_revenue", "level", 11.5, "actual", 2022), ("tax_revenue", "level", 10.8, "actual", 2022),
      ("tax_revenue", "share_pct", 93.9, "actual", 2022)}),
    (REVIEW + "民生领域支出9.16亿元,占一般公共预算支出的73%。",
     {("livelihood_expenditure", "level", 9.16, "actual", 2022), ("livelihood_expenditure", "share_pct", 73, "actual", 2022)}),
    # 分别 distributions, over a compound subject and over two clauses
    (PLAN + "一二三产增加值分别增长3.5%左右、6%左右、5%左右。",
     {("primary_value_added", "growth_pct", 3.5, "target", 2023), ("secondary_value_added", "growth_pct", 6, "target", 2023),
      ("tertiary_value_added", "growth_pct", 5, "target", 2023)}),
    (REVIEW + "城乡常住居民人均可支配收入分别完成37820元、28104元，同比分别增长6.5%、9.4%。",
     {("urban_disposable_income", "level", 37820, "actual", 2022), ("rural_disposable_income", "level", 28104, "actual", 2022),
      ("urban_disposable_income", "growth_pct", 6.5, "actual", 2022), ("rural_disposable_income", "growth_pct", 9.4, "actual", 2022)}),
    # sub-indicators that are not the parent
    (REVIEW + "规上工业战略性新兴产业增加值增长21.2%。重点项目完成投资95亿元。企业主体突破1.1万户。工业固定资产投资完成93.1亿元，同比增长74.5%。", set()),
    # new entities are a change; 新增 governs a 、 list
    (REVIEW + "新增市场主体1.18万户。新增科技型中小企业7227家、高新技术企业3200家。",
     {("market_entities", "change", 1.18, "actual", 2022), ("high_tech_enterprises", "change", 3200, "actual", 2022)}),
    # the targets paragraph: ranges, floors, ceilings, rates as levels
    (REVIEW + "今年经济社会发展的主要预期目标是：地区生产总值增长4.5%—5%，城镇调查失业率控制在5.5%以内，居民消费价格涨幅2%左右，一般公共预算收入增长5%以上。",
     {("gdp", "growth_pct", 4.5, "target", 2023), ("urban_unemployment_rate", "level", 5.5, "target", 2023),
      ("cpi", "level", 2, "target", 2023), ("general_budget_revenue", "growth_pct", 5, "target", 2023)}),
    # a comparison with a target is not a target
    (REVIEW + "全区地区生产总值增长5.1%，增速高于预期目标、高于全国。", {("gdp", "growth_pct", 5.1, "actual", 2022)}),
    # national reports and five-year reviews
    ("——2024年3月5日在第十四届全国人民代表大会第二次会议上\n一、2023年工作回顾\n国内生产总值超过126万亿元，增长5.2%。",
     {("gdp", "level", 126, "actual", 2023), ("gdp", "growth_pct", 5.2, "actual", 2023)}),
    ("——2026年1月26日在某省第十四届人民代表大会第四次会议上\n一、“十四五”时期经济社会发展回顾\n这五年，全省生产总值从2020年的3.68万亿元增长到2025年的4.93万亿元，规上工业增加值年均增长6.5%，城镇新增就业452万人。",
     {("gdp", "level", 3.68, "actual", 2020), ("gdp", "level", 4.93, "actual", 2025),
      ("industrial_value_added", "avg_growth_pct", 6.5, "actual", "2021-2025"), ("new_urban_jobs", "level", 452, "actual", "2021-2025")}),
    # an alias that carries its verb; 按可比价计算 keeps the subject
    (PLAN + "主要预期目标是：经济增长5.5%左右。", {("gdp", "growth_pct", 5.5, "target", 2023)}),
    (REVIEW + "全年地区生产总值完成192.3亿元，按可比价计算，同比增长6.0%。",
     {("gdp", "level", 192.3, "actual", 2022), ("gdp", "growth_pct", 6.0, "actual", 2022)}),
    # a weak alias inside someone else's list or after 等 names a part, not the region's total
    (REVIEW + "猕猴桃综合产值增长8.5％、出口增长53.6％。其中税收收入增长3%，计算机通信、航空航天制造等新兴产业税收增长30%以上。",
     {("tax_revenue", "growth_pct", 3, "actual", 2022)}),
    # 由上年…增加到…: the base is last year's
    (REVIEW + "常住人口由上年729万人增加到732万人。",
     {("population", "level", 729, "actual", 2021), ("population", "level", 732, "actual", 2022)}),
    # the plan period named first in a passage is the one it is about
    ("——2026年1月31日在某省第十四届人民代表大会第四次会议上\n一、2025年工作回顾\n“十四五”时期我省发展极不平凡，比“十三五”末明显提升。全省进出口总额实现翻番，出口年均增速20%以上。",
     {("exports", "avg_growth_pct", 20, "actual", "2021-2025")}),
    # a firm's tax is not the region's tax revenue; a rank with no number gives nothing
    (REVIEW + "风神轮胎全年实现利润3.9亿元，同比增长160.8%，贡献区级税收1.33亿元。服务业增加值位居全市前列。", set()),
    # -- five-year passages (issue 11): 这五年 opens a passage that keeps its span in the paragraphs
    # after it, until a single year opens a paragraph (云南 2026)
    (R2026 + "这五年，我们深入践行以人民为中心的发展思想，民生福祉得到新改善。\n"
     "一般公共预算支出3.4万亿元，74%以上用于民生。居民人均可支配收入超3.1万元、年均增长6.1%。城镇新增就业261.6万人。\n"
     "各位代表！刚刚过去的2025年，是云南发展历程中具有重要里程碑意义的一年。全省地区生产总值增长4.5%。",
     {("general_budget_expenditure", "level", 3.4, "actual", "2021-2025"), ("disposable_income", "level", 3.1, "actual", 2025),
      ("disposable_income", "avg_growth_pct", 6.1, "actual", "2021-2025"), ("new_urban_jobs", "level", 261.6, "actual", "2021-2025"),
      ("gdp", "growth_pct", 4.5, "actual", 2025)}),
    # growth over several years is not year on year (吉林, 湖南 2026: 3年增长, 较“十三五”增长)
    (R2026 + "这五年，我们牢记嘱托。地区生产总值跨越3个千亿元台阶，达到1.5万亿元、增长19.8%。财政收入达到1350亿元，3年增长58.6%。"
     "地方一般公共预算收入累计超1.6万亿元、较“十三五”增长16.3%。",
     {("gdp", "level", 1.5, "actual", 2025), ("general_budget_revenue", "level", 1350, "actual", 2025),
      ("general_budget_revenue", "level", 1.6, "actual", "2021-2025")}),
    # the year reviewed, quoted in the plan part (national 2011)
    ("——2011年3月5日在第十一届全国人民代表大会第四次会议上\n三、2011年的工作\n2011年，是“十二五”开局之年。"
     "过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%，居民消费价格涨幅控制在 3.3%，城镇新增就业1168万人。"
     "今年国内生产总值增长8%左右。",
     {("gdp", "growth_pct", 10.3, "actual", 2010), ("cpi", "level", 3.3, "actual", 2010),
      ("new_urban_jobs", "level", 1168, "actual", 2010), ("gdp", "growth_pct", 8, "target", 2011)}),
    # lists: ordinals with one head (云南), 均 and one number for two (海拉尔 2016), a compound
    # subject with one number (海拉尔 2013), 年均分别 (national 2011)
    (R2026 + "一、2025年工作回顾\n第一、第三产业增加值分别增长3.1%、5.1%。",
     {("primary_value_added", "growth_pct", 3.1, "actual", 2025), ("tertiary_value_added", "growth_pct", 5.1, "actual", 2025)}),
    (PLAN + "城镇常住居民人均可支配收入、农村常住居民人均可支配收入均增长8%。城乡居民可支配收入增长18%。",
     {("urban_disposable_income", "growth_pct", 8, "target", 2023), ("rural_disposable_income", "growth_pct", 8, "target", 2023),
      ("urban_disposable_income", "growth_pct", 18, "target", 2023), ("rural_disposable_income", "growth_pct", 18, "target", 2023)}),
    ("——2011年3月5日在第十一届全国人民代表大会第四次会议上\n一、“十一五”时期国民经济和社会发展的回顾\n"
     "城镇居民人均可支配收入和农村居民人均纯收入年均分别实际增长9.7%和8.9%。",
     {("urban_disposable_income", "avg_growth_pct", 9.7, "actual", "2006-2010"),
      ("rural_disposable_income", "avg_growth_pct", 8.9, "actual", "2006-2010")}),
    # the other half of a head (云南, 内蒙古 2026); 再就业 is not new jobs (海拉尔 2014)
    (R2026 + "一、2025年工作回顾\n地方一般公共预算收入增长2.3%、支出首次超过7000亿元。全年接待游客3亿人次、总花费超过4500亿元。",
     {("general_budget_revenue", "growth_pct", 2.3, "actual", 2025), ("general_budget_expenditure", "level", 7000, "actual", 2025),
      ("tourists", "level", 3, "actual", 2025), ("tourism_revenue", "level", 4500, "actual", 2025)}),
    # a number that counts or describes another noun (云南, 广西, 陕西 2026); a gap to the nation's
    # rate (吉林); a figure of half the year (广西); 回落到 is the value reached (national 2013)
    (R2026 + "一、2025年工作回顾\n高新技术企业数3年翻一番，新增2户独角兽企业。经济总量超500亿元的县域增至12个。"
     "新增经济总量超200亿元县2个。一产增加值增幅高于全国0.7个百分点。年末城镇调查失业率从上半年5.5%降到5.3%。"
     "居民消费价格涨幅回落到2.6%。",
     {("urban_unemployment_rate", "level", 5.3, "actual", 2025), ("cpi", "level", 2.6, "actual", 2025)}),
    # 8千亿元 is 8000 亿元 (广西); 按增长5%安排 and a new 台阶 are figures of the subject (江苏, 重庆)
    (R2026 + "一、2025年工作回顾\n全部工业增加值超8千亿元。\n二、2026年工作安排\n地区生产总值按增长5%安排，"
     "力争到2030年，全市地区生产总值迈上4万亿元新台阶。",
     {("industrial_value_added", "level", 8000, "actual", 2025), ("gdp", "growth_pct", 5, "target", 2026),
      ("gdp", "level", 4, "target", 2030)}),
    # numbers in Chinese numerals and spaced digits (national 1993, 1998, 2011)
    ("——1993年3月15日在第八届全国人民代表大会第一次会议上\n一、１９９２年国内工作的回顾\n"
     "国民经济实现了快速增长，国民生产总值比上年增长百分之十二点八。\n二、１９９３年的工作\n今年国民生产总值计划增长百分之八，是留有余地的。",
     {("gdp", "growth_pct", 12.8, "actual", 1992), ("gdp", "growth_pct", 8, "target", 1993)}),
    ("——1998年3月5日在第九届全国人民代表大会第一次会议上\n一、关于过去五年的政府工作\n二、关于1998年政府工作的建议\n去年经济增长8 ．8 ％，商品零售价格涨幅为0 ．8 ％。",
     {("gdp", "growth_pct", 8.8, "actual", 1997)}),
    ("——2011年3月5日在第十一届全国人民代表大会第四次会议上\n一、“十一五”时期国民经济和社会发展的回顾\n"
     "这五年，国内生产总值达到39.8 万亿元，年均增长11.2%。",
     {("gdp", "level", 39.8, "actual", 2010), ("gdp", "avg_growth_pct", 11.2, "actual", "2006-2010")}),
    # a five-year plan's totals and changes have its span; 和 joins two subjects of one number (2011)
    ("——2011年3月5日在第十一届全国人民代表大会第四次会议上\n一、“十一五”时期国民经济和社会发展的回顾\n"
     "二、“十二五”时期的主要目标和任务\n--我们要全面改善人民生活。为全体劳动者创造公平的就业机会，五年城镇新增就业4500万人。"
     "城镇居民人均可支配收入和农村居民人均纯收入年均实际增长超过7%。",
     {("new_urban_jobs", "level", 4500, "target", "2011-2015"), ("urban_disposable_income", "avg_growth_pct", 7, "target", "2011-2015"),
      ("rural_disposable_income", "avg_growth_pct", 7, "target", "2011-2015")}),
    # a review titled …的五年: totals over the five years, levels of the last year (national 1993)
    ("——1993年3月15日在第八届全国人民代表大会第一次会议上\n一、改革开放和现代化建设取得伟大成就的五年\n"
     "基本建设和技术改造取得新成就，五年全社会固定资产投资完成２６０００亿元。"
     "１９９２年同１９８７年相比，城镇居民人均生活费收入增加９１０元，达到１８２６元。",
     {("fixed_asset_investment", "level", 26000, "actual", "1988-1992"), ("urban_disposable_income", "change", 910, "actual", "1988-1992"),
      ("urban_disposable_income", "level", 1826, "actual", 1992)}),
    # a round threshold before the figure (江西, 湖北 2026); a clause with its own noun (江西: 新增上市公司);
    # 总量达 is a level though 净增 opened the list
    (R2026 + "一、2025年工作回顾\n地区生产总值突破3万亿元、达3.6万亿元。累计净增各类经营主体155万户、总量达474万户，"
     "新增上市公司48家、总量达122家。地区生产总值迈上6万亿元台阶，达到62661亿元。",
     {("gdp", "level", 3.6, "actual", 2025), ("market_entities", "change", 155, "actual", 2025),
      ("market_entities", "level", 474, "actual", 2025), ("gdp", "level", 62661, "actual", 2025)}),
    # lists with items that are not indicators: each known item by position; 均 gives one number to all
    # (江西, 贵州, 陕西 2026)
    (R2026 + "一、2025年工作回顾\n城市建成区园林绿化覆盖率、绿地率分别达46.84%、43.46%。集成电路、汽车零配件、锂电池出口分别增长107.9%、46.7%、57.4%。"
     "接待游客人次、旅游总花费均增长8%以上，省外游客、入境过夜游客分别增长10%、35%以上。城乡居民人均收入年均增长5.3％、7.7％。",
     {("green_coverage", "level", 46.84, "actual", 2025), ("tourists", "growth_pct", 8, "actual", 2025),
      ("tourism_revenue", "growth_pct", 8, "actual", 2025), ("urban_disposable_income", "avg_growth_pct", 5.3, "actual", "2021-2025"),
      ("rural_disposable_income", "avg_growth_pct", 7.7, "actual", "2021-2025")}),
    # a plan named after the figures (…完成“十四五”任务) does not make them five-year figures (陕西 2026)
    (R2026 + "一、2025年工作回顾\n刚刚过去的一年，是“十四五”收官之年。我们多措并举稳就业，地区生产总值增长5.1％，城镇新增就业44.1万人，"
     "单位地区生产总值能耗累计降幅完成“十四五”任务。",
     {("gdp", "growth_pct", 5.1, "actual", 2025), ("new_urban_jobs", "level", 44.1, "actual", 2025)}),
    # a year named in passing, then the five years (national 2016, 山东 2026): the paragraph is a
    # five-year passage; new jobs are only ever a flow
    ("——2016年3月5日在第十二届全国人民代表大会第四次会议上\n一、2015年工作回顾\n"
     "2015年是“十二五”收官之年。过去五年，我国发展成就举世瞩目。城镇新增就业人数超过6400万人。居民人均可支配收入增长34.3%。",
     {("new_urban_jobs", "level", 6400, "actual", "2011-2015")}),
    # a weak alias that qualifies a noun (黑龙江 2026: 进出口加工总值); one that opens its clause (安徽)
    (R2026 + "一、2025年工作回顾\n出口逆势增长17.8%。\n二、“十五五”时期主要目标\n"
     "推动对外开放从通道经济向进出口加工等多元化经济转变，进出口加工总值达到1000亿元。",
     {("exports", "growth_pct", 17.8, "actual", 2025)}),
    # 年均 inside an alias (national 2016: 经济年均增长); a list item of another entity (黑龙江:
    # 新登记文化和旅游经营主体…，接待游客数量和游客总花费分别…)
    ("——2016年3月5日在第十二届全国人民代表大会第四次会议上\n一、2015年工作回顾\n二、“十三五”时期主要目标任务和重大举措\n"
     "“十三五”时期经济年均增长保持在6.5%以上。",
     {("gdp", "avg_growth_pct", 6.5, "target", "2016-2020")}),
    (R2026 + "一、2025年工作回顾\n新登记文化和旅游经营主体1.1万户，接待游客数量和游客总花费分别增长10.3%、16.5%，"
     "其中，入境游客数量和花费分别增长47.8%、52.3%。",
     {("tourists", "growth_pct", 10.3, "actual", 2025),
      ("tourism_revenue", "growth_pct", 16.5, "actual", 2025)}),
    (REVIEW + "全年新增就业5611人，实现再就业2529人，城镇登记失业率控制到3.65%。",
     {("new_urban_jobs", "level", 5611, "actual", 2022), ("urban_unemployment_rate", "level", 3.65, "actual", 2022)}),

    # numbers joined by 、/和 in a clause without a subject go in order to the subjects listed before
    # it, with or without 分别 (江苏 2026, national 2009)
    (R2026 + "一、2025年工作回顾\n城乡居民人均可支配收入分别达6.9万元、3.4万元，增长4.2%、5.3%。",
     {("urban_disposable_income", "level", 6.9, "actual", 2025), ("rural_disposable_income", "level", 3.4, "actual", 2025),
      ("urban_disposable_income", "growth_pct", 4.2, "actual", 2025), ("rural_disposable_income", "growth_pct", 5.3, "actual", 2025)}),
    ("——2009年3月5日在第十一届全国人民代表大会第二次会议上\n一、2008年工作回顾\n"
     "城镇居民人均可支配收入15781元，农村居民人均纯收入4761元，实际增长8.4%和8%。",
     {("urban_disposable_income", "level", 15781, "actual", 2008), ("rural_disposable_income", "level", 4761, "actual", 2008),
      ("urban_disposable_income", "growth_pct", 8.4, "actual", 2008), ("rural_disposable_income", "growth_pct", 8, "actual", 2008)}),
    # a part after 其中 is not a second value of the whole (national 2022)
    ("——2022年3月5日在第十三届全国人民代表大会第五次会议上\n一、2021年工作回顾\n二、2022年经济社会发展总体要求和政策取向\n"
     "预计全年退税减税约2.5万亿元，其中留抵退税约1.5万亿元，退税资金全部直达企业。",
     {("tax_fee_relief", "level", 2.5, "target", 2022)}),
    # steps passed on the way: only the last is the level (福建 2026)
    (R2026 + "一、2025年工作回顾\n全省经济总量连跨5万亿元、6万亿元两个台阶。",
     {("gdp", "level", 6, "actual", 2025)}),
    # two years side by side (national 1987): 由A增加到B gives the base year's and the end year's
    # level; growth over the eight years is left out
    ("一九八七年三月二十五日在第六届全国人民代表大会第五次会议上\n一、当前国内形势和基本任务\n"
     "１９８６年同１９７８年相比，国民生产总值由３４８０亿元增加到９３８０亿元，按可比价格计算增长１０２％；"
     "国家财政收入由１１２１亿元增加到２２２０亿元，增长９８％。",
     {("gdp", "level", 3480, "actual", 1978), ("gdp", "level", 9380, "actual", 1986),
      ("general_budget_revenue", "level", 1121, "actual", 1978), ("general_budget_revenue", "level", 2220, "actual", 1986)}),
    # a sentence that gives an average a year, in a part on the five years and the last, counts its
    # flows over the five years (江苏 2026); 年均浓度 is a mean over one year, not such a sentence (天津)
    (R2026 + "一、“十四五”时期和2025年工作回顾\n（四）在发展中增进民生福祉，全体人民共同富裕扎实推进。"
     "人均可支配收入年均增长6%，城镇新增就业超690万人、稳定在全国1/10以上。PM2.5年均浓度36.2微克/立方米、同比下降5%，优良天数比例达到77%、增加13天。",
     {("disposable_income", "avg_growth_pct", 6, "actual", "2021-2025"), ("new_urban_jobs", "level", 690, "actual", "2021-2025"),
      ("good_air_days", "share_pct", 77, "actual", 2025), ("good_air_days", "change", 13, "actual", 2025)}),
    # one number after subjects listed with 、 goes to each (黑龙江 2026)
    (R2026 + "一、2025年工作回顾\n二、2026年重点工作\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，"
     "社会消费品零售总额、固定资产投资增长4%左右。",
     {("gdp", "growth_pct", 5, "target", 2026), ("retail_sales", "growth_pct", 4, "target", 2026),
      ("fixed_asset_investment", "growth_pct", 4, "target", 2026)}),
    # prices in general (物价上涨幅度, the 1990s) are cpi with basis "price level"; retail prices
    # (商品零售价格) are another index and give nothing (national 1995, 1998)
    ("——1995年3月5日在第八届全国人民代表大会第三次会议上\n一、１９９４年国内工作的回顾\n二、１９９５年经济和社会发展的主要任务\n"
     "宏观调控的目标是，确保物价上涨幅度比去年有明显回落，力争控制在百分之十五左右。"
     "今年国民经济宏观调控的主要目标是：商品零售价格涨幅控制在3 ％以内。",
     {("cpi", "level", 15, "target", 1995)}),
    # a five-year total whose five years we cannot place gives nothing (national 1982)
    ("一九八二年十一月三十日在第五届全国人民代表大会第五次会议上\n六、关于财政、信贷的基本平衡和物价的基本稳定\n"
     "第六个五年计划期间，要通过发展生产，使国家财政收入由下降转为上升。\n计划规定，五年合计国家财政收入为五千九百五十三亿元，其中一九八五年为一千二百七十四亿元。",
     set()),
    # 全疆 before a subject; 包括 before a goal (新疆, 福建 2026)
    (R2026 + "一、2025年工作回顾\n全疆经营主体总量276.81万户、增长8.85%，其中民营经济主体占97.2%。"
     "全年接待游客3.23亿人次、游客花费3700亿元，分别增长8%、8.4%。",
     {("market_entities", "level", 276.81, "actual", 2025), ("market_entities", "growth_pct", 8.85, "actual", 2025),
      ("tourists", "level", 3.23, "actual", 2025), ("tourism_revenue", "level", 3700, "actual", 2025),
      ("tourists", "growth_pct", 8, "actual", 2025), ("tourism_revenue", "growth_pct", 8.4, "actual", 2025)}),
    # a paragraph that opens on one year holds it for the paragraphs after it, in a part headed by
    # the five years (山西 2026: 城镇新增就业47.3万人 is 2025's)
    (R2026 + "一、“十四五”时期工作回顾\n“十四五”时期是我省发展历程中极不寻常、极不平凡的五年。\n"
     "刚刚过去的2025年，全省上下坚定有序推进转型发展。全年GDP增长4%。\n用心用情用力，为民排忧解难。城镇新增就业47.3万人。",
     {("gdp", "growth_pct", 4, "actual", 2025), ("new_urban_jobs", "level", 47.3, "actual", 2025)}),
    # items listed before an alias share its head (宁夏 2026): 一产、二产、三产增加值, 城镇、农村居民收入
    (R2026 + "一、2025年工作回顾\n一产、二产、三产增加值分别增长6%、5.2%、5.2%。"
     "全体居民人均可支配收入增长5.5%，其中城镇、农村居民收入分别增长4.8%、5.9%。",
     {("primary_value_added", "growth_pct", 6, "actual", 2025), ("secondary_value_added", "growth_pct", 5.2, "actual", 2025),
      ("tertiary_value_added", "growth_pct", 5.2, "actual", 2025), ("disposable_income", "growth_pct", 5.5, "actual", 2025),
      ("urban_disposable_income", "growth_pct", 4.8, "actual", 2025), ("rural_disposable_income", "growth_pct", 5.9, "actual", 2025)}),
    # 游客人次; 均 gives one number to both; domestic tourists are a part, not the total (宁夏, 贵州 2026)
    (R2026 + "一、2025年工作回顾\n全区游客人次、旅游花费分别增长14%、10%。国内游客人次、总花费增长5.6%、7.5%。\n"
     "二、2026年重点工作\n力争游客人次、旅游花费均增长10%以上。",
     {("tourists", "growth_pct", 14, "actual", 2025), ("tourism_revenue", "growth_pct", 10, "actual", 2025),
      ("tourists", "growth_pct", 10, "target", 2026), ("tourism_revenue", "growth_pct", 10, "target", 2026)}),
    # prices that fell a little are a negative level; 货物贸易 is the trade total; 到2030年 before a
    # subject; 新认定 before a subject is new (海南, 宁夏, 山西 2026)
    (R2026 + "一、2025年工作回顾\nCPI微降0.1%。\n二、“十五五”时期主要任务\n力争地区生产总值增速高于全国平均水平，"
     "到2030年人均地区生产总值达到10万元以上。\n三、2026年重点工作\n货物贸易增长10%。新认定高新技术企业1400家以上。",
     {("cpi", "level", -0.1, "actual", 2025), ("gdp_per_capita", "level", 10, "target", 2030),
      ("foreign_trade", "growth_pct", 10, "target", 2026), ("high_tech_enterprises", "change", 1400, "target", 2026)}),
    # 五年增量 is a change over the five years; the rank of an increment is no rank of the level (湖南 2026)
    (R2026 + "一、“十四五”时期工作回顾\n这五年，综合经济实力不断增强。地区生产总值迈上5万亿台阶、五年增量超1.36万亿元。\n"
     "刚刚过去的2025年，地区生产总值增长5.3%、增量保持全国第一。",
     {("gdp", "change", 1.36, "actual", "2021-2025"), ("gdp", "growth_pct", 5.3, "actual", 2025)}),
    # a clause opening on another entity takes the generic words after it; a sentence opening on
    # part of the year gives nothing (海南 2026)
    (R2026 + "一、2025年工作回顾\n海口经济圈产业发展规划完成编制，经济总量年均增长5.8%。"
     "封关至“满月”时，“零关税”政策享惠主体新增超1万家，新增经营主体2.68万户。上半年，地区生产总值增长5%。", set()),
    # 全市 in a district's report names the city: the city's figure is not the district's (the region
    # decides: 全市 is a city's own word, 全区 a district's or an autonomous region's)
    ("政府工作报告\n——2023年1月10日在呼伦贝尔市海拉尔区第十届人民代表大会第二次会议上\n海拉尔区人民政府区长  张三\n"
     "一、2022年工作回顾\n全区地区生产总值增长5%。全市地区生产总值增长4%。",
     {("gdp", "growth_pct", 5, "actual", 2022)}),
    # the verb nearest the figure gives its sign; a rate's yearly average is its level; a rate kept
    # within a ceiling over five years has the span (重庆 2026, 广东 2021)
    (R2026 + "一、2025年工作回顾\n外贸进出口在对美贸易下降超3成的情况下增长12%。调查失业率全年平均为5.45%。",
     {("foreign_trade", "growth_pct", 12, "actual", 2025), ("urban_unemployment_rate", "level", 5.45, "actual", 2025)}),
    ("——2021年1月24日在广东省第十三届人民代表大会第四次会议上\n一、“十三五”时期工作回顾\n"
     "五年来，城镇新增就业700万人，城镇登记失业率控制在3.5%以内，5年净增各类市场主体600万户、总量达1385万户。",
     {("new_urban_jobs", "level", 700, "actual", "2016-2020"), ("urban_unemployment_rate", "level", 3.5, "actual", "2016-2020"),
      ("market_entities", "change", 600, "actual", "2016-2020"), ("market_entities", "level", 1385, "actual", 2020)}),
    # thresholds crossed in turn are not levels; a round amount with no numeral after the verb that
    # crosses it is one of it (广东 2026, 2025)
    (R2026 + "一、2025年工作回顾\n进出口总额接连突破8万亿元、9万亿元。旅游总收入突破万亿元。打造万亿级产业集群。",
     {("tourism_revenue", "level", 1, "actual", 2025)}),
    # the three sectors' shares as a ratio (广东 2023); 增加值 after a sector's firms is that sector's (广东 2026)
    (R2026 + "一、2025年工作回顾\n三次产业比重调整为4.2∶41.1∶54.7。规模以上工业企业达7.6万家、增加值增长3%。",
     {("primary_value_added", "share_pct", 4.2, "actual", 2025), ("secondary_value_added", "share_pct", 41.1, "actual", 2025),
      ("tertiary_value_added", "share_pct", 54.7, "actual", 2025), ("industrial_value_added", "growth_pct", 3, "actual", 2025)}),
    # an appendix headed 附件1 alone takes its year from the line after it: the plan's (广东 2022)
    ("——2022年1月20日在广东省第十三届人民代表大会第五次会议上\n一、2021年工作回顾\n二、2022年工作安排\n"
     "附件1\n2022年省十件民生实事\n一、促进就业\n全年完成城镇新增就业110万人。",
     {("new_urban_jobs", "level", 110, "target", 2022)}),
    # 由…增加到…: base year and last year, the average a year over the five (national 2003); the
    # 1980s income word; 服务业比重 says share; 居民收入 is the residents' income (national 1984, 2018)
    ("——2003年3月5日在第十届全国人民代表大会第一次会议上\n一、过去五年政府工作回顾\n"
     "五年来，城镇居民家庭人均可支配收入，由1997年的5160元增加到2002年的7703元，平均每年实际增长8.6%。"
     "全社会消费品零售总额从1997年的2.73万亿元增加到2002年的4.1万亿元。",
     {("urban_disposable_income", "level", 5160, "actual", 1997), ("urban_disposable_income", "level", 7703, "actual", 2002),
      ("urban_disposable_income", "avg_growth_pct", 8.6, "actual", "1998-2002"),
      ("retail_sales", "level", 2.73, "actual", 1997), ("retail_sales", "level", 4.1, "actual", 2002)}),
    ("一九八四年五月十五日在第六届全国人民代表大会第二次会议上\n一、一九八三年的工作\n"
     "农民按人口平均的纯收入达到３０９．８元，比上年增长１４．７％。",
     {("rural_disposable_income", "level", 309.8, "actual", 1983), ("rural_disposable_income", "growth_pct", 14.7, "actual", 1983)}),
    ("——2018年3月5日在第十三届全国人民代表大会第一次会议上\n一、过去五年工作回顾\n"
     "五年来，服务业比重从45.3%上升到51.6%，居民收入年均增长7.4%。",
     {("tertiary_value_added", "share_pct", 45.3, "actual", 2012), ("tertiary_value_added", "share_pct", 51.6, "actual", 2017),
      ("disposable_income", "avg_growth_pct", 7.4, "actual", "2013-2017")}),
    # a share of spending that goes to livelihoods; a figure of the circumstance (在…的情况下) is not
    # the subject's (福建, 北京, 重庆 2026)
    (R2026 + "一、2025年工作回顾\n财政支出近八成投向民生领域。教育、医疗、就业等民生类支出约占一般公共预算支出的七成。"
     "外贸进出口在对美贸易下降超3成的情况下增长12%。",
     {("livelihood_expenditure", "share_pct", 80, "actual", 2025), ("livelihood_expenditure", "share_pct", 70, "actual", 2025),
      ("foreign_trade", "growth_pct", 12, "actual", 2025)}),
    # a bound that held every year of the five has the span; a rate kept within a ceiling over the
    # plan ahead has the plan's span (陕西, 青海, 贵州 2026); 折合 gives the figure in yuan (上海 2026)
    (R2026 + "一、“十四五”时期工作回顾\n五年来，民生福祉持续增进。每年城镇新增就业60万人以上。\n"
     "二、“十五五”时期主要目标任务\n“十五五”时期经济社会发展的主要目标是：城镇调查失业率控制在5.5%左右。\n"
     "三、2026年重点工作\n刚刚过去的2025年，实际使用外资达到160.6亿美元、折合1148亿元人民币。",
     {("new_urban_jobs", "level", 60, "actual", "2021-2025"), ("foreign_capital_used", "level", 160.6, "actual", 2025),
      ("foreign_capital_used", "level", 1148, "actual", 2025), ("urban_unemployment_rate", "level", 5.5, "target", "2026-2030")}),
    # subsections after 。五年来，… in a part on the year and the five are the five years (贵州 2026)
    (R2026 + "一、2025年和“十四五”时期工作回顾\n过去一年，全省上下攻坚克难。取得这样的成绩极为不易。五年来，我们锐意进取、攻坚克难！\n"
     "（一）加大力度保障和改善民生。坚持民生投入只增不减，每年70%左右财政支出用于民生事业。",
     {("livelihood_expenditure", "share_pct", 70, "actual", "2021-2025")}),
    # a target worded as a proposal (建议…目标设定为) (江苏 2026)
    (R2026 + "一、2025年工作回顾\n二、“十五五”时期主要目标任务\n建议“十五五”时期地区生产总值增速目标设定为年均增长5.5%—6%。",
     {("gdp", "avg_growth_pct", 5.5, "target", "2026-2030")}),
    # a sentence opening on 总量 speaks of the short sentence before it (江苏, 湖南 2026)
    (R2026 + "一、2025年工作回顾\n经营主体稳中培优。总量达1461.4万户，新登记147万户、其中企业57.3万家。经营主体持续壮大。总量接近800万户。",
     {("market_entities", "level", 1461.4, "actual", 2025), ("market_entities", "change", 147, "actual", 2025),
      ("market_entities", "level", 800, "actual", 2025)}),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0].split("\n")[-1][:16] for c in CASES])
def test_observation_shapes(text, expected):
    assert obs(text) == expected


RANK_CASES = [
    # 居…首位 = 1, scope 世界 (national 2015); 西部 (广西 2026); 总量和增速均 gives two (issue 11)
    (REVIEW + "实际使用外商直接投资1196亿美元，居世界首位。", {("foreign_capital_used", 1, "世界", "level")}),
    (REVIEW + "外贸进出口增长8.4%，总额突破8000亿元、排西部第二。", {("foreign_trade", 2, "西部", "level")}),
    (REVIEW + "地区生产总值总量和增速均居全国第5位。", {("gdp", 5, "全国", "level"), ("gdp", 5, "全国", "growth")}),
    # a list of subjects 等六项…指标 (海拉尔 2014): a rank for each canonical one
    (REVIEW + "地区生产总值、地方财政总收入、社会消费品零售总额、城镇居民人均可支配收入等六项主要经济指标全部位列全市第一。",
     {("gdp", 1, "全市", "level"), ("retail_sales", 1, "全市", "level"), ("urban_disposable_income", 1, "全市", "level")}),
    # 均居 after a 分别 list (江西 2026); the rank of a noun an alias qualifies is not the alias's (江西)
    (REVIEW + "城市建成区园林绿化覆盖率、绿地率分别达46.84%、43.46%，均居全国第2。出口通关效率稳居中部地区第1。",
     {("green_coverage", 2, "全国", "level")}),
    # 连续8年全国第一 (江苏 2026)
    (REVIEW + "实际使用外资连续8年全国第一。", {("foreign_capital_used", 1, "全国", "level")}),
    # 连续47年居全国首位 after the level (福建 2026)
    (REVIEW + "森林覆盖率达65.85%、连续47年居全国首位。", {("forest_coverage", 1, "全国", "level")}),
    (REVIEW + "森林覆盖率连续47年居全国首位。", {("forest_coverage", 1, "全国", "level")}),   # no figure in the sentence
    # the rank right after a growth rate is the rate's; 分别居 gives one rank to each listed subject (宁夏 2026)
    (REVIEW + "固定资产投资增长6%，居全国第四。一产、二产、三产增加值分别增长6%、5.2%、5.2%，分别居全国第二、第七、第九。",
     {("fixed_asset_investment", 4, "全国", "growth"), ("primary_value_added", 2, "全国", "growth"),
      ("secondary_value_added", 7, "全国", "growth"), ("tertiary_value_added", 9, "全国", "growth")}),
    # county reports' scopes, as printed; a second rank after the first keeps its scope
    (REVIEW + "地区生产总值增长6.3%，增速位居全市22个县（市、区）第2位。一般公共预算收入完成8.1亿元，增长9%，居全市县区第三位。",
     {("gdp", 2, "全市22个县（市、区）", "growth"), ("general_budget_revenue", 3, "全市县区", "growth")}),
    (REVIEW + "地区生产总值达到102.46亿元，总量居全市第3位、增速居第1位。", {("gdp", 3, "全市", "level"), ("gdp", 1, "全市", "growth")}),
    # 世界排名由第十位上升到第五位: the base year's rank and the last year's (national 2003)
    ("——2003年3月5日在第十届全国人民代表大会第一次会议上\n一、过去五年政府工作回顾\n五年来，外贸进出口总额由1997年的3252亿美元"
     "增加到2002年的6208亿美元，世界排名由第十位上升到第五位。",
     {("foreign_trade", 10, "世界", "level"), ("foreign_trade", 5, "世界", "level")}),
]


@pytest.mark.parametrize("text, expected", RANK_CASES, ids=[c[0].split("\n")[-1][:12] for c in RANK_CASES])
def test_ranks(text, expected):
    r = baogao.parse_text(text)
    assert {(o.indicator, o.value, o.scope, o.of) for o in r.observations if o.measure == "rank"} == expected


def test_rank_scope_and_of():
    r = baogao.parse_text(REVIEW + "城镇居民人均可支配收入4.2万元,全市排名第二。引进域外资金同比增长280%,增速全市第一。")
    ranks = {(o.indicator, o.value, o.scope, o.of) for o in r.observations if o.measure == "rank"}
    assert ranks == {("urban_disposable_income", 2, "全市", "level"), ("domestic_capital_introduced", 1, "全市", "growth")}


def test_flags_and_spans():
    text = REVIEW + "预计全年地区生产总值同比增长5%左右。市场主体突破3.2万家。"
    r = baogao.parse_text(text)
    by = {o.indicator: o for o in r.observations}
    assert by["gdp"].estimated and by["gdp"].approx
    assert by["market_entities"].floor and not by["market_entities"].estimated
    for o in r.observations:
        assert text[o.start:o.end] in ("5%", "3.2万家")
        s, e = o.sentence
        assert s <= o.start < o.end <= e


def test_audit_reports_a_share_that_does_not_match_its_parts():
    r = baogao.parse_text(REVIEW + "全区一般公共预算收入完成11.5亿元,其中税收完成10.8亿元,占比95.9%。")
    (note,) = r.audit
    assert note["kind"] == "share_mismatch" and note["implied"] == pytest.approx(93.91, abs=0.01)
    assert {o.value for o in r.observations} == {11.5, 10.8, 95.9}       # reported, never changed
    assert baogao.parse_text(REVIEW + "全区一般公共预算收入完成11.5亿元,其中税收完成10.8亿元,占比93.9%。").audit == []


def test_user_indicators_from_toml(tmp_path, monkeypatch):
    from baogao.extract.lexicon import load_lexicon
    f = tmp_path / "mine.toml"
    f.write_text('[[indicator]]\nid = "grain_output"\nname = "粮食产量"\naliases = ["粮食产量", "粮食总产量"]\n'
                 'units = ["万吨", "亿斤", "%"]\n', encoding="utf-8")
    monkeypatch.setenv("BAOGAO_INDICATORS", str(f))
    load_lexicon.cache_clear()
    try:
        got = obs(REVIEW + "全区粮食产量达到1.4亿斤，增长3.2%。")
    finally:
        monkeypatch.delenv("BAOGAO_INDICATORS")
        load_lexicon.cache_clear()
    assert got == {("grain_output", "level", 1.4, "actual", 2022), ("grain_output", "growth_pct", 3.2, "actual", 2022)}


# The 2026 provincial GDP growth targets as the reports state them (主要预期目标), read by hand.
GDP_TARGETS_2026 = {
    "上海市": (5, None), "云南省": (4.5, None), "内蒙古自治区": (5, None), "北京市": (5, None), "吉林省": (5, None),
    "天津市": (4.5, None), "宁夏回族自治区": (5, None), "安徽省": (5, 5.5), "山东省": (5, None), "山西省": (4.5, 5),
    "广西壮族自治区": (5, None), "新疆维吾尔自治区": (5.5, 6), "江苏省": (5, None), "江西省": (5, 5.5),
    "河北省": (5, None), "浙江省": (5, 5.5), "海南省": (6, None), "湖北省": (5.5, None), "湖南省": (5, None),
    "福建省": (5, None), "贵州省": (5, None), "重庆市": (5, None), "陕西省": (5, None), "青海省": (4.5, None),
    "黑龙江省": (4.5, 5),
}


@pytest.mark.parametrize("province", sorted(GDP_TARGETS_2026))
def test_2026_provincial_gdp_growth_target(province):
    report = baogao.parse(CORPUS / "provinces-2026" / f"2026_{province}_政府工作报告.txt")
    got = {(o.value, o.high) for o in report.observations
           if o.indicator == "gdp" and o.measure == "growth_pct" and o.status == "target" and o.period == 2026}
    assert got == {GDP_TARGETS_2026[province]}


def test_every_provincial_file_is_in_the_table():
    files = {p.name.split("_")[1] for p in (CORPUS / "provinces-2026").glob("2026_*.txt")}
    assert files == set(GDP_TARGETS_2026)


def _source(source_file: str):
    """A gold record's source: under ../shared/corpus, or (tests/…, ../shared/…) from the repository root."""
    return ROOT / source_file if source_file.startswith(("tests/", "../")) else CORPUS / source_file


def _score(gold_dir, tmp_path, name):
    """Parse each gold record's source (its `source_file` under ../shared/corpus, or the corpus file
    of its name) and score the set with ../shared/bench/score.py."""
    gold = sorted(gold_dir.glob("*.json"))
    sources = {p.stem: p for p in CORPUS.rglob("*.txt")}
    out = tmp_path / name.replace("/", "_").replace(" ", "_")
    out.mkdir()
    for g in gold:
        record = json.loads(g.read_text(encoding="utf-8"))
        source = _source(record["source_file"]) if record.get("source_file") else sources[g.stem]
        (out / g.name).write_text(baogao.parse(source, name=g.stem).to_json(), encoding="utf-8")
    res = subprocess.run([sys.executable, str(SHARED / "bench/score.py"), "--gold", str(gold_dir), "--pred", str(out),
                          "--json"], capture_output=True, text=True, check=True)
    SCORES[name] = json.loads(res.stdout)
    return SCORES[name]


# Gold sets annotated blind (tests/ANNOTATION.md) on reports the rules had not been written for;
# README.md gives each set's first measurement. Floors sit just under today's figures, so a
# change that loses accuracy on any set fails here.
GOLD_SETS = [
    # dev's precision, 0.969, counts as wrong the three sectors' shares its 海拉尔 2012 annotator left
    # out (三次产业结构演进为3.6 : 48 : 48.4; tests/ANNOTATION.md now asks for them) and 民生占比超过80%
    ("tests/dev", 0.96, 0.96),       # 云南 广西 内蒙古 吉林 2026, 海拉尔 2012-2014 2016, national 1993 2011
    # dev2's precision, 0.958, counts as wrong 江西's three sectors' shares (left out by its annotator)
    # and 城镇新增就业每年超过90万人 read for the five years (its annotator: 2025; dev3's: the five years)
    ("tests/dev2", 0.94, 0.95),      # 湖北 陕西 江西 贵州 2026, national 1998
    ("tests/dev3", 0.93, 0.98),      # 上海 北京 天津 山东 青海 黑龙江 2026, national 1995, gov.cn 2016
    ("tests/final", 0.95, 0.99),     # 江苏 福建 新疆 2026, national 1987 2009 2022 (first measured blind: F1 0.863)
    ("tests/dev4", 0.95, 0.98),      # 宁夏 山西 海南 湖南 2026 (first measured blind: F1 0.835, P 0.910)
    ("tests/final2", 0.97, 0.98),    # 广东 2021 2022 2023 2025 2026 (scraped pages), 重庆 2026 (first: F1 0.913, P 0.955)
    ("tests/final3", 0.96, 0.95),    # national 1984 2003 2014 2018 2025 (first measured blind: F1 0.853, P 0.953)
]
# Level-1 sections of tests/final2: its annotators titled the appendices of 广东 2022 and 2026 by the
# line after 附件1 (2022年省十件民生实事), those of 2023 and of 内蒙古, 江西 by the label (附件1), as baogao does.
SECTIONS_FLOOR = {"tests/final2": 0.87}


@pytest.mark.parametrize("gold_dir, f1, precision", GOLD_SETS, ids=[g[0] for g in GOLD_SETS])
def test_observations_on_the_development_gold_sets(tmp_path, gold_dir, f1, precision):
    res = _score(ROOT / gold_dir, tmp_path, gold_dir)
    assert res["observations"]["f1"] >= f1 and res["observations"]["precision"] >= precision
    assert res["sections"]["f1"] >= SECTIONS_FLOOR.get(gold_dir, 0.97) and res["boilerplate"]["f1"] >= 0.95


def test_observations_on_the_project_gold_records(tmp_path):
    """tests/gold: hailar_2015 (a targets paragraph), national 2024, Hebei 2026."""
    res = _score(ROOT / "tests/gold", tmp_path, "tests/gold")
    assert res["observations"]["f1"] >= 0.90
    assert res["quantities"]["f1"] >= 0.97


def test_observations_on_the_held_out_records(tmp_path):
    """tests/heldout: annotated after the parser was written (hailar_2019, national 2019, Anhui 2026)."""
    res = _score(ROOT / "tests/heldout", tmp_path, "tests/heldout")
    assert res["observations"]["f1"] >= 0.90
    assert res["quantities"]["f1"] >= 0.97


def test_observations_on_the_fresh_records(tmp_path):
    """tests/fresh: annotated after the held-out round (Zhejiang 2026, national 2005 as a gov.cn page)."""
    res = _score(ROOT / "tests/fresh", tmp_path, "tests/fresh")
    assert res["observations"]["f1"] >= 0.90
    assert res["boilerplate"]["f1"] >= 0.95


def test_registered_and_surveyed_unemployment_are_kept_apart():
    """national 2018: both rates in one targets list, one id, two series (basis)."""
    text = ("——2018年3月5日在第十三届全国人民代表大会第一次会议上\n一、过去五年工作回顾\n二、2018年经济社会发展总体要求和政策取向\n"
            "今年发展主要预期目标是：国内生产总值增长6.5%左右；城镇新增就业1100万人以上，城镇调查失业率5.5%以内，城镇登记失业率4.5%以内。")
    rates = {(o.value, o.basis, o.status, o.period) for o in baogao.parse_text(text).observations
             if o.indicator == "urban_unemployment_rate"}
    assert rates == {(5.5, "surveyed", "target", 2018), (4.5, "registered", "target", 2018)}


def test_panel_splits_unemployment_by_basis(tmp_path):
    from baogao.store import Corpus
    files = [CORPUS / "national" / "2018_2018年中华人民共和国国务院政府工作报告.txt"]
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.ingest(files, jobs=1, progress=False)
        panel = corpus.panel("urban_unemployment_rate", "level", status="target")
        assert dict(zip(panel["basis"], panel["value"])) == {"surveyed": 5.5, "registered": 4.5}
