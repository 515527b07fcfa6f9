"""Every route, every role: each role reaches exactly what the role matrix allows, and an
anonymous visitor reaches nothing but the login page (and the public sheet check a QR code opens).

The matrix below is written from the roles of DESIGN.md and the web issue, independently of
the `@allow(...)` declarations in the views: a view that opens to a role it should not (or a
new route nobody put in the matrix) fails here.
"""

from __future__ import annotations


from web_support import csrf_token

ALL = frozenset({"admin", "deputy", "director", "secretary", "inspector"})
STAFF = ALL - {"admin"}
DEPUTY_VIEW = frozenset({"deputy", "director"})  # the director looks at the period pages read-only
SEARCH = STAFF  # the read-only search and document pages: inspectors and the staff who answer them

MATRIX: dict[str, frozenset[str]] = {
    # everyone signed in
    "auth.home": ALL, "auth.account": ALL, "auth.change_password": ALL, "auth.logout": ALL,
    # a QR code's public check answers anyone (OPEN); its staff view with the sheet's images, anyone of the
    # school's staff; the administrator manages accounts, not archive contents
    "check.sheet_full": STAFF, "check.sheet_image": STAFF,
    # overview and the progress of long jobs: the people who run them
    "pages.overview": STAFF - {"inspector"}, "pages.job_status": STAFF - {"inspector"},
    # administrator
    "admin.users": {"admin"}, "admin.create_user": {"admin"}, "admin.change_user": {"admin"},
    "admin.api_tokens": {"admin"}, "admin.create_token": {"admin"}, "admin.revoke_token": {"admin"},
    "admin.media": {"admin"},
    # the school's procedure per school year, its copies and their editing: the administrator
    **{f"procedures.{name}": {"admin"} for name in ("index", "choose", "binding", "copy", "edit", "change",
                                                      "step", "save_step", "set_original")},
    # the journal systems the archive pulls from: the administrator configures them, the deputy head
    # (who closes the periods) follows the pulls and may start one; both may check a connection
    "sources.index": {"admin", "deputy"}, "sources.test": {"admin", "deputy"}, "sources.add": {"admin"},
    "sources.remove": {"admin"}, "sources.pull": {"deputy"},
    # deputy head: acts; the director may look
    # the board itself (and the list of periods) also for the secretary, who records her own steps there
    "deputy.period_index": DEPUTY_VIEW | {"secretary"}, "deputy.period_page": DEPUTY_VIEW | {"secretary"},
    "board.own_step": {"secretary"}, "board.gia_date": {"deputy"},
    "deputy.preflight": DEPUTY_VIEW,
    # the monthly control of the journal: the deputy head's, the director may look
    "control.index": DEPUTY_VIEW, "control.report_start": DEPUTY_VIEW, "control.printout": DEPUTY_VIEW,
    "control.printout_file": DEPUTY_VIEW,
    "deputy.preflight_notes": DEPUTY_VIEW, "deputy.preflight_note_pdf": DEPUTY_VIEW,
    "deputy.documents": DEPUTY_VIEW, "deputy.preview": DEPUTY_VIEW, "deputy.page_image": DEPUTY_VIEW,
    "deputy.download": DEPUTY_VIEW, "deputy.backup": DEPUTY_VIEW, "deputy.handover_act": DEPUTY_VIEW,
    "deputy.upload": {"deputy"}, "deputy.record_step": {"deputy"}, "deputy.make_copies": {"deputy"},
    "deputy.start_backup": {"deputy"},
    # temporary journals while the journal system is down: the deputy head prints them and records the move back
    "temporary.index": {"deputy"}, "temporary.make": {"deputy"}, "temporary.moved_back": {"deputy"},
    # the director's signature and seal on the printed copies: the deputy head who brings them, or the director
    "deputy.paper_signature": {"deputy", "director"},
    # director
    **{f"director.{name}": {"director"} for name in (
        "inbox", "sign", "start_signing", "job", "document_pdf", "handover_page", "handover_act",
        "confirm_handover", "disposal_page", "disposal_act_pdf", "approve_disposal", "backups", "journal_pdf",
        "restore", "restored_document", "restored_documents_zip",
        "plugin_script", "browser_prepare", "browser_complete", "archive_key", "archive_key_init",
        "archive_key_change", "archive_key_rotate", "archive_key_escrow", "archive_key_escrow_drop")},
    # secretary: the register may be read by the director
    "secretary.register": {"secretary", "director"}, "secretary.register_print": {"secretary", "director"},
    **{f"secretary.{name}": {"secretary", "director"} for name in ("register_print_start", "register_printout",
                                                                   "register_printout_file")},
    "secretary.register_file": {"secretary", "director"},
    # a print of a paperless school's electronic original: the secretary who hands copies out, and the director
    "secretary.electronic_copy": {"secretary", "director"},
    **{f"secretary.{name}": {"secretary"} for name in (
        "register_add", "register_move", "retention", "retention_rule", "hold_place", "hold_release", "disposal",
        "act_compose", "act_download", "act_execute", "certificates", "certificate_issue",
        "certificate_download")},
    # inspector's read-only search (and the staff who answer the same questions)
    # a district installation's own page: the district inspector's search across the schools granted
    "district.search": {"inspector"},
    # …and its administrator's table of which inspector may read which school
    "district.access": {"admin"}, "district.change_access": {"admin"},
    **{f"inspector.{name}": SEARCH for name in ("search", "document", "page_image", "download", "report",
                                                "report_file")},
}
ROLE_DENIED = "недоступна для вашей роли"  # the guard's 403 page (other 403s: e.g. a page image not yet viewed)
OPEN = {"auth.login", "auth.font", "openapi.document", "static", "check.sheet"}  # no sign-in needed
SAMPLE = {"year": "2026-2027", "period": "Q2", "document_id": "0" * 20, "sheet": 1, "page": 1, "login": "deputy",
          "token_id": 999, "set_id": "no-such-set", "number": 1, "kind": "class_journal", "what": "register",
          "fmt": "pdf", "which": "print", "job_id": "0" * 32, "source_name": "no-such-source", "name": "PTS55F.ttf",
          "filename": "app.css", "prepared_id": "0" * 32, "journal_id": 999,
          "key": "school_1", "code": "step_1"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") or rule.endpoint in OPEN:
            continue
        values = {}
        for arg in rule.arguments:
            value = SAMPLE[arg]
            if arg == "year" and type(rule._converters["year"]).__name__ == "IntegerConverter":
                value = 2027
            if arg == "fmt" and rule.endpoint == "inspector.report_file":
                value = "json"
            values[arg] = value
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule.build(values, append_unknown=False)[1]


def test_every_route_is_in_the_matrix(app):
    endpoints = {endpoint for endpoint, _, _ in _routes(app)}
    assert endpoints - set(MATRIX) == set(), "routes missing from the role matrix"
    assert set(MATRIX) - endpoints == set(), "the matrix names routes that do not exist"


def _call(client, method: str, url: str, token: str):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token})


def test_the_matrix_gives_the_administrator_accounts_media_sources_and_procedures_but_no_archive_contents():
    signed_in = {"auth.home", "auth.account", "auth.change_password", "auth.logout"}
    sources = {"sources.index", "sources.test", "sources.add", "sources.remove"}  # connection settings, not contents
    assert {e for e, roles in MATRIX.items() if "admin" in roles} == signed_in | sources | {
        e for e in MATRIX if e.startswith(("admin.", "procedures.", "district.access", "district.change_access"))}


def test_each_role_reaches_exactly_what_the_matrix_allows(app, login_as):
    clients = {role: login_as(role) for role in ALL}
    tokens = {role: csrf_token(client, "/account") for role, client in clients.items()}
    wrong = []
    for endpoint, method, url in _routes(app):
        if endpoint == "auth.logout":
            continue  # signing out is checked last, it ends the session
        for role in sorted(ALL):
            response = _call(clients[role], method, url, tokens[role])
            allowed = role in MATRIX[endpoint]
            denied = response.status_code == 403 and ROLE_DENIED in response.get_data(as_text=True)
            reached = not denied and "/login" not in response.headers.get("Location", "")
            if response.status_code >= 500:
                wrong.append(f"{role} {method} {url}: server error {response.status_code}")
            elif allowed != reached:
                wrong.append(f"{role} {method} {url}: {response.status_code}, expected "
                             f"{'access' if allowed else '403'}")
    for role, client in clients.items():
        signed_out = client.post("/logout", data={"csrf_token": tokens[role]})
        assert signed_out.status_code == 302 and client.get("/account").status_code == 302
    assert wrong == [], "\n".join(wrong)


def test_an_anonymous_visitor_reaches_only_the_login_page(app):
    client = app.test_client()
    for _endpoint, method, url in _routes(app):
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code == 302, (method, url, response.status_code)
        assert response.headers["Location"].startswith("/login"), (method, url)
    assert client.get("/login").status_code == 200
