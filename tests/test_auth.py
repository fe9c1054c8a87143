"""Roles, their mapping from a sign-in claim, permissions, expiry and the this-machine-only rule (frontera.auth)."""

import pytest

from frontera import auth
from frontera.auth import AccessError, Action, Identity, Mode, Role, RoleMapping
from frontera.auth_token import cli_identity, provider
from frontera.settings import SettingsError

MAPPING = RoleMapping(groups={"staff": Role.VIEWER, "analysts": Role.ANALYST, "admins": Role.ADMIN})


def person(groups, email="ana@example.org", mapping=MAPPING) -> Identity:
    return Identity.from_claims({"sub": "s1", "email": email, "groups": groups, "exp": 2e9}, mapping)


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        (["staff"], Role.VIEWER),
        (["staff", "analysts"], Role.ANALYST),
        (["analysts", "admins"], Role.ADMIN),
        ("analysts,staff", Role.ANALYST),  # one string, as some providers send
        ([], Role.VIEWER),  # the default role
        (["unknown"], Role.VIEWER),
    ],
)
def test_the_highest_role_of_the_claim_values_wins(groups, role):
    assert person(groups).role is role


def test_no_default_role_means_no_role_and_nothing_allowed():
    strict = RoleMapping(groups={"analysts": Role.ANALYST}, default=None)
    nobody = person(["staff"], mapping=strict)
    assert nobody.role is None
    assert not any(auth.allowed(nobody, a) for a in Action)


def test_a_configured_claim_is_read_instead_of_groups():
    mapping = RoleMapping(claim="roles", groups={"frontera-analyst": Role.ANALYST})
    assert Identity.from_claims({"sub": "x", "roles": ["frontera-analyst"], "groups": []}, mapping).role is Role.ANALYST


def test_permissions_per_role():
    viewer, analyst, admin = person(["staff"]), person(["analysts"]), person(["admins"])
    assert [auth.allowed(viewer, a) for a in Action] == [True, True, False, False, False]
    assert [auth.allowed(analyst, a) for a in Action] == [True, True, True, True, False]
    assert all(auth.allowed(admin, a) for a in Action)


def test_an_analyst_removes_only_their_own_imports_an_admin_anyones():
    ana = person(["analysts"], email="ana@example.org")
    own, other, unsigned = {"who": "ana@example.org"}, {"who": "bo@example.org"}, {"import_id": "x"}
    assert auth.may_remove(ana, own)
    assert not auth.may_remove(ana, other)
    assert not auth.may_remove(ana, unsigned)  # made before sign-in: an admin's
    admin = person(["admins"], email="root@example.org")
    assert auth.may_remove(admin, other) and auth.may_remove(admin, unsigned)
    assert not auth.may_remove(person(["staff"], email="ana@example.org"), own)  # a viewer, even their own
    assert "bo@example.org" in auth.removal_refusal(ana, {**other, "import_id": "20260101T000000-ab"})


def test_the_refusal_names_the_person_their_role_and_what_to_ask_for():
    text = auth.refusal(person(["staff"]), Action.IMPORT)
    assert "ana@example.org" in text and "viewer" in text and "analyst" in text and "staff" in text
    with pytest.raises(AccessError, match="only an analyst"):
        auth.require(person(["staff"]), Action.IMPORT)
    strict = RoleMapping(default=None)
    assert "signed in as no role: only a viewer or above may see the map" in auth.refusal(
        person([], mapping=strict), Action.VIEW
    )


def test_single_user_and_local_identities_may_do_everything():
    assert all(auth.allowed(Identity.single_user(), a) for a in Action)
    assert Identity.single_user().who is None  # the log stays as it was before sign-in
    local = Identity.local("maria")
    assert local.who == "local:maria" and local.mode is Mode.LOCAL_ONLY


def test_claims_without_email_use_the_subject_and_without_either_are_refused():
    assert Identity.from_claims({"sub": "abc"}, MAPPING).who == "abc"
    with pytest.raises(AccessError, match="neither an e-mail nor a subject"):
        Identity.from_claims({"groups": ["admins"]}, MAPPING)


def test_expiry():
    assert not auth.is_expired({"exp": 1000}, now=999.5)
    assert auth.is_expired({"exp": 1000}, now=1000)
    assert auth.is_expired({"exp": "not a time"}, now=0)
    assert auth.is_expired({}, now=0)  # no expiry: treated as expired, never as forever


def test_mode():
    assert auth.mode(provider_configured=True, shared=True) is Mode.SIGN_IN
    assert auth.mode(provider_configured=False, shared=False) is Mode.SINGLE_USER
    assert auth.mode(provider_configured=False, shared=True) is Mode.LOCAL_ONLY
    assert auth.shared_database({"FRONTERA_DATABASE_URL": "postgresql+psycopg://f@127.0.0.1/f"})
    assert not auth.shared_database({"FRONTERA_DATABASE_URL": " "})


def test_a_shared_database_without_sign_in_is_served_to_this_machine_only():
    assert auth.local_only_refusal("localhost", through_proxy=False) is None
    assert auth.local_only_refusal("127.0.0.1", through_proxy=False) is None
    for address in ("0.0.0.0", "192.168.1.20", "", None):
        text = auth.local_only_refusal(address, through_proxy=False)
        assert text and "FRONTERA_DATABASE_URL" in text and "secrets.toml" in text and "[auth]" in text
    assert "proxy" in auth.local_only_refusal("127.0.0.1", through_proxy=True)


def test_mapping_from_frontera_toml(tmp_path):
    toml = tmp_path / "frontera.toml"
    toml.write_text(
        '[auth]\nclaim = "roles"\ndefault_role = "none"\n[auth.roles]\nanalyst = ["a"]\nadmin = ["b", "a2"]\n',
        encoding="utf-8",
    )
    m = auth.role_mapping({"FRONTERA_CONFIG": str(toml)})
    assert m == RoleMapping("roles", {"a": Role.ANALYST, "b": Role.ADMIN, "a2": Role.ADMIN}, None)


def test_the_environment_wins_over_frontera_toml(tmp_path):
    toml = tmp_path / "frontera.toml"
    toml.write_text('[auth.roles]\nanalyst = ["a"]\n', encoding="utf-8")
    env = {
        "FRONTERA_CONFIG": str(toml),
        "FRONTERA_AUTH_ANALYSTS": "x, y",
        "FRONTERA_AUTH_CLAIM": "grp",
        "FRONTERA_AUTH_DEFAULT_ROLE": "analyst",
    }
    assert auth.role_mapping(env) == RoleMapping("grp", {"x": Role.ANALYST, "y": Role.ANALYST}, Role.ANALYST)


def test_defaults_without_configuration(tmp_path):
    assert auth.role_mapping({"FRONTERA_CONFIG": str(tmp_path / "none.toml")}) == RoleMapping()


def test_a_bad_role_name_is_refused_with_where_it_came_from(tmp_path):
    toml = tmp_path / "frontera.toml"
    toml.write_text('[auth]\ndefault_role = "boss"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"frontera.toml \[auth\] default_role: 'boss' is not one of viewer"):
        auth.role_mapping({"FRONTERA_CONFIG": str(toml)})


def test_the_cli_without_a_provider_runs_as_the_single_user_or_this_machines_user(tmp_path):
    env = {"FRONTERA_SECRETS": str(tmp_path / "secrets.toml")}
    assert provider(env) is None
    assert cli_identity(None, env) == Identity.single_user()
    assert cli_identity(None, {**env, "FRONTERA_DATABASE_URL": "postgresql://x"}).mode is Mode.LOCAL_ONLY


def test_the_cli_with_a_provider_needs_a_token(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "s"\n'
        'client_id = "frontera"\nclient_secret = "c"\nserver_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {"FRONTERA_SECRETS": str(secrets)}
    assert provider(env).client_id == "frontera"
    with pytest.raises(AccessError, match="pass your ID token with --token or FRONTERA_TOKEN"):
        cli_identity(None, env)
    with pytest.raises(AccessError, match="could not read the sign-in provider's metadata"):
        cli_identity("a.b.c", env)  # nothing listens on port 9: a clear line, not a traceback
