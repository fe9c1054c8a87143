"""House rules that keep the package usable outside Streamlit."""

import ast

from locations import ROOT

PKG = ROOT / "src" / "frontera"


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_only_the_ui_adapter_imports_streamlit():
    offenders = []
    for path in PKG.rglob("*.py"):
        if "ui" in path.relative_to(PKG).parts:
            continue
        if any(m == "streamlit" or m.startswith(("streamlit.", "streamlit_folium")) for m in imported_modules(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_pages_stay_small():
    pages = sorted((ROOT / "app_pages").glob("*.py"))
    assert len(pages) >= 5, "the pages live in app_pages/ (a pages/ folder would be run without the entrypoint)"
    assert not (ROOT / "pages").exists(), "pages/ is Streamlit's old auto-discovered folder; app.py names the pages"
    for page in [ROOT / "app.py", *pages]:
        assert len(page.read_text().splitlines()) <= 70, page.name
