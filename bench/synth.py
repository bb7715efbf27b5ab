"""A synthetic national-scale corpus: real report paragraphs recombined under other names and years.

    .venv/bin/python bench/synth.py --n 60000 [--out bench/work/synth] [--seed 1]

China has ~2,850 county-level, ~330 prefecture-level and 31 provincial governments, each
delivering a report a year: twenty years of them is about 60,000 reports. This generator writes
that many plausible ones, so that ingest and search can be measured at that scale:

* paragraphs come from the real sample corpus (shared/corpus, reports reviewing 2000 or later),
  parsed with baogao: body lines
  of the first level-1 section (the review of last year) and of the later ones (plans, tasks,
  government self-building), and real level-2 headings (（一）...);
* each report gets a real division (shared/data/areacodes, divisions in use: 85% counties,
  12% prefectures, 3% provinces), a year 2005-2025, a congress term and session, a dateline,
  a speaker with the right title (区长, 县长, 市长, 省长 ...), and a length drawn from a
  log-normal around 12,000 characters (4,000-40,000), like local reports;
* in every borrowed paragraph the source's region names and 我区/全县/... become the new
  region's, years shift by the difference between the two reports' years, and figures are
  rescaled (amounts by a per-report factor, percentages by a per-figure one), so the same
  paragraph never yields the same numbers twice;
* 20% of the files are written GB18030 with CRLF line ends, like scraped local archives;
* (version 3-4, issue 15) vocabulary shifts over the years: a report of year Y borrows its
  paragraphs from source reports reviewing years near Y - 1 (the nearest years that give at least
  400 paragraphs, so that two reports of one year are not copies of each other), so 新质生产力
  belongs to the 2020s and 三个代表 to the 2000s, as in real reports;
  half the paragraphs are spliced from sentences of two or three such paragraphs, so paragraphs
  repeat far less (a search's matches are not the same few thousand paragraphs over and over);
  15% of the files are scraped pages: a site's header, navigation, source and date line, page
  tools and a footer of related links around the report, as real scraped archives are.

Report i depends only on (seed, i): files land in shard_000/ ... shard_059/ (1,000 each), and a
larger corpus is a superset of a smaller one, so `--n 1000` and then `--n 60000` regenerates
nothing. A shard that is complete (its MANIFEST entry) is skipped.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, SHARED, WORK, corpus_files, log  # noqa: E402

SHARD = 1000
VERSION = 4               # bump when the generator changes: shards are regenerated
AREACODES = SHARED / "data" / "areacodes" / "result.csv"

CN = "零一二三四五六七八九"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国明华志强文军海平东林春晓红伟俊杰涛斌勇宏波峰辉刚健永新国庆立成学德福忠祥玉兰秀英桂芳丽敏静燕霞云"
LOCAL_WORDS = re.compile(r"我(?:省|区|市|县|旗|州|盟)|全(?:省|区|市|县|旗|州|盟)(?!委|人大|政协|人民)|本(?:省|区|市|县)")
YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?=\s*年)")
FIGURE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?=\s*(?P<unit>%|％|个百分点|万亿|亿|万|千|百|元|户|亩|人|家|项|个|公里|"
                    r"千米|平方米|平方公里|吨|辆|所|套|座|张|床|条|倍))")


# -- the pool of real material -------------------------------------------------------------------
def build_pool(cache: Path) -> dict:
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    import baogao
    review, plan, other, headings = [], [], [], []
    seen = set()
    for f in corpus_files(CORPUS):
        try:
            r = baogao.parse(f)
        except baogao.ReadError:
            continue
        text = r.text
        struck = sorted((b.start, b.end) for b in r.boilerplate)
        level1 = [s for s in r.sections if s.level == 1]
        if not level1:
            continue
        names = [n for n in (r.meta.region.get("county"), r.meta.region.get("city"),
                             r.meta.region.get("province")) if n]
        src_year = r.meta.review_year
        if not src_year or src_year < 2000:
            continue                # the planned economy's vocabulary would not pass for a county's
        heads = {s.start for s in r.sections}
        for k, sec in enumerate(level1):
            end = sec.body_end if sec.body_end >= 0 else len(text)
            bucket = review if k == 0 else plan if k < len(level1) - 1 else other
            pos = sec.end
            for line in text[sec.end:end].splitlines(keepends=True):
                start, pos = pos, pos + len(line)
                para = line.strip()
                if not (20 <= len(para) <= 2000) or para in seen:
                    continue
                if any(s <= start < e for s, e in struck) or any(start <= h < pos for h in heads):
                    continue
                if re.match(r"[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|各位代表", para):
                    continue
                seen.add(para)
                bucket.append([para, src_year, names])
        for s in r.sections:
            if s.level == 2:
                title = re.sub(r"^[（(][一二三四五六七八九十]+[)）]\s*", "", s.title).strip()
                if 4 <= len(title) <= 40 and title not in seen:
                    seen.add(title)
                    headings.append(title)
    regions = load_regions()
    pool = {"review": review, "plan": plan, "other": other or plan, "headings": headings, "regions": regions}
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(pool, ensure_ascii=False), encoding="utf-8")
    return pool


def load_regions() -> dict:
    out = {"county": [], "city": [], "province": []}
    with open(AREACODES, encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["状态"] != "在用":
                continue
            level = {"县级": "county", "地级": "city", "省级": "province"}.get(row["级别"])
            if level:
                city = row["二级行政区"] if row["二级行政区"] not in ("", "直辖") else None
                out[level].append([row["代码"], row["一级行政区"], city, row["名称"]])
    return out


# -- one report ----------------------------------------------------------------------------------
def cn_number(n: int) -> str:
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n - 10] if n > 10 else "")
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


def head_title(level: str, name: str) -> tuple[str, str, str]:
    """(短称 for 我X/全X, head of government's title, people's congress name)"""
    if level == "province":
        short = "市" if name.endswith("市") else "区" if name.endswith("自治区") else "省"
        title = "市长" if short == "市" else "主席" if short == "区" else "省长"
    elif level == "city":
        short = "州" if name.endswith("州") else "盟" if name.endswith("盟") else "市"
        title = {"州": "州长", "盟": "盟长"}.get(short, "市长")
    else:
        short = name[-1] if name[-1] in "区县市旗" else "县"
        title = {"区": "区长", "县": "县长", "市": "市长", "旗": "旗长"}[short]
    return short, title, name


class Rewriter:
    def __init__(self, rng: random.Random, year: int, short: str, names: dict):
        self.rng, self.year, self.short, self.names = rng, year, short, names
        self.amount_factor = math.exp(rng.uniform(-1.2, 1.2))

    def __call__(self, para: str, src_year: int | None, src_names: list[str]) -> str:
        if src_year:
            delta = (self.year - 1) - src_year
            para = YEAR.sub(lambda m: str(min(2035, max(1949, int(m.group(1)) + delta))), para)
        for old in sorted(src_names, key=len, reverse=True):
            new = self.names.get("county") or self.names.get("city") or self.names.get("province")
            if len(old) >= 2:
                para = para.replace(old, new)
        para = LOCAL_WORDS.sub(lambda m: m.group()[0] + self.short, para)
        return FIGURE.sub(self._figure, para)

    def _figure(self, m: re.Match) -> str:
        raw = m.group(1)
        value = float(raw)
        if m.group("unit") in ("%", "％", "个百分点"):
            value *= self.rng.uniform(0.6, 1.4)
            if float(raw) <= 100 < value:
                value = float(raw)          # 办结率98% must not become 106%
        else:
            value *= self.amount_factor
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        if decimals == 0:
            return str(max(1, int(round(value))))
        return f"{value:.{decimals}f}"


def _by_year(pool: dict) -> dict:
    """bucket -> sorted [(source year, paragraphs)] (cached per process)."""
    cached = pool.get("_by_year")
    if cached is None:
        cached = {}
        for bucket in ("review", "plan", "other"):
            years: dict = {}
            for row in pool[bucket]:
                years.setdefault(row[1], []).append(row)
            cached[bucket] = sorted(years.items())
        pool["_by_year"] = cached
    return cached


def near_year(pool: dict, bucket: str, year: int, least: int = 400) -> list:
    """The paragraphs of the source years nearest `year` (widening until at least `least`: with
    fewer, two reports of one year share most of their paragraphs, and ingest takes them for
    copies of one report; version 3 drew from 40 and 11% of 10,000 reports were "alternates")."""
    years = _by_year(pool)[bucket]
    for window in (0, 1, 2, 3, 5, 8, 13, 40):
        rows = [r for y, rs in years if abs(y - year) <= window for r in rs]
        if len(rows) >= least:
            return rows
    return pool[bucket]


# A paragraph with figures is kept with this probability: the pool's paragraphs (review and
# plan parts) hold more figures than whole reports do; this brings the synthetic reports to the
# sample corpus's ~53 quantities per 10,000 characters of body (54.3 measured: see bench/README.md)
KEEP_FIGURES = 0.25
SENTENCE = re.compile(r"[^。！？]*[。！？]")
SITE_TOOLS = ["【字体：大 中 小】", "【打印本页】 【关闭窗口】", "分享到：", "扫一扫在手机打开当前页", "字号：大 中 小",
              "打印 | 关闭", "【我要纠错】", "浏览次数：{n}"]
LINK_TITLES = ["关于印发{y}年重点工作任务分解方案的通知", "{y}年国民经济和社会发展统计公报", "政府工作报告解读",
               "图解：{y}年政府工作报告", "{y}年财政预算执行情况", "关于{y}年度法治政府建设情况的报告"]


def chrome(rng: random.Random, site: str, year: int, month: int, day: int) -> tuple[list[str], list[str]]:
    """(lines before, lines after) a scraped page puts around its report."""
    date = f"{year}-{month:02d}-{day + rng.randint(0, 3):02d}"
    head = [f"{site}人民政府门户网站", "首页 | 政务公开 | 政务服务 | 互动交流 | 走进" + site[-3:],
            f"当前位置：首页 > 政务公开 > 政府工作报告", "",
            f"来源：{site}人民政府办公室　　发布时间：{date} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
            rng.choice(SITE_TOOLS).format(n=rng.randint(100, 99999)), ""]
    tail = ["", rng.choice(SITE_TOOLS).format(n=rng.randint(100, 99999)), "相关链接"]
    tail += [rng.choice(LINK_TITLES).format(y=year - rng.randint(0, 2)) for _ in range(rng.randint(2, 5))]
    tail += [f"主办：{site}人民政府办公室　　承办：{site}大数据中心",
             f"版权所有：{site}人民政府　网站标识码：{rng.randint(10**9, 10**10 - 1)}　ICP备{rng.randint(10**7, 10**8 - 1)}号"]
    return head, tail


def make_report(pool: dict, seed: int, i: int) -> tuple[str, bool]:
    """(text, write as GB18030 with CRLF?) of report i."""
    rng = random.Random(f"{seed}:{i}")
    level = rng.choices(["county", "city", "province"], weights=[85, 12, 3])[0]
    code, province, city, name = rng.choice(pool["regions"][level])
    year = rng.randint(2005, 2025)
    short, title, place = head_title(level, name)
    names = {"province": province, "city": city, level: name}
    full = name if level == "province" else (city or "") + name if level == "county" else province + name
    speaker = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    acting = rng.random() < 0.12
    term, session = rng.randint(9, 16), rng.randint(1, 5)
    month, day = rng.choice((1, 1, 2, 2, 3)), rng.randint(5, 28)
    target = int(min(40000, max(4000, rng.lognormvariate(math.log(12000), 0.45))))
    rewrite = Rewriter(rng, year, short, names)

    parts = ["政府工作报告", "",
             f"——{year}年{month}月{day}日在{place}第{cn_number(term)}届人民代表大会第{cn_number(session)}次会议上", "",
             f"{place}人民政府{'代' if acting else ''}{title}　{speaker}", "",
             "各位代表：",
             f"　　现在，我代表{place}人民政府，向大会报告工作，请予审议，并请各位政协委员和其他列席人员提出意见。",
             f"一、{year - 1}年工作回顾"]
    size = sum(map(len, parts))

    def fill(bucket: str, budget: int) -> None:
        nonlocal size
        used = 0
        rows = near_year(pool, bucket, year - 1)
        while used < budget:
            para, src_year, src_names = rng.choice(rows)
            if FIGURE.search(para) and rng.random() > KEEP_FIGURES:
                continue                        # the figures' density of the real reports
            text = rewrite(para, src_year, src_names)
            if rng.random() < 0.5:              # spliced from sentences of two or three paragraphs
                pieces = SENTENCE.findall(text)
                for _ in range(rng.randint(1, 2)):
                    other, oy, on = rng.choice(rows)
                    pieces += SENTENCE.findall(rewrite(other, oy, on))
                if len(pieces) >= 2:
                    rng.shuffle(pieces)
                    text = "".join(pieces[:rng.randint(2, min(5, len(pieces)))])
            text = "　　" + text
            parts.append(text)
            used += len(text) + 1
        size += used

    fill("review", int(target * 0.45))
    parts.append(f"二、{year}年{rng.choice(['工作安排', '主要任务', '重点工作', '工作目标和主要任务'])}")
    subs = rng.randint(4, 8)
    for k in range(subs):
        parts.append(f"（{cn_number(k + 1)}）{rng.choice(pool['headings'])}" if pool["headings"] else "")
        fill("plan", int(target * 0.45 / subs))
    parts.append("三、全面加强政府自身建设")
    fill("other", int(target * 0.10))
    parts.append(f"　　各位代表！新征程上，让我们在{province if level != 'province' else '党中央'}的坚强领导下，"
                 f"为谱写{full}高质量发展新篇章而努力奋斗！")
    gbk = rng.random() < 0.20
    if rng.random() < 0.15:                     # a scraped page: the site's chrome around the report
        head, tail = chrome(rng, full, year, month, day)
        parts = head + parts + tail
    return "\n".join(parts) + "\n", gbk


# -- shards --------------------------------------------------------------------------------------
_POOL: dict | None = None


def _init(pool: dict) -> None:
    global _POOL
    _POOL = pool


def write_shard(out: str, seed: int, shard: int, n: int) -> dict:
    folder = Path(out) / f"shard_{shard:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    chars = nbytes = 0
    lo, hi = shard * SHARD, min(n, (shard + 1) * SHARD)
    for i in range(lo, hi):
        text, gbk = make_report(_POOL, seed, i)
        data = text.replace("\n", "\r\n").encode("gb18030") if gbk else text.encode("utf-8")
        path = folder / f"{i:06d}.txt"
        tmp = folder / f".{i:06d}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, path)
        chars += len(text)
        nbytes += len(data)
    return {"shard": shard, "files": hi - lo, "chars": chars, "bytes": nbytes}


def generate(n: int, out: Path, seed: int = 1, jobs: int | None = None) -> dict:
    """Make sure reports 0..n-1 exist under `out`; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    if manifest.get("seed") != seed or manifest.get("version") != VERSION:
        manifest = {"seed": seed, "version": VERSION, "shards": {}}
    shards = range((n + SHARD - 1) // SHARD)
    todo = [s for s in shards
            if manifest["shards"].get(str(s), {}).get("files") != min(SHARD, n - s * SHARD)]
    if todo:
        pool = build_pool(WORK / f"synth_pool_v{VERSION}.json")
        log(f"synth: {len(todo)} shards to write ({len(pool['review'])} review, {len(pool['plan'])} plan "
            f"paragraphs, {len(pool['headings'])} headings, "
            f"{sum(len(v) for v in pool['regions'].values())} regions)")
        t0 = time.perf_counter()
        with ProcessPoolExecutor(max_workers=jobs or os.cpu_count(), initializer=_init, initargs=(pool,)) as ex:
            for res in ex.map(write_shard, [str(out)] * len(todo), [seed] * len(todo), todo, [n] * len(todo)):
                manifest["shards"][str(res["shard"])] = res
                tmp = manifest_path.with_suffix(".tmp")
                tmp.write_text(json.dumps(manifest, indent=1))
                os.replace(tmp, manifest_path)
        log(f"synth: wrote {len(todo)} shards in {time.perf_counter() - t0:.1f} s")
    return manifest


def shard_dirs(out: Path, n: int) -> list[Path]:
    """The folders holding reports 0..n-1 (n a multiple of 1000, or the last shard partial)."""
    return [out / f"shard_{s:03d}" for s in range((n + SHARD - 1) // SHARD)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=60000)
    ap.add_argument("--out", type=Path, default=WORK / "synth")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int)
    ap.add_argument("--show", type=int, metavar="I", help="print report I and exit")
    args = ap.parse_args()
    if args.show is not None:
        text, gbk = make_report(build_pool(WORK / f"synth_pool_v{VERSION}.json"), args.seed, args.show)
        print(text)
        print(f"[{'GB18030, CRLF' if gbk else 'UTF-8'}; {len(text)} chars]", file=sys.stderr)
        return 0
    manifest = generate(args.n, args.out, args.seed, args.jobs)
    shards = [manifest["shards"][str(s)] for s in range((args.n + SHARD - 1) // SHARD)]
    print(f"{sum(s['files'] for s in shards)} reports, {sum(s['chars'] for s in shards):,} characters, "
          f"{sum(s['bytes'] for s in shards) / 1e6:.0f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
