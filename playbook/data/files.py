"""Find and read a client's table files (CSV, XLSX, Parquet) without interpreting them.

Reading keeps values raw so that validation can point at the exact cell that is wrong:
CSV and XLSX cells come back as stripped strings (an empty cell is missing), Parquet
columns keep their stored types. The frame's index is the row number a user sees in a
spreadsheet (header = row 1, first data row = 2); for Parquet, which has no header row,
it is the 1-based record number.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import charset_normalizer
import numpy as np
import pandas as pd

from playbook.data.contract import TABLE_SUFFIXES

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")

#: Encodings tried, strictly and in order, before asking charset-normalizer.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class TableError(ValueError):
    """A table file that cannot be read (unknown encoding, corrupt file, wrong format)."""


class AmbiguousTableError(TableError):
    """A table supplied in more than one format, e.g. ``orders.csv`` and ``orders.xlsx``."""


def find_table(client_dir: str | Path, name: str) -> Path | None:
    """Find the file holding one table in a client folder.

    The file is ``<name>.parquet``, ``<name>.xlsx`` or ``<name>.csv``; names are matched
    case-insensitively (``Orders.CSV`` is found too).

    Args:
        client_dir: The client folder.
        name: The table name, e.g. ``"orders"``.

    Returns:
        The path of the table file, or None when the client has not supplied the table.

    Raises:
        AmbiguousTableError: When the table exists in more than one format.
    """
    folder = Path(client_dir)
    if not folder.is_dir():
        return None
    found = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.stem.lower() == name.lower() and p.suffix.lower() in TABLE_SUFFIXES
    )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise AmbiguousTableError(
            f"table {name} is supplied more than once ({names}); keep exactly one file"
        )
    return found[0] if found else None


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a table file into a frame of raw values, indexed by spreadsheet row number.

    CSV text encoding is detected (UTF-8, UTF-8 with BOM, GBK/GB18030, then the best guess
    of charset-normalizer) and recorded in ``df.attrs["encoding"]``. XLSX is read from its
    first sheet. Column names are stripped of surrounding spaces; rows that are entirely
    empty are dropped.

    Args:
        path: A ``.csv``, ``.xlsx`` or ``.parquet`` file.

    Returns:
        The raw frame: strings with missing values as NaN for CSV/XLSX, stored types for
        Parquet.

    Raises:
        TableError: When the file cannot be read or its format is not supported.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    readers = {".csv": _read_csv, ".xlsx": _read_xlsx, ".parquet": _read_parquet}
    if suffix not in readers:
        raise TableError(
            f"{path.name}: unsupported file type {suffix or '(none)'}; "
            f"use one of {', '.join(TABLE_SUFFIXES)}"
        )
    try:
        df = readers[suffix](path)
    except TableError:
        raise
    except Exception as exc:  # any reader failure (corrupt file, bad quoting) is a TableError
        detail = " ".join(str(exc).split())
        raise TableError(f"{path.name}: cannot be read as {suffix[1:].upper()} ({detail})") from exc
    df.columns = [str(c).strip() for c in df.columns]
    return df


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file, detecting the encoding without silent damage.

    UTF-8 (with or without BOM) and GB18030 (a superset of GBK) are tried strictly; a
    GB18030 decoding that produces private-use characters (the tell-tale of Big5 or
    another code page read as GBK) is rejected. Otherwise charset-normalizer's best guess
    is used.

    Args:
        raw: The file's bytes.

    Returns:
        The text and the name of the encoding used.

    Raises:
        TableError: When no encoding decodes the bytes cleanly.
    """
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _has_private_use(text):
            continue
        return text, encoding
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise TableError(
            "the text encoding is not recognised; save the file as UTF-8 (or GBK) and try again"
        )
    return str(best), best.encoding


def _has_private_use(text: str) -> bool:
    return _PRIVATE_USE.search(text) is not None


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        text, encoding = decode_text(path.read_bytes())
    except TableError as exc:
        raise TableError(f"{path.name}: {exc}") from exc
    df = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    df = _clean_strings(df)
    df.attrs["encoding"] = encoding
    return df


def _read_xlsx(path: Path) -> pd.DataFrame:
    df = pd.read_excel(path, sheet_name=0, engine="openpyxl", dtype=object)
    cells = df.astype(str).where(df.notna(), "")
    return _clean_strings(cells)


def _read_parquet(path: Path) -> pd.DataFrame:
    df = pd.read_parquet(path)
    df.index = pd.RangeIndex(1, len(df) + 1)
    return df


def _clean_strings(df: pd.DataFrame) -> pd.DataFrame:
    """Strip cells, turn empty cells into NaN, number rows as a spreadsheet does."""
    stripped = df.apply(lambda s: s.str.strip()) if len(df.columns) else df
    out = stripped.replace("", np.nan)
    out.index = pd.RangeIndex(2, len(out) + 2)
    return out.loc[out.notna().any(axis=1)] if len(out.columns) else out
