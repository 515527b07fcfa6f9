"""The administrator's «Порядок работы»: which procedure each school year follows, the ready
procedures and the school's copies as tables, a copy of any of them, and editing a copy step by step.

Views only translate: `services.procedures` chooses, copies and saves (audited with the person's
name); every edit is a pure function of `domain.procedure_edits`, refused in Russian with nothing
saved. Ready procedures are never edited — the page offers a copy instead.
"""

from __future__ import annotations

from typing import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for

from archive_service.domain import procedure_edits as edits
from archive_service.domain.procedures import EVENTS, FACTS, STEP_ROLES, UNITS, Procedure, ProcedureError
from archive_service.domain.ready_procedures import READY
from archive_service.errors import ArchiveError
from archive_service.services import originals, procedures
from archive_service.web.auth import allow, archive, current_actor, menu, school_now

bp = Blueprint("procedures", __name__, url_prefix="/admin/procedures")
NAV = [menu("procedures.index", "Порядок работы", "manage_procedures")]


@bp.context_processor
def _helpers() -> dict:
    return {"step_roles": STEP_ROLES, "facts": FACTS, "events": EVENTS, "units": UNITS, "scopes": edits.SCOPES,
            "scope_words": edits.scope_words, "ready": READY}


@bp.get("")
@allow("manage_procedures")
def index():
    a = archive()
    choices = procedures.year_choices(a.uow(), school_now().date())
    return render_template("admin/procedures.html", choices=choices, procedures=procedures.available(a.uow()),
                           bindings=procedures.BINDINGS,
                           originals=originals.settings_of(a.uow(), [c.academic_year for c in choices]))


@bp.post("/binding")
@allow("manage_procedures")
def binding():
    a, year, choice = archive(), request.form.get("year", ""), request.form.get("binding", "")
    if year not in {c.academic_year for c in procedures.year_choices(a.uow(), school_now().date())} or \
            choice not in ("period", "year"):
        flash("Переплёт не изменён: выберите учебный год и способ переплёта из списка.", "error")
        return redirect(url_for("procedures.index"))
    procedures.set_binding(a.uow(), year, choice == "year", actor=current_actor(), now=a.now())
    flash(f"{year} учебный год: {procedures.BINDINGS[choice == 'year']}.", "ok")
    return redirect(url_for("procedures.index"))


@bp.post("/original")
@allow("manage_procedures")
def set_original():
    """The school year's archival original: the signed electronic copy («электронный оригинал») or paper."""
    a, year = archive(), request.form.get("year", "")
    if year not in {c.academic_year for c in procedures.year_choices(a.uow(), school_now().date())}:
        flash("Настройка не изменена: выберите учебный год из списка.", "error")
        return redirect(url_for("procedures.index"))
    setting = originals.set_original(a.uow(), year, request.form.get("original") == "electronic",
                                     actor=current_actor(), now=a.now())
    flash(f"{year} учебный год: архивный оригинал — {setting.words}.", "ok")
    return redirect(url_for("procedures.index"))


@bp.post("/choose")
@allow("manage_procedures")
def choose():
    a, year = archive(), request.form.get("year", "")
    if year not in {c.academic_year for c in procedures.year_choices(a.uow(), school_now().date())}:
        flash("Порядок не выбран: выберите учебный год из списка.", "error")
        return redirect(url_for("procedures.index"))
    try:
        chosen = procedures.choose(a.uow(), year, request.form.get("procedure", ""), actor=current_actor(),
                                   now=a.now())
    except ArchiveError as err:
        flash(f"Порядок не выбран: {err}.", "error")
    else:
        flash(f"{year} учебный год: школа работает по порядку «{chosen.title}».", "ok")
    return redirect(url_for("procedures.index"))


@bp.post("/copy")
@allow("manage_procedures")
def copy():
    a = archive()
    try:
        made = procedures.copy_procedure(a.uow(), request.form.get("procedure", ""), request.form.get("title", ""),
                                         actor=current_actor(), now=a.now())
    except ArchiveError as err:
        flash(f"Копия не сделана: {err}.", "error")
        return redirect(url_for("procedures.index"))
    flash(f"Сделана копия «{made.title}» — её можно изменять.", "ok")
    return redirect(url_for("procedures.edit", key=made.key))


def _copy_of(key: str) -> Procedure:
    a = archive()
    with a.uow() as uow:
        return procedures.procedure_of(uow, key)


@bp.get("/<key>")
@allow("manage_procedures")
def edit(key: str):
    if key in READY:
        flash("Готовый порядок не изменяется: сделайте его копию и изменяйте её.", "info")
        return redirect(url_for("procedures.index"))
    return render_template("admin/procedure_edit.html", procedure=_copy_of(key))


ACTIONS: dict[str, Callable[[dict], Callable[[Procedure], edits.Edited]]] = {
    "rename": lambda f: lambda p: edits.rename_procedure(p, f.get("title", "")),
    "add": lambda f: lambda p: edits.add_step(p, f.get("title", ""), f.get("role", ""),
                                              performer=f.get("performer", ""), hint=f.get("hint", "")),
    "remove": lambda f: lambda p: edits.remove_step(p, f.get("step", "")),
    "up": lambda f: lambda p: edits.move_step(p, f.get("step", ""), -1),
    "down": lambda f: lambda p: edits.move_step(p, f.get("step", ""), 1),
}
"""The edit page's buttons → the edit each makes from the form's fields."""


@bp.post("/<key>")
@allow("manage_procedures")
def change(key: str):
    action = request.form.get("action", "")
    if action not in ACTIONS:
        flash("Неизвестное действие.", "error")
        return redirect(url_for("procedures.edit", key=key))
    _apply(key, ACTIONS[action](request.form.to_dict()))
    return redirect(url_for("procedures.edit", key=key))


def _apply(key: str, change: Callable[[Procedure], edits.Edited]) -> bool:
    """Save one edit of the copy, saying on the page what changed or why nothing was saved."""
    a = archive()
    try:
        done = procedures.edit_copy(a.uow(), key, change, actor=current_actor(), now=a.now())
    except ArchiveError as err:
        flash(f"Не сохранено: {err}.", "error")
        return False
    if done.what:
        flash(f"Сохранено: {done.what}.", "ok")
    else:
        flash("Ничего не изменено.", "info")
    return True


@bp.get("/<key>/steps/<code>")
@allow("manage_procedures")
def step(key: str, code: str):
    if key in READY:
        return redirect(url_for("procedures.edit", key=key))
    procedure = _copy_of(key)
    try:
        the_step = procedure.step(code)
    except ProcedureError:
        flash("В этом порядке нет такого шага.", "error")
        return redirect(url_for("procedures.edit", key=key))
    return render_template("admin/procedure_step.html", procedure=procedure, step=the_step,
                           earlier=procedure.steps[:procedure.steps.index(the_step)])


@bp.post("/<key>/steps/<code>")
@allow("manage_procedures")
def save_step(key: str, code: str):
    form = request.form

    def change(procedure: Procedure) -> edits.Edited:
        deadline = edits.parse_deadline(form.get("event", ""), form.get("count", ""), form.get("unit", ""),
                                        form.get("from_step", ""))
        return edits.edit_step(procedure, code, title=form.get("title", ""), hint=form.get("hint", ""),
                               performer=form.get("performer", ""), role=form.get("role", ""), deadline=deadline,
                               scope=form.get("scope", ""), grades=edits.parse_grades(form.get("grades", "")),
                               after=form.get("after", ""),
                               paper=bool(form.get("paper")) if form.get("paper_shown") else None)

    if _apply(key, change):
        return redirect(url_for("procedures.edit", key=key))
    return redirect(url_for("procedures.step", key=key, code=code))
