"""What other people enter on the period board besides the deputy head's records: the date of the
state exam results (the deputy head; deadlines of the year's procedure count from it) and the steps
of the secretary's own role (reference 003: «Секретарь напечатал и прошил копию»).

The director records her steps through `deputy.paper_signature`. Views only translate:
`services.procedures.set_event_date` and `services.period_steps.record_step` check and audit.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, request, url_for

from archive_service.domain.procedure_edits import parse_day
from archive_service.domain.procedures import ProcedureError
from archive_service.errors import ArchiveError
from archive_service.services import period_steps, procedures
from archive_service.web.auth import allow, archive, current_actor

bp = Blueprint("board", __name__, url_prefix="/period")


def _year(slug: str) -> str:
    """«2026-2027» in the address → «2026/2027»."""
    if not re.fullmatch(r"\d{4}-\d{4}", slug):
        abort(404)
    return slug.replace("-", "/")


@bp.post("/<year>/<period>/gia-date")
@allow("close_period")
def gia_date(year: str, period: str):
    """The day the school received the state exam results (deadlines count from it)."""
    a = archive()
    try:
        on = parse_day(request.form.get("on", ""))
        procedures.set_event_date(a.uow(), _year(year), "gia_results", on, actor=current_actor(), now=a.now())
    except (ArchiveError, ProcedureError) as err:
        flash(f"Дата не внесена: {err}.", "error")
    else:
        flash(f"Внесена дата получения результатов ГИА: {on:%d.%m.%Y}.", "ok")
    return redirect(url_for("deputy.period_page", year=year, period=period))


@bp.post("/<year>/<period>/own-steps")
@allow("record_own_steps")
def own_step(year: str, period: str):
    """A step of the person's own role, for one class (the service refuses another role's step)."""
    return record_own(year, period, request.form.get("step", ""))


def record_own(year: str, period: str, code: str, classes: list[str] | None = None, *, note: str = "",
               everyone: bool = False):
    """Record (or undo) the step `code` as the signed-in person for `classes` (the form's, unless given;
    `everyone`: all the classes the step is for), then back to the board saying what was done — the
    deputy head's board, the secretary's route and the director's (`deputy.paper_signature`)."""
    a = archive()
    chosen = request.form.getlist("class") if classes is None else classes
    done = request.form.get("action", "done") != "undo"
    try:
        count = period_steps.record_step(a.uow(), _year(year), period, code, chosen, done=done, note=note,
                                         actor=current_actor(), now=a.now())
    except ArchiveError as err:
        flash(f"Не отмечено: {err}.", "error")
    else:
        title = period_steps.step_title(a.uow(), _year(year), code)
        which = f"все классы ({count})" if everyone else ", ".join(sorted(set(chosen)))
        flash(f"{'Отмечено' if done else 'Отметка снята'}: «{title}» — {which}.", "ok")
    return redirect(url_for("deputy.period_page", year=year, period=period))
