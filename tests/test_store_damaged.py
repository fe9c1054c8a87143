"""A damaged store.gpkg: every command and the Import page say so (file, damage, fix), none shows a
traceback or blames the input file, and nothing is written over the damaged file."""

import hashlib

import pytest
from cli_run import frontera
from import_helpers import FIXTURES, fixture_bytes, import_file
from locations import ROOT
from streamlit.testing.v1 import AppTest

from frontera.cli import main
from frontera.storage import geopackage as store


def _truncate_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _garbage(data: bytes) -> bytes:
    return bytes((b * 37 + 11) % 251 for b in range(len(data)))


def _garbage_inside(data: bytes) -> bytes:  # the header survives: only SQLite's own check finds this
    start = 16 * 1024
    return data[:start] + b"\xa5" * 8192 + data[start + 8192 :]


DAMAGE = {
    "truncated to half": _truncate_half,
    "truncated to 40 bytes": lambda d: d[:40],
    "empty": lambda d: b"",
    "garbage bytes": _garbage,
    "garbage inside": _garbage_inside,
}
HEADER_DAMAGE = [k for k in DAMAGE if k != "garbage inside"]


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged(request):
    import_file("acled_current.csv", import_id="A1")
    path = store.store_path()
    path.write_bytes(DAMAGE[request.param](path.read_bytes()))
    return path


def _assert_store_message(err: str, path) -> None:
    assert f"your store {path} is damaged" in err, err
    assert f"mv '{path}' '{path}.damaged'" in err and "the file was not changed" in err
    assert "Traceback" not in err and "please report this with the file" not in err


COMMANDS = {
    "imports": lambda tmp: ["imports"],
    "remove-import": lambda tmp: ["remove-import", "A1"],
    "export-data": lambda tmp: ["export-data", "--format", "csv", "--out", str(tmp / "out.csv")],
    "export-map": lambda tmp: ["export-map", "--out", str(tmp / "map.html")],
    "import": lambda tmp: ["import", str(FIXTURES / "flows_hxl.csv")],
}


@pytest.mark.parametrize("damaged", HEADER_DAMAGE, indirect=True)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_names_the_damaged_store_and_exits_2(damaged, command, tmp_path, capsys):
    before = digest(damaged)
    assert main(COMMANDS[command](tmp_path)) == 2
    out, err = capsys.readouterr()
    _assert_store_message(err, damaged)
    assert err.count("\n") == 1 and "flows_hxl.csv: could not be read" not in out + err
    assert digest(damaged) == before
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "map.html").exists()


@pytest.mark.parametrize("damaged", ["garbage inside"], indirect=True)
@pytest.mark.parametrize("command", ["import", "remove-import"])
def test_writers_check_every_page_before_copying_a_store(damaged, command, tmp_path, capsys):
    """Damage behind a sound header: SQLite's quick_check stops the write, naming the damage."""
    before = digest(damaged)
    assert main(COMMANDS[command](tmp_path)) == 2
    _assert_store_message(capsys.readouterr().err, damaged)
    assert digest(damaged) == before


@pytest.mark.parametrize("damaged", ["truncated to half"], indirect=True)
def test_the_installed_command_prints_one_line_and_no_traceback(damaged):
    proc = frontera("imports", timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == "" and proc.stderr.count("\n") == 1, proc.stderr
    _assert_store_message(proc.stderr, damaged)


@pytest.mark.parametrize("damaged", ["garbage bytes", "truncated to half"], indirect=True)
def test_import_page_says_the_store_is_damaged(damaged):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("app_pages/5_Import.py").run()
    assert not at.exception, at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("is damaged" in e and "store.gpkg.damaged" in e for e in errors), errors
    at.file_uploader(key="import_file").upload("flows_hxl.csv", fixture_bytes("flows_hxl.csv"), "text/csv")
    at.run()
    assert not at.exception, at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("is damaged" in e and "Nothing was imported" in e for e in errors), errors
    assert not any("flows_hxl.csv could not be read" in e for e in errors)
    assert all(b.key != "import_confirm" for b in at.button)
