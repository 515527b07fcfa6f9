"""A paper file's page in the register, on the secretary's blueprint: where it is kept, every
issue and return of it (to whom, what for, when, by which date it comes back, who recorded each
step), and the forms that issue it and take it back.

The rules — the return-by date, a return dated before its issue, overdue — are in
`domain.file_issues`; `register.move_file` writes the step with its audit events.
"""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, send_file, url_for

from archive_service.domain.file_issues import fmt
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import electronic_copies, file_issues, register
from archive_service.services.documents import export_name
from archive_service.web.auth import allow, archive, current_actor
from archive_service.web.secretary import FAILURES, _date, _filters, _required, _today, bp


@bp.get("/register/<int:year>/<int:number>")
@allow("read_register")
def register_file(year: int, number: int):
    a = archive()
    today = _today()
    try:
        file = file_issues.history(a.uow(), year, number, today)
    except NotFoundError as err:
        said = f"{str(err)[:1].upper()}{str(err)[1:]}."
        return render_template("error.html", code=404, title="Не найдено", message=said), 404
    current = file.lines[-1] if file.lines and file.lines[-1].returned_on is None else None
    holder = register.issued_to(a.uow()).get((year, number), {}).get("person", "") if current else ""
    return render_template("secretary/file.html", file=file, row=file.row, current=current, holder=holder,
                           today=today, return_by=file_issues.default_return_by(today, a.settings.issue_working_days),
                           held=register.holds(a.uow()).get((year, number)))


@bp.post("/register/<int:year>/<int:number>/move")
@allow("keep_register")
def register_move(year: int, number: int):
    a = archive()
    action = request.form.get("action")
    try:
        if action not in ("issued", "returned"):
            raise ArchiveError("неизвестное действие")
        person = _required("person")["person"]
        purpose = _required("purpose")["purpose"] if action == "issued" else ""
        written = action == "issued" and request.form.get("return_by", "").strip()
        return_by = _date("return_by") if written else None
        register.move_file(a.uow(), year, number, action, person=person, purpose=purpose, on=_date("on", _today()),
                           return_by=return_by, actor=current_actor(), now=a.now())
    except FAILURES as err:
        flash(f"Дело № {number}/{year}: {err}. Ничего не записано.", "error")
    else:
        if action == "issued" and return_by is not None:
            done = f"выдано до {fmt(return_by)}. Кому: {person}; цель: {purpose}"
        else:
            done = f"возвращено в архив ({person})"
        flash(f"Дело № {number}/{year} {done}.", "ok")
    if request.form.get("back") == "file":
        return redirect(url_for("secretary.register_file", year=year, number=number))
    return redirect(url_for("secretary.register", **_filters(request.form)))


@bp.get("/documents/<document_id>/electronic-copy.pdf")
@allow("print_electronic_copy")
def electronic_copy(document_id: str):
    """A print of a paperless school's electronic original, «Копия электронного документа» (audited)."""
    a = archive()
    try:
        made = electronic_copies.print_copy(a.uow(), a.store, a.settings.templates_dir, document_id,
                                            public_url=a.settings.public_url, actor=current_actor(), now=a.now(),
                                            zone=a.zone)
    except ArchiveError as err:
        status = 404 if isinstance(err, NotFoundError) else 422
        return render_template("error.html", code=status, title="Копия не изготовлена", message=str(err)), status
    card = made.card
    name = export_name({"class": card.class_name, "period": card.period_code, "kind": card.kind})
    return send_file(io.BytesIO(made.pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{card.academic_year.replace('/', '-')}_копия-электронного-документа_{name}")
