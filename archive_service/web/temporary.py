"""The deputy head's page of temporary journals (reference 001 §3.1–3.2): print a blank temporary
journal of a class for the days the journal system is down, and record when its data were moved
back into the system; each journal shows «перенесено», «срок …» or «просрочено».

Views only translate: `services.temporary_journals` does the work and the auditing.
"""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for

from archive_service.errors import ArchiveError
from archive_service.services import temporary_journals
from archive_service.web.auth import allow, archive, current_actor, menu, school_now

bp = Blueprint("temporary", __name__, url_prefix="/temporary-journals")
NAV = [menu("temporary.index", "Временные журналы", "keep_temporary_journals")]


def _date(field: str, words: str) -> dt.date:
    try:
        return dt.date.fromisoformat(request.form.get(field, "").strip())
    except ValueError:
        raise ArchiveError(f"укажите {words} (дату в календаре)") from None


def _maybe_date(field: str, words: str) -> dt.date | None:
    return _date(field, words) if request.form.get(field, "").strip() else None


@bp.get("")
@allow("keep_temporary_journals")
def index():
    today = school_now().date()
    rows = temporary_journals.list_temporary_journals(archive().uow(), today)
    return render_template("temporary/index.html", rows=rows, today=today.isoformat())


@bp.post("")
@allow("keep_temporary_journals")
def make():
    a, now = archive(), school_now()
    try:
        start, end = _date("from", "первый день"), _date("to", "последний день")
        row, pdf = temporary_journals.make_temporary_journal(
            a.uow(), a.settings.templates_dir, request.form.get("class_name", ""), start, end,
            actor=current_actor(), now=a.now(), today=now.date())
    except ArchiveError as err:
        flash(f"Временный журнал не напечатан: {err}", "error")
        return redirect(url_for("temporary.index"))
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"временный-журнал-{row.class_name}-{start:%d.%m}-{end:%d.%m.%Y}.pdf")


@bp.post("/<int:journal_id>/moved-back")
@allow("keep_temporary_journals")
def moved_back(journal_id: int):
    a, now = archive(), school_now()
    try:
        moved_on = _date("moved_back_on", "когда данные перенесены в систему")
        restored_on = _maybe_date("restored_on", "когда восстановился доступ к системе")
        row = temporary_journals.record_moved_back(
            a.uow(), journal_id, moved_on, restored_on=restored_on,
            actor=current_actor(), now=a.now(), today=now.date())
    except ArchiveError as err:
        flash(str(err), "error")
        return redirect(url_for("temporary.index"))
    flash(f"Временный журнал {row.class_name} класса: {row.state_words}.", "ok")
    return redirect(url_for("temporary.index"))
