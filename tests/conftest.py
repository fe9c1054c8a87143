import pytest


@pytest.fixture(autouse=True)
def _isolated_user_store(tmp_path, monkeypatch):
    """Every test gets an empty user store of its own: never the developer's real one."""
    monkeypatch.setenv("FRONTERA_DATA_DIR", str(tmp_path / "frontera-data"))
    yield
