"""Read and check a client's YAML files: ``client.yaml``, ``assessment.yaml``, ``commentary.yaml``.

Each file is read strictly (``content.safe_yaml``: bounded size and depth, the encodings of
``encoding``), typed by its model (``contract``, ``commentary``) and its ids checked against
the content (``engagement``); every problem names the file and the key. ``validation`` reads
the tables besides. Nothing here imports pandas: a caller that needs only these files (the
renderer, for a report whose pages are all reused) reads no table.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from playbook.content import benchmarks as content_benchmarks
from playbook.content import common as content_common
from playbook.content.excerpt import excerpt
from playbook.content.safe_yaml import YamlError, load_yaml
from playbook.data.commentary import COMMENTARY_FILE, Commentary
from playbook.data.contract import ClientConfig
from playbook.data.encoding import decode_text
from playbook.data.engagement import check_commentary_ids, check_scope_ids, find_placeholders
from playbook.data.errors import TableError
from playbook.data.limits import check_client_file
from playbook.data.problems import Problem


def validate_commentary(client_dir: str | Path) -> tuple[list[Problem], Commentary | None]:
    """Validate a client's ``commentary.yaml`` against the content and its ``client.yaml``.

    Returns:
        The problems of both files that bear on the commentary, and the commentary (an
        empty one when the file is absent; None when there are problems).
    """
    folder = Path(client_dir)
    problems: list[Problem] = []
    config = read_client_config(folder, problems)
    commentary = read_commentary(folder, config, problems)
    return (problems, None) if problems else ([], commentary)


def read_client_config(client_dir: str | Path, problems: list[Problem]) -> ClientConfig | None:
    """Read and check a client's ``client.yaml`` (its scope too); add its problems.

    Returns:
        The configuration when the file parses into one (None otherwise); a wrong ``id``
        or scope is added to ``problems`` but still returns it, so the tables can be
        checked against its declared values.
    """
    folder = Path(client_dir)
    config = load_yaml_model(folder / "client.yaml", ClientConfig, problems, required=True)
    if config is not None and config.id != folder.name:
        problems.append(
            Problem(
                "client.yaml",
                None,
                None,
                f"id {excerpt(config.id)} must equal the folder name {excerpt(folder.name)}",
                key="id",
            )
        )
    if config is not None:
        problems.extend(check_scope_ids(config))
        problems.extend(check_benchmark_ids(config))
        problems.extend(_check_pptx_template(folder, config))
    return config


def check_benchmark_ids(config: ClientConfig) -> list[Problem]:
    """Report an unknown ``benchmark_profile`` and ``benchmarks`` of unknown indicators."""
    problems = []
    profiles = content_benchmarks().profiles
    if config.benchmark_profile is not None and config.benchmark_profile not in profiles:
        known = ", ".join(sorted(profiles))
        message = f"unknown benchmark profile {excerpt(config.benchmark_profile)}; known: {known}"
        problems.append(Problem("client.yaml", None, None, message, key="benchmark_profile"))
    indicators = content_common().indicators
    for indicator_id in config.benchmarks:
        if indicator_id not in indicators:
            message = (
                f"unknown indicator {excerpt(indicator_id)} "
                "(the ids are under indicators: in common.yaml)"
            )
            problems.append(
                Problem(
                    "client.yaml",
                    None,
                    None,
                    message,
                    key=f"benchmarks.{excerpt(indicator_id, 40)[1:-1]}",
                )
            )
    return problems


def _check_pptx_template(folder: Path, config: ClientConfig) -> list[Problem]:
    """Report a ``pptx_template`` that names no PowerPoint file (relative to the folder)."""
    if not config.pptx_template:
        return []
    template = folder / Path(config.pptx_template).expanduser()
    if template.suffix.lower() == ".pptx" and template.is_file():
        return []
    message = (  # the path as written, not the resolved one (messages reach mailed reports)
        f"pptx_template {excerpt(config.pptx_template)}: no PowerPoint file (.pptx) there "
        "(a path relative to the client folder)"
    )
    return [Problem("client.yaml", None, None, message, key="pptx_template")]


def read_commentary(
    folder: Path, config: ClientConfig | None, problems: list[Problem]
) -> Commentary:
    """Read a client's ``commentary.yaml`` and check its ids; add its problems.

    Returns:
        The commentary (an empty one when the file is absent or has problems).
    """
    path = folder / COMMENTARY_FILE
    commentary = load_yaml_model(path, Commentary, problems, allow_empty=True)
    if commentary is None:
        return Commentary()
    problems.extend(check_commentary_ids(commentary, config))
    return commentary


def load_yaml_model(
    path: Path,
    model: type[BaseModel],
    problems: list[Problem],
    required: bool = False,
    allow_empty: bool = False,
) -> BaseModel | None:
    """Read a YAML file into ``model``; report its problems (and placeholders) by key.

    ``allow_empty``: an empty file (or one holding only comments) gives the model's
    defaults instead of a problem.
    """
    if not (path.exists() or path.is_symlink()):
        if required:
            problems.append(Problem(path.name, None, None, "file is missing"))
        return None
    try:
        check_client_file(path)
        content = load_yaml(path, decode=_decode_yaml)
    except TableError as exc:
        problems.append(Problem(path.name, None, None, exc.reason))
        return None
    except YamlError as exc:
        problems.append(Problem(path.name, None, None, exc.reason, line=exc.line))
        return None
    if content is None and allow_empty:
        content = {}
    if not isinstance(content, dict):
        problems.append(Problem(path.name, None, None, "must be a mapping of keys to values"))
        return None
    placeholders = find_placeholders(content, path.name)
    problems.extend(placeholders)
    try:
        loaded = model.model_validate(content)
    except ValidationError as exc:
        problems.extend(_yaml_problems(path.name, model, exc))
        return None
    return None if placeholders else loaded


def _decode_yaml(raw: bytes) -> str:
    """Decode a YAML file with the same strict rules as tables (UTF-8 first)."""
    return decode_text(raw)[0]


def _yaml_problems(file: str, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        key = "".join(
            f"[{p}]" if isinstance(p, int) else f".{excerpt(p, 40)[1:-1]}" for p in err["loc"]
        )
        key = key.removeprefix(".") or None
        if err["type"] == "missing":
            message = "required key is missing"
        elif err["type"] == "extra_forbidden":
            allowed = f" (allowed: {', '.join(model.model_fields)})" if len(err["loc"]) == 1 else ""
            message = f"unknown key{allowed}"
        else:
            message = excerpt(err["msg"].removeprefix("Value error, "), 200)[1:-1]
            if key is not None:
                message += f", got {excerpt(err['input'])}"
        out.append(Problem(file, None, None, message, key=key))
    return out
