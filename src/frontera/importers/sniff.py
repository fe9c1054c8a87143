"""Read an uploaded file into a table of text cells: size, encoding, separator, HXL row.

Nothing here knows what the columns mean; :func:`read_table` only turns bytes
into a ``DataFrame`` of strings (or a :class:`~frontera.model.records.Problem` saying
why it cannot), and :func:`sniff_kind` says which importer should read it.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from frontera.errors import InputError
from frontera.i18n import N_, _, format_number
from frontera.importers import limits, xlsx
from frontera.importers.limits import MAX_BYTES, FileProblem, check_count
from frontera.model.records import Problem
from frontera.model.text import Worded

__all__ = ["MAX_BYTES", "FileProblem", "Table", "check_size", "decode", "read_path", "read_table", "sniff_kind"]

#: Separators tried on the header line, in order of preference when counts tie.
SEPARATORS = (",", ";", "\t", "|")

_SQLITE_MAGIC = b"SQLite format 3\x00"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
_CHUNK = 16 * 1024 * 1024
_CSV_CHUNK_ROWS = 50_000


try:
    import pyarrow  # noqa: F401

    _HAS_ARROW = True
except ImportError:  # pragma: no cover - pyarrow comes with the app's dependencies
    _HAS_ARROW = False


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
    #: read from a workbook: its cells are text as typed (no apostrophe of Frontera's CSV export to take off)
    spreadsheet: bool = False
    notes: list[str] = field(default_factory=list)

    def row_numbers(self) -> pd.Series:
        return pd.Series(range(self.first_row, self.first_row + len(self.frame)), index=self.frame.index)


def fail(file: str, row: int | None, column: str, value: object, expected: str) -> FileProblem:
    return FileProblem(Problem(file, row, column, value, expected))


def check_size(file: str, size: int, limit: int | None = None) -> None:
    limit = MAX_BYTES if limit is None else limit
    if size > limit:
        raise fail(
            file,
            None,
            "(file)",
            Worded(N_("{size} MB"), size=format_number(size / 1e6, decimals=1)),
            Worded(
                N_("a file of at most {limit} MB; split it into smaller files"),
                limit=format_number(limit / (1024 * 1024)),
            ),
        )
    if size == 0:
        raise fail(file, None, "(file)", Worded(N_("an empty file")), N_("a header row and at least one data row"))


def sniff_kind(name: str, data: bytes) -> str:
    """``"csv"``, ``"excel"``, ``"geojson"`` or ``"gpkg"``, from the bytes first and the name second."""
    lower = name.lower()
    if data.startswith(_SQLITE_MAGIC):
        return "gpkg"
    if data.startswith(_OLE_MAGIC):
        return "excel"
    if data.startswith(_ZIP_MAGIC):
        if lower.endswith((".xlsx", ".xlsm", ".xls")):
            return "excel"
        names = xlsx.open_zip(name, data).namelist()  # the central directory only, within the limits
        if not any(n.startswith("xl/") for n in names):
            raise fail(
                name,
                None,
                "(file)",
                Worded(N_("a ZIP archive")),
                N_("a CSV, Excel, GeoJSON or GeoPackage file; unzip it first"),
            )
        return "excel"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if lower.endswith((".geojson", ".json")) or head.startswith(b"{"):
        return "geojson"
    if lower.endswith(".gpkg"):
        return "gpkg"
    return "csv"


_NON_ASCII = re.compile(rb"[\x80-\xff]")
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _first_invalid(data: bytes, encoding: str) -> int | None:
    """Byte offset of the first byte ``encoding`` cannot decode (None: all of it decodes); 16 MB at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    for start in range(0, max(len(data), 1), _CHUNK):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(data[start : start + _CHUNK], final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            return start - pending + exc.start
    return None


def detect_encoding(file: str, data: bytes) -> tuple[bytes, str]:
    """The bytes (UTF-16 re-encoded as UTF-8) and their encoding: UTF-8 (with or without BOM), else
    Windows-1252 / Latin-1 when no byte of the file is UTF-8. A file that mixes UTF-8 with another
    encoding is refused, naming the row and byte offset of the first stray byte: read either way,
    some of its letters would come out wrong."""
    if b"\x00" in data[:65536]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            try:
                return data.decode("utf-16").encode("utf-8"), "UTF-16"
            except UnicodeDecodeError as exc:
                raise fail(
                    file,
                    None,
                    "(file)",
                    Worded(N_("a broken UTF-16 sequence at byte offset {offset}"), offset=format_number(exc.start)),
                    N_("a text file in one encoding; save it again as 'CSV UTF-8'"),
                ) from None
        raise fail(
            file,
            None,
            "(file)",
            Worded(N_("binary content (NUL bytes)")),
            N_("a text file: CSV, or an Excel, GeoJSON or GeoPackage file with its usual extension"),
        )
    bad = _first_invalid(data, "utf-8")
    if bad is None:
        return data, "UTF-8"
    if _NON_ASCII.search(data, 0, bad) or _UTF8_SEQUENCE.search(data, bad):
        raise _mixed_encoding(file, data, bad)
    return data, "Windows-1252" if _first_invalid(data, "cp1252") is None else "Latin-1"


def _mixed_encoding(file: str, data: bytes, offset: int) -> FileProblem:
    row = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    around = data[max(line_start, offset - 30) : offset + 30].split(b"\n")[0].decode("utf-8", "replace")
    return fail(
        file,
        row,
        "(encoding)",
        Worded(
            N_("byte {byte} at byte offset {offset} (in {around})"),
            byte=f"0x{data[offset]:02X}",
            offset=format_number(offset),
            around=repr(around),
        ),
        N_(
            "UTF-8 throughout: the rest of the file is UTF-8 but this byte is not (Latin-1/Windows-1252?); "
            "correct that character, or open the file in a spreadsheet and save it again as 'CSV UTF-8'"
        ),
    )


def decode(file: str, data: bytes) -> tuple[str, str]:
    """The text and the encoding name (see :func:`detect_encoding`)."""
    data, encoding = detect_encoding(file, data)
    return data.decode(_CODECS[encoding]), encoding


def scan_lines(file: str, data: bytes) -> int:
    """Number of lines; refuses a file with too many lines or a line too long, 16 MB at a time."""
    arr = np.frombuffer(data, dtype=np.uint8)
    newline = 10 if b"\n" in data else 13
    lines, last, longest, longest_at = 0, -1, 0, 1
    for start in range(0, len(arr), _CHUNK):
        ends = np.flatnonzero(arr[start : start + _CHUNK] == newline) + start
        if len(ends):
            gaps = np.diff(ends, prepend=last) - 1
            i = int(np.argmax(gaps))
            if gaps[i] > longest:
                longest, longest_at = int(gaps[i]), lines + i + 1
            lines += len(ends)
            last = int(ends[-1])
        limits.check_time(N_("counting lines"))
    if len(arr) - last - 1 > longest:
        longest, longest_at = len(arr) - last - 1, lines + 1
    lines += int(len(arr) - last - 1 > 0)
    if longest > limits.MAX_LINE_BYTES:
        raise limits.refuse(
            file,
            "(line)",
            Worded(N_("a line of {amount}"), amount=limits.amount(longest, N_("bytes"))),
            limits.amount(limits.MAX_LINE_BYTES, N_("bytes per line")),
            N_("check that it is a CSV file with one record per line, or shorten its cells"),
            row=longest_at,
        )
    check_count(file, "(rows)", lines, limits.MAX_ROWS + 1, N_("lines"))
    return lines


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
_CODECS = {"UTF-8": "utf-8-sig", "UTF-16": "utf-8-sig", "Windows-1252": "cp1252", "Latin-1": "latin-1"}


def read_csv_bytes(file: str, data: bytes) -> Table:
    """Parse CSV bytes into a table of strings, within the limits; a malformed file is one problem naming the line."""
    check_count(file, "(file)", len(data), limits.MAX_TABLE_BYTES, N_("bytes of text"), limits.SPLIT)
    data, encoding = detect_encoding(file, data)
    codec = _CODECS[encoding]
    lines = scan_lines(file, data)
    first_line = next((ln for ln in _head_lines(data, codec) if ln.strip()), "")
    if not first_line.strip():
        raise fail(file, None, "(file)", Worded(N_("only blank lines")), N_("a header row and at least one data row"))
    sep = guess_separator(first_line)
    header = next(csv.reader([first_line], delimiter=sep))
    limits.check_header(file, header)
    check_count(
        file,
        "(cells)",
        max(lines - 1, 0) * len(header),
        limits.MAX_CELLS,
        N_("cells (data lines x columns)"),
        limits.SPLIT,
    )
    try:
        chunks = []
        reader = pd.read_csv(
            io.BytesIO(data),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            encoding=codec,
            skip_blank_lines=True,
            engine="c",
            chunksize=_CSV_CHUNK_ROWS,
        )
        with reader:
            for chunk in reader:
                chunks.append(chunk)
                limits.check_time(N_("reading rows"))
    except pd.errors.EmptyDataError:
        raise fail(
            file, None, "(file)", Worded(N_("no columns")), N_("a header row and at least one data row")
        ) from None
    except pd.errors.ParserError as exc:
        m = _BAD_LINE.search(str(exc))
        if m:
            raise fail(
                file,
                int(m.group(2)),
                "(row)",
                f"{m.group(3)} cells",
                f"{m.group(1)} cells like the header; quote cells that contain {sep!r}",
            ) from None
        raise fail(file, None, "(file)", str(exc)[:120], N_("a well-formed CSV file")) from None
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) != 1 else chunks[0]
    del chunks
    table = _finish_table(file, frame, sep)
    table.encoding = encoding
    return table


def _head_lines(data: bytes, codec: str) -> list[str]:
    """The first lines of the file (at most 1 MB of it), decoded; a line cut by that limit is left out."""
    head = data[: limits.MAX_LINE_BYTES + 2]
    lines = head.decode(codec, errors="replace").lstrip("\ufeff").splitlines()
    return (lines[:-1] or lines) if len(data) > len(head) else lines


def check_cells(file: str, frame: pd.DataFrame, first_row: int) -> None:
    """No cell longer than MAX_CELL_CHARS (a quoted CSV cell may span many short lines)."""
    for n, col in enumerate(frame.columns):
        most = limits.MAX_WKT_CHARS if str(col).strip().lower() == "geometry_wkt" else limits.MAX_CELL_CHARS
        lengths = frame.iloc[:, n].astype(str).str.len()
        if len(lengths) and lengths.max() > most:
            at = int(np.argmax(lengths.to_numpy()))
            raise limits.refuse(
                file,
                str(col),
                Worded(N_("a cell of {amount}"), amount=limits.amount(int(lengths.iloc[at]), N_("characters"))),
                limits.amount(most, N_("characters per cell")),
                N_("shorten the cell"),
                row=first_row + at,
            )


def _finish_table(file: str, frame: pd.DataFrame, sep: str = ",") -> Table:
    frame = frame.copy()
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    if len(frame.columns) == 1 and len(frame) and _looks_unstructured(frame):
        raise fail(
            file,
            None,
            "(file)",
            f"one column {frame.columns[0][:40]!r}",
            N_("a table with a header row of column names separated by , or ; (is this a CSV file?)"),
        )
    check_cells(file, frame, 2)
    table = Table(frame=frame, file=file, separator=sep)
    if len(frame) and is_hxl_row(list(frame.iloc[0].astype(str))):
        table.hxl = {
            c: re.sub(r"\s+", "", str(t)).lower() for c, t in zip(frame.columns, frame.iloc[0]) if str(t).strip()
        }
        table.frame = frame.iloc[1:].reset_index(drop=True)
        table.first_row = 3
    elif is_hxl_row(list(frame.columns)):
        table.hxl = {c: re.sub(r"\s+", "", c).lower() for c in frame.columns}
    # pandas' string dtype (Arrow-backed when available): fast vectorised .str methods on 100k rows
    table.frame = table.frame.astype("string[pyarrow]" if _HAS_ARROW else str).fillna("")
    if not len(table.frame):
        raise fail(file, None, "(file)", Worded(N_("a header and no data rows")), N_("at least one data row"))
    return table


def _looks_unstructured(frame: pd.DataFrame) -> bool:
    col = frame.columns[0]
    return len(col) > 60 or (" " in col.strip() and len(col.split()) > 6)


def read_excel_bytes(file: str, data: bytes) -> Table:
    frame = xlsx.read_sheet(file, data)
    limits.check_header(file, list(frame.columns))
    table = _finish_table(file, frame)
    table.spreadsheet = True
    return table


def read_table(file: str, data: bytes) -> Table:
    """A CSV or Excel file as a :class:`Table`; raises :class:`FileProblem`."""
    check_size(file, len(data))
    kind = sniff_kind(file, data)
    if kind == "excel":
        return read_excel_bytes(file, data)
    if kind != "csv":
        raise fail(file, None, "(file)", kind, N_("a CSV or Excel table"))
    table = read_csv_bytes(file, data)
    if table.encoding not in ("UTF-8", "UTF-16"):
        table.notes.append(Worded(N_("{file}: read as {encoding} (not UTF-8)"), file=file, encoding=table.encoding))
    if table.separator != ",":
        table.notes.append(
            Worded(N_("{file}: cells separated by {separator}"), file=file, separator=repr(table.separator))
        )
    return table


_NOT_REGULAR = (
    (stat.S_ISDIR, N_("a folder")),
    (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
    (stat.S_ISSOCK, N_("a socket")),
    (stat.S_ISCHR, N_("a device")),
    (stat.S_ISBLK, N_("a device")),
)


def read_path(path: str | os.PathLike) -> bytes:
    """The bytes of a file to import, refusing (never waiting on) anything that is not a regular file.

    Raises :class:`~frontera.errors.InputError` naming the path, what it is and the fix.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise InputError(_unreadable(path, exc)) from None
    _refuse_special(path, info.st_mode)
    _refuse_large(path, info.st_size)
    try:
        # O_NONBLOCK: a FIFO put in the file's place after the check above does not block the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            _refuse_special(path, os.fstat(f.fileno()).st_mode)
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(_unreadable(path, exc)) from None
    _refuse_large(path, len(data))
    return data


def _unreadable(path: Path, exc: OSError) -> str:
    return _("{path}: cannot be read ({why}); check the path and its permissions").format(path=path, why=exc.strerror)


def _refuse_special(path: Path, mode: int) -> None:
    for test, what in _NOT_REGULAR:
        if test(mode):
            raise InputError(
                _(
                    "{path}: is {what}, not a file; save the data into a file "
                    "(a CSV, Excel, GeoJSON or GeoPackage file) and import that"
                ).format(path=path, what=_(what))
            )


def _refuse_large(path: Path, size: int) -> None:
    if size > MAX_BYTES:
        raise InputError(
            _("{file}: {size} MB, expected at most {limit} MB; split it into smaller files").format(
                file=path.name,
                size=format_number(size / 1e6, decimals=1),
                limit=format_number(MAX_BYTES // (1024 * 1024) or MAX_BYTES / (1024 * 1024)),
            )
        )


def load_json(file: str, data: bytes) -> object:
    check_size(file, len(data))
    check_count(file, "(file)", len(data), limits.MAX_JSON_BYTES, N_("bytes of GeoJSON"), limits.SPLIT_OR_GEOPACKAGE)
    check_count(file, "(file)", data.count(b","), limits.MAX_JSON_VALUES, N_("JSON values"), limits.SPLIT)
    check_count(file, "(file)", data.count(b"{"), limits.MAX_JSON_OBJECTS, N_("JSON objects"), limits.SPLIT)
    text, _ = decode(file, data)
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = (
            f"line {exc.lineno} column {exc.colno}: {exc.msg}"
            if isinstance(exc, json.JSONDecodeError)
            else "too deeply nested"
        )
        raise fail(file, None, "(file)", where, N_("valid GeoJSON (a FeatureCollection)")) from None
