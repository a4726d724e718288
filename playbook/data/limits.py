"""The limits on what a client folder may hold, checked before a file is loaded.

A client's files come from outside the firm: a mistaken export or a deliberately hostile
file must fail fast with a plain message, never exhaust the machine. Every limit is
checked on what is cheap to know first (the size on disk, the zip directory of a
workbook, the metadata of a Parquet file, the header row) before the data is read.
``docs/data-contract.md`` lists them for strategists; a test checks the page names each.

Memory: reading a table takes at most about ``MEMORY_MULTIPLE`` times its size on disk
(CSV, Parquet) or ``XLSX_BYTES_PER_CELL`` per cell (XLSX), plus the interpreter itself —
measured by ``benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

from pathlib import Path

from playbook.content.safe_yaml import MAX_YAML_BYTES as _MAX_YAML_BYTES
from playbook.content.safe_yaml import MAX_YAML_DEPTH as _MAX_YAML_DEPTH
from playbook.data.errors import TableError

MB = 1024 * 1024

#: Largest CSV file (bytes on disk). Larger tables belong in Parquet.
MAX_CSV_BYTES = 512 * MB
#: Largest Parquet file (bytes on disk).
MAX_PARQUET_BYTES = 512 * MB
#: Most cells (rows × columns) a Parquet file may declare in its metadata: a client of 10
#: million orders with 20 columns (the contract's 14 and some of its own) still loads.
MAX_PARQUET_CELLS = 200_000_000
#: Most bytes a Parquet file may declare its data to take once decompressed.
MAX_PARQUET_UNCOMPRESSED = 2048 * MB

#: Largest XLSX file (bytes on disk).
MAX_XLSX_BYTES = 64 * MB
#: Most bytes the parts of a workbook may take once unzipped (all parts together).
MAX_XLSX_UNCOMPRESSED = 512 * MB
#: Most cells (rows × columns) of the sheet read: its used range and the cells found in it.
MAX_XLSX_CELLS = 2_000_000
#: Highest ratio of unzipped to zipped size of a part larger than 1 MB (real sheets: < 40).
MAX_XLSX_RATIO = 200

#: Most columns of any table (CSV, XLSX, Parquet).
MAX_COLUMNS = 512
#: Longest header row of a CSV file, in bytes (it is read before anything else).
MAX_HEADER_BYTES = 64 * 1024

#: Largest YAML file (client.yaml, assessment.yaml, ...) and deepest nesting: defined with
#: the one YAML loader, ``playbook.content.safe_yaml``, and re-exported here.
MAX_YAML_BYTES = _MAX_YAML_BYTES
MAX_YAML_DEPTH = _MAX_YAML_DEPTH

#: Documented bound of the memory a table read takes, as a multiple of its size on disk.
MEMORY_MULTIPLE = 8
#: Documented bound of the memory an XLSX read takes, per cell of its used range.
XLSX_BYTES_PER_CELL = 400


def size_text(n: int) -> str:
    """Return a byte count in words a strategist reads (``1.5 MB``, ``200 KB``)."""
    if n >= MB:
        return f"{n / MB:,.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n:,} bytes"


def check_client_file(path: str | Path) -> None:
    """Refuse a file that is a link leading outside its folder, or not a regular file.

    A client folder is mailed around and copied; a link inside it to ``/proc/self/environ``
    or to another client's data would otherwise be read (and quoted in messages).

    Raises:
        TableError: A link outside the folder, a broken link, or a folder/device/pipe.
    """
    path = Path(path)
    try:
        real = path.resolve(strict=True)
        folder = path.parent.resolve(strict=True)
    except (OSError, RuntimeError):
        raise TableError(
            path.name, "is a link to a file that does not exist; copy the file itself here"
        ) from None
    if not real.is_relative_to(folder):
        raise TableError(
            path.name,
            "is a link to a file outside the client folder; copy the file itself into the folder",
        )
    if not real.is_file():
        raise TableError(path.name, "is not a regular file (a folder, device or pipe)")
