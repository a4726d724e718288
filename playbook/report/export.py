"""Turn an executed notebook into a client page: no code, no parameters, no notes, no stderr.

Pure functions on notebook nodes and strings; ``site.py`` adds the header and navigation,
``render.py`` decides what gets written where.
"""

from __future__ import annotations

import copy
import re
import threading

import nbformat
from nbconvert import HTMLExporter

from playbook.config import html_lang

#: Cells carrying one of these tags never reach a client page.
HIDDEN_TAGS = frozenset({"injected-parameters", "parameters", "notes"})


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


#: A warning as ``warnings.showwarning`` prints it ("file.py:12: UserWarning: text").
_WARNING_LINE = re.compile(r"^\S.*:\d+: \w*Warning: ")
#: An object's bare repr ("<Figure size 640x480 with 1 Axes>"), shown by a stray expression.
_BARE_REPR = re.compile(r"^<[^<>]*>$")


def strip_warnings(text: str) -> str:
    """Remove printed warnings (the warning line and its indented source line) from text."""
    kept, skip_source = [], False
    for line in text.splitlines(keepends=True):
        if _WARNING_LINE.match(line):
            skip_source = True
            continue
        if skip_source and line.startswith((" ", "\t")):
            skip_source = False
            continue
        skip_source = False
        kept.append(line)
    return "".join(kept)


def _visible_outputs(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    outputs = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            if out.get("name") == "stderr":
                continue
            out["text"] = strip_warnings(out.get("text", ""))
            if not out["text"].strip():
                continue
        elif kind in ("display_data", "execute_result"):
            data = out.get("data", {})
            if set(data) == {"text/plain"} and _BARE_REPR.match(str(data["text/plain"]).strip()):
                continue
            if kind == "execute_result":  # a section a cell ends with: shown like a display
                out = nbformat.v4.new_output(
                    "display_data", data=data, metadata=out.get("metadata", {})
                )
        outputs.append(out)
    return outputs


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of an executed notebook with only what a client should read.

    Removes cells tagged ``injected-parameters``, ``parameters`` or ``notes``, stderr stream
    outputs (warnings, logs), warnings printed to stdout, bare object reprs
    (``<Figure size …>``), and code cells that are empty or show nothing. A cell's result (a
    page section a cell ends with) becomes a display, so the page has no "Out[n]" results.

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
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return set_document_lang(body, lang)


_local = threading.local()


def _exporter() -> HTMLExporter:
    """Return this thread's exporter (compiling its templates costs more than an export)."""
    if not hasattr(_local, "exporter"):
        _local.exporter = HTMLExporter(
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
        )
    return _local.exporter


def set_document_lang(document: str, lang: str) -> str:
    """Return the HTML document with ``lang`` set on its ``<html>`` element."""
    return re.sub(r"<html\b[^>]*>", f'<html lang="{html_lang(lang)}">', document, count=1)
