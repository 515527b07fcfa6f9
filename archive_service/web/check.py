"""The sheet check: the page a QR code printed on a paper sheet opens.

Every sheet front of an archive document carries `{public_url}/check/{document id}/{sheet}`
(`rendering/documents.py`); that address is fixed by the paper already printed and must never
change. Opened after signing in (any role of the staff; not the administrator, who manages
accounts, not archive contents), it says which document and sheet the paper
is, where the paper file is registered, how the electronic copy is signed, and shows the
sheet as the archive printed it (front, and back when printed two-sided) — so a loose sheet is
put back where it belongs and a substituted one shows by its difference. A code the archive
never printed (an unknown document, sheet 0 or past the last) answers 404: «лист не из архива».

Every check is in the audit log, the failed ones too. The images come from the file as
rendered — what was printed — not from the signed file, whose visible stamp is not on paper.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import retrieval
from archive_service.web.auth import allow, archive, current_actor
from archive_service.web.inspector import READERS, has_viewed, png_response, remember_view

bp = Blueprint("check", __name__)
CHECK_DPI = 100


@bp.get("/check/<document_id>/<int:sheet>")
@allow("check_sheet")
def sheet(document_id: str, sheet: int):
    a = archive()
    try:
        result = retrieval.check_sheet(a.uow(), a.store, document_id, sheet, actor=current_actor(), now=a.now())
    except retrieval.SheetNotInArchive as err:
        return render_template("check.html", found=False, reason=str(err), document_id=document_id,
                               sheet=sheet), 404
    remember_view(f"{document_id}/{sheet}")  # its images, not the whole document's
    return render_template("check.html", found=True, check=result, card=result.card, readers=READERS)


@bp.get("/check/<document_id>/<int:sheet>/<int:page>.png")
@allow("check_sheet")
def sheet_image(document_id: str, sheet: int, page: int):
    """A page of the checked sheet as printed; only after the check was opened (and logged)."""
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
