"""Notebook hygiene (fast, no kernel): clean, typed parameters, one notebook per framework.

Each framework's slug names its content file and its notebook ``notebooks/NN_<slug>.ipynb``
where NN is the framework's ``order``. Notebooks without a content file must be listed in
``playbook.report.render.EXTRA_NOTEBOOKS``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from playbook.config import NOTEBOOKS_DIR, notebook_stem
from playbook.content import frameworks
from playbook.report.render import EXTRA_NOTEBOOKS, NOTEBOOK_NAME

#: The parameters the renderer passes to every notebook.
RENDER_PARAMETERS = {"client_id", "clients_dir", "lang", "as_of", "period_days", "reports_dir"}

#: ``name: type = default  # help`` — the form ``papermill --help-notebook`` reads back.
PARAMETER_LINE = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*): (?P<type>[A-Za-z_][\w\[\], |.]*) = (?P<default>\S.*?)"
    r"  # (?P<help>\S.*)$"
)

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
each_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def read(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    return nb


def parameter_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]


@each_notebook
def test_notebook_is_committed_without_outputs(path):
    code = [c for c in read(path).cells if c.cell_type == "code"]

    dirty = [i for i, c in enumerate(code) if c.outputs or c.execution_count is not None]
    assert dirty == [], f"code cells {dirty} have outputs; run nbstripout {path.name}"


@each_notebook
def test_notebook_has_one_typed_commented_parameters_cell(path):
    cells = parameter_cells(read(path))

    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    assert cells[0].cell_type == "code"
    lines = [line for line in cells[0].source.splitlines() if line.strip()]
    untyped = [line for line in lines if not PARAMETER_LINE.match(line)]
    assert untyped == [], "write parameters as `name: type = default  # help`"
    two_equals = [line for line in lines if line.count("=") > 1]
    assert two_equals == [], (
        "papermill --help-notebook skips a line with a second '=' (write 'empty: ...' in help)"
    )
    names = {PARAMETER_LINE.match(line)["name"] for line in lines}
    assert RENDER_PARAMETERS <= names


@each_notebook
def test_papermill_reads_back_every_parameter_with_help(path):
    params = pm.inspect_notebook(str(path))

    assert RENDER_PARAMETERS <= set(params)
    assert all(p["help"] for p in params.values())


@each_notebook
def test_notebook_runs_on_the_python3_kernel(path):
    assert read(path).metadata["kernelspec"]["name"] == "python3"


@each_notebook
def test_notebook_defines_no_functions_or_classes(path):
    code = "\n".join(c.source for c in read(path).cells if c.cell_type == "code")

    assert not re.search(r"^\s*(async\s+def|def|class)\s", code, re.MULTILINE), (
        "functions and classes belong in the playbook package, tested"
    )


@each_notebook
def test_notebook_opens_the_page_of_its_own_slug(path):
    code = "\n".join(c.source for c in read(path).cells if c.cell_type == "code")
    slug = NOTEBOOK_NAME.match(path.name)["slug"]

    call = f'open_page("{slug}", client_id, clients_dir, lang, as_of, period_days, reports_dir)'
    assert call in code, "a notebook opens its page by its own slug, with every parameter"


@each_notebook
def test_notebook_name_matches_a_framework_or_is_listed_as_extra(path):
    match = NOTEBOOK_NAME.match(path.name)
    assert match, "notebooks are named NN_<slug>.ipynb"
    if path.stem in EXTRA_NOTEBOOKS:
        return
    orders = {fw.id: fw.order for fw in frameworks()}

    assert match["slug"] in orders, f"no content file playbook/content/{match['slug']}.yaml"
    assert int(match["order"]) == orders[match["slug"]], "NN is the framework's order"


def test_every_framework_has_its_notebook():
    expected = {f"{notebook_stem(fw.order, fw.id)}.ipynb" for fw in frameworks()}

    assert sorted(expected - {p.name for p in NOTEBOOKS}) == []
