"""Publish a client's report atomically; keep failed runs aside; recover from interruptions.

A report is built in ``<out>/.<client>.rendering-<pid>`` (same filesystem) and renamed into
``<out>/<client>`` only when complete. The previous report is renamed aside first and
deleted after, so an interrupted run leaves either the old or the new report, never a mix.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

#: Failed runs are kept under ``<out>/_failed/<client_id>/`` for inspection.
FAILED_DIR = "_failed"


def staging_dir(out_dir: Path, client_id: str) -> Path:
    """Return a fresh, empty temporary folder for one client's render."""
    tmp = out_dir / f".{client_id}.rendering-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return tmp


def recover(out_dir: Path, client_id: str) -> None:
    """Clean up after an interrupted run: drop dead temp folders, restore a moved report."""
    dest = out_dir / client_id
    for tmp in out_dir.glob(f".{client_id}.*-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
            continue
        if tmp.name.startswith(f".{client_id}.old-") and not dest.exists():
            os.replace(tmp, dest)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def publish(tmp: Path, dest: Path) -> None:
    """Move a finished report into place, replacing the previous one."""
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    if dest.exists():
        os.replace(dest, old)
    os.replace(tmp, dest)
    shutil.rmtree(old, ignore_errors=True)


def keep_failed(tmp: Path, out_dir: Path, client_id: str) -> Path:
    """Move a failed run to ``<out>/_failed/<client_id>/`` (replacing an older one)."""
    failed = out_dir / FAILED_DIR / client_id
    failed.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(failed, ignore_errors=True)
    os.replace(tmp, failed)
    return failed
