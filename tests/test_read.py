"""Reading: encodings, BOMs, HTML, and clear errors for what cannot be read."""
import codecs

import pytest

import baogao
from baogao.read import ReadError, read_source

LINE = "——2023年2月8日在太原市晋源区第六届人民代表大会第四次会议上\r\n全年地区生产总值完成102.46亿元，增长2.3%\r\n"


@pytest.mark.parametrize("raw, encoding", [
    (LINE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + LINE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF16_LE + LINE.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + LINE.encode("utf-16-be"), "utf-16"),
    (LINE.encode("gbk"), "gb18030"),
    (LINE.encode("gb18030"), "gb18030"),
])
def test_encodings_decode_to_the_same_text(raw, encoding):
    src = read_source(raw, name="r.txt")
    assert src.text == LINE                      # CRLF kept, BOM dropped, nothing else changed
    assert src.encoding == encoding
    assert src.format == "txt"


def test_big5_falls_to_the_detector():
    text = "政府工作報告：全年地區生產總值完成一百億元，增長百分之二點三。" * 20
    src = read_source(text.encode("big5"), name="r.txt")
    assert "地區生產總值" in src.text
    assert src.encoding not in ("utf-8", "gb18030")


def test_hailar_gbk_crlf_file(shared):
    src = read_source(shared / "corpus/hailar/hailar_2012.txt")
    assert src.encoding == "gb18030" and "\r\n" in src.text
    assert "海拉尔区人民政府区长" in src.text


@pytest.mark.parametrize("raw, reason", [
    (b"", "empty file"),
    (b"  \r\n\t ", "empty file"),
    (bytes(range(256)) * 10, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_unreadable_input_gets_a_reason(raw, reason):
    with pytest.raises(ReadError, match=reason):
        read_source(raw, name="bad.txt")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read_source(tmp_path / "nope.txt")
    with pytest.raises(ReadError, match="directory"):
        read_source(tmp_path)


def test_html_visible_text_in_reading_order():
    html = """<html><head><title>t</title><style>.x{color:red}</style></head><body>
    <div class="nav">导航菜单</div><script>var a = "2023年";</script>
    <h1>政府工作报告</h1><p>——2024年2月21日在区十五届人大四次会议上</p>
    <p>全区地区生产总值完成177.3亿元；<br>固定资产投资同比增长5.8%。</p><!-- 注释 --></body></html>"""
    report = baogao.parse(html.encode("utf-8"), name="page.html")
    assert report.source["format"] == "html"
    assert "var a" not in report.text and "color:red" not in report.text and "注释" not in report.text
    assert report.text.index("政府工作报告") < report.text.index("177.3亿元") < report.text.index("5.8%")
    assert report.meta.date == "2024-02-21"
    assert [q.text for q in report.quantities] == ["177.3亿元", "5.8%"]


def test_a_file_far_larger_than_any_report_is_refused_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("BAOGAO_MAX_MB", "1")
    big = tmp_path / "dump.txt"
    big.write_bytes(("各位代表：" * 100_000).encode("utf-8"))     # 1.5 MB
    with pytest.raises(ReadError, match=r"too large for a report: 1\.4 MB \(limit 1 MB"):
        read_source(big)
    monkeypatch.setenv("BAOGAO_MAX_MB", "2")
    assert read_source(big).encoding == "utf-8"


def test_gbk_cut_inside_its_last_character_is_read_and_says_so(shared):
    raw = (shared / "corpus/hailar/hailar_2012.txt").read_bytes()
    whole = raw.decode("gb18030")
    cut = whole[:500].encode("gb18030") + "区".encode("gb18030")[:1]      # half of a 2-byte character
    src = read_source(cut, name="cut.txt")
    assert src.text == whole[:500]
    assert src.encoding.startswith("gb18030 (truncated")


def test_only_full_width_spaces_is_empty():
    with pytest.raises(ReadError, match="empty"):
        read_source("\u3000\u3000\r\n\u3000".encode("utf-8"), name="blank.txt")
