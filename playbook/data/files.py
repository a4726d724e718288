"""Find and read a client's table files (CSV, XLSX, Parquet) without interpreting them.

Reading keeps values raw so that validation can point at the exact cell that is wrong:
CSV and XLSX cells come back as stripped strings (an empty cell is missing), Parquet
columns keep their stored types. The frame's index is the row number a user sees in a
spreadsheet (header = row 1, first data row = 2); for Parquet, which has no header row,
it is the 1-based record number.

Files come from outside the firm, so every read is bounded (``limits.py``): a file is a
regular file inside its client folder (a link leading elsewhere is refused), its size is
checked first, ``read_header`` reads only the header row (so a huge junk file fails in
milliseconds when its columns are wrong), and the text encoding is decided strictly
(``encoding.py``). Errors are ``TableError`` with the file, row and column.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from playbook.content.excerpt import excerpt
from playbook.data.contract import TABLE_SUFFIXES
from playbook.data.encoding import NUL_MESSAGE, EncodingError, decode_text, detect_file_encoding
from playbook.data.errors import AmbiguousTableError, TableError
from playbook.data.limits import (
    MAX_COLUMNS,
    MAX_CSV_BYTES,
    MAX_HEADER_BYTES,
    MAX_PARQUET_BYTES,
    MAX_PARQUET_CELLS,
    MAX_PARQUET_UNCOMPRESSED,
    check_client_file,
    size_text,
)
from playbook.data.xlsx import read_xlsx, read_xlsx_header

__all__ = [
    "AmbiguousTableError",
    "TableError",
    "check_client_file",
    "decode_text",
    "find_table",
    "read_header",
    "read_table",
]

_LINE_END = re.compile("\r\n|\n|\r")

#: Rows parsed at a time (each chunk is cleaned before the next is read).
_CSV_CHUNK_ROWS = 200_000

#: Separators read besides the comma, when the header row holds no comma at all.
OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs"}


def find_table(client_dir: str | Path, name: str) -> Path | None:
    """Find the file holding one table in a client folder.

    The file is ``<name>.parquet``, ``<name>.xlsx`` or ``<name>.csv``; names are matched
    case-insensitively (``Orders.CSV`` is found too). Any entry of that name is returned,
    even one that is not a regular file, so that reading it can say what is wrong.

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
        if p.stem.lower() == name.lower() and p.suffix.lower() in TABLE_SUFFIXES
    )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise AmbiguousTableError(
            name, f"table {name} is supplied more than once ({names}); keep exactly one file"
        )
    return found[0] if found else None


def read_header(path: str | Path) -> list[str]:
    """Return a table's column names, reading as little of the file as possible.

    CSV: the first line only (at most ``MAX_HEADER_BYTES``); XLSX: row 1 of the first
    sheet; Parquet: the schema in the file's footer. A file that is not there, not a
    regular file inside its folder, or too large is refused first.

    Raises:
        TableError: The file cannot be read, breaks a limit, or has no header row.
    """
    path = Path(path)
    suffix = _checked(path)
    if suffix == ".csv":
        return _csv_header(path)[0]
    if suffix == ".xlsx":
        return read_xlsx_header(path)
    return _parquet_file(path).schema_arrow.names


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a table file into a frame of raw values, indexed by spreadsheet row number.

    CSV text encoding is detected strictly (UTF-8, UTF-8 with BOM, UTF-16 with BOM,
    GB18030/GBK, Big5, in that order; see ``encoding.py``) and recorded in
    ``df.attrs["encoding"]``; the separator is a comma, or semicolons or tabs when the
    header row holds no comma. XLSX is read from its first sheet within bounds
    (``xlsx.py``). Column names are stripped of surrounding spaces; rows that are
    entirely empty are dropped.

    Args:
        path: A ``.csv``, ``.xlsx`` or ``.parquet`` file.

    Returns:
        The raw frame: strings with missing values as NaN for CSV/XLSX, stored types for
        Parquet.

    Raises:
        TableError: When the file cannot be read, breaks a limit, or its format is not
            supported; the message says which row and what to do.
    """
    path = Path(path)
    suffix = _checked(path)
    readers = {".csv": _read_csv, ".xlsx": read_xlsx, ".parquet": _read_parquet}
    try:
        df = readers[suffix](path)
    except TableError:
        raise
    except (MemoryError, RecursionError):
        raise TableError(path.name, "is too large or too complex to read") from None
    except Exception as exc:  # any other reader failure (corrupt file) is a TableError
        raise TableError(
            path.name, f"cannot be read as {suffix[1:].upper()} ({excerpt(str(exc), 120)[1:-1]})"
        ) from None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _checked(path: Path) -> str:
    """Check the file's type, place and size; return its lower-case suffix."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise TableError(
            path.name,
            f"unsupported file type {excerpt(suffix, 12)[1:-1] or '(none)'}; "
            f"use one of {', '.join(TABLE_SUFFIXES)}",
        )
    check_client_file(path)
    limit = {".csv": MAX_CSV_BYTES, ".parquet": MAX_PARQUET_BYTES}.get(suffix)
    size = path.stat().st_size
    if limit is not None and size > limit:
        raise TableError(
            path.name,
            f"is {size_text(size)}, more than the {size_text(limit)} a {suffix[1:].upper()} "
            "table may hold; split the data by period or send it as Parquet",
        )
    return suffix


def _csv_header(path: Path) -> tuple[list[str], str]:
    """Read and parse the first line of a CSV file; return the names and the separator."""
    with path.open("rb") as fh:
        head = fh.read(MAX_HEADER_BYTES + 1)
    if not head.strip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"):
        raise TableError(
            path.name,
            "is empty: a table needs a header row with the column names and one row per record",
        )
    if b"\x00" in head.split(b"\n", 1)[0] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(path.name, NUL_MESSAGE, row=1)  # binary, or UTF-16 without its BOM
    text = _decode_head(head)
    line = _LINE_END.split(text, maxsplit=1)[0]
    if line == text and len(head) > MAX_HEADER_BYTES:
        raise TableError(
            path.name,
            f"the first line is longer than {size_text(MAX_HEADER_BYTES)}: it should be the "
            "header row (the column names, separated by commas). Is this a table?",
            row=1,
        )
    if not line.strip():
        raise TableError(path.name, "row 1 is empty: put the column names in the first line", row=1)
    delimiter = ","
    if "," not in line:
        delimiter = next((d for d in OTHER_DELIMITERS if d in line), ",")
    try:
        names = [n.strip() for n in next(csv.reader([line], delimiter=delimiter), [])]
    except csv.Error as exc:
        raise TableError(
            path.name, f"the header row cannot be read ({excerpt(str(exc), 80)[1:-1]})", row=1
        ) from None
    if len(names) > MAX_COLUMNS:
        raise TableError(
            path.name,
            f"the header row has {len(names):,} columns, more than the {MAX_COLUMNS:,} read",
            row=1,
        )
    return names, delimiter


def _decode_head(head: bytes) -> str:
    """Decode the start of a file leniently (the whole file is checked strictly later)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) // 2 * 2].decode("utf-16", "replace")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the block
                return head[: exc.start].decode(encoding, "replace")
    return head.decode("utf-8", "replace")


def _read_csv(path: Path) -> pd.DataFrame:
    _, delimiter = _csv_header(path)
    try:
        encoding = detect_file_encoding(path)
    except EncodingError as exc:
        raise TableError(path.name, exc.reason, row=exc.row) from None
    try:
        chunks = pd.read_csv(
            path,
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding=encoding,
            engine="c",
            chunksize=_CSV_CHUNK_ROWS,
        )
        with chunks:  # cleaned chunk by chunk: memory stays near the final frame's size
            pieces = [_clean_strings(chunk) for chunk in chunks]
    except pd.errors.ParserError as exc:
        raise _parser_error(path, str(exc), encoding, delimiter) from None
    except pd.errors.EmptyDataError:
        raise TableError(path.name, "is empty: a table needs a header row") from None
    df = pd.concat(pieces) if len(pieces) > 1 else pieces[0]
    df.attrs["encoding"] = encoding
    df.attrs["delimiter"] = delimiter
    return df


def _parser_error(path: Path, message: str, encoding: str, delimiter: str) -> TableError:
    """Turn a pandas parser error into a message with the spreadsheet row (and column)."""
    if "EOF inside string starting at row" in message:
        row = int(message.rsplit("row", 1)[1].split()[0]) + 1  # pandas counts the header as 0
        column = _unclosed_quote_column(path, row, encoding, delimiter)
        return TableError(
            path.name,
            'a value opens a double quote (") that is never closed, so the rest of the file '
            "would be read as one value: close the quote, or remove it",
            row=row,
            column=column,
        )
    if "Expected" in message and "fields in line" in message:
        words = message.split()
        expected, row, saw = (
            int(words[words.index(w) + 1].rstrip(",")) for w in ("Expected", "line", "saw")
        )
        return TableError(
            path.name,
            f"has {saw} values but the header row has {expected} columns; a value holding "
            f"the separator ({'a comma' if delimiter == ',' else repr(delimiter)}) must be "
            'in double quotes ("1,5")',
            row=row,
        )
    return TableError(path.name, f"cannot be read as CSV ({excerpt(message, 120)[1:-1]})")


def _unclosed_quote_column(path: Path, row: int, encoding: str, delimiter: str) -> str | None:
    """Return the column whose value opens the unclosed quote on a row (None if unsure)."""
    try:
        with path.open(encoding=encoding, newline="") as fh:
            header = next(csv.reader([fh.readline()], delimiter=delimiter), [])
            line = next((text for n, text in enumerate(fh, start=2) if n == row), "")
    except (OSError, UnicodeError):
        return None
    field, quoted, start = 0, False, True
    for char in line:
        if char == '"' and (start or quoted):
            quoted = not quoted
        elif char == delimiter and not quoted:
            field += 1
        start = char == delimiter and not quoted
    return header[field].strip() if quoted and field < len(header) else None


def _parquet_file(path: Path) -> pq.ParquetFile:
    """Open a Parquet file's footer and check what it declares against the limits."""
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise TableError(
            path.name, f"is not a readable Parquet file ({excerpt(str(exc), 100)[1:-1]})"
        ) from None
    meta = pf.metadata
    columns = meta.num_columns
    if columns > MAX_COLUMNS:
        raise TableError(path.name, f"has {columns:,} columns, more than the {MAX_COLUMNS:,} read")
    if meta.num_rows * max(columns, 1) > MAX_PARQUET_CELLS:
        raise TableError(
            path.name,
            f"declares {meta.num_rows:,} rows × {columns:,} columns, more than the "
            f"{MAX_PARQUET_CELLS:,} cells read from a Parquet file",
        )
    declared = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if declared > MAX_PARQUET_UNCOMPRESSED:
        raise TableError(
            path.name,
            f"unpacks to {size_text(declared)}, more than the "
            f"{size_text(MAX_PARQUET_UNCOMPRESSED)} read from a Parquet file",
        )
    return pf


def _read_parquet(path: Path) -> pd.DataFrame:
    pf = _parquet_file(path)
    schema = pf.schema_arrow
    seen: set[str] = set()
    for name in schema.names:
        if name.strip() in seen:
            raise TableError(
                path.name, "the column appears more than once", column=excerpt(name, 40)[1:-1]
            )
        seen.add(name.strip())
    for field in schema:
        if not _plain_type(field.type):
            raise TableError(
                path.name,
                f"holds {field.type} values, not plain text, numbers, dates or true/false; "
                "store one plain value per cell",
                column=excerpt(field.name, 40)[1:-1],
            )
    texts = [
        f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
    ]
    table = pq.ParquetFile(path, read_dictionary=texts).read(use_pandas_metadata=False)
    _check_text_size(table, path)
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if pa.types.is_decimal(column.type):
            column = column.cast(pa.float64())
        columns[name] = column
    table = pa.table(columns)
    del columns
    # each Arrow column is freed once converted: the file is not held twice
    df = table.to_pandas(split_blocks=True, self_destruct=True)
    del table
    df.index = pd.RangeIndex(1, len(df) + 1)
    return df


def _plain_type(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        return _plain_type(kind.value_type)
    return (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_timestamp(kind)
        or pa.types.is_date(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_null(kind)
    )


def _check_text_size(table: pa.Table, path: Path) -> None:
    """Refuse text columns that would unpack beyond the limit (a long value repeated)."""
    total = 0
    for column in table.columns:
        if not pa.types.is_dictionary(column.type):
            total += column.nbytes
            continue
        for chunk in column.chunks:
            lengths = pc.binary_length(chunk.dictionary)
            total += pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0
    if total > MAX_PARQUET_UNCOMPRESSED:
        raise TableError(
            path.name,
            f"unpacks to {size_text(total)} of values, more than the "
            f"{size_text(MAX_PARQUET_UNCOMPRESSED)} read from a Parquet file",
        )


def _clean_strings(df: pd.DataFrame) -> pd.DataFrame:
    """Strip cells, turn empty cells into NaN, number rows as a spreadsheet does.

    ``df`` is one chunk of the file: its index counts data rows from 0 across chunks, so
    the spreadsheet row is the index + 2 (the header is row 1).
    """
    out = pd.DataFrame(
        {name: _blank_to_missing(df[name].str.strip()) for name in df.columns}, index=df.index
    )
    out.index = df.index + 2
    return out.loc[out.notna().any(axis=1)] if len(out.columns) else out


def _blank_to_missing(values: pd.Series) -> pd.Series:
    return values.where(values != "", np.nan)
