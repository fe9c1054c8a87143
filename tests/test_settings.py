"""frontera.settings: background tiles are off unless the user names a server."""

from __future__ import annotations

import pytest

from frontera import settings
from frontera.settings import SettingsError, TileSetting

URL = "http://tiles.office.lan/{z}/{x}/{y}.png"


def test_no_tiles_by_default(tmp_path):
    assert settings.tiles({"FRONTERA_CONFIG": str(tmp_path / "absent.toml")}) is None


def test_tiles_from_environment():
    env = {
        "FRONTERA_TILES_URL": URL,
        "FRONTERA_TILES_ATTRIBUTION": "© OpenStreetMap contributors",
        "FRONTERA_TILES_MAX_ZOOM": "16",
    }
    assert settings.tiles(env) == TileSetting(URL, "© OpenStreetMap contributors", 16)


def test_tiles_from_frontera_toml(tmp_path):
    path = tmp_path / "frontera.toml"
    path.write_text(f'[tiles]\nurl = "{URL}"\nattribution = "© Office"\n', encoding="utf-8")
    assert settings.tiles({"FRONTERA_CONFIG": str(path)}) == TileSetting(URL, "© Office", 18)


def test_environment_wins_and_can_turn_tiles_off(tmp_path):
    path = tmp_path / "frontera.toml"
    path.write_text(f'[tiles]\nurl = "{URL}"\nattribution = "© Office"\n', encoding="utf-8")
    assert settings.tiles({"FRONTERA_CONFIG": str(path), "FRONTERA_TILES_URL": "none"}) is None


def test_url_without_attribution_is_an_error():
    with pytest.raises(SettingsError, match=r"FRONTERA_TILES_URL: tile url .* has no attribution"):
        settings.tiles({"FRONTERA_TILES_URL": URL})


def test_url_without_placeholders_is_an_error():
    with pytest.raises(SettingsError, match=r"lacks \{z\}, \{x\}, \{y\}"):
        settings.tiles({"FRONTERA_TILES_URL": "http://tiles.lan/", "FRONTERA_TILES_ATTRIBUTION": "x"})


@pytest.mark.parametrize("zoom", ["0", "30", "high"])
def test_bad_max_zoom_is_an_error(zoom):
    env = {"FRONTERA_TILES_URL": URL, "FRONTERA_TILES_ATTRIBUTION": "x", "FRONTERA_TILES_MAX_ZOOM": zoom}
    with pytest.raises(SettingsError, match=f"max_zoom '{zoom}' is not a whole number"):
        settings.tiles(env)


def test_broken_toml_names_the_file(tmp_path):
    path = tmp_path / "frontera.toml"
    path.write_text("[tiles\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"frontera\.toml: not valid TOML"):
        settings.tiles({"FRONTERA_CONFIG": str(path)})


def test_setting_is_frozen():
    with pytest.raises(AttributeError):
        TileSetting(URL, "x").url = "other"  # type: ignore[misc]
