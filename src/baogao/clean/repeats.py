"""Repeated copies inside one file: a page saved several times, a tail that repeats the text.

A scraped page can hold its report more than once (gov.cn pages of 1954 and 2013 hold it six
times); every stage after this one must see it once, or every count is inflated. Lines are
compared by their key (no white space, no escaped-character debris, full-width as ASCII), so a
copy whose spacing differs is still a copy. Runs are found in time linear in the number of
lines: each line is looked up once in a dict of first occurrences, and a run is extended line
by line from there; a run too short to count costs at most a bounded number of comparisons.
"""
from __future__ import annotations

MIN_RUN_CHARS = 300        # a run of lines this long, seen before, is a copy, not a coincidence
MIN_HEADER_RUN_CHARS = 20  # before the salutation (各位代表) a repeated title and dateline is a copy too
SHORT_RUN_LINES = 64       # how far a run that stays below MIN_RUN_CHARS is followed
TAIL_LINES = 3             # the last lines of the text that may repeat an earlier passage
MIN_TAIL_CHARS = 60


def repeated_lines(keys: list[str], kinds: list[str | None]) -> list[int]:
    """Indices of the lines that belong to a later copy of a run of report lines. Before the
    salutation, a shorter run is a copy too: a page that prints its title and dateline twice
    (once above the page's navigation, once in it)."""
    salutation = next((i for i, key in enumerate(keys) if key.startswith("各位代表")), -1)
    content = [i for i, key in enumerate(keys) if key and kinds[i] is None]
    seq = [keys[i] for i in content]
    first: dict[str, int] = {}
    marked: list[int] = []
    k = 0
    while k < len(seq):
        j = first.get(seq[k])
        if j is None:
            first[seq[k]] = k
            k += 1
            continue
        n, chars = _run(seq, j, k)
        if chars >= MIN_RUN_CHARS or (chars >= MIN_HEADER_RUN_CHARS and content[k + n - 1] < salutation):
            marked.extend(content[k:k + n])
            k += n
        else:
            k += 1
    return marked + _repeated_tail(seq, content, set(marked))


def _run(seq: list[str], j: int, k: int) -> tuple[int, int]:
    """Length (lines, chars) of the run seq[k:] that repeats seq[j:], the copy starting after
    its source; a run is followed only a bounded way while it is still short."""
    n = chars = 0
    while k + n < len(seq) and j + n < k and seq[k + n] == seq[j + n]:
        chars += len(seq[k + n])
        n += 1
        if chars < MIN_RUN_CHARS and n >= SHORT_RUN_LINES:
            break
    return n, chars


def _repeated_tail(seq: list[str], content: list[int], marked: set[int]) -> list[int]:
    """The last lines, when each repeats a passage before it (a page tail that repeats the
    report's opening or a closing paragraph cut short: 国际形势，对我国的建设和改革都很有利。…)."""
    out = []
    kept = [k for k in range(len(seq)) if content[k] not in marked]
    for k in reversed(kept[-TAIL_LINES:]):
        line = seq[k].rstrip(".…")
        if len(line) < MIN_TAIL_CHARS:
            break
        before = "".join(seq[m] for m in kept if m < k)
        if line not in before:
            break
        out.append(content[k])
    return out
