"""frontera.assets: every script and style sheet of a map comes from Frontera's own files."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import branca.colormap
import folium
import folium.plugins
import pytest
from folium.elements import JSCSSMixin

from frontera import assets

ROOT = Path(__file__).resolve().parents[1]


def small_map() -> folium.Map:
    m = folium.Map(location=[15.43, -92.12], zoom_start=9, tiles=None, max_zoom=14)
    assets.configure_map(m)
    line = folium.PolyLine([[15.43466, -92.11711], [15.4, -91.96667]], class_name="frontera-flow").add_to(m)
    folium.plugins.PolyLineTextPath(line, "►", repeat=True).add_to(m)
    return m


def declared_links(m: folium.Map) -> list[str]:
    """The js/css URLs that streamlit-folium collects from a rendered map (same walk as st_folium)."""
    return [url for e in assets.walk(m) if isinstance(e, JSCSSMixin) for _, url in [*e.default_js, *e.default_css]]


def test_static_mode_points_every_element_at_static_files():
    m = small_map()
    html = m.get_root().render()
    links = declared_links(m)
    assert links[0] == "../../app/static/vendor/leaflet/leaflet.js"
    assert links[1] == "../../app/static/frontera/icon-path.js", "the marker-image fix must follow leaflet.js"
    assert "../../app/static/vendor/leaflet-textpath/leaflet.textpath.js" in links
    assert all(url.startswith("../../app/static/") for url in links), links
    for url in links:
        assert (assets.STATIC_DIR / url.removeprefix("../../app/static/")).is_file(), url
    assert assets.external_urls(html) == []
    assert "cdn" not in " ".join(re.findall(r'(?:src|href)="([^"]*)"', html)).lower()


def test_static_prefix_is_a_parameter():
    m = folium.Map(tiles=None)
    assets.configure_map(m, static_prefix="/frontera/app/static")
    m.get_root().render()
    assert all(url.startswith("/frontera/app/static/") for url in declared_links(m))


def test_elements_added_after_configure_are_rewritten_too():
    m = small_map()
    assets.add_script(m, "frontera/labels.js")
    m.get_root().render()
    assert "../../app/static/frontera/labels.js" in declared_links(m)


def test_unknown_plugin_fails_instead_of_reaching_a_cdn():
    m = folium.Map(tiles=None)
    assets.configure_map(m)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(assets.AssetError, match=r"Fullscreen wants 'https://cdn\.jsdelivr\.net/.*CDN_COPIES"):
        m.get_root().render()


def test_branca_colormap_is_refused():
    m = folium.Map(tiles=None)
    assets.configure_map(m)
    branca.colormap.LinearColormap(["white", "red"], vmin=0, vmax=600).add_to(m)
    with pytest.raises(assets.AssetError, match="colormap"):
        m.get_root().render()


def test_inline_mode_embeds_everything():
    m = small_map()
    assets.configure_map(m, mode="inline")
    html = m.get_root().render()
    assert "<script src=" not in html
    assert '<link rel="stylesheet"' not in html
    assert assets.external_urls(html) == []
    assert "Leaflet 1.9.4" in html  # leaflet.js banner
    assert "L.Polyline.include" in html or "setText" in html  # leaflet-textpath's code
    assert 'url("data:image/png;base64,' in html  # leaflet.css images
    assert "sourceMappingURL" not in html
    assert declared_links(m) == []


def test_inline_after_static_render_replaces_links_in_place():
    m = small_map()
    m.get_root().render()
    assets.configure_map(m, mode="inline")
    html = m.get_root().render()
    assert "<script src=" not in html and assets.external_urls(html) == []


def test_bad_mode_is_refused():
    with pytest.raises(ValueError, match="'cdn' is not one of"):
        assets.configure_map(folium.Map(tiles=None), mode="cdn")


def test_every_vendored_package_has_its_licence_and_a_readme_row():
    readme = (assets.STATIC_DIR / "vendor" / "README.md").read_text()
    folders = [p for p in (assets.STATIC_DIR / "vendor").iterdir() if p.is_dir()]
    assert {p.name for p in folders} >= {"leaflet", "leaflet-textpath"}
    for folder in folders:
        assert (folder / "LICENSE").is_file(), f"{folder} has no LICENSE"
        assert f"`{folder.name}/`" in readme, f"static/vendor/README.md does not list {folder.name}"
    assert "leaflet@1.9.4" in readme


def test_vendored_copies_exist_for_every_mapped_cdn_url():
    for url, rel in assets.CDN_COPIES.items():
        assert (assets.STATIC_DIR / rel).is_file(), f"{url} maps to missing {rel}"


def test_streamlit_config_serves_static_and_sends_no_statistics():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert config["browser"]["gatherUsageStats"] is False


def test_external_urls_ignores_clickable_links():
    html = (
        '<a href="https://www.openstreetmap.org/copyright">OSM</a>'
        '<link rel="stylesheet" href="//cdn.example/x.css"/><img src="http://t.example/1/2/3.png">'
    )
    assert assets.external_urls(html) == ["//cdn.example/x.css", "http://t.example/1/2/3.png"]
