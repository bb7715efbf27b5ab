"""baogao (报告): Chinese government work reports into grounded, searchable data.

    >>> import baogao
    >>> report = baogao.parse("report.txt")          # or bytes
    >>> report.meta.date, report.quantities[0].text
    >>> print(report.to_json())
    >>> corpus = baogao.Corpus("baogao.db")            # after `baogao ingest`: pandas DataFrames
    >>> corpus.panel("gdp", "growth_pct")
"""
from .pipeline import parse, parse_text
from .read import ReadError
from .record import Meta, Observation, Quantity, Report, Section, Span

__version__ = "0.1.0"
__all__ = ["parse", "parse_text", "ReadError", "Report", "Meta", "Observation", "Quantity", "Section", "Span",
           "Corpus"]


def __getattr__(name):
    # The corpus API pulls in pandas; load it only when asked for (baogao.Corpus).
    if name == "Corpus":
        from .store import Corpus
        return Corpus
    raise AttributeError(f"module 'baogao' has no attribute {name!r}")
