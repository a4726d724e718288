"""Which notebooks make a client's report: the scope's framework pages and the client's own.

A client's report runs the shared notebooks of the frameworks in its scope (``client.yaml``
``report: frameworks``; all when absent) and the shared pages that are no framework (the
executive summary), plus the client's own notebooks ``<client>/notebooks/NN_<slug>.ipynb``,
each placed by its number among the others (a shared page first when two share a number).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from playbook.content import frameworks
from playbook.data.contract import ClientConfig
from playbook.data.engagement import NOTEBOOK_NAME, client_notebooks


def report_notebooks(
    shared: Sequence[Path], config: ClientConfig, source: Path | None
) -> list[Path]:
    """Return the notebooks of one client's report, in reading order.

    Args:
        shared: The report notebooks of the notebooks folder (``NN_<slug>.ipynb``).
        config: The client's configuration (its scope).
        source: The client's folder (its own pages), None for none.

    Returns:
        The shared notebooks in the client's scope and the client's own notebooks, sorted
        by their number; a shared notebook before a client's one of the same number.
    """
    framework_ids = {fw.id for fw in frameworks()}
    scope = config.report

    def wanted(path: Path) -> bool:
        slug = NOTEBOOK_NAME.match(path.name)["slug"]
        return slug not in framework_ids or scope.includes(slug)

    own = client_notebooks(source) if source is not None else []
    ranked = [(p, 0) for p in shared if wanted(p)] + [(p, 1) for p in own]
    ranked.sort(key=lambda item: (int(item[0].name[:2]), item[1], item[0].name))
    return [path for path, _ in ranked]
