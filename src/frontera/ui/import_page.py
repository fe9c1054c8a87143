"""Import page: upload, preview (added / updated / rejected with reasons), confirm, past imports, and the audit.

What a person may do comes from :mod:`frontera.auth` (their role, by sign-in): a viewer sees
the imports and the audit but no import or remove button; an analyst removes only their own
imports; every import and removal records who (when signed in) and when.
"""

from __future__ import annotations

import dataclasses
import hashlib

import streamlit as st

from frontera.auth import Action, Identity, allowed, may_remove, refusal
from frontera.errors import FronteraError, StoreError
from frontera.i18n import N_, _, format_number, ngettext
from frontera.importers import MAX_BYTES, ImportPlan, prepare_import
from frontera.model.text import say
from frontera.storage import open_store
from frontera.ui.display import headed
from frontera.ui.text import plain

_PLAN_KEY = "_import_plan"
OTHERS_IMPORT = N_("Someone else's import: only they or an admin can remove it.")
#: What happens to each previewed record (the preview's "action" cells), and each audit entry's action.
ACTIONS = {
    "add": N_("add"),
    "update": N_("update"),
    "unchanged": N_("unchanged"),
    "kept newer": N_("kept newer"),
    "import": N_("import"),
    "remove": N_("remove"),
}


def _action(word: object) -> str:
    return _(ACTIONS[word]) if isinstance(word, str) and word in ACTIONS else str(word)


def _n(value: object) -> str:
    return format_number(int(value)) if isinstance(value, int | float) else str(value)


def _progress_bar():
    bar = st.progress(0.0, text=_("reading…"))
    # The text names the file: plain, since progress text is read as markdown.
    return bar, lambda fraction, text: bar.progress(min(max(fraction, 0.0), 1.0), text=plain(text))


def preview(upload) -> tuple[ImportPlan | None, bytes]:  # Streamlit's UploadedFile
    """Parse the upload once per file content; keep the plan in the session until confirmed."""
    if upload is None:
        st.session_state.pop(_PLAN_KEY, None)
        return None, b""
    if upload.size > MAX_BYTES:
        st.error(
            _("{file}: {size} MB, expected at most {mb} MB; split it into smaller files.").format(
                file=plain(upload.name),
                size=format_number(upload.size / 1e6, decimals=1),
                mb=MAX_BYTES // (1024 * 1024),
            )
        )
        return None, b""
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest() + upload.name
    cached = st.session_state.get(_PLAN_KEY)
    if cached and cached[0] == digest:
        return cached[1], data
    try:  # a damaged store is the store's fault, not the upload's
        existing = open_store().read_records(with_timestamps=True)
    except StoreError as exc:
        st.error(plain(f"{exc} " + _("Nothing was imported.")), icon="🚫")
        return None, b""
    bar, progress = _progress_bar()
    from frontera.ui.data import situation  # noqa: PLC0415

    try:
        plan = prepare_import(upload.name, data, situation(), existing, progress=progress)
    except Exception as exc:  # noqa: BLE001 - a person sees one sentence, never a traceback
        bar.empty()
        st.error(
            _("{file} could not be read ({error}). Nothing was imported.").format(
                file=plain(upload.name), error=f"{type(exc).__name__}: {plain(exc)}"
            )
        )
        return None, b""
    bar.progress(1.0, text=_("checked {n} rows").format(n=plan.parsed.rows_read))
    st.session_state[_PLAN_KEY] = (digest, plan)
    return plan, data


def show_plan(plan: ImportPlan) -> None:
    """Counts, what will be added and updated, and every rejected row with its reason (all escaped text)."""
    c = plan.counts()
    cols = st.columns(4)
    for col, (label, key) in zip(
        cols,
        [(_("Add"), "added"), (_("Update"), "updated"), (_("Remove"), "removed"), (_("Rejected rows"), "rejected")],
    ):
        col.metric(label, _n(c[key]))
    for note in plan.parsed.notes:
        st.info(plain(say(note, _)))  # a note remembers its words: said in the session's language
    if plan.file_rejected:
        st.error(plain(plan.rejected[0].message(_)))
        return
    if len(plan.records):
        st.subheader(_("Will be added or updated"))
        table = plan.preview()
        table["action"] = table["action"].map(_action)
        st.dataframe(headed(table), hide_index=True, width="stretch", key="import_preview")
    if plan.rejected:
        st.subheader(_("Rejected (not imported)"))
        st.dataframe(headed(plan.rejected_table()), hide_index=True, width="stretch", key="import_rejected")
    if plan.warnings:
        with st.expander(_("{n} warnings (rows kept)").format(n=len(plan.warnings))):
            st.dataframe(headed(plan.warnings_table()), hide_index=True, width="stretch")


def may_import(identity: Identity) -> bool:
    """Whether to offer the upload at all; if not, say why in one sentence."""
    if allowed(identity, Action.IMPORT):
        return True
    st.info(plain(refusal(identity, Action.IMPORT)), icon="🔒")
    return False


def confirm(plan: ImportPlan, data: bytes, identity: Identity) -> None:
    """The confirm button; writes the store (all or nothing) and reruns so the map shows the new data.

    A file with rejected rows is refused as a whole unless the person ticks "valid rows only".
    """
    if not allowed(identity, Action.IMPORT):  # the upload is not offered; this guards a stale session
        st.error(plain(refusal(identity, Action.IMPORT)), icon="🔒")
        return
    if plan.file_rejected or not (plan.added_ids or plan.updated_ids or plan.removed_ids):
        c = plan.counts()
        st.caption(
            _("Nothing to import ({unchanged} unchanged, {kept_newer} kept newer).").format(
                unchanged=_n(c["unchanged"]), kept_newer=_n(c["kept_newer"])
            )
        )
        return
    if plan.rejected:
        partial = st.checkbox(
            _("Import the {good} valid rows only and reject the {bad} others").format(
                good=_n(len(plan.records)), bad=_n(plan.rejected_rows)
            ),
            key="import_valid_rows_only",
        )
        plan = dataclasses.replace(plan, valid_rows_only=partial)
    if plan.refused:
        st.warning(plain(refusal_text(plan)), icon="✋")
    label = _("Import {added} new, update {updated}, remove {removed}").format(
        added=_n(len(plan.added_ids)), updated=_n(len(plan.updated_ids)), removed=_n(len(plan.removed_ids))
    )
    if st.button(label, type="primary", key="import_confirm", disabled=plan.refused):
        try:
            with st.spinner(_("writing your store…")):
                entry = open_store().commit_import(plan.again, data, who=identity.who)
        except FronteraError as exc:  # a full disk, a damaged store: the message says the store is unchanged
            st.error(plain(exc), icon="🚫")
            return
        st.session_state.pop(_PLAN_KEY, None)
        st.success(plain(_done_text(entry)))


def refusal_text(plan: ImportPlan) -> str:
    """Why the confirm button refuses a file with rejected rows, and the fix on this page (the box)."""
    good = len(plan.parsed.records)
    also = _(", or tick the box above to import the {good} valid rows only").format(good=_n(good)) if good else ""
    return ngettext(
        "{file}: {n} row rejected, so nothing was imported (an import is all or nothing). "
        "Fix: correct the rejected rows and import the file again{also}.",
        "{file}: {n} rows rejected, so nothing was imported (an import is all or nothing). "
        "Fix: correct the rejected rows and import the file again{also}.",
        plan.rejected_rows,
    ).format(file=plan.file, n=_n(plan.rejected_rows), also=also)


def _counts(entry: dict, *keys: str) -> dict[str, str]:
    return {k: _n(entry.get(k, 0)) for k in keys}


def _done_text(entry: dict) -> str:
    if not entry.get("written", True):
        return _(
            "Nothing changed: {unchanged} records identical to your store, {kept_newer} kept newer "
            "(your store has a later ACLED timestamp). Nothing was written."
        ).format(**_counts(entry, "unchanged", "kept_newer"))
    return _(
        "Imported as {import_id}: {added} added, {updated} updated, {removed} removed, {unchanged} unchanged, "
        "{kept_newer} kept newer, {rejected} rows rejected."
    ).format(
        import_id=entry["import_id"],
        **_counts(entry, "added", "updated", "removed", "unchanged", "kept_newer", "rejected"),
    )


_REMOVE_PENDING = "_import_remove_pending"  # the import whose removal waits for a yes
_REMOVED = "_import_removed"  # what the last removal did, shown once after the rerun


def past_imports(identity: Identity) -> None:
    """The imports in effect, with a remove button for each the person may remove; removing asks first."""
    st.subheader(_("Your imports"))
    try:
        store = open_store()
        entries, log = store.list_imports(), store.read_import_log()
    except FronteraError as exc:
        st.error(plain(exc), icon="🚫")
        return
    done = st.session_state.pop(_REMOVED, None)
    if done:
        st.success(plain(done))
    _removals(log)
    if not entries:
        st.caption(_("None yet. Your store: {store}").format(store=plain(store.label)))
        return
    st.caption(_("Store: {store}").format(store=plain(store.label)))
    for e in reversed(entries):
        cols = st.columns([4, 1])
        # Plain text: a file name is data, and markdown would turn "![x](http://…)" into a request.
        cols[0].text(_entry_line(e))
        if not may_remove(identity, e):  # a viewer was told why above; the line says whose import it is
            if allowed(identity, Action.REMOVE_OWN):
                cols[1].caption(_(OTHERS_IMPORT))
        elif st.session_state.get(_REMOVE_PENDING) == e["import_id"]:
            _confirm_removal(e, identity)
        elif cols[1].button(_("Remove"), key=f"remove_{e['import_id']}"):
            st.session_state[_REMOVE_PENDING] = e["import_id"]
            st.rerun()


def _entry_line(e: dict) -> str:
    """One import in effect: id, file, when, who, and what it did."""
    return _(
        "{import_id} · {file} · {when}{by} · {records_now} records now ({added} added, {updated} updated, "
        "{removed} deleted, {unchanged} unchanged, {rejected} rejected)"
    ).format(
        import_id=e["import_id"],
        file=e.get("file", ""),
        when=e.get("when", ""),
        by=_by(e),
        **_counts(e, "records_now", "added", "updated", "removed", "unchanged", "rejected"),
    )


def _by(entry: dict) -> str:
    return " · " + _("by {who}").format(who=entry["who"]) if entry.get("who") else ""


def _removals(log: list[dict]) -> None:
    """The audit of removals: when, by whom, what went and what came back."""
    removals = [e for e in log if e.get("action") == "remove"]
    if not removals:
        return
    with st.expander(_("Imports removed: {n}").format(n=_n(len(removals)))):
        for e in reversed(removals):
            st.text(
                _(
                    "{import_id} removed {when}{by}: {removed} records it added went, "
                    "restored {restored} to their version before it"
                ).format(
                    import_id=e["import_id"], when=e.get("when", ""), by=_by(e), **_counts(e, "removed", "restored")
                )
            )


def _confirm_removal(entry: dict, identity: Identity) -> None:
    """Ask before removing: the records leave the map (the original file stays, to import again)."""
    import_id = entry["import_id"]
    st.warning(
        _(
            "Remove import {import_id} ({file})? Its {n} records leave the map and the data pages; records it "
            "updated or deleted get their version before it back. To get its records back, import the file again."
        ).format(import_id=plain(import_id), file=plain(entry.get("file", "")), n=_n(entry["records_now"])),
        icon="⚠️",
    )
    yes, no, _rest = st.columns([1, 1, 3])
    if yes.button(_("Yes, remove"), type="primary", key=f"remove_yes_{import_id}"):
        st.session_state.pop(_REMOVE_PENDING, None)
        try:
            done = open_store().remove_import(import_id, who=identity.who)
        except FronteraError as exc:
            st.error(plain(exc), icon="🚫")
            return
        st.session_state[_REMOVED] = _(
            "Removed {changed} records of {import_id}. {removed} it added went; "
            "restored {restored} to their version before it."
        ).format(import_id=import_id, **_counts(done, "changed", "removed", "restored"))
        st.rerun()
    if no.button(_("Cancel"), key=f"remove_no_{import_id}"):
        st.session_state.pop(_REMOVE_PENDING, None)
        st.rerun()


AUDIT_ROWS = 500  # newest first; the whole log stays in the store (and `frontera imports`)


def audit() -> None:
    """Every import and removal, newest first: when, what, which import, which file, who.

    A static table (it prints, and every cell is text on the page); ``st.table`` reads Markdown,
    so each cell goes through :func:`plain`.
    """
    try:
        log = open_store().read_import_log()
    except FronteraError as exc:
        st.error(plain(exc), icon="🚫")
        return
    st.subheader(_("Audit: who imported and removed what, when"))
    if not log:
        st.caption(_("Nothing imported or removed yet."))
        return
    rows = [
        {
            _("when"): plain(e.get("when", "")),
            _("action"): plain(_action(e.get("action", ""))),
            _("import"): plain(e.get("import_id", "")),
            _("file"): plain(e.get("file", "")),
            _("who"): plain(e.get("who") or _("(no sign-in)")),
        }
        for e in reversed(log[-AUDIT_ROWS:])
    ]
    st.table(rows, hide_index=True)
    if len(log) > AUDIT_ROWS:
        st.caption(_("The newest {n} of {total} entries.").format(n=_n(AUDIT_ROWS), total=_n(len(log))))
