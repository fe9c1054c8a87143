"""Read an uploaded file into a table of text cells: size, encoding, separator, HXL row.

Nothing here knows what the columns mean; :func:`read_table` only turns bytes
into a ``DataFrame`` of strings (or a :class:`~frontera.schema.Problem` saying
why it cannot), and :func:`sniff_kind` says which importer should read it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from frontera.schema import Problem

#: Largest file Frontera imports (bytes). Larger files are refused before they are read.
MAX_BYTES = 200 * 1024 * 1024
#: Separators tried on the header line, in order of preference when counts tie.
SEPARATORS = (",", ";", "\t", "|")

_SQLITE_MAGIC = b"SQLite format 3\x00"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls


try:
    import pyarrow  # noqa: F401

    _HAS_ARROW = True
except ImportError:  # pragma: no cover - pyarrow comes with the app's dependencies
    _HAS_ARROW = False


class FileProblem(Exception):
    """A whole file cannot be read; carries the problem a person reads."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Table:
    """A file read as text cells, with what was learned reading it."""

    frame: pd.DataFrame  # columns as in the header (stripped); every cell a str ('' when empty)
    file: str
    encoding: str = "utf-8"
    separator: str = ","
    hxl: dict[str, str] = field(default_factory=dict)  # column -> hashtag
    #: spreadsheet row number of the first data row (header is row 1; +1 with an HXL row)
    first_row: int = 2
    notes: list[str] = field(default_factory=list)

    def row_numbers(self) -> pd.Series:
        return pd.Series(range(self.first_row, self.first_row + len(self.frame)), index=self.frame.index)


def fail(file: str, row: int | None, column: str, value: object, expected: str) -> FileProblem:
    return FileProblem(Problem(file, row, column, value, expected))


def check_size(file: str, size: int, limit: int | None = None) -> None:
    limit = MAX_BYTES if limit is None else limit
    if size > limit:
        raise fail(file, None, "(file)", f"{size / 1e6:.1f} MB",
                   f"a file of at most {limit / (1024 * 1024):g} MB; split it into smaller files")
    if size == 0:
        raise fail(file, None, "(file)", "an empty file", "a header row and at least one data row")


def sniff_kind(name: str, data: bytes) -> str:
    """``"csv"``, ``"excel"``, ``"geojson"`` or ``"gpkg"``, from the bytes first and the name second."""
    lower = name.lower()
    if data.startswith(_SQLITE_MAGIC):
        return "gpkg"
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        if data.startswith(_ZIP_MAGIC) and not lower.endswith((".xlsx", ".xlsm", ".xls")):
            try:
                names = zipfile.ZipFile(io.BytesIO(data)).namelist()
            except zipfile.BadZipFile:
                names = []
            if not any(n.startswith("xl/") for n in names):
                raise fail(name, None, "(file)", "a ZIP archive",
                           "a CSV, Excel, GeoJSON or GeoPackage file; unzip it first")
        return "excel"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if lower.endswith((".geojson", ".json")) or head.startswith(b"{"):
        return "geojson"
    if lower.endswith(".gpkg"):
        return "gpkg"
    return "csv"


def decode(file: str, data: bytes) -> tuple[str, str]:
    """The text and the encoding name: UTF-8 (with or without BOM), else Windows-1252 / Latin-1."""
    if b"\x00" in data[:65536]:
        enc = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else None
        if enc:
            return data.decode("utf-16"), "UTF-16"
        raise fail(file, None, "(file)", "binary content (NUL bytes)",
                   "a text file: CSV, or an Excel, GeoJSON or GeoPackage file with its usual extension")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def guess_separator(header_line: str) -> str:
    """The separator that splits the header into the most cells (outside quotes)."""
    best, best_n = ",", 0
    for sep in SEPARATORS:
        try:
            n = len(next(csv.reader([header_line], delimiter=sep)))
        except (csv.Error, StopIteration):
            continue
        if n > best_n:
            best, best_n = sep, n
    return best


def is_hxl_row(cells: list[str]) -> bool:
    """True for a row of HXL hashtags (``#adm2+name``, ``#affected+idps``...)."""
    filled = [c.strip() for c in cells if c and c.strip()]
    return bool(filled) and all(re.fullmatch(r"#[A-Za-z][\w]*(\s*\+\s*[\w-]+)*", c) for c in filled)


_BAD_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def read_csv_text(file: str, text: str) -> Table:
    """Parse CSV text into a table of strings; a malformed file is one problem naming the line."""
    stripped = text.lstrip("\ufeff")
    first_line = next((ln for ln in stripped.splitlines() if ln.strip()), "")
    if not first_line.strip():
        raise fail(file, None, "(file)", "only blank lines", "a header row and at least one data row")
    sep = guess_separator(first_line)
    try:
        frame = pd.read_csv(io.StringIO(stripped), sep=sep, dtype=str, keep_default_na=False,
                            skip_blank_lines=True, engine="c")
    except pd.errors.EmptyDataError:
        raise fail(file, None, "(file)", "no columns", "a header row and at least one data row") from None
    except pd.errors.ParserError as exc:
        m = _BAD_LINE.search(str(exc))
        if m:
            raise fail(file, int(m.group(2)), "(row)", f"{m.group(3)} cells",
                       f"{m.group(1)} cells like the header; quote cells that contain {sep!r}") from None
        raise fail(file, None, "(file)", str(exc)[:120], "a well-formed CSV file") from None
    return _finish_table(file, frame, sep)


def _finish_table(file: str, frame: pd.DataFrame, sep: str = ",") -> Table:
    frame = frame.copy()
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    if len(frame.columns) == 1 and len(frame) and _looks_unstructured(frame):
        raise fail(file, None, "(file)", f"one column {frame.columns[0][:40]!r}",
                   "a table with a header row of column names separated by , or ; (is this a CSV file?)")
    table = Table(frame=frame, file=file, separator=sep)
    if len(frame) and is_hxl_row(list(frame.iloc[0].astype(str))):
        table.hxl = {c: re.sub(r"\s+", "", str(t)).lower() for c, t in zip(frame.columns, frame.iloc[0])
                     if str(t).strip()}
        table.frame = frame.iloc[1:].reset_index(drop=True)
        table.first_row = 3
    elif is_hxl_row(list(frame.columns)):
        table.hxl = {c: re.sub(r"\s+", "", c).lower() for c in frame.columns}
    # pandas' string dtype (Arrow-backed when available): fast vectorised .str methods on 100k rows
    table.frame = table.frame.astype("string[pyarrow]" if _HAS_ARROW else str).fillna("")
    if not len(table.frame):
        raise fail(file, None, "(file)", "a header and no data rows", "at least one data row")
    return table


def _looks_unstructured(frame: pd.DataFrame) -> bool:
    col = frame.columns[0]
    return len(col) > 60 or " " in col.strip() and len(col.split()) > 6


def read_excel_bytes(file: str, data: bytes) -> Table:
    try:
        frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl/xlrd raise many kinds; all mean "cannot read"
        raise fail(file, None, "(file)", f"{type(exc).__name__}: {str(exc)[:100]}",
                   "an Excel workbook pandas can read (.xlsx); or save the sheet as CSV") from None
    if frame.empty and not len(frame.columns):
        raise fail(file, None, "(file)", "an empty sheet", "a header row and at least one data row")
    frame = frame.map(lambda v: "" if v is None else str(v))
    return _finish_table(file, frame)


def read_table(file: str, data: bytes) -> Table:
    """A CSV or Excel file as a :class:`Table`; raises :class:`FileProblem`."""
    check_size(file, len(data))
    kind = sniff_kind(file, data)
    if kind == "excel":
        return read_excel_bytes(file, data)
    if kind != "csv":
        raise fail(file, None, "(file)", kind, "a CSV or Excel table")
    text, encoding = decode(file, data)
    table = read_csv_text(file, text)
    table.encoding = encoding
    if encoding != "UTF-8":
        table.notes.append(f"{file}: read as {encoding} (not UTF-8)")
    if table.separator != ",":
        table.notes.append(f"{file}: cells separated by {table.separator!r}")
    return table


def load_json(file: str, data: bytes) -> object:
    check_size(file, len(data))
    text, _ = decode(file, data)
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f"line {exc.lineno} column {exc.colno}: {exc.msg}" if isinstance(exc, json.JSONDecodeError) else "too deeply nested"
        raise fail(file, None, "(file)", where, "valid GeoJSON (a FeatureCollection)") from None
