"""Stage 2, clean: views over the immutable text, and the spans that are not the report.

Nothing here changes `text`. `normalized()` is a same-length view (full-width ASCII mapped to
ASCII) so that patterns can be written once and offsets stay valid; `find_boilerplate()`
returns spans of site chrome, disclaimers, spam and debris.
"""
from .boilerplate import find_boilerplate
from .normalize import compact, lines, normalized

__all__ = ["compact", "find_boilerplate", "lines", "normalized"]
