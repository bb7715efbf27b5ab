"""Boilerplate: lines and spans of scraped pages that are not the report."""
import pytest

from baogao.clean import find_boilerplate

STRUCK = [
    "导航菜单", "网站地图", "下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】",
    "来源：解放日报", "时间：2026-02-09", "2026-02-03 09:02:33", "相关报道：", "验证码:",
    "本文地址:/baogao/db/5801.html", "留言与评论(共有 条评论)",
    "本文仅代表作者观点,不代表本站立场。 凡注明为博县网原创作品的,未经许可,不得转载;源于网络的作品,若对您造成了侵权,请联系本站。",
    "殷勇同志作政府工作报告。本报记者 戴冰摄",
    "自治区人民政府主席包钢作政府工作报告。本报记者 韩卿立 摄",
    "当前位置： 首页>> 中国概况",
    "中央政府门户网站　www.gov.cn　　 2006年02月16日　　 来源：新华社",
    "【字体：大 中 小】", "（责任编辑： 郭桢", "<!--", "-->", "<U+00A0>",
    # national-govcn-gbk pages (1954, 1956, 2006, 2007, 2010, 2011)
    "（《人民日报》1 9 5 4 0 9 2 4 第1至2 版）", "字库未存字注释：", "＠①原字石右加安",
    "上一页1 2 3 4 下一页", "<<上一页 6 下一页", "<U+00A0>新华社北京３月１５日电",
    "历年国务院政府工作报告（1954年至2009年）",
    "相关链接   · 《政府工作报告》修改15处充分吸纳代表委员意见    · 十一届全国人大三次会议关于政府工作报告的决议",
    # provinces-2026 pages (宁夏, 陕西) and crawler headers
    "扫一扫在手机打开当前页", "分享:", "标题：2023年政府工作报告", "来源URL：http://www.example.gov.cn/art/2023/1/8/art_1.html",
    "正文：", "====================",
    # gd.gov.cn and an association's page (广东 2021, 2022, 2023)
    "返回列表", "上一篇： 2020年国家先进污染防治技术目录（固体废物和土壤污染防治领域）",
    "附件：2021年1月24日广东省省长马兴瑞在广东省第十三届人民代表大会第四次会议上作政府工作报告.pdf",
    "© Energy and Environmental Service Industry Alliance 能源环境服务产业联盟", "政府工作报告——2023年1月12日在广东省第十四届人民代表...",
    "1月24日上午，广东省十三届人大四次会议在广州白云国际会议中心世纪大会堂开幕。省长马兴瑞向大会作政府工作报告。",
]
# a paragraph of report text after the line: a footer opener strikes only its own line then
PARAGRAPH = "全年地区生产总值完成102.46亿元，增长2.3%；规上工业增加值完成5.58亿元，增长7.8%，增速六城区排名第三。"
KEPT = [
    "一、2022年工作回顾", "各位代表:", "2026年上海市政府工作报告", "政府工作报告",
    "——2023年2月8日在太原市晋源区第六届人民代表大会第四次会议上",
    "全年地区生产总值完成102.46亿元,增长2.3%;规上工业增加值完成5.58亿元,增长7.8%。",
    "上海市市长 龚 正", "（一）全力促进经济平稳健康发展", "大力实施城市更新行动。",
]


@pytest.mark.parametrize("line", STRUCK)
def test_struck_lines(line):
    text = "各位代表：\n" + line + "\n" + PARAGRAPH + "\n一、2022年工作回顾\n"
    spans = find_boilerplate(text)
    assert [text[s.start:s.end] for s in spans] == [line.strip()]


@pytest.mark.parametrize("line", KEPT)
def test_kept_lines(line):
    text = "各位代表：\n" + line + "\n"
    assert find_boilerplate(text) == []


def test_breadcrumb_items_between_chrome_lines():
    text = "您的位置:\n首页\n>\n云南要闻\n>\n2026年政府工作报告\n来源：云南日报\n"
    struck = {text[s.start:s.end] for s in find_boilerplate(text)}
    assert "云南要闻" in struck and "2026年政府工作报告" not in struck


def test_inline_debris_and_spam():
    text = "——2015年3月5日在第十二届全国人民代表大会第三次会议上国务院总理<U+00A0>李克强\n全区经济九游会俱乐部j9入口稳中向好。\n"
    struck = [text[s.start:s.end] for s in find_boilerplate(text)]
    assert struck == ["<U+00A0>", "九游会俱乐部j9入口"]


def test_html_comment_block_and_licence_trailer():
    text = "<!--\n      \n-->\n正文。\n本作品是中华人民共和国的\n法律\n、\n法规\nPublic domain\nfalse\n"
    spans = find_boilerplate(text)
    assert text[spans[0].start:spans[0].end] == "<!--\n      \n-->"
    assert text[spans[-1].start:spans[-1].end].startswith("本作品是中华人民共和国的")
    assert text[spans[-1].start:spans[-1].end].endswith("false")


def test_footer_after_the_last_paragraph_runs_to_the_end():
    """2010.txt (gov.cn): link titles after 相关链接 are short lines of the footer."""
    text = (PARAGRAPH + "\n相关链接\n· 十一届全国人大三次会议关于政府工作报告的决议\n"
            "· 报告解读：政府工作报告的“三农”工作新亮点\n索引号：000014349/2010-00012\n")
    spans = find_boilerplate(text)
    assert text[spans[0].start:spans[-1].end].startswith("相关链接") and text[:spans[0].start].strip() == PARAGRAPH
    assert spans[-1].end == len(text.rstrip())


def test_escape_text_before_a_heading_is_debris_and_the_heading_stays():
    from baogao.parse.sections import find_sections
    text = PARAGRAPH + "\n<U+00A0><U+00A0><U+00A0><U+00A0>一、过去五年工作回顾\n" + PARAGRAPH + "\n"
    struck = [(s.start, s.end) for s in find_boilerplate(text)]
    assert "".join(text[s:e] for s, e in struck) == "<U+00A0>" * 4 and struck[-1][1] == text.index("一、过去")
    assert [s.title for s in find_sections(text, struck)] == ["一、过去五年工作回顾"]


def test_photo_caption_glued_to_the_dateline():
    """2014.txt (gov.cn): a crawler merged the caption, the news line and the dateline."""
    text = ("3月5日，李克强代表国务院在十二届全国人大二次会议上作《政府工作报告》。新华社记者姚大伟摄"
            "新华社北京3月14日电政府工作报告——2014年3月5日在第十二届全国人民代表大会第二次会议上\n")
    struck = [text[s.start:s.end] for s in find_boilerplate(text)]
    assert struck == ["3月5日，李克强代表国务院在十二届全国人大二次会议上作《政府工作报告》。新华社记者姚大伟摄"]


# A scraped page's head: menus, crumbs, headlines, share buttons above the report's title and
# dateline (网易 repost of 广东 2026); the title, the dateline broken in two and the speaker stay.
PAGE_HEAD = ("2026年广东省政府工作报告（全文）|广州|大力|高质量_网易订阅\n网易首页\n应用\n网易新闻\n"
             "2026-01-31 18:19:34 来源: 濠江宣传\n广东\n举报\n0\n分享至\n用微信扫码二维码\n分享至好友和朋友圈\n")
REPORT_OPENING = "政府工作报告\n——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n广东省省长 孟凡利\n各位代表：\n"


def test_a_page_head_above_the_title_is_chrome():
    text = PAGE_HEAD + REPORT_OPENING + PARAGRAPH + "\n"
    spans = find_boilerplate(text)
    assert text[:spans[-1].end].strip() == PAGE_HEAD.strip()
    assert text[spans[-1].end:].lstrip().startswith("政府工作报告")


def test_a_title_broken_over_two_lines_stays():
    """national 2017, 2021: the title line broken by the crawler (政府工作报 / 告)."""
    text = "\u200b\n政府工作报\n告\n——2021年3月5日在第十三届全国人民代表大会第四次会议上\n国务院总理\n\u3000李克强\n各位代表：\n" + PARAGRAPH + "\n"
    assert find_boilerplate(text) == []


def test_a_platform_notice_strikes_the_news_feed_after_it():
    """网易 reposts: 特别声明 then headlines, authors and comment counts to the end of the page."""
    tail = ("特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台“网易号”用户上传并发布，本平台仅提供信息存储服务。\n"
            "壮美！60余名工作人员在太行山间展开巨幅五星红旗，这是一个很长的新闻标题用来超过四十个字符的长度限制呢\n学申论的谈妹 2026-09-27 09:36:21\n111\n跟贴 111\n")
    text = "各位代表：\n" + PARAGRAPH + "\n" + tail
    spans = find_boilerplate(text)
    assert text[spans[0].start:].rstrip() == tail.rstrip() and len(spans) == 1
