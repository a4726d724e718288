"""Provenance of a rendered report: versions, parameters, input hashes, timings and scores.

``manifest.json`` says how a report was made; ``scores.json`` holds every framework's and
element's score, band and indicator values, computed in the renderer's process from the
diagnoses (``diagnosis.diagnose_all``), never scraped from the notebooks.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import subprocess
import sys
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from playbook import __version__
from playbook.config import REPO_DIR
from playbook.diagnosis import scoring
from playbook.report.options import RenderOptions

if TYPE_CHECKING:
    from playbook.diagnosis import ElementDiagnosis, FrameworkDiagnosis, IndicatorResult


def _git(repo_dir: Path, *args: str, timeout: float) -> str | None:
    """Return what a git command prints in ``repo_dir``, or None when git or the repo is absent."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo_dir), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout


def git_commit(repo_dir: Path = REPO_DIR) -> str | None:
    """Return the checked-out commit of the playbook repository, or None outside git."""
    out = _git(repo_dir, "rev-parse", "HEAD", timeout=10)
    return (out or "").strip() or None


def git_dirty(repo_dir: Path = REPO_DIR) -> bool | None:
    """Tell whether the repository has uncommitted changes (None outside git)."""
    out = _git(repo_dir, "status", "--porcelain", "--untracked-files=no", timeout=30)
    return None if out is None else bool(out.strip())


def file_hashes(folder: Path) -> dict[str, str]:
    """Return the sha256 of every file under a folder, keyed by relative POSIX path.

    Hidden files and folders (``.DS_Store``, ``.ipynb_checkpoints/``) are left out.
    """
    hashes = {}
    folder = Path(folder)
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden:
            digest = hashlib.sha256()
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            hashes[path.relative_to(folder).as_posix()] = digest.hexdigest()
    return hashes


def build_manifest(
    *,
    client_id: str,
    client_name: str,
    parameters: Mapping[str, object],
    client_dir: Path,
    notebooks: Sequence[tuple[str, float, str]],
    started: datetime,
    status: str,
    formats: Sequence[str] = ("html",),
    steps: Mapping[str, float] | None = None,
    problems: Sequence[str] = (),
    report_date: str = "",
    inputs: Mapping[str, str] | None = None,
    pages: Mapping[str, Mapping[str, object]] | None = None,
    site: str = "",
    asked: Mapping[str, object] | None = None,
) -> dict:
    """Return the manifest of one client's render.

    Args:
        client_id: The client folder name.
        client_name: The client's display name.
        parameters: The papermill parameters every notebook ran with.
        client_dir: The client's data folder (hashed file by file).
        notebooks: (notebook stem, seconds, error or "") per notebook, in order.
        started: When the client's render started (UTC).
        status: "ok", "failed" (a notebook or step failed) or "invalid" (the data).
        formats: The formats rendered ("html", "pdf").
        steps: Seconds spent in the renderer's own steps (scores, pdf, …).
        problems: Why the client's data is invalid (status "invalid").
        report_date: The report's date, as every page shows it.
        inputs: The sha256 of every file of the client folder, when already computed.
        pages: More about each notebook, by stem (whether it was reused and why, its
            inputs), merged into its entry.
        site: The sha256 of what the site's header and navigation show.
        asked: The settings asked for (``RenderOptions.asked``), before the defaults.
    """
    commit = git_commit()
    paths = local_paths(Path(client_dir).parent)
    return {
        "client_id": client_id,
        "client_name": client_name,
        "status": status,
        "package": "service-strategy-playbook",
        "version": __version__,
        "git_commit": commit,
        "git_dirty": git_dirty() if commit else None,
        "python": platform.python_version(),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "parameters": portable_parameters(parameters),
        "lang": parameters.get("lang"),
        "as_of": parameters.get("as_of"),
        "report_date": report_date,
        **({"asked": dict(asked)} if asked is not None else {}),
        "formats": list(formats),
        "inputs": dict(inputs) if inputs is not None else _hashes(client_dir),
        "notebooks": [
            {
                "notebook": nb,
                "seconds": round(sec, 2),
                "status": "failed" if err else "ok",
                **({"error": portable(err, paths)} if err else {}),
                **(pages or {}).get(nb, {}),
            }
            for nb, sec, err in notebooks
        ],
        "steps": {name: round(sec, 2) for name, sec in (steps or {}).items()},
        **({"site": site} if site else {}),
        **({"problems": [portable(p, paths) for p in problems]} if problems else {}),
    }


def failure_manifest(
    client_id: str,
    options: RenderOptions,
    status: str,
    *,
    notebooks: Sequence[tuple[str, float, str]] = (),
    problems: Sequence[str] = (),
    started: datetime | None = None,
) -> dict:
    """Return the manifest of a render that made no report: its data invalid, its
    preparation failed, or its worker died (the portfolio lists it from ``_failed/``)."""
    return build_manifest(
        client_id=client_id,
        client_name=client_id,
        parameters={"client_id": client_id, "lang": options.lang},
        client_dir=Path(options.clients_dir) / client_id,
        notebooks=notebooks,
        started=started or datetime.now(timezone.utc),
        status=status,
        formats=options.formats,
        problems=problems,
    )


def _hashes(client_dir: Path) -> dict[str, str]:
    return file_hashes(client_dir) if Path(client_dir).is_dir() else {}


def local_paths(clients_dir: Path | None = None, *others: Path) -> dict[str, str]:
    """Return the local folders to hide in what a report carries, with what replaces them.

    The clients folder becomes its name; the repository ``.``; the Python installation
    ``<python>``; the home folder ``~``; any of ``others`` (the staging folder, the
    notebooks folder) disappears before a file name and becomes its name elsewhere.
    """
    replacements = {}
    for other in others:
        folder = other.resolve()
        replacements[f"{folder}/"] = ""
        replacements[str(folder)] = folder.name
    if clients_dir is not None:
        folder = Path(clients_dir).resolve()
        replacements[str(folder)] = folder.name
    replacements[str(REPO_DIR)] = "."
    replacements[sys.prefix] = "<python>"
    replacements[sys.base_prefix] = "<python>"
    replacements[str(Path.home())] = "~"
    return dict(sorted(replacements.items(), key=lambda kv: -len(kv[0])))


def portable(text: str, replacements: Mapping[str, str]) -> str:
    """Replace local folders in a text (longest first), e.g. in an error message."""
    for local, shown in replacements.items():
        if len(local) > 1:
            text = text.replace(local, shown)
    return text


def portable_parameters(parameters: Mapping[str, object]) -> dict:
    """Return notebook parameters for the manifest: folders (``*_dir``) by their name only."""
    return {
        key: Path(str(value)).name if key.endswith("_dir") and value else value
        for key, value in parameters.items()
    }


def make_portable(
    report_dir: Path, clients_dir: Path, *others: Path, stems: Collection[str] | None = None
) -> None:
    """Remove local folder names from the executed notebooks a report carries.

    papermill records the parameters (the clients folder), the notebook's input and output
    paths, and outputs may print paths; a report folder is mailed, so every local folder is
    replaced by ``local_paths`` (the clients folder by its name, the staging folder by
    nothing, ...). The notebooks stay valid JSON: folder names hold no quote or backslash.
    ``stems``: only these notebooks (those that ran: a reused one was made portable when
    it was published); None: all of them.
    """
    replacements = local_paths(clients_dir, report_dir, *others)
    for path in sorted((report_dir / "executed").glob("*.ipynb")):
        if stems is not None and path.stem not in stems:
            continue
        text = path.read_text(encoding="utf-8")
        cleaned = portable(text, replacements)
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")


def write_manifest(path: Path, manifest: Mapping[str, object]) -> None:
    """Write a manifest (or scores) as pretty, UTF-8 JSON."""
    path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, allow_nan=False) + "\n",
        encoding="utf-8",
    )


def _number(value: float | None) -> float | None:
    """Return a JSON-safe number: None for missing or NaN, floats rounded to 6 places."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 6)


def _indicator_scores(result: IndicatorResult) -> dict:
    return {
        "id": result.ref.id,
        "direction": result.ref.direction,
        "weight": result.ref.weight,
        "value": _number(result.value),
        "target": _number(result.target),
        "floor": _number(result.floor),
        "previous": _number(result.previous),
        "n": int(result.n),
        "score": _number(result.score),
        "interval": [_number(x) for x in result.interval] if result.interval else None,
        "reading": result.reading,
        "weakest": (
            {"member": result.weakest[0], "value": _number(result.weakest[1])}
            if result.weakest
            else None
        ),
        "missing": list(result.missing),
    }


def _element_scores(diag: ElementDiagnosis) -> dict:
    el = diag.element
    return {
        "id": el.id,
        "title": {"zh": el.title.zh, "en": el.title.en},
        "score": _number(diag.score),
        "band": diag.band,
        "basis": diag.basis,
        "data_score": _number(diag.data_score),
        # the workshop's own 1–5 score, and the same on the 0–100 scale of score/data_score
        "workshop_score_1_to_5": diag.assessment.score if diag.assessment else None,
        "workshop_score": (
            _number(scoring.assessment_score(diag.assessment.score)) if diag.assessment else None
        ),
        "actions": [a.id for a in diag.actions],
        # the strategist's own actions, and the generated ones they set aside (and why)
        "added_actions": [a.model_dump() for a in diag.added],
        "set_aside_actions": [{"id": x.action.id, "reason": x.reason} for x in diag.set_aside],
        "indicators": [_indicator_scores(r) for r in diag.indicators],
    }


def build_scores(
    diagnoses: Sequence[FrameworkDiagnosis],
    *,
    client_id: str,
    lang: str,
    as_of: str,
    report_date: str = "",
) -> dict:
    """Return the machine-readable scores of one client's diagnoses (``scores.json``).

    Every framework's score and band; every element's score, band, basis, workshop score
    and the actions that apply; every indicator's value, target, floor, previous value,
    rows (``n``) and score. The overall score is the mean of the framework scores that
    exist (the executive summary's service maturity). Only the frameworks of the
    engagement's scope are listed; each lists its ``excluded`` elements with the reason
    (they have no score and are in no average).
    """
    # imported here: a render whose pages are all reused keeps its scores (``reuse.py``)
    from playbook.diagnosis.summary import maturity_score, page_name

    frameworks = []
    for d in diagnoses:
        fw = d.framework
        frameworks.append(
            {
                "id": fw.id,
                "order": fw.order,
                "title": {"zh": fw.title.zh, "en": fw.title.en},
                "page": page_name(fw),
                "score": _number(d.score),
                "band": d.band,
                "assessed": d.assessed,
                "total": len(d.elements),
                "elements": [_element_scores(e) for e in d.elements],
                "excluded": [
                    {
                        "id": x.element.id,
                        "title": {"zh": x.element.title.zh, "en": x.element.title.en},
                        "reason": x.reason,
                    }
                    for x in d.excluded
                ],
            }
        )
    overall = maturity_score(diagnoses)
    period = diagnoses[0].period if diagnoses else None
    return {
        "client_id": client_id,
        "client_name": diagnoses[0].client.name if diagnoses else client_id,
        "lang": lang,
        "as_of": as_of,
        "report_date": report_date,
        "period": (
            {
                "start": period.start.date().isoformat(),
                "last_day": (period.end.date() - timedelta(days=1)).isoformat(),
                "days": period.days,
            }
            if period
            else None
        ),
        "score": _number(overall),
        "band": scoring.band_of(overall),
        "frameworks": frameworks,
    }
