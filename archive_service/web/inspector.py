"""The inspector's pages: search the archive across all school years, read, download, verify.

Who may use them: the inspector, whose whole role is this read-only retrieval; and the
director, the deputy heads and the secretary, who answer the same questions in their work (a
former student's summary sheet, a check by the education authority) and would otherwise need
the inspector's account for it. The administrator manages accounts and media, not archive
contents, and does not see them.

Every reading is in the audit log (see `services/retrieval.py`): a search by a student's name,
opening a document, downloading it, verifying its signature. The page images of an open
document are not logged one by one: opening the document is the logged event, and this
session may fetch that document's images only after it (so an image address alone opens
nothing unlogged). Turning pages within a document is one view.

Only the signed file is given out; an unsigned document can be previewed (marked as such) but
not downloaded — it is not yet an electronic original.
"""

from __future__ import annotations

import io
import json

from flask import Blueprint, Response, abort, flash, g, render_template, request, send_file, session, url_for

from archive_service.domain.permissions import may, roles_for
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import originals, retrieval
from archive_service.services.documents import export_name
from archive_service.services.register import NotSigned
from archive_service.tenancy import school_code
from archive_service.web.auth import allow, archive, current_actor, menu
from signing.words import level_in_words
from signing.zones import local_moment

bp = Blueprint("inspector", __name__, url_prefix="/inspect")
bp.add_app_template_filter(level_in_words, "signature_kind")  # «PAdES B-LTA» in words, on every page with _facts
READERS = roles_for("search_archive")
NAV = [menu("inspector.search", "Поиск документов", "search_archive")]
PREVIEW_DPI = 90
_SEEN_KEY, _SEEN_MAX = "seen_documents", 30


def remember_view(key: str) -> None:
    """This session opened `key` — a document, or «document/sheet» from a sheet check — and the
    opening is in the audit log (of this school: a district inspector's session visits several);
    its images may follow."""
    key = f"{school_code() or ''}:{key}"
    seen = [d for d in session.get(_SEEN_KEY, []) if d != key]
    session[_SEEN_KEY] = (seen + [key])[-_SEEN_MAX:]


def has_viewed(key: str) -> bool:
    return f"{school_code() or ''}:{key}" in session.get(_SEEN_KEY, [])


def png_response(data: bytes) -> Response:
    return Response(data, mimetype="image/png")


def refusal(err: ArchiveError, title: str) -> tuple[str, int]:
    """An error page in plain words, with the status the error carries."""
    return render_template("error.html", code=err.http_status, title=title, message=str(err)), err.http_status


@bp.get("")
@allow("search_archive")
def search():
    a = archive()
    try:
        query, status = retrieval.search_query(request.args), 200
    except ArchiveError as err:
        flash(f"Поиск не выполнен: {err}", "error")
        query, status = retrieval.SearchQuery(), 400
    years, classes = retrieval.choices(a.uow())
    results = None if query.empty else retrieval.search_as(a.uow(), query, actor=current_actor(), now=a.now())
    return render_template("inspector/search.html", query=query, years=years, classes=classes, results=results,
                           kinds=retrieval.KINDS, limit=retrieval.MAX_RESULTS), status


@bp.get("/documents/<document_id>")
@allow("search_archive")
def document(document_id: str):
    """The document's facts and one page of it; `?page=N` turns pages without a new view."""
    a = archive()
    try:
        if "page" in request.args and has_viewed(document_id):
            card = retrieval.document_card(a.uow(), document_id)
        else:
            card = retrieval.view_document(a.uow(), document_id, actor=current_actor(), now=a.now())
            remember_view(document_id)
    except NotFoundError as err:
        return refusal(err, "Документ недоступен")
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), card.pages)
    copy_allowed = (card.signature is not None and not card.destroyed_by_act
                    and may(g.user.role, "print_electronic_copy")
                    and originals.settings_of(a.uow(), [card.academic_year])[card.academic_year].electronic)
    return render_template("inspector/document.html", card=card, page=page,
                           file_missing=not card.destroyed_by_act and not a.store.exists(card.current_sha256),
                           back=_back(), copy_allowed=copy_allowed)


def _back() -> str:
    """The search the document was opened from, to return to it (only a search of this blueprint)."""
    back = request.args.get("back", "")
    return back if back.startswith(url_for("inspector.search") + "?") else ""


@bp.get("/documents/<document_id>/pages/<int:page>.png")
@allow("search_archive")
def page_image(document_id: str, page: int):
    if not has_viewed(document_id):
        return Response("сначала откройте документ: просмотр страниц записывается в журнал аудита", status=403,
                        mimetype="text/plain")
    a = archive()
    try:
        card = retrieval.document_card(a.uow(), document_id)
        return png_response(retrieval.page_image(a.store, card, page, dpi=PREVIEW_DPI))
    except NotFoundError:
        abort(404)
    except ArchiveError as err:
        return Response(str(err), status=422, mimetype="text/plain")


@bp.get("/documents/<document_id>/download")
@allow("search_archive")
def download(document_id: str):
    """The signed PDF as it stands now (timestamp renewals included)."""
    a = archive()
    try:
        card, data = retrieval.download_document(a.uow(), a.store, document_id, actor=current_actor(), now=a.now())
    except NotSigned as err:
        return refusal(err, "Документ ещё не подписан")
    except NotFoundError as err:
        return refusal(err, "Документ недоступен")
    name = export_name({"class": card.class_name, "period": card.period_code, "kind": card.kind})
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{card.academic_year.replace('/', '-')}_{name}")


def _verified(document_id: str, downloaded: bool = False):
    a = archive()
    return retrieval.verify_document(a.uow(), a.store, a.trust, document_id, actor=current_actor(), now=a.now(),
                                     downloaded=downloaded, zone=a.zone)


@bp.get("/documents/<document_id>/report")
@allow("search_archive")
def report(document_id: str):
    """The signature verification report of the current signed file, checked now."""
    try:
        card, result = _verified(document_id)
    except NotSigned as err:
        return refusal(err, "Документ ещё не подписан")
    except NotFoundError as err:
        return refusal(err, "Документ недоступен")
    a = archive()
    return render_template("inspector/report.html", card=card, report=result, checked_at=local_moment(a.now(), a.zone))


@bp.get("/documents/<document_id>/report.<any(json, txt):fmt>")
@allow("search_archive")
def report_file(document_id: str, fmt: str):
    try:
        card, result = _verified(document_id, downloaded=True)
    except NotSigned as err:
        return refusal(err, "Документ ещё не подписан")
    except NotFoundError as err:
        return refusal(err, "Документ недоступен")
    a = archive()
    now = a.now()
    checked_at = now.isoformat(timespec="seconds")  # for machines (JSON); people read the school's local time
    name = f"проверка_подписи_{card.document_id}.{fmt}"
    if fmt == "json":
        body = json.dumps({"document_id": card.document_id, "title": card.title, "academic_year": card.academic_year,
                           "period": card.period_code, "class": card.class_name, "file_sha256": card.current_sha256,
                           "checked_at": checked_at, "report": result.as_dict()}, ensure_ascii=False, indent=2)
        mimetype = "application/json"
    else:
        body = (f"{card.title}, {card.period_line}\nНомер документа: {card.document_id}\n"
                f"Проверено: {local_moment(now, a.zone, '%d.%m.%Y %H:%M:%S')}\n\n{result.as_text()}\n")
        mimetype = "text/plain"
    return send_file(io.BytesIO(body.encode("utf-8")), mimetype=f"{mimetype}; charset=utf-8", as_attachment=True,
                     download_name=name)

