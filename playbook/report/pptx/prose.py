"""Turn the strategist's text (a small Markdown subset) into plain slide paragraphs.

``commentary.yaml`` text may use bold, italics, bullet lists and http(s) links. A slide
shows it as plain text: the emphasis markers are dropped, a link keeps its text and its
address in brackets, a list item becomes a bullet. Nothing is interpreted as markup, so a
``<script>`` in the text stays those characters.
"""

from __future__ import annotations

import re

from playbook.report.pptx.fit import Kind, Para

_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\3(?![\w*])")
_ITEM = re.compile(r"^\s*[-*+]\s+")


def plain(text: str) -> str:
    """Return inline Markdown as plain text: emphasis markers dropped, links spelt out."""
    text = _LINK.sub(r"\1 (\2)", text)
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(4), text)


def paragraphs(text: str, kind: Kind = "quote") -> list[Para]:
    """Return the strategist's text as paragraphs: one per line, list items as bullets."""
    paras = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if _ITEM.match(line):
            paras.append(Para(plain(_ITEM.sub("", line, count=1)).strip(), "bullet"))
        else:
            paras.append(Para(plain(line).strip(), kind))
    return paras
