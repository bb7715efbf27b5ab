"""The observation rules' words and patterns, loaded from data/patterns.toml (data, so that an
accuracy fix is a word there and a row in a table-driven test, and observations.py stays a short
engine)."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads(resources.files(__package__).joinpath("data/patterns.toml").read_text("utf-8"))


def words(name: str) -> str:
    """A word list as one alternation (no group)."""
    return "|".join(_data()["words"][name])


def regex(name: str) -> str:
    return _data()["regex"][name]


def compiled(name: str) -> re.Pattern:
    return re.compile(regex(name) if name in _data()["regex"] else f"(?:{words(name)})")


def word_set(name: str) -> set[str]:
    return set(_data()["words"][name])
