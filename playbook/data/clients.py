"""Find and load clients: a client is a folder with a ``client.yaml`` under the clients dir.

``load_client`` validates before it returns anything, so nothing downstream ever sees data
that failed the contract. Results are cached per process, keyed by the folder and the
modification times of its files, so several notebook cells loading the same client read
the files once and an edited file is picked up on the next call.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.config import DEFAULT_CLIENTS_DIR
from playbook.data.commentary import Commentary
from playbook.data.contract import ClientConfig
from playbook.data.engagement import CLIENT_NOTEBOOKS
from playbook.data.problems import Problem
from playbook.data.yaml_files import read_client_config, validate_commentary

if TYPE_CHECKING:
    from playbook.data.model import ClientData


class UnknownClientError(LookupError):
    """No client folder with that id (the message lists the clients that do exist)."""

    def __init__(self, client_id: str, clients_dir: Path, known: list[str]):
        self.client_id = client_id
        self.clients_dir = clients_dir
        self.known = known
        listed = ", ".join(known) if known else "none"
        super().__init__(
            f"unknown client {client_id!r}: no folder with a client.yaml at "
            f"{clients_dir / client_id}. Known clients in {clients_dir}: {listed}"
        )


class DataValidationError(ValueError):
    """A client's data breaks the contract; ``problems`` lists every problem found."""

    def __init__(self, client_id: str, client_dir: Path, problems: list[Problem]):
        self.client_id = client_id
        self.client_dir = client_dir
        self.problems = list(problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        lines = [f"{client_id}: {len(self.problems)} {noun} in {client_dir}"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class _LoadCache:
    """A small least-recently-used cache of validated clients."""

    def __init__(self, size: int = 8):
        self.size = size
        self._entries: OrderedDict[tuple, ClientData] = OrderedDict()

    def get(self, key: tuple) -> ClientData | None:
        data = self._entries.get(key)
        if data is not None:
            self._entries.move_to_end(key)
        return data

    def put(self, key: tuple, data: ClientData) -> None:
        self._entries[key] = data
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


_cache = _LoadCache()


def resolve_clients_dir(clients_dir: str | Path = DEFAULT_CLIENTS_DIR) -> Path:
    """Return the clients folder as an absolute path (relative paths are from the CWD)."""
    return Path(clients_dir).expanduser().resolve()


def list_clients(clients_dir: str | Path = DEFAULT_CLIENTS_DIR) -> list[str]:
    """List the client ids in a clients folder: sub-folders holding a ``client.yaml``.

    Args:
        clients_dir: The folder holding one sub-folder per client.

    Returns:
        The client ids, sorted.

    Raises:
        FileNotFoundError: When the clients folder does not exist.
    """
    folder = resolve_clients_dir(clients_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"clients folder not found: {folder}")
    return sorted(
        p.name for p in folder.iterdir() if _plain_name(p.name) and (p / "client.yaml").is_file()
    )


def client_dir(client_id: str, clients_dir: str | Path = DEFAULT_CLIENTS_DIR) -> Path:
    """Return a client's folder.

    Raises:
        UnknownClientError: When there is no such folder with a ``client.yaml``.
    """
    folder = resolve_clients_dir(clients_dir)
    path = folder / client_id
    if not _plain_name(client_id) or not (path / "client.yaml").is_file():
        known = list_clients(folder) if folder.is_dir() else []
        raise UnknownClientError(client_id, folder, known)
    return path


def read_config(client_id: str, clients_dir: str | Path = DEFAULT_CLIENTS_DIR) -> ClientConfig:
    """Read only a client's ``client.yaml`` (cheap: for listings), with the same checks.

    Raises:
        UnknownClientError: When the client folder does not exist.
        DataValidationError: When ``client.yaml`` is broken (its problems listed).
    """
    path = client_dir(client_id, clients_dir)
    problems: list[Problem] = []
    config = read_client_config(path, problems)
    if config is None or problems:
        raise DataValidationError(client_id, path, problems)
    return config


def _plain_name(client_id: str) -> bool:
    """Tell whether a client id is a plain folder name (no path, not hidden)."""
    return (
        bool(client_id)
        and client_id == Path(client_id).name
        and not client_id.startswith(".")
        and "\\" not in client_id
    )


def load_client(
    client_id: str, clients_dir: str | Path = DEFAULT_CLIENTS_DIR, *, cache: bool = True
) -> ClientData:
    """Validate and load one client's data.

    Args:
        client_id: The client's folder name, e.g. ``"brewlane_coffee"``.
        clients_dir: The folder holding the client folders (str or Path; relative paths
            are resolved against the current directory).
        cache: Keep the validated client for the next call (False: a one-off load, e.g. the
            renderer's, whose tables are freed as soon as it lets go of them).

    Returns:
        The client's typed data. Each call returns its own tables, so a notebook may
        change them freely: they are copy-on-write copies of the cached ones (pandas
        copies a column only when it is changed), so loading costs no memory of its own.

    Raises:
        UnknownClientError: When the client folder does not exist.
        DataValidationError: When the data breaks the contract (every problem listed).
    """
    path = client_dir(client_id, clients_dir)
    key = (str(path), _fingerprint(path))
    data = _cache.get(key) if cache else None
    if data is None:
        # imported here: listing clients or reading their commentary needs no table (pandas)
        from playbook.data.validation import validate_client_dir

        problems, data = validate_client_dir(path)
        if data is None:
            raise DataValidationError(client_id, path, problems)
        if cache:
            _cache.put(key, data)
    tables = {name: df.copy(deep=False) for name, df in data.tables.items()}
    return replace(data, tables=tables, files=dict(data.files))


def load_commentary(client_dir: str | Path) -> Commentary:
    """Read a client's ``commentary.yaml``, checked as ``playbook validate`` checks it.

    Ids are checked against the content and the scope in the folder's ``client.yaml``, so
    what this returns is what the report shows. The tables are not read (use
    ``load_client`` for everything at once: ``load_client(...).commentary``).

    Args:
        client_dir: The client folder.

    Returns:
        The strategist's commentary (empty when the folder has no commentary.yaml).

    Raises:
        DataValidationError: When commentary.yaml, or the client.yaml it is checked
            against, has a problem (each names its file and key).
    """
    folder = Path(client_dir)
    problems, commentary = validate_commentary(folder)
    if commentary is None:
        raise DataValidationError(folder.name, folder, problems)
    return commentary


def clear_cache() -> None:
    """Forget every cached client (the next ``load_client`` reads the files again)."""
    _cache.clear()


def _fingerprint(path: Path) -> tuple[tuple[str, int, int], ...]:
    notebooks = path / CLIENT_NOTEBOOKS
    files = [*path.iterdir(), *(notebooks.iterdir() if notebooks.is_dir() else ())]
    stats = ((p.relative_to(path).as_posix(), p.stat()) for p in sorted(files) if p.is_file())
    return tuple((name, st.st_mtime_ns, st.st_size) for name, st in stats)
