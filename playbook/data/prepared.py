"""A client prepared once by the renderer and handed to every notebook kernel.

The renderer validates and loads a client once and writes it to a folder in its staging area::

    <folder>/settings.json          what the render resolved once for every page: client id
                                    and folder, language, as_of, period length, report date
    <folder>/client.pickle          the rest of ``ClientData`` (configuration, assessment, …)
    <folder>/tables/<name>.arrow    each validated table in Arrow IPC format, uncompressed, so
                                    kernels memory-map it (the operating system shares the
                                    pages between them) and read only the columns they need

The diagnosis layer adds its results beside them (``diagnosis.prepared``). The renderer sets
the environment variable ``PLAYBOOK_PREPARED`` to the folder in a kernel before each notebook;
a page finds it with :meth:`PreparedClient.handed_over`. A notebook opened by hand in
JupyterLab has no such variable and prepares its client itself.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

import pandas as pd
import pyarrow as pa

from playbook.config import DEFAULT_PERIOD_DAYS
from playbook.data.model import ClientData, Tables
from playbook.data.settings import PREPARED_ENV, Settings

SETTINGS = "settings.json"
CLIENT = "client.pickle"
TABLES = "tables"


class PreparedClient:
    """A prepared client's folder: its settings, its tables (memory-mapped) and its files."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        raw = json.loads((self.folder / SETTINGS).read_text(encoding="utf-8"))
        self.settings = Settings(**raw)

    @classmethod
    def handed_over(
        cls,
        client_id: str,
        clients_dir: str = "",
        lang: str = "",
        as_of: str = "",
        period_days: int = DEFAULT_PERIOD_DAYS,
    ) -> PreparedClient | None:
        """Return the client the renderer handed to this process, if it is the one asked for.

        None when nothing was handed over (a notebook run by hand), or when the parameters
        ask for another client, language, as_of or period.
        """
        folder = os.environ.get(PREPARED_ENV, "")
        if not folder or not (Path(folder) / SETTINGS).is_file():
            return None
        prepared = cls(Path(folder))
        if not prepared.settings.matches(client_id, clients_dir, lang, as_of, period_days):
            return None
        return prepared

    def path(self, name: str) -> Path:
        """Return the path of a file in the folder (e.g. another layer's results)."""
        return self.folder / name

    def tables_bytes(self) -> int:
        """Return the size of the client's tables as written (Arrow, uncompressed)."""
        return sum(p.stat().st_size for p in (self.folder / TABLES).glob("*.arrow"))

    def table_names(self) -> list[str]:
        """Return the names of the client's tables."""
        return sorted(p.stem for p in (self.folder / TABLES).glob("*.arrow"))

    def table(self, name: str, columns: Sequence[str] | None = None) -> pd.DataFrame | None:
        """Read one table, or only some of its columns, from its memory-mapped file.

        Returns:
            The table (None when the client has no such table); columns it lacks are left out.
        """
        path = self.folder / TABLES / f"{name}.arrow"
        if not path.is_file():
            return None
        with pa.memory_map(str(path)) as source:
            table = pa.ipc.open_file(source).read_all()
        if columns is not None:
            table = table.select([c for c in columns if c in table.column_names])
        return table.to_pandas()

    def client_data(self, tables: Sequence[str] | None = None) -> ClientData:
        """Return the client's data as ``load_client`` returned it to the renderer.

        Args:
            tables: Read only these tables (``()``: configuration, assessment and
                commentary alone); None reads every table.
        """
        with (self.folder / CLIENT).open("rb") as fh:
            client: ClientData = pickle.load(fh)
        names = (
            self.table_names() if tables is None else [t for t in tables if t in self.table_names()]
        )
        # each table is read when a page first asks for it (a page reads only what it shows)
        return replace(client, tables=Tables(dict.fromkeys(names), lambda n, _: self.table(n)))


def link_or_copy(source: Path, target: Path) -> None:
    """Link a file written once and never changed (its data is not copied); copy it when
    ``target`` is on another file system."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_prepared(
    folder: Path, data: ClientData, settings: Settings, tables_from: Path | None = None
) -> PreparedClient:
    """Write a validated client and the render's settings into ``folder`` (created).

    ``tables_from``: a folder already holding the client's tables as written here (a
    cached client's); they are linked (or copied) from it instead of written again.
    """
    folder = Path(folder)
    (folder / TABLES).mkdir(parents=True, exist_ok=True)
    if tables_from is not None:
        for table in Path(tables_from).glob("*.arrow"):
            link_or_copy(table, folder / TABLES / table.name)
    for name, df in ({} if tables_from is not None else data.tables).items():
        table = pa.Table.from_pandas(df, preserve_index=None)
        with pa.OSFile(str(folder / TABLES / f"{name}.arrow"), "wb") as sink:
            with pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
    with (folder / CLIENT).open("wb") as fh:
        pickle.dump(replace(data, tables={}), fh, protocol=pickle.HIGHEST_PROTOCOL)
    (folder / SETTINGS).write_text(json.dumps(asdict(settings), indent=2) + "\n", encoding="utf-8")
    return PreparedClient(folder)
