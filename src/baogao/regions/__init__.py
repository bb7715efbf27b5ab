"""Regions: the division-code gazetteer (1981-2024) and the resolver from names and reports to codes.

    >>> from baogao.regions import resolve, locate, successors
    >>> resolve("鼓楼区", 2020, context="南京市").code
    '320106'
    >>> resolve("鼓楼区", 2020).code is None          # four 鼓楼区: no guess, see .candidates
    True
    >>> successors("110103")                          # 崇文区 -> 东城区
    ['110101']
"""
from .gazetteer import Division, Gazetteer, get_gazetteer, short_name, successors
from .resolve import Resolution, locate, resolve

__all__ = ["resolve", "locate", "successors", "Resolution", "get_gazetteer", "Gazetteer", "Division",
           "short_name"]
