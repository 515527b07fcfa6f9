"""The deputy head's monthly control of the journal: the report of a month on a page, and the
справка to print and sign. Views only translate: `services.journal_control` finds and renders."""

from __future__ import annotations

import io

from flask import Blueprint, abort, g, render_template, request, send_file

from archive_service.errors import ArchiveError, NotFoundError
from archive_service.rendering.journal_control import context
from archive_service.services import journal_control
from archive_service.web.auth import allow, archive, menu, school_now

bp = Blueprint("control", __name__, url_prefix="/control")
NAV = [menu("control.index", "Контроль журнала", "view_journal_control")]


def _wanted() -> tuple[str, str | None]:
    """(the month asked for, or the current one; the class asked for, or None)."""
    month = (request.args.get("month") or "").strip() or school_now().strftime("%Y-%m")
    return month, (request.args.get("class") or "").strip()[:10] or None


def _report(month: str, class_name: str | None):
    a = archive()
    return journal_control.control_report(a.uow(), month, class_name, thresholds=a.thresholds,
                                          backdated_days=a.settings.control_backdated_days)


@bp.get("")
@allow("view_journal_control")
def index():
    """The month's control: totals by class and by teacher, accumulation of marks, every finding."""
    month, class_name = _wanted()
    try:
        report = _report(month, class_name)
    except ArchiveError as err:
        return render_template("control/index.html", month=month, class_name=class_name or "", problem=str(err))
    return render_template("control/index.html", **{**context(report), "month": month,
                                                    "class_name": class_name or "", "problem": ""})


@bp.get("/report.pdf")
@allow("view_journal_control")
def report_pdf():
    """The справка of the month (and class) as a PDF to print and sign."""
    month, class_name = _wanted()
    a = archive()
    try:
        report = _report(month, class_name)
    except NotFoundError:
        abort(404)
    except ArchiveError:
        abort(400)
    deputy = g.user.full_name if g.user.role == "deputy" else ""
    data = journal_control.control_pdf(report, a.settings.templates_dir, school=journal_control.school_name(a.uow()),
                                       deputy=deputy, now=a.now(), zone=school_now().tzinfo)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=journal_control.file_name(report))
