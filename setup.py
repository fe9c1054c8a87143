"""Build hook: an installed Frontera carries its app, pages, bundled data and browser assets.

In a checkout these sit at the repository's top level (``app.py``, ``app_pages/``, ``geodata/``,
``static/``, ``.streamlit/config.toml``). A wheel copies them into ``frontera/_bundled/``, where
:func:`frontera.paths.bundle_root` finds them, so ``pip install .`` runs the app (``frontera
serve``), the CLI and the tests without the checkout. Editable installs use the checkout itself.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = ("app.py", "app_pages", "geodata", "static", ".streamlit/config.toml")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


class BuildWithBundle(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "frontera" / "_bundled"
        for name in BUNDLED:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=SKIP, dirs_exist_ok=True)
            else:
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithBundle})
