"""The deputy head's pages: closing a period, class by class, through the 5-day procedure.

Who may do what: every action (uploading snapshots, recording steps, making copies, backups)
is for the deputy head only. The director may open the same pages read-only — the period
board, the pre-flight report, the copies and their previews, the backup sets — because the
director receives the backups and signs on day 5 and wants to see how far the period is;
buttons are not shown to the director and the server refuses the actions (403).

Views only translate: the services `period_steps` (steps, deadlines, records) and
`period_close` (uploads, copies, previews, downloads, backups) do the work and the auditing.
Years appear in addresses as «2026-2027» (a slash cannot stand in a path segment).
"""

from __future__ import annotations

import datetime as dt
import io
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from archive_service.domain.periods import period_title
from archive_service.domain.permissions import may
from archive_service.domain import preflight_groups
from archive_service.domain.preflight import TITLES as FINDING_TITLES
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.rendering import notes
from archive_service.rendering.preview import PreviewError
from archive_service.rendering.names import decline
from archive_service.services import jobs as job_rows
from archive_service.services import archive_keys, period_close, period_steps, procedures, reminders, snapshots
from archive_service.services import documents as document_service
from archive_service.services.backup_command import CreateBackup
from archive_service.web import jobs
from archive_service.web.board import record_own
from archive_service.web.auth import allow, archive, current_actor, menu, school_now
from storage import StorageError

bp = Blueprint("deputy", __name__, url_prefix="/period")
NAV = [menu("deputy.period_index", "Закрытие периода", "view_period_board"),
       menu("deputy.upload", "Загрузка снимков", "close_period")]
bp.record_once(jobs.mark_left_behind_on_start)  # a job a dead process left «running» is shown interrupted



def _year(slug: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{4}", slug):
        abort(404)
    return slug.replace("-", "/")


def slug(academic_year: str) -> str:
    return academic_year.replace("/", "-")


def when(moment: dt.datetime | dt.date | str | None, short: bool = False) -> str:
    """Dates as staff write them; times in the school's time zone."""
    if not moment:
        return ""
    if isinstance(moment, str):  # services' dicts carry ISO strings
        moment = dt.datetime.fromisoformat(moment)
    if isinstance(moment, dt.datetime):
        return moment.astimezone(school_now().tzinfo).strftime("%d.%m %H:%M" if short else "%d.%m.%Y %H:%M")
    return moment.strftime("%d.%m" if short else "%d.%m.%Y")


def initials(full_name: str) -> str:
    """«Иванова Татьяна Петровна» → «Иванова Т. П.» (narrow table cells)."""
    parts = full_name.split()
    return " ".join(parts[:1] + [f"{p[0]}." for p in parts[1:3]]) if len(parts) > 1 else full_name


@bp.context_processor
def _helpers() -> dict:
    return {"slug": slug, "when": when, "initials": initials, "period_name": period_title,
            "editable": g.get("user") is not None and g.user.role == "deputy",
            "paper_signer": g.get("user") is not None and may(g.user.role, "record_paper_signature"),
            "own_steps": g.get("user") is not None and may(g.user.role, "record_own_steps"),
            "full_view": g.get("user") is not None and may(g.user.role, "view_period")}


def _today() -> dt.date:
    return school_now().date()


def _board(year_slug: str, period: str) -> period_steps.PeriodBoard:
    return period_steps.period_board(archive().uow(), _year(year_slug), period, _today())


@bp.errorhandler(NotFoundError)
def _not_found(err: NotFoundError):
    """A period, document or backup set that is not stored: the 404 page, saying what is missing."""
    text = str(err)
    return render_template("error.html", code=404, title="Не найдено", message=f"{text[:1].upper()}{text[1:]}."), 404


@bp.get("")
@allow("view_period_board")
def period_index():
    """Every stored school year and period, newest first, with how far its procedure is."""
    return render_template("deputy/index.html", periods=period_steps.list_periods(archive().uow(), _today()))


@bp.get("/<year>/<period>")
@allow("view_period_board")
def period_page(year: str, period: str):
    """The board; the secretary sees it too and records her own steps (`web.board`)."""
    board = _board(year, period)
    gia = any(s.deadline is not None and s.deadline.event == "gia_results" for s in board.steps)
    return render_template("deputy/period.html", board=board, steps=board.steps, today=_today(), asks_gia=gia,
                           gia_date=procedures.event_date(archive().uow(), board.academic_year, "gia_results"),
                           reminders=reminders.of_period(archive().uow(), board, archive().zone))


@bp.post("/<year>/<period>/steps")
@allow("close_period")
def record_step(year: str, period: str):
    """The deputy head's record of a step, for the classes ticked or for all the classes it is for."""
    form, code = request.form, request.form.get("step", "")
    everyone = bool(form.get("all"))
    classes = period_steps.period_classes(archive().uow(), _year(year), period, code) if everyone else None
    return record_own(year, period, code, classes, note=form.get("note", ""), everyone=everyone)


@bp.post("/<year>/<period>/paper-signature")
@allow("record_paper_signature")
def paper_signature(year: str, period: str):
    """The director's signature and seal on the printed copies, recorded by the director or the deputy head."""
    return record_own(year, period, request.form.get("step", "director_signed"))


@bp.route("/upload", methods=["GET", "POST"])
@allow("close_period")
def upload():
    """Snapshots exported from the journal system, several files at once."""
    if request.method == "GET":
        return render_template("deputy/upload.html", outcomes=None)
    files = [(f.filename or "без имени", f.read()) for f in request.files.getlist("files") if f.filename]
    if not files:
        flash("Выберите один или несколько файлов снимков (.json).", "error")
        return redirect(url_for("deputy.upload"))
    a = archive()
    outcomes = period_close.ingest_files(a.uow(), files, reason=request.form.get("reason", ""),
                                         actor=current_actor(), now=a.now())
    return render_template("deputy/upload.html", outcomes=outcomes, reason=request.form.get("reason", ""))


PREFLIGHT_VIEWS = {"teacher": "По учителям", "pupil": "По ученикам", "class": "По классам"}


@bp.get("/<year>/<period>/preflight")
@allow("view_period")
def preflight(year: str, period: str):
    """The pre-flight report: a table by class, then the findings by teacher, by pupil or by class."""
    a = archive()
    reports = snapshots.preflight_period(a.uow(), _year(year), [period], (), a.thresholds)
    view = request.args.get("view", "teacher")
    if view not in PREFLIGHT_VIEWS:
        view = "teacher"
    codes = [c for c in FINDING_TITLES if any(c in r.counts for r in reports)]
    teachers = preflight_groups.by_teacher(reports) if view == "teacher" else []
    pupils = preflight_groups.by_pupil(reports, period_title(period)) if view == "pupil" else []
    return render_template("deputy/preflight.html", year=_year(year), period=period, reports=reports, codes=codes,
                           titles=FINDING_TITLES, thresholds=a.thresholds, view=view, views=PREFLIGHT_VIEWS,
                           teachers=teachers, pupils=pupils)


def _notes(year: str, period: str, wanted: str | None, *, pdf: bool = False) -> tuple[str, str]:
    """(the notes page's HTML, a file name for it) — every teacher's note, or `wanted`'s only."""
    a = archive()
    reports = snapshots.preflight_period(a.uow(), _year(year), [period], (), a.thresholds)
    teachers = preflight_groups.by_teacher(reports)
    if wanted is not None:
        teachers = [t for t in teachers if t.teacher == wanted]
        if not teachers:
            raise NotFoundError(f"у учителя «{wanted[:100]}» нет замечаний за {period_title(period)} {_year(year)}")
    school, _director = snapshots.school_facts(a.uow())
    deputy = g.user.full_name if g.user.role == "deputy" else ""
    html = render_template("deputy/preflight_notes.html", year=_year(year), period=period, teachers=teachers,
                           school=school, deputy=deputy, today=_today(), one=wanted is not None, pdf=pdf,
                           short_name=preflight_groups.teacher_initials,
                           to_whom=lambda name: preflight_groups.teacher_initials(decline(name, "datv")))
    who = f"Справка {preflight_groups.teacher_initials(wanted)}" if wanted else "Справки учителям"
    name = f"{who} {period_title(period)} {year}"
    return html, re.sub(r"[^\w-]+", "_", name).strip("_")


@bp.get("/<year>/<period>/preflight/notes")
@allow("view_period")
def preflight_notes(year: str, period: str):
    """Notes to hand to the teachers, one sheet each, ready to print (reference 004 §6.23:
    «оформляются справками»); `?teacher=` — one teacher's note only."""
    return _notes(year, period, request.args.get("teacher"))[0]


@bp.get("/<year>/<period>/preflight/note.pdf")
@allow("view_period")
def preflight_note_pdf(year: str, period: str):
    """One teacher's note (`?teacher=`, required) as a PDF file."""
    wanted = request.args.get("teacher")
    if not wanted:
        abort(404)
    html, name = _notes(year, period, wanted, pdf=True)
    data = notes.page_pdf(html, archive().settings.templates_dir / "fonts")
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{name}.pdf")


@bp.post("/<year>/<period>/copies")
@allow("close_period")
def make_copies(year: str, period: str):
    """Start rendering the copy of every class in the background; the documents page shows progress."""
    a, academic_year = archive(), _year(year)
    classes = period_steps.period_classes(a.uow(), academic_year, period)
    if not classes:
        abort(404)
    running = period_close.running_job(a.uow(), "period_copies", academic_year, period, now=a.now())
    if running:
        flash("Копии этого периода уже изготавливаются — ниже видно, как идёт работа.", "info")
        return redirect(url_for("deputy.documents", year=year, period=period, job=running))
    try:
        document_service.require_public_address(a.render_options)  # before the job is even recorded
    except ArchiveError as err:
        flash(f"{str(err)[:1].upper()}{str(err)[1:]}.", "error")
        return redirect(url_for("deputy.documents", year=year, period=period))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    who = current_actor()

    def work(report: jobs.Report) -> dict:
        return period_close.make_copies(a.uow(), a.runner, academic_year, period, actor=who, clock=a.clock,
                                        report=report)

    job_id = jobs.start(app, "period_copies", f"Копии журнала: {academic_year}, {period_title(period)}",
                        {"academic_year": academic_year, "period": period}, work, actor=who,
                        total=len(classes))
    return redirect(url_for("deputy.documents", year=year, period=period, job=job_id))


@bp.get("/<year>/<period>/documents")
@allow("view_period")
def documents(year: str, period: str):
    board = _board(year, period)
    rows, replaced = period_close.period_documents(archive().uow(), board.academic_year, period)
    return render_template("deputy/documents.html", board=board, documents=rows, replaced=replaced,
                           job=_job("period_copies", board))


def _job(kind: str, board: period_steps.PeriodBoard) -> job_rows.JobState | None:
    """The job named in the address, else one of this kind for the period still under way."""
    a = archive()
    job_id = request.args.get("job") or period_close.running_job(a.uow(), kind, board.academic_year,
                                                                 board.period_code, now=a.now())
    if not job_id:
        return None
    try:
        job = job_rows.get(a.uow(), job_id, now=a.now())
    except NotFoundError:
        return None
    same = job["kind"] == kind and job["params"] == {"academic_year": board.academic_year, "period": board.period_code}
    return job if same else None


@bp.get("/doc/<document_id>")
@allow("view_period")
def preview(document_id: str):
    document = period_close.find_document(archive().uow(), document_id)
    page = min(max(request.args.get("page", 1, type=int), 1), document["pages"])
    return render_template("deputy/preview.html", doc=document, page=page)


@bp.get("/doc/<document_id>/page/<int:page>.png")
@allow("view_period")
def page_image(document_id: str, page: int):
    a = archive()
    dpi = min(max(request.args.get("dpi", 100, type=int), 30), 150)
    try:
        png = period_close.preview_page(a.uow(), a.store, document_id, page, dpi=dpi, actor=current_actor(),
                                        now=a.now())
    except (PreviewError, StorageError) as err:
        return f"Не удалось показать страницу: {err}", 500, {"Content-Type": "text/plain; charset=utf-8"}
    return send_file(io.BytesIO(png), mimetype="image/png", max_age=0)


@bp.get("/doc/<document_id>/<any(print, signed):which>.pdf")
@allow("view_period")
def download(document_id: str, which: str):
    a = archive()
    try:
        data, name = period_close.document_file(a.uow(), a.store, document_id, signed=which == "signed",
                                                actor=current_actor(), now=a.now())
    except StorageError as err:
        return render_template("error.html", code=500, title="Файл недоступен", message=str(err)), 500
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name)


@bp.get("/<year>/<period>/backup")
@allow("view_period")
def backup(year: str, period: str):
    """The period's backup sets, and the form for a new one."""
    board = _board(year, period)
    keys = archive_keys.key_status(archive().uow())
    return render_template("deputy/backup.html", board=board, job=_job("period_backup", board),
                           sets=period_steps.period_backups(archive().uow(), board.academic_year, period),
                           key=keys[0] if keys else None)


@bp.post("/<year>/<period>/backup")
@allow("close_period")
def start_backup(year: str, period: str):
    """A new backup set of the period, sealed for the director's archive key: no code is asked."""
    board = _board(year, period)
    a, app, who = archive(), current_app._get_current_object(), current_actor()  # type: ignore[attr-defined]
    academic_year = board.academic_year
    command = CreateBackup(a.uow(), a.store, a.media(), academic_year, [period], actor=who, now=a.now())
    try:
        command.validate()
    except ArchiveError as err:
        flash(f"Резервная копия не начата: {err}.", "error")
        return redirect(url_for("deputy.backup", year=year, period=period))
    if period_close.running_job(a.uow(), "period_backup", academic_year, period, now=a.now()):
        flash("Резервная копия этого периода уже делается — дождитесь её окончания.", "info")
        return redirect(url_for("deputy.backup", year=year, period=period))

    def work(report: jobs.Report) -> dict:
        report(message="сборка, шифрование и запись на носители A и B")
        return command.run().as_dict()

    job_id = jobs.start(app, "period_backup", f"Резервная копия: {academic_year}, {period_title(period)}",
                        {"academic_year": academic_year, "period": period}, work, actor=who)
    return redirect(url_for("deputy.backup", year=year, period=period, job=job_id))


@bp.get("/backup/<set_id>/act.pdf")
@allow("view_period")
def handover_act(set_id: str):
    a = archive()
    pdf = period_close.handover_act(a.uow(), a.settings.templates_dir, set_id, actor=current_actor(), now=a.now(),
                                    zone=a.zone)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"акт_передачи_{set_id}.pdf")
