"""The district's own pages (a district installation's addresses without /s/<code>/): the district
inspector's schools and one search across all of them.

A search is made in each granted school's own archive and recorded in that school's audit log
under the inspector's name, as if they had searched there; the documents found open at the
school's own addresses (`/s/<code>/inspect/…`), where the inspector is admitted only while the
grant stands (`web.auth`).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import district_access, retrieval
from archive_service.tenancy import district, school_code
from archive_service.web.auth import allow, current_actor, menu

bp = Blueprint("district", __name__, url_prefix="/district")
NAV = [menu("district.search", "Школы района", "search_district")]


@bp.get("")
@allow("search_district")
def search():
    found = district()
    if found is None or school_code() is not None:
        abort(404)  # a single school's installation, or a school's own addresses: no district pages
    actor = current_actor()
    codes = district_access.granted(found.own.uow(), actor.account)
    schools = [s for s in found.schools if s.code in codes]
    try:
        query, status = retrieval.search_query(request.args), 200
    except ArchiveError as err:
        flash(f"Поиск не выполнен: {err}", "error")
        query, status = retrieval.SearchQuery(), 400
    results = None
    if not query.empty:
        visitor = Actor(actor.person, actor.role, f"{actor.origin}, {found.name}", actor.account)
        results = [(s, retrieval.search_as(found.archive(s.code).uow(), query, actor=visitor,
                                           now=found.archive(s.code).now())) for s in schools]
    return render_template("district/search.html", district_name=found.name, schools=schools, query=query,
                           results=results, kinds=retrieval.KINDS, limit=retrieval.MAX_RESULTS), status
