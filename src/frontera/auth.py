"""Who the person is and what they may do: roles, their mapping from a sign-in claim, permissions.

Pure: no Streamlit (the sign-in itself is Streamlit's ``st.login``, in :mod:`frontera.ui.signin`;
the CLI verifies an ID token with :func:`verify_id_token`). Three ways Frontera runs:

- **single user** (no sign-in provider, the embedded GeoPackage): one person on their own
  machine may do everything, as before sign-in existed;
- **sign-in** (an OpenID Connect provider configured): each person's role comes from a claim
  of their ID token (``groups`` unless configured otherwise);
- **this machine only** (``FRONTERA_DATABASE_URL`` names a shared database, and no provider):
  the app is served to the local machine only, since nobody could be told apart.

Roles, each one including the one before it:

========  ===========================================================
viewer    map, timeline, data, exports
analyst   also imports, and removes the imports they made
admin     also removes anyone's imports
========  ===========================================================

The mapping, in ``frontera.toml`` (or the environment, which wins)::

    [auth]
    claim = "groups"          # FRONTERA_AUTH_CLAIM
    default_role = "viewer"   # FRONTERA_AUTH_DEFAULT_ROLE: a signed-in person in no listed group; "none" refuses
    [auth.roles]              # FRONTERA_AUTH_VIEWERS / _ANALYSTS / _ADMINS, comma-separated
    viewer = ["staff"]
    analyst = ["analysts"]
    admin = ["frontera-admins"]
"""

from __future__ import annotations

import enum
import getpass
import ipaddress
import os
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from frontera.errors import AccessError
from frontera.i18n import N_, _
from frontera.settings import SettingsError, config_path

ENV_CLAIM = "FRONTERA_AUTH_CLAIM"
ENV_DEFAULT_ROLE = "FRONTERA_AUTH_DEFAULT_ROLE"
ENV_GROUPS = {"viewer": "FRONTERA_AUTH_VIEWERS", "analyst": "FRONTERA_AUTH_ANALYSTS", "admin": "FRONTERA_AUTH_ADMINS"}
ENV_DATABASE_URL = "FRONTERA_DATABASE_URL"
ENV_TOKEN = "FRONTERA_TOKEN"
ENV_SECRETS = "FRONTERA_SECRETS"
SIGN_IN_HELP = "docs/deployment.md, 'Sign-in'"


class Role(enum.IntEnum):
    """A person's role; a higher role may do everything a lower one may."""

    VIEWER = 1
    ANALYST = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Action(enum.Enum):
    """What a person may ask Frontera to do."""

    VIEW = "see the map, timeline and data"
    EXPORT = "export"
    IMPORT = "import"
    REMOVE_OWN = "remove imports they made"
    REMOVE_ANY = "remove anyone's imports"


#: What each action lets a person do, as a refusal says it (translated where said).
_ACTION_WORDS = {
    Action.VIEW: N_("see the map, timeline and data"),
    Action.EXPORT: N_("export data"),
    Action.IMPORT: N_("import data"),
    Action.REMOVE_OWN: N_("remove imports they made"),
    Action.REMOVE_ANY: N_("remove anyone's imports"),
}
#: Each role with its article, and alone, as a refusal names it (translated where said).
_ROLE_WITH_ARTICLE = {"viewer": N_("a viewer"), "analyst": N_("an analyst"), "admin": N_("an admin")}
_ROLE_NAME = {"viewer": N_("viewer"), "analyst": N_("analyst"), "admin": N_("admin"), "no role": N_("no role")}


_NEEDS = {
    Action.VIEW: Role.VIEWER,
    Action.EXPORT: Role.VIEWER,
    Action.IMPORT: Role.ANALYST,
    Action.REMOVE_OWN: Role.ANALYST,
    Action.REMOVE_ANY: Role.ADMIN,
}


class Mode(enum.Enum):
    """How this Frontera tells people apart."""

    SINGLE_USER = "single user"
    SIGN_IN = "sign-in"
    LOCAL_ONLY = "this machine only"


@dataclass(frozen=True)
class RoleMapping:
    """Which values of which claim give which role."""

    claim: str = "groups"
    groups: Mapping[str, Role] = field(default_factory=dict)
    default: Role | None = Role.VIEWER

    def role_for(self, claims: Mapping[str, Any]) -> Role | None:
        """The highest role any of the person's claim values gives, else the default.

        >>> m = RoleMapping(groups={"analysts": Role.ANALYST, "admins": Role.ADMIN})
        >>> m.role_for({"groups": ["staff", "analysts"]}).label
        'analyst'
        >>> m.role_for({"groups": "admins analysts"}).label
        'admin'
        >>> m.role_for({}).label
        'viewer'
        """
        granted = [self.groups[v] for v in claim_values(claims.get(self.claim)) if v in self.groups]
        return max(granted) if granted else self.default


def claim_values(value: object) -> list[str]:
    """A claim's values: a list, or one string of values separated by spaces or commas (as some providers send)."""
    if value is None:
        return []
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v) for v in value]
    return str(value).replace(",", " ").split()


@dataclass(frozen=True)
class Identity:
    """A person as Frontera knows them: ``who`` is what the import log records (None: single user)."""

    who: str | None
    name: str
    role: Role | None
    mode: Mode
    groups: tuple[str, ...] = ()

    @classmethod
    def single_user(cls) -> Identity:
        return cls(None, "you", Role.ADMIN, Mode.SINGLE_USER)

    @classmethod
    def local(cls, user: str | None = None) -> Identity:
        """The person at this machine, when a shared database is used without sign-in."""
        user = user or _os_user()
        return cls(f"local:{user}", f"{user} (this machine)", Role.ADMIN, Mode.LOCAL_ONLY)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any], mapping: RoleMapping) -> Identity:
        """The person an ID token's claims describe; ``who`` is their e-mail, else their subject."""
        who = str(claims.get("email") or claims.get("sub") or "").strip()
        if not who:
            raise AccessError("the sign-in gave neither an e-mail nor a subject ('sub'); check the provider's claims")
        name = str(claims.get("name") or who)
        return cls(who, name, mapping.role_for(claims), Mode.SIGN_IN, tuple(claim_values(claims.get(mapping.claim))))

    @property
    def role_label(self) -> str:
        return self.role.label if self.role else "no role"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container): still a name to log
        return f"uid{os.getuid()}"


def allowed(identity: Identity, action: Action) -> bool:
    """Whether ``identity``'s role allows ``action``."""
    return identity.role is not None and identity.role >= _NEEDS[action]


def may_remove(identity: Identity, entry: Mapping[str, Any]) -> bool:
    """Whether ``identity`` may remove the import logged as ``entry``: an admin any, an analyst their own."""
    if allowed(identity, Action.REMOVE_ANY):
        return True
    return allowed(identity, Action.REMOVE_OWN) and entry.get("who") is not None and entry.get("who") == identity.who


def refusal(identity: Identity, action: Action, mapping: RoleMapping | None = None) -> str:
    """One sentence saying why ``identity`` may not do ``action``, and whom to ask."""
    needed = _NEEDS[action]
    claim = mapping.claim if mapping else "groups"
    groups = ", ".join(identity.groups) or _("none")
    return _(
        "{name} is signed in as {role}: only {needed_one} or above may {action}. "
        "Ask an admin to add you to a group that gives the {needed} role (your {claim}: {groups})."
    ).format(
        name=identity.name,
        role=_(_ROLE_NAME.get(identity.role_label, identity.role_label)),
        needed_one=_(_ROLE_WITH_ARTICLE[needed.label]),
        action=_(_ACTION_WORDS[action]),
        needed=_(_ROLE_NAME[needed.label]),
        claim=claim,
        groups=groups,
    )


def removal_refusal(identity: Identity, entry: Mapping[str, Any]) -> str:
    """Why ``identity`` may not remove the import ``entry``."""
    if not allowed(identity, Action.REMOVE_OWN):
        return refusal(identity, Action.REMOVE_OWN)
    owner = entry.get("who") or _("nobody recorded")
    return _(
        "Import {import_id} was made by {owner}: an analyst removes only their own imports; ask that person or an admin."
    ).format(import_id=entry.get("import_id"), owner=owner)


def require(identity: Identity, action: Action, mapping: RoleMapping | None = None) -> None:
    """Raise :class:`AccessError` unless ``identity`` may do ``action``."""
    if not allowed(identity, action):
        raise AccessError(refusal(identity, action, mapping))


def is_expired(claims: Mapping[str, Any], now: float | None = None) -> bool:
    """Whether the ID token the claims came from has expired (``exp``, seconds since 1970; none = expired).

    >>> is_expired({"exp": 100}, now=99), is_expired({"exp": 100}, now=100), is_expired({}, now=0)
    (False, True, True)
    """
    try:
        exp = float(claims["exp"])
    except (KeyError, TypeError, ValueError):
        return True
    return (time.time() if now is None else now) >= exp


def is_loopback(address: str | None) -> bool:
    """Whether a server address listens on this machine only.

    >>> [is_loopback(a) for a in ("localhost", "127.0.0.1", "::1", "", "0.0.0.0", "10.0.0.5")]
    [True, True, True, False, False, False]
    """
    text = (address or "").strip().strip("[]")
    if text.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def shared_database(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``FRONTERA_DATABASE_URL`` names a shared database."""
    environ = os.environ if environ is None else environ
    return bool(environ.get(ENV_DATABASE_URL, "").strip())


def mode(provider_configured: bool, shared: bool) -> Mode:
    """How people are told apart, from whether a provider is configured and the database is shared."""
    if provider_configured:
        return Mode.SIGN_IN
    return Mode.LOCAL_ONLY if shared else Mode.SINGLE_USER


def local_only_refusal(address: str | None, through_proxy: bool) -> str | None:
    """Why a shared database without sign-in may not be served here, or None when this is the local machine."""
    why = _(
        "This Frontera uses a shared database (FRONTERA_DATABASE_URL) and no sign-in is configured, "
        "so it cannot tell people apart or record who changed what; it is served only to this machine."
    )
    fix = _(
        "To open it to others, configure sign-in: an [auth] section in .streamlit/secrets.toml naming your "
        "OpenID Connect provider, and roles in frontera.toml ({help})."
    ).format(help=SIGN_IN_HELP)
    if not is_loopback(address):
        where = _("The server listens on {address}, not on this machine only.").format(
            address=repr(address) if address else _("every interface")
        )
        return f"{why} {where} {fix}"
    if through_proxy:
        return f"{why} " + _("This request came through a proxy, from another machine.") + f" {fix}"
    return None


def read_toml(path) -> dict[str, Any]:  # a pathlib.Path
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc}); fix the file or remove it") from exc


def _role(value: object, where: str) -> Role | None:
    text = str(value).strip().lower()
    if text == "none":
        return None
    try:
        return Role[text.upper()]
    except KeyError:
        raise SettingsError(f"{where}: {value!r} is not one of viewer, analyst, admin, none") from None


def role_mapping(environ: Mapping[str, str] | None = None) -> RoleMapping:
    """The claim-to-role mapping: the environment's ``FRONTERA_AUTH_*`` over ``frontera.toml``'s ``[auth]``."""
    environ = os.environ if environ is None else environ
    path = config_path(environ)
    section = read_toml(path).get("auth", {})
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: 'auth' must be a table ([auth] with claim, default_role, [auth.roles])")
    roles = section.get("roles", {})
    if not isinstance(roles, dict):
        raise SettingsError(f"{path} [auth.roles]: expected viewer/analyst/admin = [list of group names]")
    groups: dict[str, Role] = {}
    for label in ("viewer", "analyst", "admin"):  # a group listed twice gives the higher role
        env = environ.get(ENV_GROUPS[label])
        names = claim_values(env) if env is not None else claim_values(roles.get(label))
        groups.update(dict.fromkeys(names, Role[label.upper()]))
    claim = str(environ.get(ENV_CLAIM) or section.get("claim") or "groups").strip()
    default_text = environ.get(ENV_DEFAULT_ROLE) or section.get("default_role") or "viewer"
    where = f"environment {ENV_DEFAULT_ROLE}" if environ.get(ENV_DEFAULT_ROLE) else f"{path} [auth] default_role"
    return RoleMapping(claim, groups, _role(default_text, where))
