"""Hostile files (issue 8), made here: each is refused within its limit, by the limit, with the file,
the limit, the value found and the fix. The costly ones run in a child process whose peak memory and
wall time are measured. Peak memory is the child's own high-water mark (``VmHWM``): ``ru_maxrss``
of a child also counts the pages of the forking pytest process, hundreds of MB late in a run."""

import io
import random
import subprocess
import sys
import time
import zipfile

import pytest
from import_helpers import situation

from frontera.importers import limits, parse_file

CHILD = r"""
import sys
from frontera.importers import parse_file
data = open(sys.argv[1], "rb").read()
parsed = parse_file(sys.argv[2], data, import_id="H", bundled_ids=frozenset())
print(parsed.kind)
print(parsed.rejected[0] if parsed.rejected else "")
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


def in_child(path, name: str | None = None) -> tuple[str, str, float, float]:
    """(kind, first problem, peak RSS in MB, seconds) of parsing ``path`` in a fresh process."""
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), name or path.name],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr[-2000:]
    kind, problem, peak_kb = proc.stdout.splitlines()[-3:]
    print(f"{path.name}: {seconds:.1f} s, peak RSS {int(peak_kb) / 1024:.0f} MB: {problem}")
    return kind, problem, int(peak_kb) / 1024, seconds


def refused_in_child(path, name: str | None = None) -> tuple[str, float, float]:
    kind, problem, rss, seconds = in_child(path, name)
    assert kind == "unreadable file", problem
    return problem, rss, seconds


def parse(name: str, data: bytes):
    s = situation()
    return parse_file(name, data, import_id="H", places=s.places, towns=s.towns, admin1=s.admin1)


def only_problem(name: str, data: bytes) -> str:
    parsed = parse(name, data)
    assert parsed.kind == "unreadable file" and len(parsed.records) == 0, parsed.kind
    return str(parsed.rejected[0])


# --- minimal .xlsx written by hand: small on disk, as big as we like once decompressed ---------------

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    b'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
SST_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def write_xlsx(path, sheet_parts, strings_parts=(SST_HEAD + b"</sst>",), workbook=WORKBOOK):
    """An .xlsx whose sheet and shared strings are streamed from iterables of bytes (never held whole)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, parts in (("xl/worksheets/sheet1.xml", sheet_parts), ("xl/sharedStrings.xml", strings_parts)):
            with z.open(name, "w", force_zip64=True) as f:
                for part in parts:
                    f.write(part)
    return path


def row(n: int, *cells: str) -> bytes:
    return (
        f'<row r="{n}">'
        + "".join(f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(cells))
        + "</row>"
    ).encode()


FLOW_HEADER = ("origin", "destination", "people", "date", "source")


def test_hand_made_xlsx_is_read(tmp_path):
    """The generator makes workbooks openpyxl reads: the refusals below come from the limits, not from damage."""
    path = write_xlsx(
        tmp_path / "ok.xlsx",
        [SHEET_HEAD, row(1, *FLOW_HEADER), row(2, "Tila", "Yajalón", "4187", "2024-06-04", "sipaz"), SHEET_TAIL],
    )
    parsed = parse("ok.xlsx", path.read_bytes())
    assert parsed.rejected == [] and parsed.records.iloc[0]["people"] == 4187


def huge_shared_string(megabytes: int):
    yield SST_HEAD + b"<si><t>"
    for _ in range(megabytes):
        yield b"A" * (1024 * 1024)
    yield b"</t></si></sst>"


def test_one_huge_shared_string_is_a_zip_bomb(tmp_path):
    path = write_xlsx(
        tmp_path / "bomb.xlsx",
        [SHEET_HEAD, b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>', SHEET_TAIL],
        huge_shared_string(600),
    )
    assert path.stat().st_size < 1_000_000
    problem, rss, seconds = refused_in_child(path)
    assert "bomb.xlsx, field '(archive)': got \"'xl/sharedStrings.xml' expands" in problem
    assert f"expected at most {limits.MAX_ZIP_RATIO} times" in problem and "save it as CSV" in problem
    assert rss < 400 and seconds < 20


def test_declared_sizes_that_lie_are_damage_not_memory(tmp_path):
    """A central directory that understates a member: zipfile stops at the declared size and the CRC fails."""
    path = write_xlsx(tmp_path / "liar.xlsx", [SHEET_HEAD, row(1, *FLOW_HEADER), SHEET_TAIL], huge_shared_string(50))
    data = bytearray(path.read_bytes())
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x05\x06"))  # the last member's directory entry
    assert data[entry + 46 : entry + 66] == b"xl/sharedStrings.xml"
    data[entry + 24 : entry + 28] = (1000).to_bytes(4, "little")  # uncompressed size: 1,000 bytes
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/sharedStrings.xml").file_size == 1000
    problem = only_problem("liar.xlsx", bytes(data))
    assert "damaged" in problem and "save it" in problem and "KeyError" not in problem


def tiny_rows(n: int):
    yield SHEET_HEAD + row(1, "origin")
    for start in range(2, n + 2, 10_000):
        yield b"".join(b"<row><c><v>%d</v></c></row>" % i for i in range(start, min(start + 10_000, n + 2)))
    yield SHEET_TAIL


def test_one_and_a_half_million_rows_xlsx(tmp_path):
    path = write_xlsx(tmp_path / "rows.xlsx", tiny_rows(1_500_000))
    assert path.stat().st_size < 5_000_000
    problem, rss, seconds = refused_in_child(path)
    assert problem.startswith("rows.xlsx, field '(sheets)': got 'more than 200,001 rows'")
    assert "expected at most 200,001 rows; split the file" in problem
    assert rss < 600 and seconds < 30


def test_xml_entities_are_refused(tmp_path):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>'
    )
    path = write_xlsx(tmp_path / "laughs.xlsx", [SHEET_HEAD, row(1, *FLOW_HEADER), SHEET_TAIL], [laughs])
    assert "DOCTYPE/ENTITY declaration in 'xl/sharedStrings.xml'" in only_problem("laughs.xlsx", path.read_bytes())
    external = WORKBOOK.replace(b"?><workbook", b'?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><workbook')
    path = write_xlsx(tmp_path / "ext.xlsx", [SHEET_HEAD, row(1, *FLOW_HEADER), SHEET_TAIL], workbook=external)
    assert "DOCTYPE/ENTITY declaration in 'xl/workbook.xml'" in only_problem("ext.xlsx", path.read_bytes())


def test_corrupt_xlsx_never_shows_an_exception_name():
    import pandas as pd

    buf = io.BytesIO()
    pd.DataFrame(
        {"origin": ["Tila"], "destination": ["Yajalón"], "people": [3], "date": ["2024-06-04"], "source": ["x"]}
    ).to_excel(buf, index=False)
    good = buf.getvalue()
    messages = set()
    rnd = random.Random(7)
    damaged_copies = []
    for at in range(0, len(good), 61):
        bad = bytearray(good)
        bad[at : at + 8] = b"\xff" * 8
        damaged_copies.append(bytes(bad))
        cut = rnd.randrange(len(good))  # bytes missing inside: offsets of the directory point past their parts
        damaged_copies.append(good[:cut] + good[cut + rnd.randint(1, 60) :])
    for data in damaged_copies:
        for name in ("broken.xlsx", "broken.zip"):
            parsed = parse(name, data)  # never raises
            messages.update(str(p).replace("broken.zip", "broken.xlsx") for p in parsed.rejected if p.row is None)
    assert messages
    for m in messages:
        assert not any(word in m for word in ("KeyError", "Error -3", "zlib", "NotImplementedError", "Traceback")), m
    damaged = [m for m in messages if "a damaged ZIP/Excel container (" in m]
    assert len(damaged) >= 5
    for m in damaged:
        assert m.startswith("broken.xlsx, field '(file)': got ")
        assert m.endswith("open it in Excel or LibreOffice and save it again as .xlsx, or save the sheet as CSV"), m
    assert "damaged" in only_problem("truncated.xlsx", good[: len(good) // 2])


def test_zip_bomb_and_crowded_zip_named_zip(tmp_path):
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z, z.open("big.csv", "w") as f:
        for _ in range(300):
            f.write(b"0" * 1024 * 1024)
    problem, rss, _seconds = refused_in_child(path)
    assert "expands" in problem and "ZIP bomb" in problem and rss < 400
    crowded = io.BytesIO()
    with zipfile.ZipFile(crowded, "w") as z:
        for i in range(limits.MAX_ZIP_MEMBERS + 1):
            z.writestr(f"xl/{i}.xml", b"")
    assert f"got '{limits.MAX_ZIP_MEMBERS + 1:,} ZIP members'" in only_problem("many.xlsx", crowded.getvalue())


# --- CSV ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,size", [("a", 160_000), ("event_id_cnty", 1_000_000)])
def test_header_repeating_one_name(tmp_path, name, size):
    repeats = size // (len(name) + 1)
    path = tmp_path / f"repeat{size}.csv"
    path.write_bytes((",".join([name] * repeats) + "\n" + ",".join(["1"] * repeats) + "\n").encode())
    problem, rss, seconds = refused_in_child(path)
    assert problem.startswith(
        f"{path.name} row 1, field '(columns)': got \"{repeats:,} columns (the first is '{name}')\""
    )
    assert "expected at most 300 columns; export only the columns you need" in problem
    assert seconds < 15 and rss < 600


def test_repeated_column_names_under_the_column_limit():
    data = b"origin,destination,people,Origin ,date\nTila,Yajalon,3,Tila,2024-06-04\n"
    assert only_problem("dup.csv", data) == (
        "dup.csv row 1, field '(columns)': got 'Origin ', expected each column name once; columns 1 and 4 "
        "are both called that: rename or delete one of them"
    )


def test_long_line_many_lines_and_many_cells(tmp_path):
    long_line = b"origin,destination\n" + b"Tila,Yajalon\n" * 3 + b"x" * (limits.MAX_LINE_BYTES + 10) + b"\n"
    assert only_problem("long.csv", long_line).startswith(
        f"long.csv row 5, field '(line)': got 'a line of {limits.MAX_LINE_BYTES + 10:,} bytes', "
        f"expected at most {limits.MAX_LINE_BYTES:,} bytes per line"
    )
    path = tmp_path / "lines.csv"
    path.write_bytes(b"origin\n" + b"1\n" * 1_500_000)
    problem, rss, seconds = refused_in_child(path)
    assert problem.startswith("lines.csv, field '(rows)': got '1,500,001 lines', expected at most 200,001 lines")
    assert seconds < 15 and rss < 600
    lines = limits.MAX_CELLS // 40 + 1
    wide = ",".join(f"c{i}" for i in range(40)) + "\n" + ("," * 39 + "\n") * lines
    assert f"got '{lines * 40:,} cells (data lines x columns)', expected at most {limits.MAX_CELLS:,}" in only_problem(
        "wide.csv", wide.encode()
    )


def test_a_cell_longer_than_excel_allows():
    data = b'origin,destination,notes\nTila,Yajalon,"' + b"word\n" * 10_000 + b'"\n'
    assert only_problem("cell.csv", data).startswith(
        "cell.csv row 2, field 'notes': got 'a cell of 50,000 characters', expected at most 32,767 characters"
    )
    ring = ", ".join(f"{-92.2 + i * 1e-5:.5f} 15.30000" for i in range(3000))  # a detailed outline: 60,000 chars
    wkt = f"POLYGON (({ring}, -92.1 15.4, -92.2 15.3))"
    native = (
        "layer,id,title,date_start,date_precision,geo_precision,source_ids,status,geometry_wkt\n"
        f'operations,O9,t,2024-07-01,day,region,me,agreed,"{wkt}"\n'
    ).encode()
    assert len(wkt) > limits.MAX_CELL_CHARS and parse("outline.csv", native).rejected == []


def test_time_budget(monkeypatch, tmp_path):
    monkeypatch.setattr(limits, "MAX_SECONDS", 0.0)
    data = b"origin,destination,people,date,source\n" + b"Tila,Yajalon,3,2024-06-04,x\n" * 60_000
    msg = only_problem("slow.csv", data)
    assert msg.startswith("slow.csv, field '(time)': got 'more than 0 s (")
    assert "expected at most 0 s of reading and checking; split the file" in msg
    rows = [row(n, "Tila", "Yajalón", "3", "2024-06-04", "x") for n in range(2, 3000)]
    book = write_xlsx(tmp_path / "slow.xlsx", [SHEET_HEAD, row(1, *FLOW_HEADER), *rows, SHEET_TAIL])
    assert only_problem("slow.xlsx", book.read_bytes()).startswith("slow.xlsx, field '(time)': got 'more than 0 s (")
    monkeypatch.setattr(limits, "MAX_SECONDS", 120.0)
    assert parse("slow.csv", data).rejected == []


def test_an_admitted_file_at_the_limits_stays_under_1_gb(tmp_path):
    """ACLED rows x 25 columns up to the cell limit: read, checked and kept, in bounded memory and time."""
    from import_helpers import synthetic_acled

    frame = synthetic_acled(limits.MAX_CELLS // 25).iloc[:, :25]
    path = tmp_path / "acled_cells.csv"
    frame.to_csv(path, index=False)
    kind, problem, rss, seconds = in_child(path)
    print(f"{path.stat().st_size / 1e6:.0f} MB, {frame.size:,} cells")
    assert (kind, problem) == ("ACLED events", "")
    assert rss < 1024 and seconds < limits.MAX_SECONDS


def test_shared_strings_are_counted_before_openpyxl_reads_them(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 10)
    strings = [SST_HEAD, b"<si><t>x</t></si>" * 11, b"</sst>"]
    path = write_xlsx(tmp_path / "sst.xlsx", [SHEET_HEAD, row(1, *FLOW_HEADER), SHEET_TAIL], strings)
    assert only_problem("sst.xlsx", path.read_bytes()) == (
        "sst.xlsx, field '(shared strings)': got 'more than 10 shared strings', expected at most 10 shared strings; "
        "split the file into smaller files"
    )
