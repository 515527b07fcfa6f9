"""The district's own pages (a district installation's addresses without /s/<code>/): the district
inspector's schools and one search across all of them.

A search is made in each granted school's own archive and recorded in that school's audit log
under the inspector's name, as if they had searched there; the documents found open at the
school's own addresses (`/s/<code>/inspect/…`), where the inspector is admitted only while the
grant stands (`web.auth`).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import accounts, district_access, retrieval
from archive_service.tenancy import district, school_code
from archive_service.web.auth import allow, current_actor, menu

bp = Blueprint("district", __name__, url_prefix="/district")
NAV = [menu("district.search", "Школы района", "search_district"),
       menu("district.access", "Доступ к школам", "manage_accounts")]


def _district_here():
    """The district, on its own addresses; 404 in a single school's installation or at a school's."""
    found = district()
    if found is None or school_code() is not None:
        abort(404)
    return found


@bp.get("")
@allow("search_district")
def search():
    found = _district_here()
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


@bp.get("/access")
@allow("manage_accounts")
def access():
    """The district administrator's table: each district inspector, each school, open or not."""
    found = _district_here()
    uow = found.own.uow
    inspectors = [u for u in accounts.list_users(uow()) if u.role == "inspector"]
    granted = {u.login: set(district_access.granted(uow(), u.login)) for u in inspectors}
    return render_template("district/access.html", district_name=found.name, schools=found.schools,
                           inspectors=inspectors, granted=granted)


@bp.post("/access")
@allow("manage_accounts")
def change_access():
    """Open or close one school's archive to one inspector (in the district's audit log, by name)."""
    found = _district_here()
    login, code, opening = request.form.get("login", ""), request.form.get("school", ""), request.form.get("open")
    archive = found.own
    actor = current_actor()
    school = found.school(code)
    try:
        if opening == "1":
            district_access.grant(archive.uow(), login, code, [s.code for s in found.schools], actor=actor,
                                  now=archive.now())
        else:
            district_access.revoke(archive.uow(), login, code, actor=actor, now=archive.now())
    except ArchiveError as err:
        flash(f"Доступ не изменён: {err}", "error")
        return redirect(url_for("district.access"))
    flash(f"{school.name if school else code}: архив {'открыт' if opening == '1' else 'закрыт'} инспектору {login}.",
          "ok")
    return redirect(url_for("district.access"))
