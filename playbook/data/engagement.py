"""Check what a strategist writes into a client folder against the content and the scope.

Ids in ``client.yaml`` ``report:`` (frameworks, excluded elements), in ``commentary.yaml``
(frameworks, elements, hidden actions) and the names of the client's own notebooks
(``notebooks/NN_<slug>.ipynb``) are checked here; each problem names the file and key. Also
finds the ``<<…>>`` placeholders ``playbook new`` writes, so a template is refused until
it is filled in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from playbook.content import Framework, frameworks
from playbook.content.excerpt import excerpt
from playbook.data.commentary import COMMENTARY_FILE, Commentary
from playbook.data.contract import ClientConfig
from playbook.data.problems import Problem

#: A value ``playbook new`` leaves for the strategist to fill in: ``<<…>>``.
PLACEHOLDER = re.compile(r"^\s*<<.*>>\s*$", re.S)

#: The folder of a client's own notebooks, inside the client folder.
CLIENT_NOTEBOOKS = "notebooks"
#: A report notebook's name: two digits, an underscore, a lower-case slug.
NOTEBOOK_NAME = re.compile(r"^(?P<order>\d{2})_(?P<slug>[a-z0-9_]+)\.ipynb$")
#: Slugs a client notebook may not take (the report's own pages).
RESERVED_SLUGS = ("executive_summary",)
#: Largest client notebook read (bytes); a report page is far smaller.
MAX_NOTEBOOK_BYTES = 20_000_000


def _known() -> dict[str, Framework]:
    return {fw.id: fw for fw in frameworks()}


def find_placeholders(content: object, file: str, key: str = "") -> list[Problem]:
    """Report every ``<<…>>`` placeholder left in a YAML document, by key.

    Args:
        content: The parsed YAML (mappings, lists, scalars).
        file: The file name used in the problems.
        key: The key path of ``content`` (empty at the top).
    """
    if isinstance(content, dict):
        return [
            p
            for k, v in content.items()
            for p in find_placeholders(v, file, f"{key}.{k}" if key else str(k))
        ]
    if isinstance(content, list):
        return [p for i, v in enumerate(content) for p in find_placeholders(v, file, f"{key}[{i}]")]
    if isinstance(content, str) and PLACEHOLDER.match(content):
        shown = excerpt(content.strip(), 80)[1:-1]
        return [Problem(file, None, None, f"fill in this placeholder: {shown}", key=key or None)]
    return []


def _unknown_framework(file: str, key: str, fw_id: str, known: dict) -> Problem:
    return Problem(
        file,
        None,
        None,
        f"unknown framework {excerpt(fw_id)}; expected one of: {', '.join(known)}",
        key,
    )


def _unknown_element(file: str, key: str, el_id: str, fw: Framework) -> Problem:
    ids = ", ".join(e.id for e in fw.elements)
    return Problem(
        file,
        None,
        None,
        f"unknown element {excerpt(el_id)} of {fw.id}; expected one of: {ids}",
        key,
    )


def check_scope_ids(config: ClientConfig) -> list[Problem]:
    """Report unknown framework and element ids in ``client.yaml`` ``report:``.

    Also refuses an exclusion in a framework outside the scope (it could never show) and a
    framework whose every element is excluded (leave the framework out instead).
    """
    known, scope, file = _known(), config.report, "client.yaml"
    problems = [
        _unknown_framework(file, f"report.frameworks[{i}]", fw_id, known)
        for i, fw_id in enumerate(scope.frameworks or ())
        if fw_id not in known
    ]
    for fw_id, excluded in scope.exclude_elements.items():
        key = f"report.exclude_elements.{fw_id}"
        if fw_id not in known:
            problems.append(_unknown_framework(file, key, fw_id, known))
            continue
        if not scope.includes(fw_id):
            problems.append(
                Problem(file, None, None, f"{fw_id} is not in report.frameworks", key=key)
            )
        fw = known[fw_id]
        ids = [e.id for e in fw.elements]
        problems += [
            _unknown_element(file, f"{key}.{el_id}", el_id, fw)
            for el_id in excluded
            if el_id not in ids
        ]
        if set(ids) <= set(excluded):
            message = "every element is excluded; leave the framework out of report.frameworks"
            problems.append(Problem(file, None, None, message, key=key))
    return problems


def check_commentary_ids(commentary: Commentary, config: ClientConfig | None) -> list[Problem]:
    """Report commentary on unknown, out-of-scope or excluded frameworks, elements and actions.

    Args:
        commentary: The parsed ``commentary.yaml``.
        config: The client's configuration, for the scope (None: scope not checked).
    """
    known, file, problems = _known(), COMMENTARY_FILE, []
    for fw_id, fw_comment in commentary.frameworks.items():
        key = f"frameworks.{fw_id}"
        if fw_id not in known:
            problems.append(_unknown_framework(file, key, fw_id, known))
            continue
        if config is not None and not config.report.includes(fw_id):
            message = f"{fw_id} is not in this engagement's scope (client.yaml report.frameworks)"
            problems.append(Problem(file, None, None, message, key=key))
        fw = known[fw_id]
        excluded = config.report.excluded(fw_id) if config is not None else {}
        for el_id, el_comment in fw_comment.elements.items():
            el_key = f"{key}.elements.{el_id}"
            if el_id not in [e.id for e in fw.elements]:
                problems.append(_unknown_element(file, el_key, el_id, fw))
                continue
            if el_id in excluded:
                message = (
                    f"{el_id} is excluded from the scope (client.yaml "
                    f"report.exclude_elements.{fw_id}); remove its commentary or the exclusion"
                )
                problems.append(Problem(file, None, None, message, key=el_key))
            actions = [a.id for a in fw.element(el_id).actions]
            seen: set[str] = set()
            for i, hidden in enumerate(el_comment.hide_actions):
                hide_key = f"{el_key}.hide_actions[{i}].id"
                if hidden.id not in actions:
                    message = (
                        f"unknown action {excerpt(hidden.id)} of {el_id}; expected one of: "
                        f"{', '.join(actions)}"
                    )
                    problems.append(Problem(file, None, None, message, key=hide_key))
                elif hidden.id in seen:
                    message = f"action {excerpt(hidden.id)} is hidden twice"
                    problems.append(Problem(file, None, None, message, key=hide_key))
                seen.add(hidden.id)
    return problems


def client_notebooks(client_dir: str | Path) -> list[Path]:
    """Return a client's own report notebooks (``notebooks/NN_<slug>.ipynb``), by name.

    Files in the folder that do not follow the naming (the starter ``playbook new`` writes,
    drafts) are not report pages.
    """
    folder = Path(client_dir) / CLIENT_NOTEBOOKS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and NOTEBOOK_NAME.match(p.name))


def check_client_notebooks(client_dir: str | Path) -> list[Problem]:
    """Report client notebooks whose slug is taken by a framework or the summary, or unreadable."""
    taken = {*_known(), *RESERVED_SLUGS}
    problems = []
    for path in client_notebooks(client_dir):
        file = f"{CLIENT_NOTEBOOKS}/{path.name}"
        slug = NOTEBOOK_NAME.match(path.name)["slug"]
        if slug in taken:
            message = f"the name {excerpt(slug)} is taken by a report page; rename the notebook"
            problems.append(Problem(file, None, None, message))
            continue
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            message = f"is larger than {MAX_NOTEBOOK_BYTES // 1_000_000} MB; clear its outputs"
            problems.append(Problem(file, None, None, message))
            continue
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            message = f"is not a readable notebook ({type(exc).__name__})"
            problems.append(Problem(file, None, None, message))
            continue
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            problems.append(Problem(file, None, None, "is not a Jupyter notebook (no cells)"))
        elif not _language(nb.get("metadata")):
            message = "names no kernel language; open it in JupyterLab and save it"
            problems.append(Problem(file, None, None, message))
    return problems


def _language(metadata: object) -> str:
    """Return the language a notebook's metadata names ("" when none: papermill refuses it)."""
    if not isinstance(metadata, dict):
        return ""
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(field), str):
            return value[field]
    return ""
