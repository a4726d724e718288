"""Turn an executed notebook into a client page: no code, no parameters, no notes, no stderr.

Pure functions on notebook nodes and strings; ``render.py`` decides what gets written where.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import nbformat
from nbconvert import HTMLExporter

#: Cells carrying one of these tags never reach a client page.
HIDDEN_TAGS = frozenset({"injected-parameters", "parameters", "notes"})

#: The ``lang`` attribute written for each report language.
HTML_LANG = {"zh": "zh-CN", "en": "en"}


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _visible_outputs(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [
        out
        for out in cell.get("outputs", [])
        if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
    ]


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of an executed notebook with only what a client should read.

    Removes cells tagged ``injected-parameters``, ``parameters`` or ``notes``, stderr stream
    outputs (warnings, logs), and code cells that are empty or show nothing.

    Args:
        nb: An executed notebook (left unchanged).

    Returns:
        A new notebook node.
    """
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        if _tags(cell) & HIDDEN_TAGS:
            continue
        if cell.cell_type == "code":
            cell.outputs = _visible_outputs(cell)
            if not cell.source.strip() or not cell.outputs:
                continue
        cells.append(cell)
    out.cells = cells
    return out


def export_html(nb: nbformat.NotebookNode, title: str, lang: str) -> str:
    """Export a cleaned notebook to a standalone HTML page with code and prompts hidden.

    Args:
        nb: A notebook, normally the result of :func:`clean_notebook`.
        title: The page title ("<framework title> — <client name>").
        lang: The report language, "zh" or "en".

    Returns:
        The HTML document; images are embedded, so the page stands alone.
    """
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return set_document_lang(body, lang)


def set_document_lang(document: str, lang: str) -> str:
    """Return the HTML document with ``lang`` set on its ``<html>`` element."""
    attr = HTML_LANG.get(lang, lang)
    return re.sub(r"<html\b[^>]*>", f'<html lang="{attr}">', document, count=1)


@dataclass(frozen=True)
class PageLink:
    """A framework page listed on a client's index page."""

    href: str
    title: str


_INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif;
       max-width: 48rem; margin: 3rem auto; padding: 0 1rem; color: #222; }}
h1 {{ font-weight: 600; }} .meta {{ color: #666; }}
li {{ margin: .5rem 0; }} a {{ color: #1f4e79; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="meta">{meta}</p>
<ol>
{items}
</ol>
</body>
</html>
"""


def index_html(
    client_name: str, heading: str, meta: str, pages: Sequence[PageLink], lang: str
) -> str:
    """Return a simple index page for one client, linking every framework page.

    Args:
        client_name: The client's display name.
        heading: The page heading after the client name (e.g. "service strategy report").
        meta: A line under the heading (date, language).
        pages: The framework pages in reading order.
        lang: The report language, "zh" or "en".
    """
    items = "\n".join(
        f'<li><a href="{html.escape(p.href)}">{html.escape(p.title)}</a></li>' for p in pages
    )
    return _INDEX_TEMPLATE.format(
        lang=HTML_LANG.get(lang, lang),
        title=html.escape(f"{client_name} — {heading}"),
        meta=html.escape(meta),
        items=items,
    )
