"""Text cells a spreadsheet would run as a formula (=, +, -, @, a tab, a carriage return at the
start), defused with a leading single quote. No pandas here, so the light CSV writers (`baogao
facts`) use it as well as store/export.py."""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def defuse(value):
    """The value a CSV cell may hold: text that starts like a formula gets a leading '."""
    return "'" + value if is_formula(value) else value
