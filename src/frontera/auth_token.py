"""Who runs the CLI: an ID token (``--token`` or ``FRONTERA_TOKEN``) checked against the sign-in provider.

The provider is the one the app signs people in with: the ``[auth]`` section of
``.streamlit/secrets.toml`` (or the file ``FRONTERA_SECRETS`` names), its
``server_metadata_url`` and ``client_id``. With no provider there, the CLI runs in
single-user mode (or, with a shared database, as the person at this machine) and
needs no token. The token's signature is checked with the provider's published keys
(JWKS, via ``joserfc``, Authlib's JOSE library), and its issuer, audience and expiry.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontera.auth import (
    ENV_SECRETS,
    ENV_TOKEN,
    AccessError,
    Identity,
    read_toml,
    role_mapping,
    shared_database,
)
from frontera.i18n import N_, _
from frontera.paths import bundle_root

#: The algorithms an ID token may be signed with (never "none", never a shared secret).
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA")


@dataclass(frozen=True)
class Provider:
    """An OpenID Connect provider, as the app's ``[auth]`` secrets name it."""

    metadata_url: str
    client_id: str


def secrets_path(environ: Mapping[str, str] | None = None) -> Path:
    """The secrets file the app reads its ``[auth]`` section from."""
    environ = os.environ if environ is None else environ
    return Path(environ.get(ENV_SECRETS) or bundle_root() / ".streamlit" / "secrets.toml")


def provider(environ: Mapping[str, str] | None = None) -> Provider | None:
    """The configured provider, or None (single-user mode): the unnamed ``[auth]`` one, else the first named."""
    path = secrets_path(environ)
    section = read_toml(path).get("auth")
    if not isinstance(section, dict):
        return None
    candidates = [section, *(v for v in section.values() if isinstance(v, dict))]
    for c in candidates:
        if c.get("server_metadata_url") and c.get("client_id"):
            return Provider(str(c["server_metadata_url"]), str(c["client_id"]))
    return None


def _get_json(url: str, what: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(url, timeout=15) as resp:  # the provider the operator configured
            data = json.loads(resp.read())
    except (OSError, ValueError) as exc:
        raise AccessError(
            _(
                "could not read the sign-in provider's {what} at {url} ({error}); "
                "check that the provider is reachable and server_metadata_url in the [auth] secrets is right"
            ).format(what=_(what), url=url, error=f"{type(exc).__name__}: {exc}")
        ) from None
    if not isinstance(data, dict):
        raise AccessError(
            _("the sign-in provider's {what} at {url} is not a JSON object").format(what=_(what), url=url)
        )
    return data


def verify_id_token(token: str, prov: Provider) -> dict[str, Any]:
    """The claims of ``token`` once its signature, issuer, audience and expiry are checked; else AccessError."""
    from joserfc import jwt  # noqa: PLC0415 - only the CLI with sign-in needs it
    from joserfc.errors import ExpiredTokenError, JoseError  # noqa: PLC0415
    from joserfc.jwk import KeySet  # noqa: PLC0415

    meta = _get_json(prov.metadata_url, N_("metadata"))
    keys = KeySet.import_key_set(_get_json(str(meta.get("jwks_uri")), N_("keys (jwks_uri)")))  # type: ignore[arg-type]
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": str(meta.get("issuer"))},
        aud={"essential": True, "value": prov.client_id},
        exp={"essential": True},
        sub={"essential": True},
    )
    try:
        claims = jwt.decode(token.strip(), keys, algorithms=list(ALGORITHMS)).claims
        registry.validate(claims)
    except ExpiredTokenError:
        raise AccessError(_("the ID token has expired; sign in again and pass the new token")) from None
    except (JoseError, ValueError) as exc:
        raise AccessError(
            _("the ID token was refused ({error}); pass an ID token the provider issued for client {client}").format(
                error=f"{type(exc).__name__}: {exc}", client=repr(prov.client_id)
            )
        ) from None
    return claims


def cli_identity(token: str | None, environ: Mapping[str, str] | None = None) -> Identity:
    """The person running the CLI: from their ID token when sign-in is configured, else this machine's user."""
    environ = os.environ if environ is None else environ
    prov = provider(environ)
    if prov is None:
        return Identity.local() if shared_database(environ) else Identity.single_user()
    token = token or environ.get(ENV_TOKEN)
    if not token:
        raise AccessError(
            _(
                "sign-in is configured ({secrets} [auth]): pass your ID token with --token or {variable} to import "
                "or remove; README, 'Sign-in from the command line'"
            ).format(secrets=secrets_path(environ), variable=ENV_TOKEN)
        )
    return Identity.from_claims(verify_id_token(token, prov), role_mapping(environ))
