"""Start an engagement: a new client folder with everything a strategist fills in.

``create_client`` (behind ``playbook new``) writes ``<clients_dir>/<client_id>/`` with a
commented ``client.yaml`` whose unknown values are ``<<…>>`` placeholders (refused by
validation until filled in), a commented, empty ``commentary.yaml``, the data-request
workbook ``<client_id>_data_request.xlsx`` and a starter notebook for a client page
(kept out of the report until renamed ``NN_<slug>.ipynb``). ``write_workbook`` (behind
``playbook workbook``) writes the workbook again once ``client.yaml`` declares the
channels, stages and tiers its drop-down lists offer. The templates are in
``playbook/content/kit/``, one per language.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from string import Template

from playbook.config import CONTENT_DIR, LANGS
from playbook.content import benchmarks, frameworks
from playbook.data.commentary import COMMENTARY_FILE
from playbook.data.contract import ClientConfig
from playbook.data.engagement import CLIENT_NOTEBOOKS
from playbook.data.problems import Problem
from playbook.data.workbook import workbook_name, write_request_workbook
from playbook.data.yaml_files import read_client_config

#: Where the templates live (``client.<lang>.yaml``, ``commentary.<lang>.yaml``, the starter).
KIT_DIR = CONTENT_DIR / "kit"
#: A plain folder name: letters, digits, ``_`` and ``-``, starting with a letter or digit.
CLIENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
#: Names Windows refuses for a folder, whatever the case.
RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))} | {
    f"lpt{i}" for i in range(10)
}
#: The starter notebook's name: not ``NN_<slug>``, so not a report page until renamed.
STARTER_NOTEBOOK = "example_client_page.ipynb"

_PLACEHOLDERS = {
    "zh": {
        "name": "<<客户名称>>",
        "industry": "<<行业，例如 连锁咖啡>>",
        "currency": "<<货币代码，例如 CNY>>",
        "channels": ["<<渠道一，例如 门店>>", "<<渠道二，例如 外卖>>"],
    },
    "en": {
        "name": "<<client name>>",
        "industry": "<<industry, e.g. coffee chain>>",
        "currency": "<<currency code, e.g. USD>>",
        "channels": ["<<first channel, e.g. store>>", "<<second channel, e.g. delivery>>"],
    },
}


class KitError(ValueError):
    """A client folder cannot be created or its workbook written (the message says why)."""


@dataclass(frozen=True)
class NewClient:
    """What ``playbook new`` knows of a client; what is left empty becomes a placeholder."""

    client_id: str
    name: str = ""
    industry: str = ""
    lang: str = "zh"
    currency: str = ""
    channels: tuple[str, ...] = ()


def check_client_id(client_id: str) -> None:
    """Refuse a client id that is not a plain folder name.

    Raises:
        KitError: For an empty id, a path (``/``, ``..``), a leading dot or other
            characters than letters, digits, ``_`` and ``-``, or a reserved device name.
    """
    if not CLIENT_ID.match(client_id) or client_id.lower() in RESERVED_NAMES:
        raise KitError(
            f"client id {client_id!r} is not a plain folder name: use letters, digits, _ and - "
            "(starting with a letter or digit, at most 64 characters), e.g. brewlane_coffee"
        )


def _yaml_value(value: object) -> str:
    """Return a value as YAML flow text (JSON is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def client_yaml(spec: NewClient) -> str:
    """Return the commented ``client.yaml`` for a new client in its language."""
    placeholders = _PLACEHOLDERS[spec.lang]
    fws = frameworks()
    elements = "\n#   ".join(f"{fw.id}: {', '.join(e.id for e in fw.elements)}" for fw in fws)
    template = Template((KIT_DIR / f"client.{spec.lang}.yaml").read_text(encoding="utf-8"))
    return template.substitute(
        client_id=spec.client_id,
        name=_yaml_value(spec.name or placeholders["name"]),
        industry=_yaml_value(spec.industry or placeholders["industry"]),
        language=spec.lang,
        currency=_yaml_value(spec.currency or placeholders["currency"]),
        channels=_yaml_value(list(spec.channels) or placeholders["channels"]),
        framework_ids=", ".join(fw.id for fw in fws),
        framework_elements=elements,
        benchmark_profiles=", ".join(benchmarks().profiles),
        default_profile=benchmarks().default,
    )


def _keep_backup(path: Path) -> None:
    """Move an existing file aside as ``<name>.bak`` (replacing an older backup)."""
    if path.exists():
        shutil.move(path, path.with_name(path.name + ".bak"))


def create_client(spec: NewClient, clients_dir: str | Path, force: bool = False) -> list[Path]:
    """Create a client folder with its commented files, workbook and starter notebook.

    Args:
        spec: The client's id and what is known of it.
        clients_dir: The folder of client folders (created when absent).
        force: Write into an existing folder; each file replaced is kept as ``<name>.bak``
            and every other file (tables, assessment, notebooks) is left alone.

    Returns:
        The files written.

    Raises:
        KitError: For an id that is not a plain folder name, an unknown language, or an
            existing folder without ``force``.
    """
    check_client_id(spec.client_id)
    if spec.lang not in LANGS:
        raise KitError(f"lang must be one of {', '.join(LANGS)}, got {spec.lang!r}")
    folder = Path(clients_dir).expanduser().resolve() / spec.client_id
    if folder.exists() and not force:
        raise KitError(
            f"{folder} already exists; choose another id, or pass --force to write the "
            "templates into it (files replaced are kept as .bak)"
        )
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise KitError(f"{folder} exists and is not a folder")
    if folder.exists():
        return _write_kit(spec, folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{spec.client_id}.new-", dir=folder.parent))
    try:
        written = _write_kit(spec, staging)
        staging.chmod(0o755)
        staging.rename(folder)
    except BaseException:  # leave no half-made client folder behind
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / p.relative_to(staging) for p in written]


def _write_kit(spec: NewClient, folder: Path) -> list[Path]:
    """Write the kit's files into ``folder``, keeping any file replaced as ``.bak``."""
    (folder / CLIENT_NOTEBOOKS).mkdir(parents=True, exist_ok=True)
    contents = {
        folder / "client.yaml": client_yaml(spec),
        folder / COMMENTARY_FILE: (KIT_DIR / f"commentary.{spec.lang}.yaml").read_text("utf-8"),
        folder / CLIENT_NOTEBOOKS / STARTER_NOTEBOOK: starter_notebook(spec),
    }
    written = []
    for path, text in contents.items():
        _keep_backup(path)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    workbook = folder / workbook_name(spec.client_id)
    _keep_backup(workbook)
    written.append(write_request_workbook(workbook, spec.lang, {"channel": list(spec.channels)}))
    return written


def starter_notebook(spec: NewClient) -> str:
    """Return the starter client notebook, its defaults set to this client."""
    template = Template((KIT_DIR / f"starter.{spec.lang}.ipynb").read_text(encoding="utf-8"))
    return template.substitute(client_id=json.dumps(spec.client_id)[1:-1])


def write_workbook(client_dir: str | Path, lang: str = "", force: bool = False) -> Path:
    """Write a client's data-request workbook from its ``client.yaml``.

    Args:
        client_dir: The client folder; its ``client.yaml`` must validate.
        lang: Language of the help row (default: the client's language).
        force: Replace an existing workbook (kept as ``<name>.bak``).

    Returns:
        The workbook's path.

    Raises:
        KitError: When ``client.yaml`` has problems (listed) or the workbook exists
            without ``force``.
    """
    folder = Path(client_dir)
    problems: list[Problem] = []
    config = read_client_config(folder, problems)
    if config is None or problems:
        listed = "\n  ".join(str(p) for p in problems)
        raise KitError(f"fill in client.yaml first:\n  {listed}")
    path = folder / workbook_name(folder.name)
    if path.exists() and not force:
        raise KitError(f"{path} exists (it may hold the client's data); pass --force to replace it")
    _keep_backup(path)
    return write_request_workbook(path, lang or config.language, _declared(config))


def _declared(config: ClientConfig) -> dict[str, list[str]]:
    kinds = ("channel", "stage", "tier", "scene", "touchpoint", "segment")
    return {kind: list(config.declared(kind) or ()) for kind in kinds}
