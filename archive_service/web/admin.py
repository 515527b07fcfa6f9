"""The administrator's pages: accounts and roles, API tokens for the journal system, media."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for

from archive_service.domain.public_address import is_local_address
from archive_service.domain.fields import EMAIL_MOST, LOGIN_MOST, NAME_MOST
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError
from archive_service.services import account_email, accounts, backup_media, tokens
from archive_service.web.auth import allow, archive, current_actor, menu

_log = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/admin")
NAV = [menu("admin.users", "Пользователи", "manage_accounts"),
       menu("admin.api_tokens", "Ключи доступа", "manage_accounts"),
       menu("admin.media", "Носители", "manage_media")]


FORM_LIMITS = {"login": LOGIN_MOST, "full_name": NAME_MOST, "email": EMAIL_MOST}


def _users_page(entered: dict[str, str] | None = None, error: str = "") -> str:
    return render_template("admin/users.html", users=accounts.list_users(archive().uow()), entered=entered or {},
                           error=error, limits=FORM_LIMITS)


@bp.get("/users")
@allow("manage_accounts")
def users():
    return _users_page()


@bp.post("/users")
@allow("manage_accounts")
def create_user():
    """A new account; refused, the form comes back with what was typed (no role is ever assumed)."""
    a = archive()
    password = accounts.generate_password()
    entered = {name: request.form.get(name, "") for name in ("login", "full_name", "role")}
    try:
        user = accounts.CreateUser(a.uow(), entered["login"], entered["full_name"], entered["role"], password,
                                   actor=current_actor(), now=a.now()).run()
    except ArchiveError as err:
        return _users_page(entered, f"Пользователь не создан: {err}."), 422
    flash(f"Создан пользователь {user.login} ({ROLES[user.role]}). Временный пароль: {password} — передайте его "
          "лично; он показан один раз. При первом входе пользователь сменит его на свой.", "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<login>")
@allow("manage_accounts")
def change_user(login: str):
    a = archive()
    action = request.form.get("action")
    try:
        if action == "role":
            accounts.SetRole(a.uow(), login, request.form.get("role", ""), actor=current_actor(), now=a.now()).run()
            flash(f"{login}: роль изменена на «{ROLES.get(request.form.get('role', ''), '?')}».", "ok")
        elif action in ("disable", "enable"):
            accounts.SetActive(a.uow(), login, action == "enable", actor=current_actor(), now=a.now()).run()
            flash(f"{login}: {'включён' if action == 'enable' else 'отключён'}.", "ok")
        elif action == "email":
            user = account_email.set_email(a.uow(), login, request.form.get("email", ""), actor=current_actor(),
                                           now=a.now())
            flash(f"{login}: адрес электронной почты {user.email or 'убран'}.", "ok")
        elif action == "password":
            password = accounts.generate_password()
            accounts.SetPassword(a.uow(), login, password, actor=current_actor(), now=a.now()).run()
            flash(f"{login}: новый временный пароль {password} — передайте его лично; при входе пользователь "
                  "сменит его на свой.", "ok")
        else:
            flash("Неизвестное действие.", "error")
    except ArchiveError as err:
        flash(f"{login}: {err}", "error")
    return redirect(url_for("admin.users"))


@bp.get("/tokens")
@allow("manage_accounts")
def api_tokens():
    return render_template("admin/tokens.html", tokens=tokens.list_tokens(archive().uow()))


@bp.post("/tokens")
@allow("manage_accounts")
def create_token():
    a = archive()
    name = request.form.get("name", "").strip()
    if not name:
        flash("Укажите, для какой системы токен.", "error")
        return redirect(url_for("admin.api_tokens"))
    try:
        token_id, token = tokens.issue_token(a.uow(), name, actor=current_actor(), now=a.now())
    except ArchiveError as err:
        flash(f"Ключ доступа не выдан: {err}.", "error")
        return redirect(url_for("admin.api_tokens"))
    flash(f"Ключ доступа №{token_id} для «{name}»: {token} — скопируйте его сейчас, он показан один раз.", "ok")
    return redirect(url_for("admin.api_tokens"))


@bp.post("/tokens/<int:token_id>/revoke")
@allow("manage_accounts")
def revoke_token(token_id: int):
    a = archive()
    try:
        tokens.revoke_token(a.uow(), token_id, actor=current_actor(), now=a.now())
        flash(f"Ключ доступа №{token_id} отозван.", "ok")
    except ArchiveError as err:
        flash(str(err), "error")
    return redirect(url_for("admin.api_tokens"))


@bp.get("/media")
@allow("manage_media")
def media():
    a = archive()
    rows = []
    for medium in a.media():
        try:
            space = medium.free_space()
            free = "не ограничено" if space >= 2 ** 62 else f"{space / 1e9:.1f} ГБ"  # an object store: no capacity
        except (OSError, ArchiveError):  # the system's words name folders: for the log, not the page
            _log.warning("medium %s does not answer", medium.label, exc_info=True)
            free = "недоступен: носитель не отвечает или не подключён"
        rows.append({"label": medium.label, "location": medium.location, "kind": backup_media.medium_kind(medium),
                     "free": free})
    return render_template("admin/media.html", media=rows, settings=a.settings,
                           local_address=is_local_address(a.settings.public_url))
