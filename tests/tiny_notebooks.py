"""Tiny hand-made notebooks for tests that start kernels (the engine, the cluster)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

PARAMETERS = """\
client_id: str = "acme"  # client
clients_dir: str = ""  # clients folder
lang: str = ""  # language
as_of: str = ""  # end of period
period_days: int = 90  # period length"""


def write_notebook(path: Path, *code: str) -> Path:
    """Write a notebook: a heading, the parameters cell, then one code cell per snippet."""
    nb = new_notebook(
        cells=[
            new_markdown_cell(f"# {path.stem}"),
            new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
            *[new_code_cell(c) for c in code],
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, path)
    return path


def printed(executed: Path) -> dict[str, str]:
    """Return what a notebook printed as ``key value`` lines (anything else is ignored)."""
    nb = nbformat.read(executed, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return dict(line.split(" ", 1) for line in text.splitlines() if line.startswith("@"))
