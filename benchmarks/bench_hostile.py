"""Measure what hostile or oversized client files cost: time and peak memory per case.

Prints figures; asserts nothing. Each case runs ``playbook validate`` logic
(``validate_client_dir``) in a fresh subprocess and reports its wall time and peak resident
memory (the kernel's ``VmHWM``) above a bare interpreter that imported the package. Run::

    nice -n 10 .venv/bin/python benchmarks/bench_hostile.py [--junk-mb 200] [--orders 1000000]

Cases:
- ``junk``: a file of random printable text (no valid header) as ``orders.csv``;
- ``junk-header``: junk without commas after a valid header (read to the end, then refused:
  the worst case for memory);
- ``xfd``: a 5 KB workbook with one value at XFD1048576;
- ``cells``: a small workbook that unpacks to 2.1 M cells (no declared used range);
- ``yaml``: a 1 KB billion-laughs ``client.yaml``;
- ``csv`` and ``csv-gbk``: a realistic orders table (UTF-8 and GBK), accepted — its peak
  memory over its size on disk is the multiple documented in docs/data-contract.md;
- ``parquet``: the same orders as Parquet (text columns; its unpacked size is printed too);
- ``xlsx``: the first 200,000 of those orders as a workbook (1.6 M cells), accepted.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import string
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq

CONFIG = (
    "id: acme\nname: Acme\nindustry: coffee\nlanguage: en\ncurrency: CNY\n"
    "channels: [门店, 外卖, 小程序]\n"
)

# Peak memory is the kernel's high-water mark of this process (VmHWM; ru_maxrss would
# include the parent's memory at fork time).
PROBE = """
import json, sys, time
def hwm():
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM"))
from playbook.data.validation import validate_client_dir
base = hwm()
t0 = time.perf_counter()
problems, data = validate_client_dir(sys.argv[1])
seconds = time.perf_counter() - t0
peak = hwm()
print(json.dumps({"seconds": seconds, "base_mb": base / 1024, "peak_mb": peak / 1024,
                  "ok": data is not None, "first": str(problems[0]) if problems else ""}))
"""


def client(root: Path, name: str, files: dict[str, bytes]) -> Path:
    """Write a client folder with a valid client.yaml and the given files."""
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "client.yaml").write_text(CONFIG.replace("acme", name), encoding="utf-8")
    for file, content in files.items():
        (folder / file).write_bytes(content)
    return folder


def junk_file(path: Path, megabytes: int, header: bytes = b"", commas: bool = True) -> None:
    """Write ``megabytes`` of random printable text (with newlines) after ``header``."""
    rng = random.Random(0)
    alphabet = (string.ascii_letters + string.digits + (" ,.;\n" if commas else " .\n")).encode()
    block = bytes(rng.choice(alphabet) for _ in range(1 << 20))
    with path.open("wb") as fh:
        fh.write(header)
        for i in range(megabytes):
            fh.write(block[i:] + block[:i])


def xlsx(path: Path, sheet_xml: bytes) -> None:
    """Write a minimal one-sheet workbook around a sheet's XML."""
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            b'formats-package.relationships+xml"/><Default Extension="xml" ContentType="'
            b'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
            b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
            b'formats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
            b'workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" '
            b'r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
            b'formats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
            b'sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</worksheet>'
)
HEADER_LINE = b"order_id,customer_id,order_time,channel,amount\n"
HEADER_ROW = b'<row r="1">%s</row>' % b"".join(
    b'<c t="inlineStr"><is><t>%s</t></is></c>' % name for name in HEADER_LINE.strip().split(b",")
)


def cases(root: Path, junk_mb: int, orders: int) -> dict[str, Path]:
    """Write every case's client folder; return them by name."""
    out = {}
    folder = client(root, "junk", {})
    junk_file(folder / "orders.csv", junk_mb)
    out["junk"] = folder
    folder = client(root, "junkheader", {})
    junk_file(folder / "orders.csv", junk_mb, HEADER_LINE, commas=False)
    out["junk-header"] = folder
    folder = client(root, "xfd", {})
    xlsx(
        folder / "orders.xlsx",
        SHEET
        % (
            b'<dimension ref="A1:XFD1048576"/><sheetData>'
            + HEADER_ROW
            + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        ),
    )
    out["xfd"] = folder
    folder = client(root, "cells", {})
    rows = b"<row><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c></row>" * 700_000
    xlsx(folder / "orders.xlsx", SHEET % (b"<sheetData>" + HEADER_ROW + rows + b"</sheetData>"))
    out["cells"] = folder
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, key in zip("abcdefgh", "bcdefghi", strict=True):
        bomb += f"{key}: &{key} [{', '.join([f'*{prev}'] * 9)}]\n"
    folder = client(root, "yaml", {})
    (folder / "client.yaml").write_text(CONFIG.replace("name: Acme\n", "") + bomb + "name: [*i]\n")
    out["yaml"] = folder
    lines = ["order_id,customer_id,order_time,channel,amount,category,is_premium,discount"]
    rng = random.Random(1)
    for i in range(orders):
        lines.append(
            f"O{i:08d},C{i % 50_000:06d},2024-0{1 + i % 9}-{1 + i % 28:02d} 08:{i % 60:02d},"
            f"{rng.choice(['门店', '外卖', '小程序'])},{rng.random() * 100:.2f},"
            f"{rng.choice(['latte', 'mocha', 'tea'])},{rng.choice(['true', 'false'])},"
            f"{rng.random():.2f}"
        )
    text = "\n".join(lines) + "\n"
    out["csv"] = client(root, "csvutf8", {"orders.csv": text.encode()})
    out["csv-gbk"] = client(root, "csvgbk", {"orders.csv": text.encode("gbk")})
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    folder = client(root, "parquetok", {})
    frame.to_parquet(folder / "orders.parquet", index=False)
    out["parquet"] = folder
    folder = client(root, "xlsxok", {})
    wb = openpyxl.Workbook(write_only=True)
    sheet = wb.create_sheet()
    for line in lines[: min(len(lines), 200_001)]:
        sheet.append(line.split(","))
    wb.save(folder / "orders.xlsx")
    out["xlsx"] = folder
    return out


def measure(folder: Path) -> dict:
    """Validate one client folder in a fresh interpreter; return its figures."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Write the cases into a temporary folder and print one line of figures per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--junk-mb", type=int, default=200)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in cases(Path(tmp), args.junk_mb, args.orders).items():
            if args.only and name not in args.only:
                continue
            size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
            if name == "parquet":
                meta = pq.ParquetFile(folder / "orders.parquet").metadata
                unpacked = sum(
                    meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)
                )
                print(f"{name:<12} unpacks to {unpacked / 2**20:.1f} MB (footer)")
            figures = measure(folder)
            extra = figures["peak_mb"] - figures["base_mb"]
            print(
                f"{name:<12} {size:8.1f} MB on disk  {figures['seconds']:6.1f} s  "
                f"peak {figures['peak_mb']:7.1f} MB = import {figures['base_mb']:5.1f} + "
                f"{extra:7.1f} MB ({extra / max(size, 0.001):5.1f}x the size)  "
                f"{'accepted' if figures['ok'] else 'refused'}: {figures['first'][:110]}",
                flush=True,
            )


if __name__ == "__main__":
    main()
