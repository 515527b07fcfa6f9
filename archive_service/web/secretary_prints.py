"""The register and the inventory of files printed from the secretary's register page.

CSV and XLSX are made at once. A PDF takes seconds on a school's register, so its button starts
a job (`web.jobs.start`, the way copies and backups run): the job's page shows the stages as they
pass and, when it is done, offers the file; taking it is an audit event with the person's name
(`register_printout.printed_file`). The same printout asked for again while one is being made
shows that job instead of starting another. A job whose web process died reads «прервано» and is
started again from the register page.
"""

from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for

from archive_service.errors import NotFoundError
from archive_service.services import jobs as job_rows
from archive_service.services import register_printout as printouts
from archive_service.web import jobs
from archive_service.web.auth import allow, archive, current_actor
from archive_service.web.secretary import FAILURES, MIMETYPES, _download, bp

bp.record_once(jobs.mark_left_behind_on_start)  # a printout a dead process left «running» is shown interrupted


@bp.get("/register/print/<what>.<fmt>")
@allow("read_register")
def register_print(what: str, fmt: str):
    """The register or the inventory as CSV or XLSX, at once (a PDF is a job: `register_print_start`)."""
    if what not in printouts.WHAT or fmt not in MIMETYPES or fmt == "pdf":
        return redirect(url_for("secretary.register"))
    a = archive()
    year = request.args.get("year", type=int)
    try:
        data, _ = printouts.printout(a.uow(), a.settings.templates_dir, what, fmt, year=year, actor=current_actor(),
                                    now=a.now(), zone=a.zone)
    except FAILURES as err:
        flash(f"Файл не подготовлен: {err}", "error")
        return redirect(url_for("secretary.register"))
    name = printouts.WHAT[what] + (f"-{year}" if year else "")
    return _download(data, name, fmt)


@bp.post("/register/print/<what>.pdf")
@allow("read_register")
def register_print_start(what: str):
    """Start making the register's or the inventory's PDF; its page shows how it goes."""
    if what not in printouts.WHAT:
        abort(404)
    a, who = archive(), current_actor()
    year = request.form.get("year", type=int)
    params = {"what": what, "year": year}
    running = job_rows.running_with(a.uow(), printouts.JOB_KIND, params, now=a.now())
    if running:
        return redirect(url_for("secretary.register_printout", job_id=running))

    def work(report: jobs.Report) -> dict:
        return printouts.print_pdf(a.uow(), a.store, a.settings.templates_dir, what, year=year, actor=who,
                                           now=a.now(), zone=a.zone, report=report)

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    job_id = jobs.start(app, printouts.JOB_KIND, printouts.job_title(what, year), params, work,
                        actor=who, total=printouts.PDF_STEPS)
    return redirect(url_for("secretary.register_printout", job_id=job_id))


def _printing_job(job_id: str) -> job_rows.JobState:
    return jobs.job_of_kind(current_app, printouts.JOB_KIND, job_id)


@bp.get("/register/printouts/<job_id>")
@allow("read_register")
def register_printout(job_id: str):
    """A printing job: its stages while it runs, then the file to take."""
    return render_template("secretary/printout.html", job=_printing_job(job_id))


@bp.get("/register/printouts/<job_id>/file.pdf")
@allow("read_register")
def register_printout_file(job_id: str):
    a = archive()
    job = _printing_job(job_id)
    try:
        data = printouts.printed_file(a.uow(), a.store, job, actor=current_actor(), now=a.now())
    except (NotFoundError, *FAILURES) as err:
        flash(f"Файл не выдан: {err}", "error")
        return redirect(url_for("secretary.register_printout", job_id=job_id))
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=job.result["file"])
