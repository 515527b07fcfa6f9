"""The director's backup pages, on the director's blueprint: the sets and the usage journal, a
set's hand-over act, a restore (a background job) and its documents handed out, the journal printed.

A backup's access code is read from the form, used in the job's closure and dropped: never in
the job row, the session, the audit log or a log line. The services journal and audit each
action with the actor the page passes (`web.auth.current_actor`).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for

from archive_service.domain.actor import Actor
from archive_service.errors import NotFoundError
from archive_service.services import backup, handover, jobs, restored
from archive_service.web import jobs as web_jobs
from archive_service.web.auth import allow, archive, current_actor
from archive_service.web.director import _pdf, bp, periods_word
from archive_service.services.fields import checked


def _restore_root() -> Path:
    return archive().settings.home / "restored"


def _fresh_restore_target(set_id: str) -> Path:
    """A folder no earlier restore used (a restore goes only into a new or empty folder): the set's
    id, then «-2», «-3»… for the same set restored again."""
    root = _restore_root()
    target, n = root / set_id, 1
    while target.exists() and any(target.iterdir()):
        n += 1
        target = root / f"{set_id}-{n}"
    return target


@bp.get("/backups")
@allow("manage_backups")
def backups():
    a = archive()
    backup.list_backups(a.uow(), actor=current_actor(), now=a.now(), once_a_day=True)  # the look is journaled
    journal = list(reversed(backup.journal_rows(a.uow())))
    entries, breaks = backup.verify_journal(a.uow())
    return render_template("director/backups.html", sets=handover.list_handovers(a.uow()), journal=journal[:100],
                           journal_entries=entries, journal_breaks=breaks)


@bp.get("/handover/<set_id>/act.pdf")
@allow("confirm_handover")
def handover_act(set_id: str):
    a = archive()
    try:
        data = backup.handover_act_pdf(a.uow(), a.settings.templates_dir, set_id, actor=current_actor(), now=a.now(),
                                       zone=a.zone,
                                       audit_as="web.handover_act_printed")
    except NotFoundError:
        abort(404)
    return _pdf(data, f"акт_передачи_{set_id}.pdf")


@bp.post("/backups/restore")
@allow("manage_backups")
def restore():
    a, who = archive(), current_actor()
    set_id, code = request.form.get("set_id", ""), request.form.get("code", "")
    purpose = checked(request.form.get("purpose"), "Цель восстановления", required=False) or "восстановление данных"
    known = {s.set_id: s for s in backup.list_backups(a.uow())}
    if set_id not in known or known[set_id].destroyed_by_act:
        flash("Выберите резервную копию из списка.", "error")
        return redirect(url_for("director.backups"))
    if not code:
        flash("Введите код доступа к резервной копии.", "error")
        return redirect(url_for("director.backups"))
    target = _fresh_restore_target(set_id)
    chosen = known[set_id]
    title = f"Восстановление резервной копии: {chosen.academic_year}, {periods_word(chosen.periods)}"
    job_id = web_jobs.start(current_app._get_current_object(), "director.restore", title,  # type: ignore[attr-defined]
                            {"set_id": set_id, "purpose": purpose, "folder": target.name},
                            _restore_work(set_id, code, target, purpose, who, chosen.academic_year), actor=who,
                            total=1)
    return redirect(url_for("director.job", job_id=job_id))


def _restore_work(set_id: str, code: str, target: Path, purpose: str, who: Actor, year: str) -> web_jobs.Work:
    a = archive()

    def work(report: web_jobs.Report) -> dict:
        report(message="файлы копии восстанавливаются и сверяются с контрольными суммами")
        bag = backup.restore_backup(a.uow(), a.media(), set_id, code, target, actor=who, purpose=purpose, now=a.now(),
                                    own_state=a.own_state(), audit_as="web.backup_restore")
        report(done=1)
        # the folder stays on the server, by name only: the page shows what came back, never where
        return {"set_id": set_id, "folder": target.name, "restored": restored.describe(bag, set_id, year).as_dict()}

    return work


def _restored(job_id: str) -> tuple[Path, restored.RestoredSet]:
    """The folder and contents of the restore job `job_id` (404 for any other job or an unfinished one)."""
    a = archive()
    try:
        job = jobs.get(a.uow(), job_id, now=a.now())
    except NotFoundError:
        abort(404)
    folder = (job.result or {}).get("folder") if job.kind == "director.restore" and job.status == "done" else None
    bag = _restore_root() / folder / "bag" if folder and "/" not in folder and folder not in (".", "..") else None
    if bag is None or not bag.is_dir():
        abort(404)
    return bag, restored.describe(bag, job.result["set_id"], job.result["restored"]["academic_year"])


@bp.get("/restored/<job_id>/documents/<name>")
@allow("manage_backups")
def restored_document(job_id: str, name: str):
    """One document of a restored copy, under the name it has everywhere («5А_2_четверть_журнал.pdf»)."""
    bag, found = _restored(job_id)
    a = archive()
    try:
        data = restored.document_bytes(a.uow(), bag, found, name, actor=current_actor(), now=a.now(),
                                       audit_as="web.restored_document_downloaded")
    except NotFoundError:
        abort(404)
    return _pdf(data, name, download=True)


@bp.get("/restored/<job_id>/documents.zip")
@allow("manage_backups")
def restored_documents_zip(job_id: str):
    """All documents of a restored copy in one ZIP."""
    bag, found = _restored(job_id)
    a = archive()
    try:
        data = restored.documents_zip(a.uow(), bag, found, actor=current_actor(), now=a.now(),
                                      audit_as="web.restored_documents_downloaded")
    except NotFoundError:
        abort(404)
    name = f"{found.academic_year.replace('/', '-')}_восстановленные_документы.zip".lstrip("_")
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@bp.get("/backups/journal.pdf")
@allow("manage_backups")
def journal_pdf():
    a = archive()
    data = backup.journal_pdf(a.uow(), a.settings.templates_dir, a.now(), actor=current_actor(), zone=a.zone)
    return _pdf(data, "журнал_пользования_резервными_копиями.pdf", download=True)
