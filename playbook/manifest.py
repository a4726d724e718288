"""Provenance of a rendered report: versions, parameters, input hashes and timings."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from playbook import __version__
from playbook.config import REPO_DIR


def git_commit(repo_dir: Path = REPO_DIR) -> str | None:
    """Return the checked-out commit of the playbook repository, or None outside git."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo_dir), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def file_hashes(folder: Path) -> dict[str, str]:
    """Return the sha256 of every file under a folder, keyed by relative POSIX path."""
    hashes = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.parts[-1:]):
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
) -> dict:
    """Return the manifest of one client's render.

    Args:
        client_id: The client folder name.
        client_name: The client's display name.
        parameters: The papermill parameters every notebook ran with.
        client_dir: The client's data folder (hashed file by file).
        notebooks: (notebook stem, seconds, error or "") per notebook, in order.
        started: When the client's render started (UTC).
        status: "ok" or "failed".
    """
    return {
        "client_id": client_id,
        "client_name": client_name,
        "status": status,
        "package": "service-strategy-playbook",
        "version": __version__,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "parameters": dict(parameters),
        "lang": parameters.get("lang"),
        "inputs": file_hashes(client_dir),
        "notebooks": [
            {
                "notebook": nb,
                "seconds": round(sec, 2),
                "status": "failed" if err else "ok",
                **({"error": err} if err else {}),
            }
            for nb, sec, err in notebooks
        ],
    }


def write_manifest(path: Path, manifest: Mapping[str, object]) -> None:
    """Write a manifest as pretty, UTF-8 JSON."""
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
