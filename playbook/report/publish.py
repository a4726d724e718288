"""Publish a client's report atomically; keep failed runs aside; recover from interruptions.

A report is built in ``<out>/.<client>.rendering-<pid>`` (same filesystem) and renamed into
``<out>/<client>`` only when complete. The previous report is renamed aside first and
deleted after, so an interrupted run leaves either the old or the new report, never a mix.

Nothing that this tool did not write is ever replaced or deleted. Every folder it owns
holds a marker file (``MARKER``): the output folder itself, each client's report, each
failed run and each staging folder. Before a render starts, ``claim_out_dir`` refuses an
output folder that is, contains or sits inside the clients folder, and an existing folder
(or a client's report folder) that has other files and no marker; publishing, keeping a
failed run and recovering check the marker again before removing anything. Reports from
before markers existed are recognised by their ``manifest.json`` and adopted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

#: Failed runs are kept under ``<out>/_failed/<client_id>/`` for inspection.
FAILED_DIR = "_failed"
#: The file marking a folder as written by ``playbook render`` (safe for it to replace).
MARKER = ".playbook-report"
_MARKER_TEXT = (
    "Written by `playbook render`. The renderer replaces or removes this folder only while\n"
    "this file is in it; delete this file to keep the renderer away from the folder.\n"
)
_PACKAGE = "service-strategy-playbook"


class UnsafeOutputError(ValueError):
    """An output folder the renderer must not write into (it would replace others' files)."""


def claim_out_dir(out_dir: Path, clients_dir: Path, client_ids: Iterable[str] = ()) -> None:
    """Check that a render may write into ``out_dir``; create and mark it.

    Called once before a render starts.

    Args:
        out_dir: The output folder (``--out``).
        clients_dir: The clients folder (``--clients-dir``).
        client_ids: The clients about to be rendered: their report folders, when they
            exist, must be reports this tool wrote.

    Raises:
        UnsafeOutputError: ``out_dir`` is, contains or sits inside the clients folder; it
            is a file; it holds other files and no marker; or a client's report folder
            in it was not written by this tool.
    """
    out, clients = Path(out_dir).resolve(), Path(clients_dir).resolve()
    if out == clients or out.is_relative_to(clients) or clients.is_relative_to(out):
        where = (
            "is the clients folder"
            if out == clients
            else "is inside the clients folder"
            if out.is_relative_to(clients)
            else "contains the clients folder"
        )
        raise UnsafeOutputError(
            f"the output folder {out_dir} {where} ({clients_dir}); reports would replace "
            "client data. Choose an output folder outside it (the default is reports/)"
        )
    if out.exists() and not out.is_dir():
        raise UnsafeOutputError(f"the output folder {out_dir} is a file; choose a folder")
    if out.is_dir() and not owned(out) and not _adoptable_root(out):
        raise UnsafeOutputError(
            f"the output folder {out_dir} already holds files that playbook did not write; "
            "choose an empty or new folder for the reports"
        )
    for client_id in client_ids:
        for folder in (out / client_id, out / FAILED_DIR / client_id):
            if folder.exists() and not owned(folder):
                raise UnsafeOutputError(
                    f"{folder} exists and was not written by playbook; move it away or "
                    "choose another output folder"
                )
    out.mkdir(parents=True, exist_ok=True)
    mark(out)


def owned(folder: Path) -> bool:
    """Tell whether a folder was written by this tool (marker, or an older report)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    if (folder / MARKER).is_file():
        return True
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("package") == _PACKAGE


def _adoptable_root(out: Path) -> bool:
    """An empty folder, or an output folder of older versions (reports, no markers yet)."""
    entries = [p for p in out.iterdir() if p.name != MARKER]
    if not entries:
        return True
    return (
        any(owned(p) for p in entries if p.is_dir() and p.name != FAILED_DIR)
        or (out / FAILED_DIR).is_dir()
        and any(owned(p) for p in (out / FAILED_DIR).iterdir())
    )


def mark(folder: Path) -> None:
    """Put the marker file into a folder this tool owns."""
    (folder / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def staging_dir(out_dir: Path, client_id: str) -> Path:
    """Return a fresh, empty (marked) temporary folder for one client's render."""
    tmp = out_dir / f".{client_id}.rendering-{os.getpid()}"
    _remove(tmp)
    tmp.mkdir(parents=True)
    mark(tmp)
    return tmp


def _staging_name(client_id: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(client_id)}\.(?P<kind>rendering|old)-(?P<pid>\d+)")


def staging_dirs(out_dir: Path, client_id: str) -> list[Path]:
    """Return the client's own staging folders of any process (marked as the renderer's)."""
    pattern = _staging_name(client_id)
    entries = sorted(out_dir.iterdir()) if out_dir.is_dir() else []
    return [
        p
        for p in entries
        if (m := pattern.fullmatch(p.name)) and m["kind"] == "rendering" and owned(p)
    ]


def recover(out_dir: Path, client_id: str) -> None:
    """Clean up after an interrupted run: drop dead temp folders, restore a moved report.

    Only this client's own staging folders match (``.acme.rendering-123``, never
    ``.acme.eu.rendering-123``), and only folders holding the marker are removed.
    """
    dest = out_dir / client_id
    pattern = _staging_name(client_id)
    for tmp in sorted(out_dir.iterdir()) if out_dir.is_dir() else ():
        match = pattern.fullmatch(tmp.name)
        if match is None or not owned(tmp):
            continue
        pid = int(match["pid"])
        if _alive(pid) and pid != os.getpid():
            continue
        if match["kind"] == "old" and not dest.exists():
            os.replace(tmp, dest)
        else:
            _remove(tmp)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: Clients finish on several threads: one creating ``_failed/`` while another removes it
#: (when it looks empty) would lose a failed run or fail a good one.
_FAILED_ROOT = threading.Lock()


def publish(tmp: Path, dest: Path) -> None:
    """Move a finished report into place, replacing the previous one.

    Raises:
        UnsafeOutputError: ``dest`` exists and was not written by this tool.
    """
    if not tmp.is_dir():
        raise FileNotFoundError(f"no finished report to publish at {tmp.name}")
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    if dest.exists() or dest.is_symlink():
        if not owned(dest):
            raise UnsafeOutputError(f"{dest} was not written by playbook; it is left as it is")
        os.replace(dest, old)
    try:
        os.replace(tmp, dest)
    except OSError:
        if old.exists():  # the previous report goes back: a client never loses its report
            os.replace(old, dest)
        raise
    _remove(old)


def keep_failed(tmp: Path, out_dir: Path, client_id: str) -> Path:
    """Move a failed run to ``<out>/_failed/<client_id>/`` (replacing an older one)."""
    failed = out_dir / FAILED_DIR / client_id
    with _FAILED_ROOT:
        failed.parent.mkdir(parents=True, exist_ok=True)
        _remove(failed)
        os.replace(tmp, failed)
    return failed


def fresh_failed_dir(out_dir: Path, client_id: str) -> Path:
    """Return an empty, marked ``<out>/_failed/<client_id>/`` (for a client's invalid data)."""
    failed = out_dir / FAILED_DIR / client_id
    with _FAILED_ROOT:
        _remove(failed)
        failed.mkdir(parents=True)
        mark(failed)
    return failed


def discard_failed(out_dir: Path, client_id: str) -> None:
    """Remove a client's last failed run (after a good one), and ``_failed`` when empty."""
    failed_root = out_dir / FAILED_DIR
    with _FAILED_ROOT:
        _remove(failed_root / client_id)
        if failed_root.is_dir() and not any(failed_root.iterdir()):
            failed_root.rmdir()


def _remove(folder: Path) -> None:
    """Delete a folder this tool wrote; refuse one it did not (raise), ignore a missing one.

    Raises:
        UnsafeOutputError: The folder (or a link in its place) was not written by this tool.
    """
    if not (folder.exists() or folder.is_symlink()):
        return
    if not owned(folder):
        raise UnsafeOutputError(f"{folder} was not written by playbook; it is left as it is")
    shutil.rmtree(folder, ignore_errors=True)


def last_good(report_dir: Path) -> dict:
    """Return the manifest of a client's last good report ({} when there is none)."""
    try:
        manifest = json.loads((Path(report_dir) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) and manifest.get("status") == "ok" else {}
