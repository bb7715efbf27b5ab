"""Stage 5, store: the corpus of parsed reports in one SQLite file.

    baogao ingest reports/            parse every report file, in parallel, into ./baogao.db
    baogao search 保交楼               ranked sentences with snippets, newest year first
    baogao panel / targets / attention / export

`Corpus` is the Python face of the same: every answer is a pandas DataFrame, and
`Corpus.report(id)` gives a stored record back in the shape of Report.to_dict().
"""
from .ingest import IngestResult
from .schema import SCHEMA_VERSION, StoreError
from .search import QueryError

__all__ = ["Corpus", "IngestResult", "QueryError", "StoreError", "SCHEMA_VERSION"]


def __getattr__(name: str):
    # Corpus (and with it pandas) loads on first use, so the CLI and the ingest workers,
    # which import this package, start fast.
    if name == "Corpus":
        from .corpus import Corpus
        return Corpus
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
