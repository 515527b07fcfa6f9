"""The director's page «Ключ архива», on the director's blueprint: set the access code that opens
backups (twice), change it, replace the key pair, create or drop the escrow copy.

Codes are read from the form, handed to the service and dropped: never in the session, a flash
message, the audit log or a log line. The service journals and audits each action.
"""

from __future__ import annotations

from typing import Callable

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from archive_service.errors import ArchiveError
from archive_service.services import archive_keys
from archive_service.web.auth import allow, archive, current_actor
from archive_service.web.director import bp
from storage import StorageError

WRONG = "неверный код доступа"


@bp.get("/key")
@allow("manage_archive_key")
def archive_key():
    keys = archive_keys.key_status(archive().uow())
    return render_template("director/archive_key.html", keys=keys, current=keys[0] if keys else None)


def _done(action: Callable[[], object], ok: str) -> Response:
    """Run a key action; its outcome (never a code) as a message on the key page."""
    try:
        action()
    except StorageError as err:  # a wrong code (refused and journaled by the service)
        flash(f"Не сделано: {err}.", "error")
    except ArchiveError as err:
        flash(f"Не сделано: {err}.", "error")
    else:
        flash(ok, "ok")
    return redirect(url_for("director.archive_key"))


def _form(name: str) -> str:
    return request.form.get(name, "")


@bp.post("/key/init")
@allow("manage_archive_key")
def archive_key_init():
    a = archive()
    return _done(lambda: archive_keys.init_key(a.uow(), _form("code"), _form("code2"), actor=current_actor(),
                                               now=a.now(), params=a.settings.key_sealing),
                 "Ключ архива создан. Запишите код и храните его в сейфе: без него резервные копии не открыть.")


@bp.post("/key/change")
@allow("manage_archive_key")
def archive_key_change():
    a = archive()
    return _done(lambda: archive_keys.change_code(a.uow(), _form("code"), _form("new_code"), _form("new_code2"),
                                                  actor=current_actor(), now=a.now(), params=a.settings.key_sealing),
                 "Код доступа сменён: все резервные копии открываются новым кодом.")


@bp.post("/key/rotate")
@allow("manage_archive_key")
def archive_key_rotate():
    a = archive()
    return _done(lambda: archive_keys.rotate_key(a.uow(), _form("code"), _form("new_code"), _form("new_code2"),
                                                 actor=current_actor(), now=a.now(), params=a.settings.key_sealing),
                 "Ключ архива заменён новым; прежние резервные копии открываются тем же новым кодом.")


@bp.post("/key/escrow")
@allow("manage_archive_key")
def archive_key_escrow():
    a = archive()
    return _done(lambda: archive_keys.set_escrow(a.uow(), _form("code"), _form("escrow_code"), _form("escrow_code2"),
                                                 _form("holder"), actor=current_actor(), now=a.now(),
                                                 params=a.settings.key_sealing),
                 "Копия ключа создана. Передайте её код хранителю лично; каждое её использование "
                 "записывается в журнал.")


@bp.post("/key/escrow/drop")
@allow("manage_archive_key")
def archive_key_escrow_drop():
    a = archive()
    return _done(lambda: archive_keys.drop_escrow(a.uow(), actor=current_actor(), now=a.now()),
                 "Копия ключа удалена.")
