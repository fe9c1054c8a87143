"""frontera.standalone and ``frontera export-map``: one HTML file that needs no network."""

from __future__ import annotations

import datetime as dt

import pytest

from frontera import assets, cli, standalone
from frontera.analysis import enrich
from frontera.model.dates import DateWindow
from frontera.model.view import View
from frontera.storage import geopackage as store


@pytest.fixture(scope="module")
def situation():
    return enrich(store.load_situation())


def test_standalone_html_inlines_every_asset(situation):
    view = View(DateWindow(dt.date(2024, 7, 1), dt.date(2024, 8, 31)), ("border", "flows"))
    page = standalone.standalone_html(situation, view)
    assert assets.external_urls(page) == []
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    assert "Leaflet 1.9.4" in page and "L.fronteraLabels" in page
    assert "frontera-flow" in page and "frontera-border" in page
    assert (
        "<title>Frontera: 1 July 2024 to 31 August 2024 · Border, Displacement flows" in page
    )  # Babel dates (issue 14)


def test_standalone_ignores_configured_tiles(situation, monkeypatch):
    monkeypatch.setenv("FRONTERA_TILES_URL", "http://tiles.lan/{z}/{x}/{y}.png")
    monkeypatch.setenv("FRONTERA_TILES_ATTRIBUTION", "© Office")
    view = View(DateWindow(dt.date(2024, 7, 1), dt.date(2024, 8, 31)), ("border",))
    assert "tiles.lan" not in standalone.standalone_html(situation, view)


def test_export_map_command_writes_the_file(tmp_path, capsys):
    out = tmp_path / "map.html"
    code = cli.main(
        ["export-map", "--start", "2024-07-01", "--end", "2024-08-31", "--layers", "flows,border", "--out", str(out)]
    )
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert assets.external_urls(page) == [] and "frontera-flow" in page
    assert "needs no network" in capsys.readouterr().out


def test_export_map_rejects_an_unknown_layer(tmp_path, capsys):
    out = tmp_path / "map.html"
    assert cli.main(["export-map", "--layers", "rivers", "--out", str(out)]) == 2
    assert "'rivers'" in capsys.readouterr().err
    assert not out.exists()


def test_export_map_takes_a_density_choice(tmp_path, capsys):
    out = tmp_path / "map.html"
    assert cli.main(["export-map", "--layers", "clashes", "--density", "hexagons", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "L.fronteraFastPoints" in page and '"density": "hexagons"' in page
    assert cli.main(["export-map", "--layers", "clashes", "--density", "blobs", "--out", str(tmp_path / "x.html")]) == 2
    assert "--density 'blobs' is not one of auto, points, hexagons, heat" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()
