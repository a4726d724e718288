"""Turn an executed notebook into a client page: no code, no parameters, no notes, no stderr.

Pure functions on notebook nodes and strings; the page's HTML comes from the nbconvert
template in ``templates/client_page``; ``site.py`` adds the header and navigation,
``render.py`` decides what gets written where.
"""

from __future__ import annotations

import copy
import re
import threading
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets import validate

from playbook.config import html_lang

#: The report's nbconvert templates, and the page template among them.
TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE = "client_page"
#: The site's static files (``site.css``, included by the page template).
STATIC_DIR = Path(__file__).parent / "static"

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
                # (nbformat's new_output would validate it against the schema: most of a
                # clean's time, for an output the kernel made and nbclient validated)
                display = {"output_type": "display_data", "data": data}
                out = nbformat.from_dict({**display, "metadata": out.get("metadata", {})})
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


#: The opening tag of an output area as the lab template writes it (``<div class="…
#: jp-OutputArea-output …" …>``), given ``tabindex="0"`` as nbconvert's own exporter does.
_OUTPUT_AREA = re.compile(r'(<div class="[^"<>]*\bjp-OutputArea-output\b[^"<>]*")')


class PageExporter(HTMLExporter):
    """nbconvert's HTML exporter with the report's template, taking a BCP 47 ``lang`` (zh-CN).

    nbconvert accepts only two-letter ISO 639-1 codes as ``language_code``; a report in
    Simplified Chinese is ``zh-CN``, so browsers pick Simplified glyphs.

    The page is the template's output as it is: nbconvert's ``HTMLExporter`` then parses the
    whole page (1-2 MB) with BeautifulSoup to give images without ``alt`` a placeholder and
    output areas a ``tabindex``, and writes it out again (attributes sorted, entities and
    void tags rewritten): about 80 % of an export's time. Every image of the pages has its
    ``alt``; output areas get their ``tabindex`` here. So a page holds each output's HTML
    exactly as its notebook made it (``views.py`` relies on that).
    """

    @validate("language_code")
    def _valid_language_code(self, proposal):
        return proposal["value"]

    def _validate_preprocessor(self, nbc, preprocessor):
        """Check nothing: nbconvert checks the whole notebook against nbformat's schema after
        each of its preprocessors (about a fifth of an export). A page's notebook is the
        renderer's own, made by ``clean_notebook`` from what nbclient received, and the
        exporter's preprocessors only remove cells and outputs, note a cell magic's language
        and add styles to the resources; none can make it invalid."""

    def from_notebook_node(self, nb, resources=None, **kw):
        """Return the page's HTML and resources: ``HTMLExporter``'s, without the re-parse."""
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return _OUTPUT_AREA.sub(r'\1 tabindex="0"', html), resources


def export_html(nb: nbformat.NotebookNode, title: str, lang: str) -> str:
    """Export a cleaned notebook to a standalone HTML page with code and prompts hidden.

    The page comes from the template ``templates/client_page``: the page's language, the
    site's stylesheet, nothing loaded from the network, and the place ``site.decorate_page``
    puts the site's header and navigation.

    Args:
        nb: A notebook, normally the result of :func:`clean_notebook`.
        title: The page title ("<framework title> — <client name>").
        lang: The report language, "zh" or "en".

    Returns:
        The HTML document; images are embedded, so the page stands alone.
    """
    exporter = _exporter(html_lang(lang))
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


_local = threading.local()


def _exporter(language_code: str) -> PageExporter:
    """Return this thread's exporter for a language (compiling its templates costs more
    than an export, so each thread keeps one per language)."""
    exporters = _local.__dict__.setdefault("exporters", {})
    if language_code not in exporters:
        exporters[language_code] = PageExporter(
            template_name=TEMPLATE,
            extra_template_basedirs=[str(TEMPLATES_DIR)],
            extra_template_paths=[str(STATIC_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            language_code=language_code,
        )
    return exporters[language_code]
