"""Export corpus tables to CSV, Parquet, Stata (.dta) or JSON lines.

Stata has rules of its own, applied only to .dta: variable names are ASCII letters, digits and
_ (at most 32, not starting with a digit, not a reserved word); strings are at most 2045 bytes
(longer ones are cut at a character boundary, and the cut is reported); every variable gets
a label (column_labels) from LABELS.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

FORMATS = {"csv": ".csv", "parquet": ".parquet", "dta": ".dta", "jsonl": ".jsonl"}
STATA_LONG = 2_147_483_620        # Stata's largest long (larger values are its missing codes)
STATA_MAX_STR = 2045
STATA_RESERVED = {"_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long",
                  "_n", "_N", "_pi", "_pred", "_rc", "_skip", "strL", "using", "with"}
# A text cell starting with one of these is read as a formula by spreadsheets (CSV injection):
# = + - @, and tab and CR, which Excel skips before it looks. Such cells get a leading ' (defused).
from .cells import FORMULA_STARTS, defuse, is_formula  # noqa: F401  (FORMULA_STARTS: the documented set)

# Variable labels (Stata allows 80 characters). Columns not listed get their name as label.
LABELS = {
    "id": "report id in the corpus", "report_id": "report id in the corpus",
    "doc": "file name without extension", "path": "file the report was ingested from",
    "sha256": "SHA-256 of the file bytes", "format": "file format (txt, html, docx, pdf)",
    "encoding": "text encoding of the file", "title": "report title as printed",
    "date": "date the report was delivered (ISO)", "year": "year (report: delivered; panel: period)",
    "review_year": "year whose work the report reviews", "term": "people's congress term (jie)",
    "session": "congress session (ci huiyi)", "speaker_name": "name of the speaker",
    "speaker_title": "title of the speaker as printed",
    "region_code": "division code (GB/T 2260) valid at delivery", "region_province": "province as printed",
    "region_city": "city as printed", "region_county": "county/district as printed",
    "region_level": "national, province, city or county",
    "level": "national, province, city or county",
    "region_name": "region name as printed", "region_key": "region code, else printed name",
    "text": "report text as decoded (Stata: cut to 2045 bytes)", "chars": "characters of text",
    "body_chars": "non-space characters outside boilerplate", "parsed_at": "when it was parsed (UTC)",
    "parser_version": "baogao version that parsed it",
    "indicator": "indicator id (shared/spec/indicators.tsv)",
    "measure": "level, growth_pct, change, pp_change, share_pct, avg_growth_pct, rank",
    "status": "actual or target", "period": "year or span of years the value refers to",
    "value": "value as written", "high": "upper bound of a range", "unit": "unit as written",
    "approx": "approximate (about, over, nearly)", "estimated": "estimated (yuji)",
    "floor": "floor (at least, over)", "ceiling": "ceiling (within, not above)",
    "scope": "rank: scope as written", "of": "rank: of level or growth",
    "start": "start offset of the value in report text", "end": "end offset of the value in report text",
    "sentence_start": "start offset of the sentence", "sentence_end": "end offset of the sentence",
    "n_obs": "observations competing for this cell", "n_values": "distinct values among them",
    "target": "target value", "target_high": "target upper bound (range)",
    "target_kind": "floor, ceiling, range, approx or plain", "actual": "actual value",
    "actual_unit": "unit of the actual value", "gap": "actual minus target, in target unit",
    "outcome": "met, missed, no result or units differ",
    "rule": "the test applied, from the target's wording",
    "reason": "why no result: no next report, or it does not state it",
    "matches": "dictionary matches in the report body", "per_10k": "matches per 10,000 body characters",
    "dictionary": "dictionary name", "terms": "most frequent terms with counts",
}


def write(frame: pd.DataFrame, fmt: str, out: str | Path, label: str = "") -> list[str]:
    """Write `frame` to `out` in `fmt`; returns notes about changes the format forced."""
    out = Path(out)
    notes: list[str] = []
    if fmt == "csv":
        write_csv(frame, out, encoding="utf-8-sig")         # with BOM: Excel reads it as UTF-8
    elif fmt == "jsonl":
        frame.to_json(out, orient="records", lines=True, force_ascii=False)
    elif fmt == "parquet":
        _uniform_types(frame).to_parquet(out, index=False)
    elif fmt == "dta":
        import pyreadstat
        data, labels, notes = stata_frame(frame)
        pyreadstat.write_dta(data, str(out), file_label=label[:80], column_labels=labels)
    else:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    return notes


def write_csv(frame: pd.DataFrame, out=None, **options) -> str | None:
    """`frame` as CSV (to a path or stream, or returned as text when `out` is None), formulas
    defused. Every CSV baogao writes goes through here: export, the CLI's --format csv, the web."""
    frame = defused(frame)
    if _holds_cr(frame):
        # The csv module quotes a cell only for the characters of its line end: with "\n" a lone
        # CR in a cell would end the row for a reader. CRLF (RFC 4180's line end) gets it quoted.
        options.setdefault("lineterminator", "\r\n")
    return frame.to_csv(out, index=False, **options)


def defused(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each text cell that starts with a FORMULA_STARTS character prefixed by a
    single quote, which spreadsheets show as text. Only text columns: numbers stay numbers
    (a negative growth rate stays -2.6)."""
    risky = [i for i in _text_columns(frame) if any(map(is_formula, frame.iloc[:, i]))]
    if not risky:
        return frame
    frame = frame.copy()
    for i in risky:
        frame.isetitem(i, [defuse(v) for v in frame.iloc[:, i]])
    return frame


def _text_columns(frame: pd.DataFrame) -> list[int]:
    """Positions of the columns that hold text (object or string dtype)."""
    return [i for i in range(frame.shape[1])
            if frame.dtypes.iloc[i] == object or isinstance(frame.dtypes.iloc[i], pd.StringDtype)]


def _holds_cr(frame: pd.DataFrame) -> bool:
    return any(isinstance(v, str) and "\r" in v for i in _text_columns(frame) for v in frame.iloc[:, i])


def stata_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """(data with Stata-valid names and types, variable labels, notes on what was changed)."""
    names = stata_names(list(frame.columns))
    data = pd.DataFrame(index=frame.index)
    notes = []
    for column, name in zip(frame.columns, names):
        data[name], cut = _stata_column(frame[column])
        if cut:
            notes.append(f"{column}: {cut} values cut to {STATA_MAX_STR} bytes (Stata's string limit)")
        if name != column:
            notes.append(f"{column} is called {name} in Stata")
    labels = [LABELS.get(c, str(c))[:80] for c in frame.columns]
    return data.reset_index(drop=True), labels, notes


def stata_names(columns: list[str]) -> list[str]:
    out: list[str] = []
    for column in columns:
        name = re.sub(r"[^A-Za-z0-9_]", "_", str(column))[:32] or "v"
        if name[0].isdigit():
            name = ("v" + name)[:32]
        if name in STATA_RESERVED:
            name = (name + "_")[:32]
        base, n = name, 1
        while name in out:
            suffix = f"_{n}"
            name, n = base[:32 - len(suffix)] + suffix, n + 1
        out.append(name)
    return out


def _stata_column(series: pd.Series) -> tuple[pd.Series, int]:
    """Numbers stay numbers (booleans as 0/1, missing as .); everything else becomes text."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype("float64"), 0
    if pd.api.types.is_integer_dtype(series) and series.notna().all() and \
            (series.empty or (series.min() >= -STATA_LONG and series.max() <= STATA_LONG)):
        # years, periods, offsets, counts: Stata longs, read back as integers (report ids, 52 bits,
        # do not fit and stay doubles, which hold them exactly); a column with a missing value
        # would come back as floats anyway, so it is a double here too
        return series.astype("int32"), 0
    if pd.api.types.is_numeric_dtype(series):
        return series.astype("float64"), 0
    values = series.astype(object).where(series.notna(), None)
    if all(v is None or isinstance(v, bool) for v in values):
        return pd.Series([None if v is None else float(v) for v in values], index=series.index), 0
    texts, cut = [], 0
    for v in values:
        text = "" if v is None else str(v)
        short = _cut_utf8(text, STATA_MAX_STR)
        cut += short != text
        texts.append(short)
    return pd.Series(texts, index=series.index, dtype=object), cut


def _cut_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def _uniform_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Parquet wants one type per column: a column mixing numbers and text becomes text."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object:
            kinds = {type(v) for v in frame[column] if v is not None and v == v}
            if len(kinds) > 1 and not kinds <= {int, float}:
                frame[column] = frame[column].map(lambda v: None if v is None or v != v else str(v))
    return frame
