"""Where Frontera's files are: the one home of every path it reads by default.

Two layouts hold the same files:

- a checkout (``pip install -e .``, ``make run``): ``app.py``, ``app_pages/``, ``geodata/``,
  ``static/`` and ``.streamlit/`` at the repository's top level;
- an installed package (``pip install .``): the build copies them into the package as
  ``frontera/_bundled/`` (see ``setup.py``), found here through :mod:`importlib.resources`.

:func:`bundle_root` says which; everything else is found from it. The user's own files (the
store, a ``frontera.toml``) never live in the package: see :func:`data_dir` and
:func:`config_path`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

#: The checkout this module sits in (meaningful only in a checkout; see :func:`bundle_root`).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUNDLE_DIRNAME = "_bundled"
ENV_GEODATA = "FRONTERA_GEODATA_DIR"
ENV_DATA = "FRONTERA_DATA_DIR"
ENV_CONFIG = "FRONTERA_CONFIG"


def bundle_root() -> Path:
    """The folder holding ``app.py``, ``app_pages/``, ``geodata/`` and ``static/``: the copy inside an
    installed package when there is one, else the checkout."""
    packaged = resources.files("frontera") / BUNDLE_DIRNAME
    if packaged.is_dir():
        return Path(str(packaged))
    return PROJECT_ROOT


def app_script() -> Path:
    """The Streamlit entrypoint (``streamlit run`` it; ``frontera serve`` does)."""
    return bundle_root() / "app.py"


def geodata_dir() -> Path:
    """Folder of the bundled data (override with ``FRONTERA_GEODATA_DIR``)."""
    return Path(os.environ.get(ENV_GEODATA) or bundle_root() / "geodata")


def static_dir() -> Path:
    """Folder of the browser assets (Leaflet, our scripts); Streamlit serves it beside :func:`app_script`."""
    return bundle_root() / "static"


def data_dir() -> Path:
    """Folder of the user's store (imported records): ``FRONTERA_DATA_DIR``, else ``$XDG_DATA_HOME/frontera``."""
    if ENV_DATA in os.environ:
        return Path(os.environ[ENV_DATA])
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "frontera"


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """The ``frontera.toml`` that is read (it need not exist): ``FRONTERA_CONFIG``, else beside
    ``app.py`` in a checkout, else in the folder Frontera was started from."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_CONFIG):
        return Path(environ[ENV_CONFIG])
    root = bundle_root()
    return (PROJECT_ROOT if root == PROJECT_ROOT else Path.cwd()) / "frontera.toml"
