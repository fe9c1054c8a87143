"""``frontera import FILE [--dry-run]``, ``frontera imports``, ``frontera remove-import ID``.

``import`` prints the same report as the Import page (added, updated, removed, unchanged,
kept newer, each rejected row with its reason). An import is all or nothing: with any rejected
row nothing is written and it exits 1; ``--valid-rows-only`` writes the valid rows (the others
listed as rejected) and exits 0. It exits 2 when the file could not be read at all or the store
could not be read or written (a damaged store, a full disk: the message says which, and that
the store is unchanged), 0 otherwise. File names and values are printed with control
characters escaped. ``imports`` lists the imports in effect and every removal (what it
restored); ``remove-import`` undoes one import, giving back the versions it replaced.

With sign-in configured (:mod:`frontera.auth_token`), ``import`` and ``remove-import``
need the person's ID token (``--token`` or ``FRONTERA_TOKEN``) and refuse, exit 2 with
one line and nothing changed, what the person's role does not allow; the log records
who did it.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
from pathlib import Path

from frontera.auth import AccessError, Action, Identity, may_remove, removal_refusal, require, role_mapping
from frontera.errors import InputError
from frontera.i18n import N_, _
from frontera.model.text import say
from frontera.terminal import echo, safe


def _shown(plan, max_lines: int):  # an ImportPlan, for display only
    """A copy of ``plan`` whose file name, notes and problems are safe to print."""
    shown, parsed = copy.copy(plan), copy.copy(plan.parsed)
    shown.file, shown.parsed = safe(plan.file), parsed
    parsed.notes = [safe(say(n, _)) for n in plan.parsed.notes]  # said in the current language, then escaped
    for name in ("rejected", "warnings"):
        problems = getattr(plan.parsed, name)
        setattr(
            parsed,
            name,
            [
                dataclasses.replace(  # said in the current language first: the facts are escaped with the rest
                    p, file=safe(p.file), expected=safe(p.expected_in(_)), fix=safe(_(p.fix)) if p.fix else "", facts=()
                )
                for p in problems[:max_lines]
            ]
            + problems[max_lines:],
        )
    return shown


def _identity_for(args: argparse.Namespace, action: Action) -> Identity:
    """Who runs this command (``--token``/FRONTERA_TOKEN when sign-in is configured); refuses a role without ``action``."""
    from frontera.auth_token import cli_identity  # noqa: PLC0415 - reads secrets only for commands that write

    identity = cli_identity(args.token)
    require(identity, action, role_mapping())
    return identity


def cmd_import(args: argparse.Namespace) -> int:
    from frontera.importers import prepare_import, read_path  # noqa: PLC0415
    from frontera.storage import load_situation, open_store  # noqa: PLC0415

    identity = _identity_for(args, Action.VIEW if args.dry_run else Action.IMPORT)
    path = Path(args.file)
    data = read_path(path)  # refuses folders, FIFOs and devices without waiting on them, and files over MAX_BYTES
    store = open_store()
    situation = load_situation(store, include_user=False)
    existing = store.read_records(with_timestamps=True)  # a damaged store is the store's fault, not the file's
    try:
        plan = prepare_import(path.name, data, situation, existing, valid_rows_only=args.valid_rows_only)
    except Exception as exc:  # a person gets one line, never a traceback
        raise InputError(
            _("{file}: could not be read ({error}); nothing was imported; please report this with the file").format(
                file=path.name, error=f"{type(exc).__name__}: {exc}"
            )
        ) from exc
    echo(_shown(plan, args.max_lines).text(max_lines=args.max_lines))
    if plan.file_rejected:
        return 2
    if plan.refused:  # all or nothing: one rejected row and nothing is written
        echo(safe(plan.refusal()))
    if args.dry_run:
        echo(_("dry run: nothing was written"))
    elif not plan.refused:
        entry = store.commit_import(plan.again, data, who=identity.who)
        echo(_committed(entry, store.label))
    return 1 if plan.refused else 0


def _committed(entry: dict, label: str) -> str:
    """What a commit did: written (and how to undo it), or nothing to write."""
    counts = {k: entry.get(k, 0) for k in ("added", "updated", "removed", "unchanged", "kept_newer")}
    if not entry.get("written", True):
        return _(
            "nothing changed: {unchanged} records identical to your store, {kept_newer} kept newer; "
            "nothing was written to {store}"
        ).format(store=safe(label), **counts)
    return _(
        "imported as {import_id} into {store}: {added} added, {updated} updated, {removed} removed, "
        "{unchanged} unchanged, {kept_newer} kept newer (undo with `frontera remove-import {import_id}`)"
    ).format(import_id=entry["import_id"], store=safe(label), **counts)


def cmd_imports(args: argparse.Namespace) -> int:
    from frontera.storage import open_store  # noqa: PLC0415

    store = open_store()
    entries = store.list_imports()
    removals = [e for e in store.read_import_log() if e.get("action") == "remove"]
    if not entries and not removals:
        echo(_("no imports in {store}").format(store=safe(store.label)))
        return 0
    echo(_imports_line([_(h) for h in IMPORTS_HEADER]))
    for e in entries:
        cells = [e["import_id"], e.get("when", "")]
        cells += [str(e.get(k, 0)) for k in ("added", "updated", "removed", "rejected", "records_now")]
        by = "  " + _("(by {who})").format(who=e["who"]) if e.get("who") else ""
        echo(_imports_line([*cells, str(e.get("file", ""))]) + by)
    for r in removals:
        echo(_removal_line(r))
    return 0


def _removal_line(entry: dict) -> str:
    who = _(" by {who}").format(who=safe(entry["who"])) if entry.get("who") else ""
    return _(
        "removed {changed} records of import {import_id} ({when}{who}): "
        "{removed} it added went, restored {restored} to their version before it"
    ).format(
        changed=entry.get("changed", 0),
        import_id=entry["import_id"],
        when=entry.get("when", ""),
        who=who,
        removed=entry.get("removed", 0),
        restored=entry.get("restored", 0),
    )


#: The columns of ``frontera imports`` (translated where printed) and their least widths.
IMPORTS_HEADER = (
    N_("import_id"),
    N_("when"),
    N_("added"),
    N_("updated"),
    N_("removed"),
    N_("rejected"),
    N_("now"),
    N_("file"),
)
IMPORTS_WIDTHS = (21, 26, 5, 7, 7, 8, 4)


def _imports_line(cells: list[str]) -> str:
    """One line of ``frontera imports``: id and time to the left, counts to the right, then the file."""
    widths = [max(w, len(_(h))) for w, h in zip(IMPORTS_WIDTHS, IMPORTS_HEADER, strict=False)]
    parts = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=False))]
    return " ".join(parts) + "  " + cells[-1]


def cmd_remove_import(args: argparse.Namespace) -> int:
    from frontera.storage import open_store  # noqa: PLC0415

    identity = _identity_for(args, Action.REMOVE_OWN)
    store = open_store()
    logged = [
        e for e in store.read_import_log() if e.get("action") == "import" and e.get("import_id") == args.import_id
    ]
    if logged and not may_remove(identity, logged[-1]):
        raise AccessError(removal_refusal(identity, logged[-1]))
    entry = store.remove_import(args.import_id, who=identity.who)
    kept = getattr(store, "imports_dir", None)
    where = _(" (its file stays in {folder})").format(folder=kept() / args.import_id) if callable(kept) else ""
    echo(_removal_line(entry) + where)
    return 0


TOKEN_HELP = N_(
    "your ID token, when sign-in is configured (default: $FRONTERA_TOKEN); README, 'Sign-in from the command line'"
)


def register(subparsers, add_view_args) -> None:  # argparse's private types
    p = subparsers.add_parser("import", help=_("import ACLED, flow, GeoJSON, GeoPackage or Excel data into your store"))
    p.add_argument("file", help=_("the file to import"))
    p.add_argument("--dry-run", action="store_true", help=_("check and report, write nothing"))
    p.add_argument(
        "--valid-rows-only",
        action="store_true",
        help=_("import the valid rows even when others are rejected (default: all or nothing)"),
    )
    p.add_argument("--max-lines", type=int, default=200, metavar="N", help=_("problems listed at most (default 200)"))
    p.add_argument("--token", metavar=_("TOKEN"), help=_(TOKEN_HELP))
    p.set_defaults(func=cmd_import)
    p = subparsers.add_parser("imports", help=_("list your imports"))
    p.set_defaults(func=cmd_imports)
    p = subparsers.add_parser("remove-import", help=_("remove the records of one import"))
    p.add_argument("import_id", help=_("an id from `frontera imports`"))
    p.add_argument("--token", metavar=_("TOKEN"), help=_(TOKEN_HELP))
    p.set_defaults(func=cmd_remove_import)
