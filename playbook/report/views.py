"""Write the strategist's current views into a page whose views alone changed.

A framework's page shows the strategist's summary and each element's view in a slot
(``pages.strategist.view_slot``). When a page's inputs differ from its last run by its views
only (``incremental.decide``), the renderer does not run its notebook again: it takes the
last executed notebook and the published page and fills every slot from the current
commentary, which gives the page a run would make (the views show nothing else).
"""

from __future__ import annotations

import json
from pathlib import Path

from playbook.data.commentary import FrameworkCommentary
from playbook.pages.strategist import framework_views, splice_views

HTML = "text/html"


def rewrite_notebook(source: Path, dest: Path, commentary: FrameworkCommentary, lang: str) -> int:
    """Copy an executed notebook with its view slots filled from ``commentary``.

    Args:
        source: The page's executed notebook in the last good report.
        dest: Where to write the rewritten copy.
        commentary: The strategist's current commentary of the page's framework.
        lang: The page's language.

    Returns:
        The number of slots filled; when 0 (a page that shows no slot) nothing is written
        and the page must run instead.
    """
    nb = json.loads(Path(source).read_text(encoding="utf-8"))
    views, found = framework_views(commentary), 0
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if HTML not in data:
                continue
            html = data[HTML] if isinstance(data[HTML], str) else "".join(data[HTML])
            data[HTML], n = splice_views(html, views, lang)
            found += n
    if found:
        text = json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True)
        Path(dest).write_text(text + "\n", encoding="utf-8")
    return found


def rewrite_page(html: str, commentary: FrameworkCommentary, lang: str) -> tuple[str, int]:
    """Return a published page with its view slots filled from ``commentary``, and the
    number of slots filled.

    The exporter writes each output's HTML into the page as the notebook made it
    (``export.PageExporter``), so each slot is written in as ``view_slot`` makes it: the
    page is the one an export of the rewritten notebook makes.
    """
    return splice_views(html, framework_views(commentary), lang)
