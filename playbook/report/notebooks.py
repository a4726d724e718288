"""Find the report notebooks and name their pages.

A report notebook is ``NN_<slug>.ipynb``: ``NN`` its place in the reading order, ``<slug>``
its framework's content file (or a page listed in ``EXTRA_NOTEBOOKS``).
"""

from __future__ import annotations

import re
from pathlib import Path

from playbook.config import NOTEBOOKS_DIR, SUMMARY_STEM
from playbook.content import frameworks, label

#: Notebooks allowed without a framework content file (stems), e.g. "90_executive_summary".
EXTRA_NOTEBOOKS: tuple[str, ...] = (SUMMARY_STEM,)

NOTEBOOK_NAME = re.compile(r"^(?P<order>\d{2})_(?P<slug>[a-z0-9_]+)\.ipynb$")


def discover_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Return the report notebooks (``NN_<slug>.ipynb``) in reading order."""
    return sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))


def notebook_slug(path: Path) -> str:
    """Return the framework slug of a notebook path (``01_exceed_expectations`` -> slug)."""
    match = NOTEBOOK_NAME.match(path.name)
    if match is None:
        raise ValueError(f"{path.name}: notebook names look like NN_<slug>.ipynb")
    return match["slug"]


def page_title(nb_path: Path, lang: str) -> str:
    """Return a notebook page's title: its framework's title, else its first heading."""
    slug = notebook_slug(nb_path)
    for fw in frameworks():
        if fw.id == slug:
            return fw.title(lang)
    import nbformat  # a client's own page only (the renderer may have no notebook to read)

    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return slug.replace("_", " ")


def site_title(nb_path: Path, lang: str) -> str:
    """Return the title of a notebook's page in the site's navigation."""
    if nb_path.stem == SUMMARY_STEM:
        return label("executive_summary", lang)
    return page_title(nb_path, lang)
