"""HTML pages -> their visible text in reading order.

selectolax (lexbor) parses real-world HTML quickly and tolerantly. We walk the DOM ourselves
rather than calling .text() because we need line structure: block elements become line
breaks, so that later stages (header, sections, boilerplate lines) see the page's lines.
Scripts, styles, templates and comments are dropped; they are not visible text.
"""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
          "header", "footer", "nav", "ul", "ol", "table", "blockquote", "pre", "hr", "dd", "dt",
          "form", "aside", "main", "figure", "figcaption", "title"}


def html_text(html: str) -> str:
    tree = LexborHTMLParser(html)
    root = tree.root
    if root is None:
        return ""
    out: list[str] = []
    _walk(root, out)
    text = "".join(out)
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def _walk(root, out: list[str]) -> None:
    """Depth-first over the DOM with an explicit stack: pages nested a thousand deep (or with a
    thousand unclosed <span>) are real, and recursion would overflow Python's stack."""
    stack = [(root.child, False)]
    while stack:
        child, closing = stack.pop()
        if closing:
            out.append("\n")            # the end of a block element
            continue
        if child is None:
            continue
        stack.append((child.next, False))
        tag = child.tag
        if tag == "-text":
            out.append(re.sub(r"[\r\n\t ]+", " ", child.text_content or ""))
        elif tag in INVISIBLE or tag == "_comment" or tag == "-comment":
            pass
        else:
            block = tag in BLOCKS
            if block:
                out.append("\n")
                stack.append((None, True))
            stack.append((child.child, False))
