"""The deputy head's monthly control of the journal: the report of a month on a page, and the
справка to print and sign. Views only translate: `services.journal_control` finds and renders.

The справка of the whole school takes seconds (every class's snapshots, some twenty pages), so
its button starts a job (`web.jobs.start`, as the register's PDF does): the job's page shows the
stages and then offers the file; taking it is audited with the person's name. The same справка
asked for again while it is being made shows that job instead of starting another."""

from __future__ import annotations

import io

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, send_file, url_for

from archive_service.errors import ArchiveError, NotFoundError
from archive_service.rendering.journal_control import context
from archive_service.services import jobs as job_rows
from archive_service.services import journal_control
from archive_service.web import jobs
from archive_service.web.auth import allow, archive, current_actor, menu, school_now
from storage import StorageError

bp = Blueprint("control", __name__, url_prefix="/control")
bp.record_once(jobs.mark_left_behind_on_start)  # a справка a dead process left «running» is shown interrupted
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


@bp.post("/report.pdf")
@allow("view_journal_control")
def report_start():
    """Start making the справка of the month (and class); its page shows how it goes."""
    month = (request.form.get("month") or "").strip()
    class_name = (request.form.get("class") or "").strip()[:10] or None
    a, who = archive(), current_actor()
    try:
        title = journal_control.job_title(month, class_name)
    except ArchiveError as err:
        flash(f"Справка не подготовлена: {err}", "error")
        return redirect(url_for("control.index"))
    params = {"month": month, "class": class_name}
    running = job_rows.running_with(a.uow(), journal_control.JOB_KIND, params, now=a.now())
    if running:
        return redirect(url_for("control.printout", job_id=running))
    deputy = g.user.full_name if g.user.role == "deputy" else ""

    def work(report: jobs.Report) -> dict:
        return journal_control.print_pdf(
            a.uow(), a.store, a.settings.templates_dir, month, class_name, thresholds=a.thresholds,
            backdated_days=a.settings.control_backdated_days, deputy=deputy, now=a.now(), zone=a.zone, report=report)

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    job_id = jobs.start(app, journal_control.JOB_KIND, title, params, work, actor=who,
                        total=journal_control.PDF_STEPS)
    return redirect(url_for("control.printout", job_id=job_id))


def _printing_job(job_id: str) -> job_rows.JobState:
    return jobs.job_of_kind(current_app, journal_control.JOB_KIND, job_id)


@bp.get("/printouts/<job_id>")
@allow("view_journal_control")
def printout(job_id: str):
    """The справка's job: its stages while it runs, then the file to take."""
    return render_template("control/printout.html", job=_printing_job(job_id))


@bp.get("/printouts/<job_id>/file.pdf")
@allow("view_journal_control")
def printout_file(job_id: str):
    a = archive()
    job = _printing_job(job_id)
    try:
        data = journal_control.printed_file(a.uow(), a.store, job, actor=current_actor(), now=a.now())
    except (NotFoundError, StorageError) as err:
        flash(f"Справка не выдана: {err}", "error")
        return redirect(url_for("control.printout", job_id=job_id))
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=job.result["file"])
