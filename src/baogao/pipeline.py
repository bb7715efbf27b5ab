"""parse(): read -> clean -> parse -> extract, one small function per step (like trafilatura)."""
from __future__ import annotations

from pathlib import Path

from .clean import find_boilerplate
from .clean.normalize import normalized
from .extract.audit import audit
from .extract.observations import find_observations
from .extract.quantities import find_quantities
from .parse.header import parse_header, review_year
from .parse.sections import find_sections, find_sentences
from .parse.year import report_year
from .read import printable, read_source
from .record import Meta, Report


def parse(path_or_bytes: str | Path | bytes, name: str | None = None) -> Report:
    """Parse one report file (or its bytes) into a Report. Raises baogao.ReadError."""
    source = read_source(path_or_bytes, name=name)
    if name:
        doc = printable(Path(name).stem)
    else:
        doc = "document" if isinstance(path_or_bytes, (bytes, bytearray)) else printable(Path(path_or_bytes).stem)
    return parse_text(source.text, doc=doc, source={"path": source.path, "format": source.format,
                                                     "encoding": source.encoding, "sha256": source.sha256})


def parse_text(text: str, doc: str = "document", source: dict | None = None) -> Report:
    norm = normalized(text)                       # one same-length view for every step
    boilerplate = find_boilerplate(text, norm)
    struck = [(b.start, b.end) for b in boilerplate]
    sections = find_sections(text, struck)
    header = parse_header(text, struck, [s.start for s in sections if s.level == 1])
    reviewed, reviewed_span = review_year([s for s in sections if s.level == 1], text, header.date)
    year = report_year(text, header.date, reviewed, reviewed_span, sections, name=doc)
    reviewed_source = "heading" if reviewed_span else "date" if reviewed else None
    if reviewed is None and year.year:
        reviewed, reviewed_source = year.year - 1, "year"     # the year before delivery, said so
    spans = dict(header.spans)
    if reviewed_span:
        spans["review_year"] = reviewed_span
    if year.span:
        spans["year"] = list(year.span)
    meta = Meta(title=header.title, region=_region(text, header), date=header.date,
                congress={"term": header.term, "session": header.session},
                speaker={"name": header.speaker_name, "title": header.speaker_title},
                review_year=reviewed, year=year.year, year_source=year.source,
                review_year_source=reviewed_source, spans=spans)
    sentences = find_sentences(text, struck, norm)
    quantities = find_quantities(text, struck, norm)
    observations = find_observations(text, norm, sentences, sections, quantities, reviewed, header.date,
                                     region=meta.region)
    return Report(doc=doc, text=text, meta=meta, source=source or {}, boilerplate=boilerplate,
                  sections=sections, sentences=sentences, quantities=quantities, observations=observations,
                  audit=audit(observations))


def _region(text: str, header) -> dict:
    """The delivering government's region: the gazetteer's decision, or the printed names."""
    printed = {k: header.printed.get(k) for k in ("province", "city", "county", "level")}
    try:
        from .regions import locate
    except ImportError:
        return {"code": None, **printed}
    year = int(header.date[:4]) if header.date else None
    return locate(text, year=year, hints=printed)
