"""The package's front door (frontera/__init__.py) and its one exception tree (frontera/errors.py)."""

import inspect
import re
import subprocess
import sys
from pathlib import Path

import frontera
from frontera import errors

SRC = Path(frontera.__file__).resolve().parent


def test_importing_frontera_loads_no_ui_map_or_geodata_library():
    code = (
        "import frontera, sys; "
        "print(sorted(m for m in ('streamlit', 'folium', 'branca', 'geopandas', 'pandas', 'pandera', 'shapely') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_version_and_every_public_name_resolve():
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", frontera.__version__), frontera.__version__
    for name in frontera.__all__:
        assert getattr(frontera, name) is not None, name
    assert frontera.check_records.__module__ == "frontera.model.validate"
    assert frontera.Problem.__module__ == "frontera.model.records"


def test_an_unknown_attribute_is_an_attribute_error():
    try:
        frontera.no_such_thing  # noqa: B018 - the lookup is the test
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("frontera.no_such_thing resolved")


def _classes(module) -> list[type]:
    return [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__]


def test_every_exception_lives_in_the_tree_and_the_docstring_draws_it():
    tree = errors.__doc__
    for cls in _classes(errors):
        assert issubclass(cls, errors.FronteraError), cls
        assert re.search(rf"(├── |└── |^){cls.__name__}\b", tree, re.MULTILINE), cls.__name__
    assert errors.FileProblem.__mro__[1] is errors.InputError


def test_no_exception_class_is_defined_outside_errors_py():
    pattern = re.compile(r"^class (\w+)\((\w*(?:Error|Exception|Problem|Exceeded)\w*)\)", re.MULTILINE)
    found = {
        f"{path.relative_to(SRC)}::{m.group(1)}"
        for path in SRC.rglob("*.py")
        if path.name != "errors.py"
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    }
    assert found == set(), found


def test_old_homes_hand_out_the_same_classes():
    from frontera import assets, settings
    from frontera.importers import limits

    assert settings.SettingsError is errors.SettingsError and assets.AssetError is errors.AssetError
    assert limits.FileProblem is errors.FileProblem and limits.LimitExceeded is errors.LimitExceeded
