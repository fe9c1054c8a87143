"""AppTest of the Import page per role: the signed-in person comes from ``st.user`` (AppTest.user) with an
``[auth]`` section in the secrets; a viewer sees no import or remove button, an analyst imports and removes
their own, an admin removes anyone's; the audit names who did what."""

import re
import time

import pytest
from import_helpers import fixture_bytes, plan_for
from locations import ROOT
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from frontera import auth
from frontera.storage import geopackage as store

PAGE = str(ROOT / "app_pages" / "5_Import.py")
APP = str(ROOT / "app.py")
SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-secret",
        "client_id": "frontera",
        "client_secret": "x",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}


def signed_in(groups, email, exp_in=3600.0, script=PAGE) -> AppTest:
    at = AppTest.from_file(script, default_timeout=90)
    at.secrets = SECRETS
    at.user = {"is_logged_in": True, "email": email, "sub": email, "groups": groups, "exp": time.time() + exp_in}
    return at


def run(at) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at) -> str:
    """Every text on the page, markdown escapes undone."""
    return unescape(_texts(at))


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _texts(at) -> str:
    return " ".join(
        e.value for kind in (at.info, at.error, at.caption, at.warning, at.success) for e in kind
    ) + " ".join(t.value for t in at.text)


def seed_import(who: str, name: str = "acled_current.csv") -> str:
    """An import made earlier by ``who`` (ids differ by person, so two people's imports sit side by side)."""
    import_id = "T-" + who.split("@")[0]
    store.commit_import(plan_for(name, import_id=import_id), fixture_bytes(name), who=who)
    return import_id


def test_a_viewer_sees_no_upload_and_no_remove_button_and_is_told_why(monkeypatch):
    monkeypatch.setenv("FRONTERA_AUTH_VIEWERS", "staff")
    import_id = seed_import("ana@example.org")
    at = run(signed_in(["staff"], "vic@example.org"))
    assert f"{import_id} · acled_current.csv" in texts(at)  # a viewer sees the imports
    assert not at.get("file_uploader")
    assert all(not b.key.startswith("remove_") for b in at.button)
    shown = texts(at)
    assert "vic@example.org is signed in as viewer" in shown and "only an analyst or above may import" in shown
    assert "Someone else's import" not in shown  # a viewer was told about the role once, above
    assert len(store.list_imports()) == 1


def test_an_analyst_imports_and_the_audit_names_them(monkeypatch):
    monkeypatch.setenv("FRONTERA_AUTH_ANALYSTS", "analysts")
    at = run(signed_in(["analysts"], "ana@example.org"))
    at.file_uploader(key="import_file").upload("acled_current.csv", fixture_bytes("acled_current.csv"), "text/csv")
    run(at)
    at.button(key="import_confirm").click()
    run(at)
    (entry,) = store.list_imports()
    assert entry["who"] == "ana@example.org"
    (audit,) = [t.value for t in at.table]
    assert [unescape(w) for w in audit["who"]] == ["ana@example.org"] and list(audit["action"]) == ["import"]
    assert [unescape(i) for i in audit["import"]] == [entry["import_id"]]


def test_an_analyst_removes_their_own_import_but_not_anothers(monkeypatch):
    monkeypatch.setenv("FRONTERA_AUTH_ANALYSTS", "analysts")
    theirs = seed_import("bo@example.org")
    own = seed_import("ana@example.org", "flows_hxl.csv")
    at = run(signed_in(["analysts"], "ana@example.org"))
    keys = {b.key for b in at.button}
    assert f"remove_{own}" in keys and f"remove_{theirs}" not in keys
    assert "Someone else's import: only they or an admin can remove it." in texts(at)
    assert f"{theirs} · acled_current.csv" in texts(at) and "by bo@example.org" in texts(at)
    at.button(key=f"remove_{own}").click()
    run(at)
    at.button(key=f"remove_yes_{own}").click()
    run(at)
    assert [e["import_id"] for e in store.list_imports()] == [theirs]
    removal = store.read_import_log()[-1]
    assert (removal["action"], removal["import_id"], removal["who"]) == ("remove", own, "ana@example.org")


def test_an_admin_removes_anyones_import(monkeypatch):
    monkeypatch.setenv("FRONTERA_AUTH_ADMINS", "admins")
    theirs = seed_import("bo@example.org")
    at = run(signed_in(["admins"], "root@example.org"))
    at.button(key=f"remove_{theirs}").click()
    run(at)
    at.button(key=f"remove_yes_{theirs}").click()
    run(at)
    assert store.list_imports() == []
    assert store.read_import_log()[-1]["who"] == "root@example.org"
    (audit,) = [t.value for t in at.table]  # newest first: the admin's removal, then bo's import
    assert [unescape(w) for w in audit["who"]] == ["root@example.org", "bo@example.org"]
    assert list(audit["action"]) == ["remove", "import"]


def test_without_sign_in_the_page_offers_sign_in_and_nothing_else():
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.secrets = SECRETS
    at.user = {"is_logged_in": False}
    run(at)
    assert [b.key for b in at.button] == ["sign_in"]
    assert not at.get("file_uploader")


def test_an_expired_token_signs_the_person_out():
    at = run(signed_in(["analysts"], "ana@example.org", exp_in=-5))
    assert "Your sign-in has expired" in texts(at)
    assert not at.get("file_uploader") and not at.table
    assert at.user.get("is_logged_in") is False  # st.logout() cleared the session's user


def test_the_app_shows_who_is_signed_in_and_a_sign_out(monkeypatch):
    monkeypatch.setenv("FRONTERA_AUTH_ANALYSTS", "analysts")
    at = run(signed_in(["analysts"], "ana@example.org", script=APP))
    assert "Signed in as ana@example.org · analyst" in unescape(" ".join(c.value for c in at.sidebar.caption))
    assert any(b.key == "sign_out" for b in at.sidebar.button)


def upload_and_confirm(at) -> dict:
    at.file_uploader(key="import_file").upload("acled_current.csv", fixture_bytes("acled_current.csv"), "text/csv")
    run(at)
    at.button(key="import_confirm").click()
    run(at)
    return store.read_import_log()[-1]


def test_single_user_mode_needs_no_sign_in_and_logs_no_one():
    at = run(AppTest.from_file(PAGE, default_timeout=90))
    assert at.get("file_uploader") and not any(b.key == "sign_in" for b in at.button)
    entry = upload_and_confirm(at)
    assert entry["action"] == "import" and entry.get("who") is None  # single-user mode: no one is named
    (audit,) = [t.value for t in at.table]
    assert [unescape(w) for w in audit["who"]] == ["(no sign-in)"]


def shared_database(monkeypatch) -> None:
    """As if FRONTERA_DATABASE_URL named a shared database, while the records stay in this test's GeoPackage
    (the rule is about telling people apart, not about the backend; no PostgreSQL needed here)."""
    monkeypatch.setattr(auth, "shared_database", lambda environ=None: True)


@pytest.fixture
def server_address():
    """Set ``server.address`` for one test (AppTest reads the repository's .streamlit/config.toml: localhost)."""
    before = st_config.get_option("server.address")
    yield lambda value: st_config.set_option("server.address", value)
    st_config.set_option("server.address", before)


def test_a_shared_database_without_sign_in_is_refused_off_this_machine(monkeypatch, server_address):
    shared_database(monkeypatch)
    server_address("0.0.0.0")
    at = run(AppTest.from_file(APP, default_timeout=90))
    shown = unescape(" ".join(e.value for e in at.error))
    assert "served only to this machine" in shown and "listens on '0.0.0.0'" in shown
    assert "[auth] section in .streamlit/secrets.toml" in shown
    assert not at.get("file_uploader") and not at.sidebar.caption


def test_a_shared_database_without_sign_in_works_on_this_machine(monkeypatch, server_address):
    shared_database(monkeypatch)
    server_address("localhost")
    at = run(AppTest.from_file(PAGE, default_timeout=90))
    assert at.get("file_uploader") and not at.error
    entry = upload_and_confirm(at)
    assert entry["who"].startswith("local:") and len(entry["who"]) > len("local:")  # the operating-system user
