"""The journal systems page: each source's last pull and its result per class, the next scheduled
run, and «Проверить подключение».

The administrator and the deputy head see the page and may check a connection; the
administrator adds and removes sources (the password is typed, stored encrypted and never shown
back); the deputy head may start a pull of a period now. Checks and pulls run as background jobs
(`web.jobs`): the page shows a running job and refreshes itself until it ends.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for

from archive_service.adapters.sources.base import SourceError
from archive_service.adapters.sources.registry import TITLES
from archive_service.domain.periods import PERIOD_TITLES
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import jobs as job_rows
from archive_service.services import source_pull, sources
from archive_service.web import jobs
from archive_service.web.auth import allow, archive, current_actor, menu

bp = Blueprint("sources", __name__, url_prefix="/sources")
NAV = [menu("sources.index", "Журнальные системы", "view_sources")]
STATES = {"running": "идёт", "ok": "все классы сохранены или без изменений", "partial": "часть классов отклонена",
          "failed": "не выполнена", "interrupted": "прервана (процесс остановлен) — запустите снова"}


@bp.get("")
@allow("view_sources")
def index():
    a = archive()
    s = a.settings
    rows = sources.list_sources(a.uow(), now=a.local_now(), hour=s.source_pull_hour,
                                before=s.source_pull_days_before, after=s.source_pull_days_after)
    job = None
    if request.args.get("job"):
        try:
            job = job_rows.get(a.uow(), request.args["job"], now=a.now())
        except NotFoundError:
            job = None
        if job and job["kind"] not in ("source_test", "source_pull"):
            job = None
    return render_template("sources/index.html", sources=rows, job=job, titles=TITLES, words=source_pull.STATUS_WORDS,
                           states=STATES, periods=PERIOD_TITLES, settings=s)


@bp.post("")
@allow("configure_sources")
def add():
    a = archive()
    form = request.form
    try:
        sources.add_source(a.uow(), a.source_box, name=form.get("name", ""), system=form.get("system", ""),
                           url=form.get("url", ""), login=form.get("login", ""), secret=form.get("secret", ""),
                           systems=a.connectors.systems, school=form.get("school", ""),
                           extra={k: v.strip() for k in ("vendor", "devkey", "client_id", "register")
                                  if (v := form.get(k, "")).strip()}, actor=current_actor(), now=a.now())
    except ArchiveError as err:
        flash(f"Источник не добавлен: {err}", "error")
        return redirect(url_for("sources.index"))
    flash(f"Источник «{form.get('name', '').strip()}» добавлен; пароль сохранён зашифрованным. "
          "Проверьте подключение.", "ok")
    return redirect(url_for("sources.index"))


@bp.post("/<source_name>/remove")
@allow("configure_sources")
def remove(source_name: str):
    a = archive()
    try:
        sources.remove_source(a.uow(), source_name, actor=current_actor(), now=a.now())
        flash(f"Источник «{source_name}» удалён; история выгрузок сохранена.", "ok")
    except ArchiveError as err:
        flash(str(err), "error")
    return redirect(url_for("sources.index"))


@bp.post("/<source_name>/test")
@allow("view_sources")
def test(source_name: str):
    a, app, who = archive(), _app(), current_actor()
    if not _exists(source_name):
        return redirect(url_for("sources.index"))

    def work(report: Any) -> dict[str, Any]:
        try:
            info = sources.test_source(a.uow(), a.source_box, a.open_connector, source_name, actor=who, now=a.now())
        except SourceError as err:
            raise ValueError(sources.failure_text(err)) from None  # the job ends «ошибка» with this message
        return {"school": info.school, "classes": len(info.classes), "periods": [p.code for p in info.periods]}

    job_id = jobs.start(app, "source_test", f"Проверка подключения «{source_name}»", {"source": source_name}, work,
                        actor=who)
    return redirect(url_for("sources.index", job=job_id))


@bp.post("/<source_name>/pull")
@allow("pull_source")
def pull(source_name: str):
    a, app, who = archive(), _app(), current_actor()
    year, period = request.form.get("academic_year", "").strip(), request.form.get("period", "").strip()
    if not _exists(source_name):
        return redirect(url_for("sources.index"))
    if not year or period not in PERIOD_TITLES:
        flash("Укажите учебный год (например 2026/2027) и период.", "error")
        return redirect(url_for("sources.index"))

    def work(report: Any) -> dict[str, Any]:
        try:
            result = source_pull.PullSource(a.uow(), a.source_box, a.open_connector, source_name, year, period,
                                            actor=who, now=a.now).run()
        except SourceError as err:
            raise ValueError(sources.failure_text(err)) from None
        return {"ok": result.ok, "classes": {c.class_name: c.status for c in result.classes}}

    job_id = jobs.start(app, "source_pull", f"Выгрузка «{source_name}»: {year}, {PERIOD_TITLES[period]}",
                        {"source": source_name, "academic_year": year, "period": period}, work, actor=who)
    return redirect(url_for("sources.index", job=job_id))


def _app() -> Flask:
    """The application itself (not the request's proxy), for the background job."""
    return current_app._get_current_object()  # type: ignore[attr-defined]  # werkzeug's LocalProxy


def _exists(name: str) -> bool:
    a = archive()
    s = a.settings
    known = {r.name for r in sources.list_sources(a.uow(), now=a.local_now(), hour=s.source_pull_hour,
                                                     before=s.source_pull_days_before,
                                                     after=s.source_pull_days_after)}
    if name not in known:
        flash(f"Источник «{name}» не найден.", "error")
    return name in known

