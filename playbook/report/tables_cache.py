"""Keep a client's validated tables between renders, outside the reports folder.

Validating a client's files is the part of preparing it that the strategist's edits never
change: about a second for a demo client, half a minute for ten million orders. After a
client is prepared, its validated tables (the Arrow files the kernels read) and its
configuration are kept in the user's cache folder, keyed by the sha256 of every file of the
client folder but ``commentary.yaml``, and of the package's code and content. The next
render of the client, if none of those changed, reads them back instead of validating the
files again; ``commentary.yaml`` (what a strategist edits between renders) is validated anew
every time. Beside them are the indicator measurements of the last ``as_of`` and period
(``diagnosis.iter_diagnoses``'s ``measured``: they depend on the tables, never on the
commentary), so a re-render after an edit of the commentary diagnoses in a moment.

The cache holds the client's raw rows, as the client's own folder does; it is never inside
the reports folder, which is shared. One entry per client folder, replaced as the client
changes. ``PLAYBOOK_CACHE_DIR`` moves it (empty: nothing is kept); deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from playbook.data.model import ClientData
from playbook.data.prepared import CLIENT, SETTINGS, TABLES, PreparedClient, link_or_copy
from playbook.data.yaml_files import validate_commentary
from playbook.report.incremental import COMMENTARY, package_digests

#: The environment variable that moves the cache (an empty value turns it off).
CACHE_ENV = "PLAYBOOK_CACHE_DIR"
#: The file of an entry holding its key.
KEY = "key.txt"
#: The file of an entry holding the indicator measurements of one as_of and period.
MEASURED = "measured.pickle"


class CommentaryError(ValueError):
    """A cached client's ``commentary.yaml`` that failed validation (its problems listed)."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def cache_root() -> Path | None:
    """Return the folder of the cached clients (None when the cache is turned off)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    import platformdirs  # imported here: only a render with the cache on needs it

    return Path(platformdirs.user_cache_dir("service-strategy-playbook")) / "prepared"


def tables_key(hashes: Mapping[str, str]) -> str:
    """Return the key of a client's validated tables: its files but commentary, the package."""
    code, content = package_digests()
    files = {path: digest for path, digest in hashes.items() if path != COMMENTARY}
    text = json.dumps([code, content, sorted(files.items())])
    return hashlib.sha256(text.encode()).hexdigest()


def _entry(root: Path, client_dir: Path) -> Path:
    name = hashlib.sha256(str(Path(client_dir).resolve()).encode()).hexdigest()[:24]
    return root / name


def cached_client(client_dir: Path, key: str) -> tuple[ClientData, Path] | None:
    """Return a client's cached data and the folder of its tables, when the key matches.

    The tables are read when first used; the commentary is validated again from the file.

    Raises:
        CommentaryError: The client's ``commentary.yaml`` (or ``client.yaml``) has problems.
    """
    entry = _entry_if(client_dir, key)
    if entry is None:
        return None
    try:
        data = PreparedClient(entry).client_data()
    except (OSError, ValueError, EOFError, AttributeError, ImportError):  # damaged
        return None
    problems, commentary = validate_commentary(client_dir)
    if commentary is None:
        raise CommentaryError(tuple(str(p) for p in problems))
    return replace(data, commentary=commentary), entry / TABLES


def keep_client(prepared: Path, client_dir: Path, key: str) -> None:
    """Keep a prepared client's tables and configuration in the cache (best effort).

    ``prepared`` is the prepared client's folder (``data.prepared``). The entry is written
    aside and swapped in whole, so a render reading the cache meanwhile sees the old entry or
    none, never a mixture.
    """
    root = cache_root()
    if root is None:
        return
    entry = _entry(root, client_dir)
    fresh = entry.with_name(f".{entry.name}.{uuid.uuid4().hex[:8]}")
    try:
        (fresh / TABLES).mkdir(parents=True)
        for table in (Path(prepared) / TABLES).iterdir():
            link_or_copy(table, fresh / TABLES / table.name)
        for name in (CLIENT, SETTINGS):  # a prepared client's folder, without its diagnoses
            shutil.copy2(Path(prepared) / name, fresh / name)
        (fresh / KEY).write_text(key, encoding="utf-8")
        old = entry.with_name(f".{entry.name}.old.{uuid.uuid4().hex[:8]}")
        if entry.exists():
            entry.rename(old)
        fresh.rename(entry)
        shutil.rmtree(old, ignore_errors=True)
    except OSError:  # a full disk or a read-only cache costs the next render its speed only
        shutil.rmtree(fresh, ignore_errors=True)


def _entry_if(client_dir: Path, key: str) -> Path | None:
    """Return the client's cache entry when it holds the tables of ``key`` (else None)."""
    root = cache_root()
    if root is None or not key:
        return None
    entry = _entry(root, client_dir)
    try:
        return entry if (entry / KEY).read_text(encoding="utf-8") == key else None
    except OSError:
        return None


def cached_measurements(client_dir: Path, key: str, as_of: str, period_days: int) -> dict:
    """Return the measurements kept for these tables, ``as_of`` and period ({} when none)."""
    entry = _entry_if(client_dir, key)
    if entry is None:
        return {}
    try:
        with (entry / MEASURED).open("rb") as fh:  # the user's own cache (as pip's)
            kept = pickle.load(fh)
        return dict(kept["measured"]) if kept["for"] == [as_of, period_days] else {}
    except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError, ImportError):
        return {}  # absent, damaged or of another version: measured again


def keep_measurements(
    client_dir: Path, key: str, as_of: str, period_days: int, measured: Mapping[str, object]
) -> None:
    """Keep the measurements of these tables, ``as_of`` and period (replacing others)."""
    entry = _entry_if(client_dir, key)
    if entry is None:
        return
    partial = entry / f"{MEASURED}.{uuid.uuid4().hex[:8]}"
    try:
        with partial.open("wb") as fh:
            kept = {"for": [as_of, period_days], "measured": dict(measured)}
            pickle.dump(kept, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, entry / MEASURED)
    except (OSError, pickle.PicklingError):  # the next render measures again
        partial.unlink(missing_ok=True)
