"""Sign-in, for real: the app signs people in through ``st.login`` against a local OpenID Connect provider
(PyPI ``oidc-provider-mock``, on 127.0.0.1, in this test process), in headless Chromium.

A viewer cannot import or remove, on the page or with the CLI, and nothing changes; an analyst can, and the
log and the page name them; a token past its expiry signs the person out. The CLI gets its ID tokens from the
same provider, through the same authorization-code flow a browser uses.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT, _offline_context, _wait_healthy, free_port
from import_helpers import fixture_bytes, plan_for

from benchmarks.streamlit_server import start_streamlit, stop
from frontera.storage import geopackage as store

pytestmark = pytest.mark.browser

CLIENT_ID, CLIENT_SECRET = "frontera", "test-client-secret"
SHORT_LIVED = "eve"  # her ID tokens expire after SHORT_SECONDS
SHORT_SECONDS = 15
USERS = {
    "vic": {"email": "vic@example.org", "name": "Vic Viewer", "groups": ["staff"]},
    "ana": {"email": "ana@example.org", "name": "Ana Analyst", "groups": ["staff", "analysts"]},
    SHORT_LIVED: {"email": "eve@example.org", "name": "Eve Early", "groups": ["analysts"]},
}
ROLE_ENV = {"FRONTERA_AUTH_VIEWERS": "staff", "FRONTERA_AUTH_ANALYSTS": "analysts", "FRONTERA_AUTH_ADMINS": "admins"}
TIMEOUT_MS = 60_000
UPLOAD = "flows_utf8_bom.csv"  # the analyst's upload (acled_current.csv is seeded as someone else's)


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The OpenID Connect provider on 127.0.0.1; ID tokens of SHORT_LIVED expire after SHORT_SECONDS."""
    import werkzeug.serving

    with warnings.catch_warnings():  # the mock still imports authlib.jose, which Authlib 1.9 deprecates
        warnings.simplefilter("ignore")
        from oidc_provider_mock import User, _app
        from oidc_provider_mock import app as provider_app

    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on 127.0.0.1, for the test only
    mp = pytest.MonkeyPatch()
    original = _app.OpenIDCode.generate_user_info

    def user_info(self, user, scope):  # its claims are written into the ID token last, over its default exp
        claims = original(self, user, scope)
        if user.sub == SHORT_LIVED:
            claims = {**claims, "exp": int(time.time()) + SHORT_SECONDS}
        return claims

    mp.setattr(_app.OpenIDCode, "generate_user_info", user_info)
    wsgi = provider_app(user_claims=[User(sub=sub, claims=claims) for sub, claims in USERS.items()])
    server = werkzeug.serving.make_server("127.0.0.1", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        mp.undo()


@pytest.fixture(scope="module")
def signed_app(provider, tmp_path_factory) -> Iterator[dict]:
    """``streamlit run app.py`` with an [auth] section naming the provider; its own user store."""
    tmp = tmp_path_factory.mktemp("signin")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secrets_file = tmp / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {
        **os.environ,
        **ROLE_ENV,
        "FRONTERA_DATA_DIR": str(tmp / "data"),
        "FRONTERA_TILES_URL": "none",
        "FRONTERA_SECRETS": str(secrets_file),
        "AUTHLIB_INSECURE_TRANSPORT": "1",
    }
    log = tmp / "streamlit.log"
    proc = start_streamlit("app.py", port, env, log, ["--secrets.files", str(secrets_file)])
    try:
        _wait_healthy(url, proc, log)
        yield {"url": url, "env": env, "data": tmp / "data", "log": log}
    finally:
        stop(proc)


@pytest.fixture
def browser(playwright_driver, signed_app, provider, tmp_path):
    hosts = {urlsplit(signed_app["url"]).netloc, urlsplit(provider).netloc}
    yield from _offline_context(playwright_driver, tmp_path, hosts)


def sign_in(context, app_url: str, sub: str):
    """Open the app, press Sign in, pick ``sub`` at the provider; returns the page, back in the app, signed in."""
    page = context.new_page()
    page.goto(app_url)
    page.get_by_role("button", name="Sign in").click(timeout=TIMEOUT_MS)
    page.wait_for_url("**/oauth2/authorize**", timeout=TIMEOUT_MS)
    page.locator(f'button[name="sub"][value="{sub}"]').click()
    page.wait_for_url(f"{app_url}/**", timeout=TIMEOUT_MS)
    page.get_by_text(f"Signed in as {USERS[sub]['name']}").wait_for(timeout=TIMEOUT_MS)
    return page


def id_token(provider: str, sub: str) -> str:
    """An ID token for ``sub``, through the authorization-code flow (the provider's form, then its token endpoint)."""
    import httpx

    redirect = "http://127.0.0.1:9/cli-callback"
    params = {
        "client_id": CLIENT_ID,
        "redirect_uri": redirect,
        "response_type": "code",
        "scope": "openid email profile",
    }
    params |= {"state": "s", "nonce": secrets.token_hex(8)}
    answer = httpx.post(f"{provider}/oauth2/authorize", params=params, data={"sub": sub}, follow_redirects=False)
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    token = httpx.post(
        f"{provider}/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    return token.json()["id_token"]


def cli(env: dict, *args: str, token: str | None = None) -> subprocess.CompletedProcess:
    extra = ["--token", token] if token else []
    return subprocess.run(
        [sys.executable, "-m", "frontera.cli", *args, *extra],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def seed(data: Path, who: str, import_id: str, name: str = "acled_current.csv") -> None:
    """An import made earlier by ``who``, straight into the app's store (a file identical to one already
    imported changes nothing and is not logged: give each seed its own file)."""
    store.commit_import(plan_for(name, import_id=import_id), fixture_bytes(name), data, who=who)


def records(data: Path) -> int:
    return sum(len(f) for f in store.read_user_records(data).values())


def test_a_viewer_cannot_import_or_remove_on_the_page_or_with_the_cli(browser, signed_app, provider, screenshots):
    data = signed_app["data"]
    seed(data, "bo@example.org", "T-bo")
    before_log, before_records = store.read_import_log(data), records(data)
    page = sign_in(browser.context, signed_app["url"], "vic")
    page.goto(signed_app["url"] + "/Import")
    page.get_by_text("Vic Viewer is signed in as viewer: only an analyst or above may import").wait_for(
        timeout=TIMEOUT_MS
    )
    page.get_by_text("T-bo", exact=False).first.wait_for(timeout=TIMEOUT_MS)  # the imports are listed
    page.locator('[data-testid="stTable"]').get_by_text("bo@example.org").wait_for(timeout=TIMEOUT_MS)
    assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
    assert page.get_by_role("button", name="Remove").count() == 0
    page.screenshot(path=str(screenshots / "signin_viewer_import_page.png"), full_page=True)

    token = id_token(provider, "vic")
    imported = cli(signed_app["env"], "import", str(ROOT / "tests" / "fixtures" / "flows_hxl.csv"), token=token)
    removed = cli(signed_app["env"], "remove-import", "T-bo", token=token)
    for proc in (imported, removed):
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "signed in as viewer: only an analyst or above may" in proc.stderr and "Traceback" not in proc.stderr
    no_token = cli(signed_app["env"], "import", str(ROOT / "tests" / "fixtures" / "flows_hxl.csv"))
    assert no_token.returncode == 2 and "pass your ID token with --token or FRONTERA_TOKEN" in no_token.stderr
    forged = cli(
        signed_app["env"], "remove-import", "T-bo", token=token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    )
    assert forged.returncode == 2 and "the ID token was refused" in forged.stderr
    assert store.read_import_log(data) == before_log and records(data) == before_records  # nothing changed


def test_an_analyst_imports_on_the_page_and_with_the_cli_and_is_named(browser, signed_app, provider, screenshots):
    data = signed_app["data"]
    page = sign_in(browser.context, signed_app["url"], "ana")
    page.goto(signed_app["url"] + "/Import")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": UPLOAD, "mimeType": "text/csv", "buffer": fixture_bytes(UPLOAD)}]
    )
    page.get_by_role("button", name=re.compile(r"^Import [1-9]\d* new")).click(timeout=TIMEOUT_MS)
    page.get_by_text("Imported as").wait_for(timeout=TIMEOUT_MS)
    page_entry = next(e for e in reversed(store.read_import_log(data)) if e["action"] == "import")
    assert page_entry["who"] == "ana@example.org" and page_entry["file"] == UPLOAD
    page.reload()
    page.get_by_text(f"{page_entry['import_id']} · {UPLOAD}", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("by ana@example.org", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    audit = page.locator('[data-testid="stTable"]')
    audit.get_by_text("ana@example.org").first.wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(screenshots / "signin_analyst_import_page.png"), full_page=True)

    token = id_token(provider, "ana")
    proc = cli(signed_app["env"], "import", str(ROOT / "tests" / "fixtures" / "flows_hxl.csv"), token=token)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cli_entry = store.read_import_log(data)[-1]
    assert (cli_entry["action"], cli_entry["who"], cli_entry["file"]) == ("import", "ana@example.org", "flows_hxl.csv")
    seed(data, "bo@example.org", "T-bo2", "acled_legacy_upper.csv")
    refused = cli(signed_app["env"], "remove-import", "T-bo2", token=token)
    assert refused.returncode == 2 and "was made by bo@example.org" in refused.stderr
    done = cli(signed_app["env"], "remove-import", cli_entry["import_id"], token=token)
    assert done.returncode == 0, done.stdout + done.stderr
    assert store.read_import_log(data)[-1] == {
        **store.read_import_log(data)[-1],
        "action": "remove",
        "who": "ana@example.org",
    }
    page.reload()  # the removal by the CLI is in the page's audit, newest first
    first_row = page.locator('[data-testid="stTable"] tbody tr').first
    first_row.get_by_text("remove").wait_for(timeout=TIMEOUT_MS)
    assert "ana@example.org" in first_row.inner_text() and cli_entry["import_id"] in first_row.inner_text()
    page.screenshot(path=str(screenshots / "signin_analyst_audit.png"), full_page=True)
    listing = cli(signed_app["env"], "imports")
    assert "(by ana@example.org)" in listing.stdout and "(by bo@example.org)" in listing.stdout


def test_an_expired_token_signs_the_person_out(browser, signed_app, screenshots):
    page = sign_in(browser.context, signed_app["url"], SHORT_LIVED)
    signed_at = time.monotonic()  # sign_in saw "Signed in as Eve Early": her token was good then
    page.wait_for_timeout(max(0.0, SHORT_SECONDS + 1.5 - (time.monotonic() - signed_at)) * 1000)
    page.goto(signed_app["url"] + "/Import")  # a new run: the ID token's exp has passed
    page.wait_for_url("**/oauth2/end_session**", timeout=TIMEOUT_MS)  # st.logout() ends the provider's session too
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="Sign in").wait_for(timeout=TIMEOUT_MS)
    page.goto(signed_app["url"] + "/Import")  # the cookie is gone: still signed out
    page.get_by_role("button", name="Sign in").wait_for(timeout=TIMEOUT_MS)
    assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
    page.screenshot(path=str(screenshots / "signin_expired_signed_out.png"), full_page=True)


def test_a_shared_database_without_sign_in_refuses_a_request_through_a_proxy(playwright_driver, tmp_path, screenshots):
    """The app on 127.0.0.1, a shared database named, no [auth]: a request carrying a proxy's X-Forwarded-For
    (as nginx sends it from another machine) gets the reason and the fix, and no page."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FRONTERA_DATA_DIR": str(tmp_path / "data"), "FRONTERA_TILES_URL": "none"}
    env["FRONTERA_DATABASE_URL"] = "postgresql+psycopg://frontera@127.0.0.1:9/frontera"  # never reached: refused first
    env["FRONTERA_SECRETS"] = str(tmp_path / "no-secrets.toml")
    log = tmp_path / "streamlit.log"
    proc = start_streamlit("app.py", port, env, log)
    try:
        _wait_healthy(url, proc, log)
        for state in _offline_context(playwright_driver, tmp_path, {urlsplit(url).netloc}):
            state.context.set_extra_http_headers({"X-Forwarded-For": "203.0.113.9"})
            page = state.context.new_page()
            page.goto(url + "/Import")
            page.get_by_text("it is served only to this machine").wait_for(timeout=TIMEOUT_MS)
            page.get_by_text("This request came through a proxy, from another machine").wait_for(timeout=TIMEOUT_MS)
            assert page.get_by_text("Import your data").count() == 0
            page.screenshot(path=str(screenshots / "signin_shared_database_refused.png"), full_page=True)
    finally:
        stop(proc)
