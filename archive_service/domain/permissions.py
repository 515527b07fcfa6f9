"""The permission table: which role may do what in the archive — the one home of the role matrix.

Every web view declares the action it performs (`web.auth.allow("sign_documents")`), every menu
entry names the action of the page it opens, and every service that refuses a role asks `may()`;
none of them names roles itself. `tests/web/test_role_matrix.py` holds the same matrix written
independently, route by route.
"""

from __future__ import annotations

from archive_service.domain.roles import ROLES, STAFF

EVERYONE = frozenset(ROLES)

PERMISSIONS: dict[str, frozenset[str]] = {
    # one's own account: the start page, the account page, signing out
    "use_account": EVERYONE,
    # a sheet's QR code, scanned by anyone of the school's staff (the administrator manages
    # accounts, not archive contents)
    "check_sheet": STAFF,
    # the overview and the progress of long jobs: the people who run them
    "follow_jobs": frozenset({"deputy", "director", "secretary"}),
    # administrator: accounts, API tokens, media
    "manage_accounts": frozenset({"admin"}),
    "manage_media": frozenset({"admin"}),
    # the school's procedure (steps, roles, deadlines) chosen per school year, and its edited copies
    "manage_procedures": frozenset({"admin"}),
    # the journal systems the archive pulls from: the administrator configures them, the deputy
    # head follows the pulls and starts one
    "view_sources": frozenset({"admin", "deputy"}),
    "configure_sources": frozenset({"admin"}),
    "pull_source": frozenset({"deputy"}),
    # closing a period: the deputy head acts, the director may look
    "view_period": frozenset({"deputy", "director"}),
    "close_period": frozenset({"deputy"}),
    # the deputy head's monthly control of the journal (reference 004 §6.16–6.23), the director may look
    "view_journal_control": frozenset({"deputy", "director"}),
    # the period board itself (steps by class): also the secretary, who records her own steps there
    "view_period_board": frozenset({"deputy", "director", "secretary"}),
    "record_own_steps": frozenset({"secretary"}),
    # temporary journals while the journal system is down (reference 001 §3.1–3.2): the deputy head
    # prints them and records when their data were moved back
    "keep_temporary_journals": frozenset({"deputy"}),
    # the director's signature and seal on the printed copies: recorded by the deputy head who
    # brings the copies, or by the director who signed them
    "record_paper_signature": frozenset({"deputy", "director"}),
    # the director's own acts
    "sign_documents": frozenset({"director"}),
    "confirm_handover": frozenset({"director"}),
    "approve_disposal": frozenset({"director"}),
    "manage_backups": frozenset({"director"}),
    # the archive key that opens backups: its access code, a new key pair, the escrow copy
    "manage_archive_key": frozenset({"director"}),
    # the register: kept by the secretary, read by the director
    "read_register": frozenset({"secretary", "director"}),
    "keep_register": frozenset({"secretary"}),
    "compose_disposal": frozenset({"secretary"}),
    "issue_certificates": frozenset({"secretary"}),
    # a print of a paperless school's electronic original («Копия электронного документа»): the
    # secretary who hands out copies, and the director
    "print_electronic_copy": frozenset({"secretary", "director"}),
    # the read-only search and document pages: inspectors and the staff who answer them
    "search_archive": STAFF,
    # a district installation's own pages: the district inspector's search across the schools granted
    "search_district": frozenset({"inspector"}),
}


def roles_for(action: str) -> frozenset[str]:
    """The roles that may perform `action`; an action missing from the table is an error, never
    an open door."""
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise ValueError(f"unknown action: {action}") from None


def may(role: str, action: str) -> bool:
    """Whether a person in `role` may perform `action`."""
    return role in roles_for(action)


def sole_role(action: str) -> str:
    """The one role that performs `action` (for the command line and the demo, which act in it)."""
    (role,) = roles_for(action)
    return role

