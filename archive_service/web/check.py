"""The sheet check: the page a QR code printed on a paper sheet opens.

Every sheet front of an archive document carries `{public_url}/check/{document id}/{sheet}`
(`rendering/documents.py`); that address is fixed by the paper already printed and must never
change. It answers anyone, signed in or not — an outside inspector scanning a sheet lands on it,
not on the login form — and says only what the sheet itself shows: school, class, period, kind,
«лист N из M», whether the sheet matches the archive (the document is kept, has this sheet, and its
stored files still hash to their records), its register number and whether the director signed
it (`sheet_checks.public_sheet_check`). No pupil's, teacher's or anyone's name, no mark, no path,
no digest. A code the archive never printed (an unknown document, sheet 0 or past the last)
answers 404: «Лист не найден в архиве».

The staff view (`/check/<document>/<sheet>/full`, any staff role signed in; not the
administrator, who manages accounts, not archive contents) adds where the paper file is kept,
who signed, and shows the sheet as the archive printed it (front, and back when printed
two-sided) — so a loose sheet is put back where it belongs and a substituted one shows by its
difference. The public page links to it for staff who are signed in, and only for them.

Every check is in the audit log, the failed ones too, the public ones marked so (a visitor without
login is recorded by where the request came from). The images come from the file as rendered —
what was printed — not from the signed file, whose visible stamp is not on paper.

The public page is rate-limited per address (`ARCHIVE_CHECK_PER_MINUTE`, `web.limits`): a 429 in
Russian past the limit, so nobody walks the archive's document numbers through it.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template

from archive_service.domain.actor import Actor
from archive_service.domain.permissions import may
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import retrieval, sheet_checks
from archive_service.web.auth import allow, archive, current_actor, origin, public
from archive_service.web.inspector import READERS, has_viewed, png_response, remember_view

bp = Blueprint("check", __name__)
CHECK_DPI = 100


def _staff() -> bool:
    return g.get("user") is not None and may(g.user.role, "check_sheet")


@bp.get("/check/<document_id>/<int:sheet>")
@public
def sheet(document_id: str, sheet: int):
    """The public check: only what the sheet shows, and whether it matches the archive."""
    a = archive()
    who = current_actor() if g.get("user") is not None else Actor.visitor(origin())
    try:
        result = sheet_checks.public_sheet_check(a.uow(), a.store, document_id, sheet, actor=who, now=a.now())
    except sheet_checks.SheetNotInArchive as err:
        return render_template("check.html", found=False, reason=str(err)), 404
    return render_template("check.html", found=True, check=result, document_id=document_id, staff=_staff())


@bp.get("/check/<document_id>/<int:sheet>/full")
@allow("check_sheet")
def sheet_full(document_id: str, sheet: int):
    """The staff view: the document's full facts and the sheet's images as printed."""
    a = archive()
    try:
        result = sheet_checks.check_sheet(a.uow(), a.store, document_id, sheet, actor=current_actor(), now=a.now())
    except sheet_checks.SheetNotInArchive as err:
        return render_template("check.html", found=False, reason=str(err)), 404
    remember_view(f"{document_id}/{sheet}")  # its images, not the whole document's
    return render_template("check_staff.html", found=True, check=result, card=result.card, readers=READERS)


@bp.get("/check/<document_id>/<int:sheet>/<int:page>.png")
@allow("check_sheet")
def sheet_image(document_id: str, sheet: int, page: int):
    """A page of the checked sheet as printed; only after the staff view was opened (and logged)."""
    if not has_viewed(f"{document_id}/{sheet}"):
        return Response("сначала откройте документ: просмотр страниц записывается в журнал аудита", status=403,
                        mimetype="text/plain")
    a = archive()
    try:
        card = retrieval.document_card(a.uow(), document_id)
        if card.destroyed_by_act or not 1 <= sheet <= card.sheets or page not in card.sheet_pages(sheet):
            abort(404)
        return png_response(retrieval.page_image(a.store, card, page, dpi=CHECK_DPI, signed=False))
    except NotFoundError:
        abort(404)
    except ArchiveError as err:
        return str(err), 422, {"Content-Type": "text/plain; charset=utf-8"}
