"""Upload names never escape or break imports/<id>/ (kept as text in the log), and the terminal
never receives a control character from a file name, a value or an argument."""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from import_helpers import import_file

from frontera.cli import main
from frontera.storage import geopackage as store
from frontera.terminal import safe

GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-92.1, 15.4]},
                "properties": {
                    "layer": "clashes",
                    "id": "N1",
                    "title": "Named",
                    "date_start": "2024-07-01",
                    "date_precision": "day",
                    "geo_precision": "town",
                    "source_ids": "me",
                    "dataset": "mine",
                },
            }
        ],
    }
).encode()

HOSTILE_NAMES = [
    "../../x.geojson",
    "/etc/passwd",
    "..",
    ".",
    "....geojson",
    "C:\\Windows\\system32\\x.geojson",
    "a\x00b.geojson",
    "evil\x1b[2J\x07\x08\r.geojson",
    "\u202egnp.exe.geojson",
    "é" * 300 + ".geojson",
    "名" * 200,
    " .hidden.geojson ",
    "line\nbreak.geojson",
    "",
]


def _inside(folder: Path, name: str) -> bool:
    return (folder / name).resolve().parent == folder.resolve()


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_safe_basename_is_one_harmless_component(name):
    safe_name = store.safe_basename(name)
    assert safe_name and safe_name not in (".", "..") and not safe_name.startswith(".")
    assert "/" not in safe_name and "\\" not in safe_name and "\x00" not in safe_name
    assert all(c.isprintable() for c in safe_name)
    assert len(safe_name.encode("utf-8")) <= 180
    assert _inside(Path("/srv/imports/X1"), safe_name)


def test_safe_basename_keeps_the_extension_of_long_names():
    assert store.safe_basename("é" * 300 + ".geojson").endswith("é.geojson")
    assert store.safe_basename("/etc/passwd") == "passwd" and store.safe_basename("../../x.csv") == "x.csv"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_upload_names_are_kept_inside_their_folder(name):
    import_file(name, GEOJSON, import_id="N1")
    folder = store.imports_dir() / "N1"
    (kept,) = list(folder.iterdir())
    assert kept.read_bytes() == GEOJSON and _inside(folder, kept.name)
    assert all(p.is_relative_to(store.data_dir()) for p in store.data_dir().rglob("*"))
    (entry,) = store.read_import_log()
    assert entry["file"] == name and entry["kept_as"] == f"imports/N1/{kept.name}"  # the original name, as text
    with tempfile.TemporaryDirectory() as tmp:  # the same name is harmless on any fresh folder too
        (Path(tmp) / store.safe_basename(name)).write_bytes(b"x")


ESCAPES = "\x1b[31mRED\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07\x07\x08\r\u202e\u2066\u200b\x9b"
IN_NAMES = ESCAPES.replace("/", "")  # a file name cannot hold "/"


def _assert_terminal_safe(text: str) -> None:
    bad = sorted({hex(ord(c)) for c in text if not c.isprintable() and c != "\n"})
    assert bad == [], bad


def test_cli_output_escapes_control_characters_in_names_values_and_arguments(tmp_path, capsys):
    name = f"evil{IN_NAMES}.csv"
    hostile = tmp_path / name
    hostile.write_text(
        "origin,destination,people,date,source\n"
        f"Motozintla,Cuilco,12,2024-07-20,src{ESCAPES}\n"
        f"Motozintla,Cuilco,{ESCAPES},2024-07-20,src\n",
        encoding="utf-8",
    )
    outputs = []
    for argv in (
        # --valid-rows-only: one row is rejected, and since issue 11 that alone imports nothing
        ["import", str(hostile), "--valid-rows-only"],
        ["imports"],
        ["remove-import", f"X{ESCAPES}"],
        ["export-data", "--out", str(tmp_path / f"out{IN_NAMES}.geojson")],
        ["export-data", "--layers", ESCAPES, "--out", str(tmp_path / "x")],
        ["import", str(tmp_path / f"missing{IN_NAMES}.csv")],
    ):
        main(argv)
        out, err = capsys.readouterr()
        _assert_terminal_safe(out + err)
        outputs.append(out + err)
    with pytest.raises(SystemExit):
        main(["import", f"--bad{ESCAPES}"])
    _assert_terminal_safe(capsys.readouterr().err)
    shown = safe(name)
    assert shown in outputs[0] and shown in outputs[1]  # the name, visibly escaped, in the report and the list
    assert "\\x1b[31mRED\\x1b]8;;http:evil.example\\x07link" in shown and "\\u202e" in shown
    assert "\\x1b" in outputs[2] and "\\x1b" in outputs[3] and "\\x1b" in outputs[5]


@given(st.text())
def test_safe_leaves_nothing_a_terminal_obeys(text):
    shown = safe(text)
    assert all(c.isprintable() for c in shown)
    if text.isprintable():
        assert shown == text
