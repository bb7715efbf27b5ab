"""The region gazetteer and resolver: shared and historical names, whole-report headers, successors."""
from __future__ import annotations

import gzip
import importlib.util
import time
from pathlib import Path

import pytest

from baogao.regions import Resolution, get_gazetteer, locate, resolve, short_name, successors
from baogao.regions.gazetteer import DATA, Gazetteer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
CORPUS = SHARED / "corpus"


def read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


# -- the data file -------------------------------------------------------------------------------
def test_data_file_is_small_and_loads_fast():
    assert DATA.stat().st_size < 300_000
    t = time.perf_counter()
    g = Gazetteer.load()
    assert time.perf_counter() - t < 1.0
    assert len(g.divisions) > 6000


def test_data_file_matches_the_source():
    """The shipped table is what tools/build_gazetteer.py makes from ../shared today."""
    src = SHARED / "data" / "areacodes" / "result.csv"
    if not src.exists():
        pytest.skip("../shared/data/areacodes is not beside the repository")
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "tools" / "build_gazetteer.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert gzip.decompress(build.build(src)) == gzip.decompress(DATA.read_bytes())


def test_gazetteer_is_a_singleton():
    assert get_gazetteer() is get_gazetteer()


# -- gazetteer lookups ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, short", [
    ("鼓楼区", "鼓楼"), ("内蒙古自治区", "内蒙古"), ("广西壮族自治区", "广西"), ("新疆维吾尔自治区", "新疆"),
    ("宁夏回族自治区", "宁夏"), ("北京市", "北京"), ("莫力达瓦达斡尔族自治旗", "莫力达瓦"),
    ("延边朝鲜族自治州", "延边"), ("神农架林区", "神农架"), ("六枝特区", "六枝"), ("浦东新区", "浦东"),
    ("沙县", "沙县"), ("城区", "城区"),
])
def test_short_names(name, short):
    assert short_name(name) == short


def test_lookup_by_code_respects_the_year():
    g = get_gazetteer()
    assert g.get("410703", 1995).name == "新华区"
    assert g.get("410703", 2010).name == "卫滨区"
    assert g.get("152101", 2005) is None
    assert g.get("150702", 2005).name == "海拉尔区"


def test_lookup_by_name_and_short_name():
    g = get_gazetteer()
    assert [d.code for d in g.lookup("内蒙古", 2020)] == ["150000"]
    assert [d.code for d in g.lookup("广西", 2020)] == ["450000"]
    assert {d.code for d in g.lookup("鼓楼", 2020)} == {"320106", "320302", "350102", "410204"}
    assert [d.code for d in g.lookup("海拉尔区", 2010)] == ["150702"]
    assert [d.code for d in g.lookup("海拉尔区", 1995)] == ["152101"]     # by its short name 海拉尔


@pytest.mark.parametrize("code, year, province, city, county", [
    ("140110", 2023, "山西省", "太原市", "晋源区"),
    ("110105", 2020, "北京市", "北京市", "朝阳区"),       # 直辖: the municipality is the city
    ("510202", 1990, "四川省", "重庆市", "市中区"),       # 重庆 was a prefecture of 四川 until 1997
    ("152101", 1995, "内蒙古自治区", "呼伦贝尔盟", "海拉尔市"),
    ("429004", 2020, "湖北省", None, "仙桃市"),         # a county-level city under the province
    ("130100", 2020, "河北省", "石家庄市", None),
])
def test_parents(code, year, province, city, county):
    g = get_gazetteer()
    d = g.get(code, year)
    assert g.names(d, year) == {"province": province, "city": city, "county": county}


@pytest.mark.parametrize("code, year, expected", [
    ("110103", None, ["110101"]),            # 崇文区 -> 东城区 (2010)
    ("110104", None, ["110102"]),            # 宣武区 -> 西城区
    ("152101", None, ["150702"]),            # 海拉尔市 -> 海拉尔区 (2001)
    ("410703", 1990, ["410703", "410711"]),  # 新乡 新华区 split into 卫滨区 and 牧野区 (2003)
    ("410703", None, ["410703"]),            # the code today: 卫滨区, still in use
    ("150702", 2010, ["150702"]),            # in use: itself
    ("142200", 1995, ["140900"]),            # 忻州地区 -> 忻州市: no successor listed, same stem
    ("420600", 2000, ["420600"]),            # 襄樊市 renamed 襄阳市, same code
    ("999999", None, []),
])
def test_successors(code, year, expected):
    assert successors(code, year) == expected


# -- resolve: shared and historical names ----------------------------------------------------------
CASES = [
    # name, year, context, expected code
    ("鼓楼区", 2020, "南京市鼓楼区", "320106"),
    ("鼓楼区", 2020, "徐州市委 云龙区、泉山区", "320302"),
    ("鼓楼区", 2020, "福州 三坊七巷 仓山区", "350102"),
    ("鼓楼区", 2000, "开封市 龙亭区 顺河回族区", "410204"),
    ("新华区", 2020, "石家庄市 桥西区 长安区", "130105"),
    ("新华区", 2020, "沧州市 运河区", "130902"),
    ("新华区", 2020, "平顶山", "410402"),
    ("新华区", 1995, "新乡市 红旗区", "410703"),
    ("新华区", 1995, "海口市 振东区", "460103"),
    ("朝阳区", 2020, "北京市 海淀区", "110105"),
    ("朝阳区", 2020, "长春市 南关区 宽城区", "220104"),
    ("铁西区", 2020, "沈阳市 皇姑区", "210106"),
    ("铁西区", 2020, "鞍山 立山区 铁东区", "210303"),
    ("铁西区", 2020, "四平市", "220302"),
    ("铁西区", 2000, "安阳市 文峰区", "410504"),
    ("城关区", 2020, "拉萨市", "540102"),
    ("城关区", 2020, "兰州 七里河区 安宁区", "620102"),
    ("市中区", 2020, "济南市 历下区", "370103"),
    ("市中区", 2020, "枣庄 薛城区", "370402"),
    ("市中区", 2020, "乐山 五通桥区", "511102"),
    ("市中区", 2020, "内江市 东兴区", "511002"),
    ("市中区", 1990, "重庆市", "510202"),
    ("和平区", 2020, "天津市 河西区", "120101"),
    ("和平区", 2020, "沈阳 皇姑区 沈河区", "210102"),
    ("西湖区", 2020, "杭州市 上城区", "330106"),
    ("西湖区", 2020, "南昌 东湖区 青山湖区", "360103"),
    ("海拉尔市", 1995, None, "152101"),
    ("海拉尔区", 2010, None, "150702"),
    ("海拉尔", 1995, None, "152101"),
    ("海拉尔", 2015, None, "150702"),
    ("海拉尔市", 2001, None, "152101"),      # renamed during 2001: the report early that year
    ("崇文区", 2005, None, "110103"),
    ("东城区", 2015, "北京市", "110101"),
    ("宣武区", 2005, "北京", "110104"),
    ("普陀区", 2020, "上海市 静安区", "310107"),
    ("普陀区", 2020, "舟山市 定海区", "330903"),
    ("桥西区", 2020, "石家庄市", "130104"),
    ("桥西区", 2020, "张家口市", "130703"),
    ("桥西区", 2010, "邢台市", "130503"),
    ("长安区", 2020, "西安市 雁塔区", "610116"),
    ("长安区", 2020, "石家庄市 裕华区", "130102"),
    ("青山区", 2020, "包头市 昆都仑区", "150204"),
    ("青山区", 2020, "武汉市 洪山区", "420107"),
    ("白云区", 2020, "广州市 天河区", "440111"),
    ("白云区", 2020, "贵阳市 南明区", "520113"),
    ("河东区", 2020, "天津 河西区", "120102"),
    ("河东区", 2020, "临沂市 兰山区", "371312"),
    ("向阳区", 2020, "鹤岗市", "230402"),
    ("向阳区", 2020, "佳木斯市 前进区", "230803"),
    ("城中区", 2020, "柳州市 鱼峰区", "450202"),
    ("城中区", 2020, "西宁市 城东区", "630103"),
    ("城区", 2015, "长治市城区", "140402"),
    ("太原市晋源区", 2023, None, "140110"),
    ("呼伦贝尔市海拉尔区", 2019, None, "150702"),
    ("北京市朝阳区", 2020, None, "110105"),
    ("内蒙古", 2020, None, "150000"),
    ("广西", 2020, None, "450000"),
    ("延边朝鲜族自治州", 2020, None, "222400"),
]


@pytest.mark.parametrize("name, year, context, expected", CASES)
def test_resolve_shared_and_historical_names(name, year, context, expected):
    res = resolve(name, year, context)
    assert res.code == expected, res.reason
    assert res.candidates and res.candidates[0]["code"] == expected
    assert res.reason


@pytest.mark.parametrize("name, year, context, n", [
    ("鼓楼区", 2020, None, 4),
    ("鼓楼区", 2020, "江苏省", 4),          # two 鼓楼区 in 江苏: the province does not decide
    ("新华区", None, None, 5),
    ("朝阳区", 2020, "绿水青山 朝阳产业", 2),
    ("吉林", 2020, None, 2),               # 吉林省 or 吉林市
    ("城区", 2023, "长治市城区", 3),        # 长治's 城区 became 潞州区 in 2018
])
def test_no_silent_guess(name, year, context, n):
    res = resolve(name, year, context)
    assert res.code is None
    assert len(res.candidates) == n
    assert all({"code", "name", "province", "city", "start", "end", "score", "why"} <= set(c) for c in res.candidates)


def test_ambiguous_result_keeps_what_the_candidates_share():
    res = resolve("鼓楼区", 2020, "江苏省")
    scores = {c["code"]: c["score"] for c in res.candidates}
    assert scores["320106"] == scores["320302"] > scores["350102"] == scores["410204"] == 0
    assert res.level == "county" and res.province is None


def test_level_restricts_candidates():
    assert resolve("吉林", 2020, level="province").code == "220000"
    assert resolve("吉林", 2020, level="city").code == "220200"


def test_unknown_name():
    res = resolve("不存在区", 2020)
    assert isinstance(res, Resolution)
    assert res.code is None and res.candidates == [] and "no division" in res.reason


def test_resolution_fields():
    res = resolve("鼓楼区", 2020, "南京")
    assert (res.code, res.name, res.province, res.city, res.county, res.level) == \
        ("320106", "鼓楼区", "江苏省", "南京市", "鼓楼区", "county")
    assert res.to_dict()["candidates"][0]["why"].startswith("prefecture 南京")


def test_retired_name_points_to_its_successor():
    res = resolve("崇文区", 2015)
    assert res.code == "110103" and "110101" in res.reason


# -- locate: whole reports -----------------------------------------------------------------------
SEEDS = [
    ("seeds/000_35cb704d32544e9e.txt", "140110", "山西省", "太原市", "晋源区"),
    ("seeds/001_f5253541fc8dc972.txt", "410811", "河南省", "焦作市", "山阳区"),
    ("seeds/002_bcbbb316ad747486.txt", "430204", "湖南省", "株洲市", "石峰区"),
    ("seeds/003_cd388ccb9033337c.txt", "410802", "河南省", "焦作市", "解放区"),
    ("seeds/004_80dc9f56b7eada61.txt", "210311", "辽宁省", "鞍山市", "千山区"),
] + [(f"hailar/hailar_{y}.txt", "150702", "内蒙古自治区", "呼伦贝尔市", "海拉尔区")
     for y in (2012, 2013, 2014, 2015, 2016, 2019)]


def corpus(rel: str) -> Path:
    path = CORPUS / rel
    if not path.exists():
        pytest.skip(f"{path} not found")
    return path


@pytest.mark.parametrize("rel, code, province, city, county", SEEDS)
def test_locate_local_reports(rel, code, province, city, county):
    r = locate(read(corpus(rel)))
    assert (r["code"], r["province"], r["city"], r["county"], r["level"]) == (code, province, city, county, "county")
    assert r["evidence"]
    assert set(r) == {"code", "province", "city", "county", "level", "name", "candidates", "evidence"}


def test_locate_uses_the_body_for_a_city_the_header_does_not_name():
    r = locate(read(corpus("seeds/003_cd388ccb9033337c.txt")), year=2024)
    assert r["code"] == "410802"
    assert "焦作" in r["evidence"][-1]


PROVINCES = sorted((CORPUS / "provinces-2026").glob("*.txt"))


@pytest.mark.parametrize("path", PROVINCES, ids=lambda p: p.name.split("_")[1])
def test_locate_provincial_reports(path):
    province = path.name.split("_")[1]                 # 2026_上海市_政府工作报告.txt
    expected = [d.code for d in get_gazetteer().by_name(province, 2024) if d.level == "province"]
    r = locate(read(path))
    assert len(expected) == 1
    assert (r["code"], r["level"], r["province"]) == (expected[0], "province", province)


NATIONAL = sorted((CORPUS / "national").glob("*.txt")) + sorted((CORPUS / "national-govcn-gbk").glob("*.txt"))


@pytest.mark.parametrize("path", NATIONAL, ids=lambda p: f"{p.parent.name}/{p.name[:4]}")
def test_locate_national_reports(path):
    r = locate(read(path))
    assert r["level"] == "national" and r["code"] is None


def test_corpus_present():
    """The corpus-driven tests above must not pass by finding no files."""
    assert len(PROVINCES) == 25 and len(NATIONAL) >= 90


# -- locate: headers nobody has seen -------------------------------------------------------------
GREETING = "各位代表：\n现在，我代表区人民政府向大会报告工作，请予审议。\n一、工作回顾\n"


def header(place: str, office: str, year: int = 2023) -> str:
    return f"政府工作报告\n——{year}年1月10日在{place}第十届人民代表大会第二次会议上\n{place}人民政府{office} 某某\n{GREETING}"


@pytest.mark.parametrize("text, hints, code, level", [
    (header("鼓楼区", "区长") + "融入南京都市圈，与玄武区、秦淮区协同发展。", None, "320106", "county"),
    (header("鼓楼区", "区长") + "徐州市委部署，云龙区、泉山区联动。", None, "320302", "county"),
    (header("朝阳区", "区长") + "在长春市委领导下，与南关区、宽城区协同。", None, "220104", "county"),
    (header("北京市朝阳区", "区长"), None, "110105", "county"),
    (header("义马市", "市长"), None, "411281", "county"),            # a county-level city
    (header("吉林市", "市长"), None, "220200", "city"),
    (header("石家庄市", "市长"), None, "130100", "city"),
    (header("延边朝鲜族自治州", "州长"), None, "222400", "city"),
    (header("海拉尔市", "市长", 1998), None, "152101", "county"),
    (header("海拉尔区", "区长", 2005), None, "150702", "county"),
    ("政府工作报告\n——2023年2月8日在区十五届人大四次会议上\n区长 某某\n" + GREETING,
     {"province": None, "city": "太原市", "county": "晋源区", "level": "county"}, "140110", "county"),
    ("2026年政府工作报告\n——2026年1月28日在上海市第十六届人民代表大会第四次会议上\n上海市市长 某某\n" + GREETING,
     None, "310000", "province"),
])
def test_locate_synthetic_headers(text, hints, code, level):
    r = locate(text, hints=hints)
    assert (r["code"], r["level"]) == (code, level), r["evidence"]


def test_locate_ambiguous_header_gives_candidates_not_a_guess():
    r = locate(header("鼓楼区", "区长") + "全区经济稳中有进。")
    assert r["code"] is None and r["level"] == "county"
    assert {c["code"] for c in r["candidates"]} == {"320106", "320302", "350102", "410204"}


def test_locate_unknown_or_unnamed_government():
    r = locate("政府工作报告\n——2024年1月10日在市十六届人大四次会议上\n市长 某某\n" + GREETING + "全市")
    assert r["code"] is None and r["candidates"] == []
    # a district the gazetteer does not know: its tail (新区) must not be taken for the name
    r = locate(header("钱塘湾新区", "区长"))
    assert r["code"] is None


def test_locate_national_from_header():
    text = "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理 李强\n各位代表：\n现在，我代表国务院，向大会报告政府工作。"
    r = locate(text)
    assert r["level"] == "national" and r["code"] is None and r["province"] is None


def test_locate_year_decides_the_code():
    """The same header text in 1998 and 2005: the code valid that year (the name changed in 2001)."""
    text = header("海拉尔", "市长").replace("2023年", "")
    assert locate(text, year=1998)["code"] == "152101"
    assert locate(text, year=2005)["code"] == "150702"


def test_locate_office_and_name_disagree():
    """A 区长 delivering the report of a name that is only a prefecture: no code, candidates shown."""
    r = locate("政府工作报告\n——2023年1月10日在吉林市第十届人民代表大会第二次会议上\n区长 某某\n" + GREETING)
    assert r["code"] is None
    assert [c["code"] for c in r["candidates"]] == ["220200"]
