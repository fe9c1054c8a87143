"""Excel workbooks (.xlsx), read as text cells within the limits of :mod:`~frontera.importers.limits`.

An .xlsx file is a ZIP archive of XML parts, so a 1 MB file can hold a gigabyte
of text. Before anything is decompressed the ZIP's central directory is checked
(members, declared sizes, compression ratios); before openpyxl builds a cell
the shared strings and the first sheet's rows and cells are counted by scanning
their XML as it is decompressed; then the sheet is read row by row with the
time budget running. Python's ``zipfile`` never returns more bytes than a member
declares, so the declared sizes bound what is read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib

import pandas as pd

from frontera.i18n import N_, format_number
from frontera.importers import limits
from frontera.importers.limits import FileProblem, check_count, refuse
from frontera.model.records import Problem
from frontera.model.text import Worded

_EOCD = b"PK\x05\x06"
_SCAN_CHUNK = 1024 * 1024
_TAG = rb"<(?:[A-Za-z_][\w.\-]{0,40}:)?%s[\s/>]"
_ROW, _CELL, _STRING = (re.compile(_TAG % t) for t in (b"row", b"c", b"si"))
_DAMAGED = N_(
    "an Excel workbook that opens (the file is damaged); open it in Excel or LibreOffice and save it "
    "again as .xlsx, or save the sheet as CSV"
)
_SAVE_AGAIN = N_("save the workbook again from Excel, or save the sheet as CSV")


def why(exc: BaseException) -> str:  # a Worded (said where shown), or zipfile's own words
    """What a reader's exception says about the damage, in words (never ``KeyError: 'zip'``)."""
    if isinstance(exc, zipfile.BadZipFile) and str(exc):
        return str(exc)
    if isinstance(exc, (zlib.error, EOFError)):
        return Worded(N_("its compressed data is corrupt or cut short"))
    if isinstance(exc, NotImplementedError):
        return Worded(N_("it uses a ZIP feature Excel does not write"))
    if isinstance(exc, SyntaxError):  # ElementTree.ParseError
        return Worded(N_("one of its XML parts is not well-formed"))
    return Worded(N_("one of its parts is missing or unreadable"))


def damaged(file: str, detail: str, member: str | None = None) -> FileProblem:
    """The file is not a readable workbook: ``detail`` (a :class:`Worded`, or a reader's words), in ``member``."""
    detail = detail if isinstance(detail, Worded) else detail[:80]
    if member is not None:
        detail = Worded(N_("{member}: {detail}"), member=member, detail=detail)
    value = Worded(N_("a damaged ZIP/Excel container ({detail})"), detail=detail)
    return FileProblem(Problem(file, None, "(file)", value, _DAMAGED))


def open_zip(file: str, data: bytes) -> zipfile.ZipFile:
    """The archive, once its central directory shows it is within the limits (nothing decompressed yet)."""
    end = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise damaged(file, Worded(N_("no ZIP directory at its end: truncated or not a ZIP file")))
    directory_bytes = int.from_bytes(data[end + 12 : end + 16], "little")
    # zipfile builds one object per directory entry: bound the directory before it parses it
    check_count(
        file,
        "(archive)",
        directory_bytes,
        limits.MAX_ZIP_MEMBERS * 1024,
        N_("bytes of ZIP directory"),
        _SAVE_AGAIN,
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, KeyError, OSError, NotImplementedError) as exc:
        raise damaged(file, why(exc)) from None
    members = archive.infolist()
    check_count(
        file,
        "(archive)",
        len(members),
        limits.MAX_ZIP_MEMBERS,
        N_("ZIP members"),
        _SAVE_AGAIN,
    )
    total = 0
    for info in members:
        _check_member(file, info)
        total += info.file_size
    check_count(file, "(archive)", total, limits.MAX_UNZIPPED_BYTES, N_("bytes once decompressed"), limits.SPLIT)
    return archive


def _check_member(file: str, info: zipfile.ZipInfo) -> None:
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ZIP_RATIO_FLOOR and ratio > limits.MAX_ZIP_RATIO:
        raise refuse(
            file,
            "(archive)",
            Worded(
                N_("{member} expands {ratio} times ({packed} -> {amount})"),
                member=repr(info.filename),
                ratio=format_number(round(ratio)),
                packed=format_number(info.compress_size),
                amount=limits.amount(info.file_size, N_("bytes")),
            ),
            Worded(N_("{ratio} times (a larger ratio is a ZIP bomb, not a spreadsheet)"), ratio=limits.MAX_ZIP_RATIO),
            N_(
                "if it is a spreadsheet, open it in Excel or LibreOffice, check its cells and save it again, "
                "or save it as CSV"
            ),
        )
    if info.file_size > limits.MAX_UNZIPPED_MEMBER_BYTES:
        raise refuse(
            file,
            "(archive)",
            Worded(
                N_("{member} decompresses to {amount}"),
                member=repr(info.filename),
                amount=limits.amount(info.file_size, N_("bytes")),
            ),
            limits.amount(limits.MAX_UNZIPPED_MEMBER_BYTES, N_("bytes per part")),
            limits.SPLIT,
        )


def _scan(
    file: str,
    archive: zipfile.ZipFile,
    member: str,
    counts: dict[re.Pattern, tuple[int, str]],
    found: dict[re.Pattern, int] | None = None,
) -> None:
    """Count tags in one XML part as it is decompressed (adding to ``found``, counts of parts already
    scanned); refuse as soon as a count passes its limit."""
    found = dict.fromkeys(counts, 0) if found is None else found
    keep = 64  # a tag cut by a chunk boundary is counted in the next chunk
    tail = b""
    try:
        with archive.open(member) as part:
            head = True
            while True:
                chunk = part.read(_SCAN_CHUNK)
                buf = tail + chunk
                if head:
                    _refuse_entities(file, member, buf[:4096])
                    head = False
                end = len(buf) if not chunk else max(len(buf) - keep, 0)
                for pattern, (limit, unit) in counts.items():
                    found[pattern] += sum(1 for m in pattern.finditer(buf, 0, len(buf)) if m.start() < end)
                    if found[pattern] > limit:  # counted a chunk at a time: say "more than", not a number
                        field = "(shared strings)" if member.endswith("sharedStrings.xml") else "(sheets)"
                        raise refuse(
                            file, field, limits.more_than(limit, unit), limits.amount(limit, unit), limits.SPLIT
                        )
                if not chunk:
                    return
                tail = buf[end:]
                limits.check_time(Worded(N_("scanning {member}"), member=member))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise damaged(file, why(exc), member) from None


def _refuse_entities(file: str, member: str, head: bytes) -> None:
    # Excel never writes a DOCTYPE: one here declares entities (billion laughs, external files)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise FileProblem(
            Problem(
                file,
                None,
                "(file)",
                Worded(N_("an XML DOCTYPE/ENTITY declaration in {member}"), member=repr(member)),
                N_(
                    "a workbook as Excel writes it (entity declarations are refused for safety); "
                    "save the sheet again from Excel, or as CSV"
                ),
            )
        )


def _precheck(file: str, archive: zipfile.ZipFile) -> None:
    """Entity declarations in any XML part, and the number of shared strings, before openpyxl reads them."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")) and info.filename != "xl/sharedStrings.xml":
            try:
                with archive.open(info) as part:
                    _refuse_entities(file, info.filename, part.read(4096))
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
                raise damaged(file, why(exc), info.filename) from None
    if "xl/sharedStrings.xml" in archive.namelist():
        _scan(file, archive, "xl/sharedStrings.xml", {_STRING: (limits.MAX_CELLS, N_("shared strings"))})


def read_sheet(file: str, data: bytes) -> pd.DataFrame:
    """The first sheet as text cells: the first non-blank row is the header; blank rows are skipped."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            Problem(
                file,
                None,
                "(file)",
                Worded(N_("a legacy Excel 97-2003 workbook (.xls)")),
                N_("an .xlsx workbook or a CSV file; open it in Excel or LibreOffice and save it as .xlsx"),
            )
        )
    archive = open_zip(file, data)
    try:
        return _read_checked(file, data, archive)
    except FileProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile and openpyxl raise many kinds for damaged parts
        raise damaged(file, why(exc)) from None


def _read_checked(file: str, data: bytes, archive: zipfile.ZipFile) -> pd.DataFrame:
    if "xl/workbook.xml" not in archive.namelist():
        raise damaged(file, Worded(N_("no xl/workbook.xml inside")))
    _precheck(file, archive)
    # opening a workbook, openpyxl walks every sheet without a <dimension>: count rows and cells of all first
    found = {_ROW: 0, _CELL: 0}
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            _scan(
                file,
                archive,
                name,
                {_ROW: (limits.MAX_ROWS + 1, N_("rows")), _CELL: (limits.MAX_CELLS, N_("cells"))},
                found,
            )
    import openpyxl  # noqa: PLC0415 - only Excel imports need it

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        return _rows_to_frame(file, book.worksheets[0])
    finally:
        book.close()


def _rows_to_frame(file: str, sheet) -> pd.DataFrame:  # openpyxl's read-only sheet
    sheet.reset_dimensions()  # a declared <dimension> would pad every row to its width
    rows: list[list[str]] = []
    cells = 0
    for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if n % 1000 == 0:
            limits.check_time(N_("reading the sheet"))
        check_count(file, "(rows)", n, limits.MAX_ROWS + 1, N_("rows"))
        if len(row) > limits.MAX_COLUMNS:
            raise refuse(
                file,
                "(columns)",
                Worded(N_("{amount} in row {row}"), amount=limits.amount(len(row), N_("columns")), row=n),
                limits.amount(limits.MAX_COLUMNS, N_("columns")),
                limits.FEWER_COLUMNS,
                row=n,
            )
        text = [_cell(v) for v in row]
        if not any(text):
            continue
        cells += len(text)
        check_count(file, "(cells)", cells, limits.MAX_CELLS, N_("cells"))
        for col, value in enumerate(text):
            if len(value) > limits.MAX_CELL_CHARS:
                raise refuse(
                    file,
                    f"(column {col + 1})",
                    Worded(N_("a cell of {amount}"), amount=limits.amount(len(value), N_("characters"))),
                    limits.amount(limits.MAX_CELL_CHARS, N_("characters per cell")),
                    N_("shorten the cell"),
                    row=n,
                )
        rows.append(text)
    if not rows:
        raise FileProblem(
            Problem(file, None, "(file)", Worded(N_("an empty sheet")), N_("a header row and at least one data row"))
        )
    width = max(len(r) for r in rows)
    for r in rows:  # in place: a copy of every row would double what the sheet holds
        r.extend([""] * (width - len(r)))
    header = rows[0]
    frame = pd.DataFrame(rows[1:], columns=range(width), dtype=object)
    del rows
    used = [i for i in range(width) if header[i].strip() or (len(frame) and (frame[i] != "").any())]
    if len(used) < width:
        frame = frame[used]
    frame.columns = [header[i] if header[i].strip() else f"Unnamed: {i}" for i in used]
    return frame


def _cell(value: object) -> str:
    """A cell as pandas' ``read_excel(dtype=str)`` spells it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return str(pd.Timestamp(value))
    return str(value)
