"""Sign-in for the app: Streamlit's ``st.login`` with the OpenID Connect provider of ``.streamlit/secrets.toml``.

Who the person is and what they may do is decided in :mod:`frontera.auth`; this module
only asks Streamlit. Without a provider the embedded single-user mode needs no sign-in; a
shared database (``FRONTERA_DATABASE_URL``) without one is served to this machine only.
Streamlit keeps the identity in a cookie for 30 days and never looks at the ID token's
expiry again, so every run checks ``exp`` and signs an expired person out.
"""

from __future__ import annotations

import streamlit as st

from frontera import auth
from frontera.auth import Identity, Mode
from frontera.errors import FronteraError
from frontera.i18n import _
from frontera.ui.text import plain

#: Headers a reverse proxy adds: a request carrying one came from another machine through it.
_PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip", "X-Forwarded-Host")


def provider_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` (or ``secrets.files``) has an ``[auth]`` section."""
    try:
        return bool(st.secrets.get("auth"))
    except FileNotFoundError:  # no secrets file at all (Streamlit's StreamlitSecretNotFoundError)
        return False


def _through_proxy() -> bool:
    headers = st.context.headers
    return any(headers.get(h) for h in _PROXY_HEADERS)


def current() -> Identity:
    """The person using this session; stops the run (after saying why) when nobody may be served.

    Every page that changes anything asks this, on every run: a role or an expiry is never cached.
    """
    try:
        how = auth.mode(provider_configured(), auth.shared_database())
        if how is Mode.SINGLE_USER:
            return Identity.single_user()
        if how is Mode.LOCAL_ONLY:
            return _local_only()
        return _signed_in()
    except FronteraError as exc:  # a bad [auth] table in frontera.toml: the message names file and fix
        st.error(plain(exc), icon="🚫")
        st.stop()
        raise  # st.stop() raises; this line is for the type checker


def _local_only() -> Identity:
    why = auth.local_only_refusal(st.get_option("server.address"), _through_proxy())
    if why:
        st.title(_("Frontera: sign-in needed"))
        st.error(plain(why), icon="🔒")
        st.stop()
    return Identity.local()


def _signed_in() -> Identity:
    user = st.user
    if not user.is_logged_in:
        _sign_in_page()
        st.stop()
    claims = user.to_dict()
    if auth.is_expired(claims):
        st.info(_("Your sign-in has expired: signing you out. Sign in again to go on."), icon="🔒")
        st.logout()
        st.stop()
    identity = Identity.from_claims(claims, auth.role_mapping())
    if identity.role is None:
        st.title("Frontera")
        st.error(
            plain(
                _(
                    "{name} is signed in but has no role in Frontera. "
                    "Ask an admin to add you to a group that gives one (your groups: {groups})."
                ).format(name=identity.name, groups=", ".join(identity.groups) or _("none"))
            ),
            icon="🔒",
        )
        st.button(_("Sign out"), key="sign_out", on_click=st.logout)
        st.stop()
    return identity


def _sign_in_page() -> None:
    st.title("Frontera")
    st.write(_("This Frontera is shared by a team: sign in to see the situation picture."))
    st.button(_("Sign in"), type="primary", key="sign_in", on_click=st.login)


def sidebar(identity: Identity) -> None:
    """Who is signed in, their role, and the sign-out button (nothing in single-user mode)."""
    if identity.mode is Mode.SINGLE_USER:
        return
    with st.sidebar:
        if identity.mode is Mode.LOCAL_ONLY:
            st.caption(plain(_("{name} · shared database, this machine only (no sign-in)").format(name=identity.name)))
            return
        st.caption(plain(_("Signed in as {name} · {role}").format(name=identity.name, role=_(identity.role_label))))
        st.button(_("Sign out"), key="sign_out", on_click=st.logout)


def gate() -> Identity:
    """For ``app.py``, before any page: the person (or a stopped run with the reason), and the sidebar."""
    identity = current()
    sidebar(identity)
    return identity
