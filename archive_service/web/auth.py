"""Signing in and out, and the guard every page passes: login, role, idle time, CSRF.

Deny by default: a page is reachable only by the roles the permission table (`domain/permissions.py`)
gives the action its view declares with `@allow(action)`; a view without a declaration answers 403
to everyone, so a forgotten decorator can never open a page. `@public` marks the few pages an
anonymous visitor may see (the login page). The JSON API has its own bearer tokens (`web/api.py`)
and is exempt from cookies and CSRF.

A session cookie holds the session's token, the account's session epoch (raised when the
account is disabled, its role or password changes — ending older sessions) and the time of the
last request; after `idle_minutes` without a request the session ends. The token names a
session row on the server (`accounts.open_session`), checked on every request and deleted when
the person signs out: a cookie copied before signing out opens nothing afterwards.

An account whose password an administrator set (a temporary one) opens only the page that
changes it (and signing out) until its owner has chosen their own.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import RequestEntityTooLarge

from archive_service.config import ConfigError
from archive_service.domain.problems import place_in_words
from archive_service.domain.actor import Actor
from archive_service.domain.permissions import roles_for
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError
from archive_service.services import accounts, district_access, own_password
from archive_service.tenancy import current_archive, district, school_code
from archive_service.web.api import too_large

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()

HOME = {"deputy": "deputy.period_index", "director": "director.inbox", "secretary": "secretary.register",
        "inspector": "inspector.search", "admin": "admin.users"}


def allow(action: str) -> Callable:
    """The action this view performs; the roles that may open it come from the permission table
    (`domain.permissions`) and are checked on the server for every request."""
    roles = roles_for(action)

    def decorate(view: Callable) -> Callable:
        view.allowed_roles = roles  # type: ignore[attr-defined]
        return view

    return decorate


def menu(endpoint: str, label: str, action: str, *, not_for: frozenset[str] = frozenset()) -> tuple:
    """A top-menu entry: shown to the roles that may perform `action` (less `not_for`, roles that
    reach the page another way)."""
    return endpoint, label, roles_for(action) - not_for


def public(view: Callable) -> Callable:
    view.public = True  # type: ignore[attr-defined]
    return view


def archive():
    """The archive this request works on: the school's whose address it came to (`tenancy`)."""
    return current_archive()


def origin() -> str:
    """Where a request came from, for the audit log."""
    return f"web {request.remote_addr or '?'}"


def actor() -> str:
    """The person acting, as services record them: the full name."""
    return g.user.full_name


def current_actor() -> Actor:
    """The signed-in person as services are given them: name, role, where the request came from."""
    return Actor(g.user.full_name, g.user.role, origin(), g.user.login)


def school_now() -> dt.datetime:
    """Now in the school's time zone (`ARCHIVE_TIMEZONE`)."""
    return archive().now().astimezone(ZoneInfo(archive().settings.timezone))


def _idle_seconds() -> int:
    return archive().settings.idle_minutes * 60


SESSION_LIFETIME = dt.timedelta(hours=12)


def _current_user() -> accounts.User | None:
    token, epoch, seen = session.get("sid"), session.get("epoch"), session.get("seen", 0)
    if not token:
        return None
    if session.get("school") != school_code():
        return _district_visitor(token, epoch) if session.get("school") is None else None
    if time.time() - seen > _idle_seconds():
        session.clear()
        flash(f"Сеанс завершён: не было действий {archive().settings.idle_minutes} минут. Войдите снова.", "info")
        return None
    user = accounts.session_user(archive().uow(), token)
    if user is None:
        session.clear()
        flash("Сеанс завершён: из него вышли. Войдите снова.", "info")
        return None
    if not user.active or user.epoch != epoch:
        session.clear()
        flash("Сеанс завершён: учётная запись изменена или отключена. Войдите снова.", "info")
        return None
    session["seen"] = int(time.time())
    return user


def _district_visitor(token: str, epoch: int | None) -> accounts.User | None:
    """A district inspector signed in to the district, on the pages of a school they are granted:
    their account (from the district's own archive) for these pages; anyone else is not signed in
    here. A school's own accounts are signed in to their school only."""
    found = district()
    code = school_code()
    if found is None or code is None or time.time() - session.get("seen", 0) > _idle_seconds():
        return None
    user = accounts.session_user(found.own.uow(), token)
    if user is None or not user.active or user.epoch != epoch or user.role != "inspector":
        return None
    if code not in district_access.granted(found.own.uow(), user.login):
        return None
    session["seen"] = int(time.time())
    return user


def _guard() -> Any:
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static" or endpoint.startswith("api."):
        return None  # 404s, static files, and the API with its own tokens
    view = current_app.view_functions[endpoint]
    g.user = _current_user()
    if getattr(view, "public", False):
        return None
    if g.user is None:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.script_root + request.full_path.rstrip("?")))
        return redirect(url_for("auth.login"))
    if g.user.must_change_password and endpoint not in OPEN_WITH_TEMPORARY_PASSWORD:
        return redirect(url_for("auth.change_password"))
    roles = getattr(view, "allowed_roles", None)
    if roles is None or g.user.role not in roles:
        abort(403)
    return None


OPEN_WITH_TEMPORARY_PASSWORD = frozenset({"auth.change_password", "auth.logout"})
"""What an account with a temporary password may open: changing it, and signing out."""


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if request.method == "GET":
        if g.user is not None:
            return redirect(url_for("auth.home"))
        return render_template("login.html", next=request.args.get("next", ""))
    a = archive()
    try:
        user = accounts.authenticate(a.uow(), request.form.get("login", ""), request.form.get("password", ""),
                                     origin=origin(), now=a.now())
    except ArchiveError as err:
        return render_template("login.html", error=str(err), login=request.form.get("login", ""),
                               next=request.form.get("next", "")), 401
    token = accounts.open_session(a.uow(), user, now=a.now(), lifetime=SESSION_LIFETIME)
    session.clear()  # a fresh session on every login: no fixation
    session.permanent = True
    session.update(sid=token, epoch=user.epoch, seen=int(time.time()), school=school_code())
    if user.must_change_password:
        flash("Пароль выдан администратором и временный: придумайте свой, чтобы продолжить работу.", "info")
        return redirect(url_for("auth.change_password"))
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.home"))


@bp.post("/logout")
@allow("use_account")
def logout():
    a = archive()
    accounts.end_session(a.uow(), session["sid"], actor=current_actor(), now=a.now())
    session.clear()
    flash("Вы вышли из системы.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/static/fonts/<name>")
@public
def font(name: str):
    """The PT fonts shipped with the archive, for the pages as for the documents."""
    return send_from_directory(archive().settings.templates_dir / "fonts", name, max_age=86400)


@bp.get("/")
@allow("use_account")
def home():
    endpoint = HOME[g.user.role]
    if district() is not None and school_code() is None and g.user.role == "inspector":
        endpoint = "district.search"  # the district's own inspector: the schools granted and their search
    return redirect(url_for(endpoint if endpoint in current_app.view_functions else "auth.account"))


@bp.get("/account")
@allow("use_account")
def account():
    """Who is signed in, and in which role."""
    return render_template("account.html")


@bp.route("/account/password", methods=["GET", "POST"])
@allow("use_account")
def change_password():
    """The person's own password: the present one, then the new one twice."""
    if request.method == "GET":
        return render_template("password.html", min_length=accounts.MIN_PASSWORD, max_length=accounts.MAX_PASSWORD)
    a = archive()
    try:
        user = own_password.ChangeOwnPassword(a.uow(), current_actor(), request.form.get("present", ""),
                                          request.form.get("new", ""), request.form.get("again", ""),
                                          now=a.now()).run()
    except ArchiveError as err:
        return render_template("password.html", min_length=accounts.MIN_PASSWORD,
                               max_length=accounts.MAX_PASSWORD,
                               error=f"Пароль не изменён: {err}."), 422
    session["epoch"] = user.epoch  # this session goes on; every other one of the account ends
    flash("Пароль изменён. Другие открытые сеансы этой учётной записи завершены.", "ok")
    return redirect(url_for("auth.home"))


def _forbidden(_err: Exception):
    return render_template("error.html", code=403, title="Нет доступа",
                           message="Эта страница недоступна для вашей роли. Если она нужна вам для работы, "
                                   "обратитесь к администратору."), 403


def _not_found(_err: Exception):
    if request.path.startswith("/api/"):
        return {"error": {"code": "http_404", "message": "нет такого адреса API"}}, 404
    return render_template("error.html", code=404, title="Страница не найдена",
                           message="Такой страницы нет. Проверьте адрес или вернитесь на главную."), 404


def _archive_error(err: ArchiveError):
    """A refusal the views did not handle themselves: said in Russian, with its status."""
    message = str(err)[:1].upper() + str(err)[1:]
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/jobs/"):
        return {"error": {**err.as_dict(), "message": message}}, err.http_status
    return render_template("error.html", code=err.http_status, title="Действие не выполнено",
                           message=message), err.http_status


def _too_large(_err: RequestEntityTooLarge):
    """A request over `ARCHIVE_MAX_UPLOAD_MB`, refused before it was read: said in Russian, with the
    limit; in the API's structured JSON under /api."""
    if request.path.startswith("/api/"):
        return too_large()  # the API's own error format
    limit = archive().settings.max_upload_mb
    return render_template("error.html", code=413, title="Файл слишком большой",
                           message=f"Файл слишком большой: не больше {limit} МБ за одну отправку. Если файлов "
                                   "несколько, отправьте их по частям."), 413


def _config_error(err: ConfigError):
    return render_template("error.html", code=503, title="Не завершена настройка",
                           message=f"{str(err)[:1].upper()}{str(err)[1:]}. Обратитесь к администратору."), 503


def _csrf_error(err: CSRFError):
    return render_template("error.html", code=400, title="Форма устарела",
                           message="Форма устарела или отправлена не со страницы архива. Обновите страницу "
                                   "и повторите действие."), 400


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
    if request.endpoint and not request.endpoint.startswith(("api.", "static")):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _in_menu_here(endpoint: str, at_district: bool) -> bool:
    """The district's own addresses show the district's pages and its accounts; a school's, the school's."""
    if endpoint.startswith("district."):
        return at_district
    return not at_district or endpoint == "admin.users"  # the district's accounts; tokens and media are a school's


def _tenant() -> dict:
    """Whose archive the page is of, for the page's heading: the school's, or the district's with its schools;
    for a district inspector on a school's pages, the way back to the district's search."""
    found = district()
    if found is None:
        return {"tenant_name": "", "district_schools": [], "district_home": ""}
    code = school_code()
    school = found.school(code) if code else None
    visitor = school is not None and g.get("user") is not None and session.get("school") is None
    return {"tenant_name": school.name if school else found.name,
            "district_schools": [] if school else list(found.schools),
            "district_home": url_for("district.search").replace(f"/s/{code}/", "/", 1) if visitor else ""}


def init_auth(app: Flask) -> None:
    settings = app.extensions["archive"].settings
    app.config.update(
        SESSION_COOKIE_NAME="archive_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session; idle logout ends both
    )
    app.before_request(_guard)  # before CSRF: an anonymous or forbidden request learns nothing more
    csrf.init_app(app)
    app.after_request(_security_headers)
    app.register_error_handler(403, _forbidden)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(ArchiveError, _archive_error)
    app.register_error_handler(ConfigError, _config_error)

    app.add_template_filter(place_in_words, "place")  # a problem's JSON path as people read it

    @app.template_filter("local")
    def _local(moment: dt.datetime | str | None, pattern: str = "%d.%m.%Y %H:%M") -> str:
        """A stored UTC moment (or its ISO text) as the school's local time: «24.11.2026 03:14»."""
        if not moment:
            return "—"
        moment = dt.datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        return moment.astimezone(archive().zone).strftime(pattern)  # the school's zone (a district's schools differ)

    @app.context_processor
    def _layout() -> dict:
        user = g.get("user")
        open_menu = user and not user.must_change_password  # a temporary password opens no other page
        at_district = district() is not None and school_code() is None
        nav = [(endpoint, label) for endpoint, label, roles in app.config["NAV"]
               if open_menu and user.role in roles and _in_menu_here(endpoint, at_district)]
        return {"user": user, "nav": nav, "roles": ROLES, **_tenant()}
