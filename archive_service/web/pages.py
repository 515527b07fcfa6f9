"""The overview page: what the archive holds, period by period; and the progress of long jobs.
The home page of each role (and the overview) shows that role's recent deadline reminders.

Neither is for the administrator, who manages accounts, not archive contents (nor the
inspector, who runs no jobs). The director's own jobs — signing with the key, restoring a
backup (its set, purpose and target) — are followed by the director alone."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, g, render_template, request

from archive_service.domain.periods import PERIOD_TITLES, period_title
from archive_service.errors import NotFoundError
from archive_service.domain.procedures import STEP_ROLES
from archive_service.services import jobs, reminders, snapshots
from archive_service.web.auth import HOME, allow, archive, menu, school_now
from archive_service.web.director import JOB_KINDS as DIRECTOR_JOBS

bp = Blueprint("pages", __name__)
# the director starts from the inbox
NAV = [menu("pages.overview", "Обзор", "follow_jobs", not_for=frozenset({"director"}))]


@bp.app_context_processor
def _home_reminders() -> dict:
    """On the signed-in person's home page and the overview: the reminders of their role's deadlines."""
    user = g.get("user")
    if user is None or user.role not in STEP_ROLES or request.endpoint not in (HOME.get(user.role), "pages.overview"):
        return {}
    return {"home_reminders": reminders.of_role(archive().uow(), user.role, school_now().date(), archive().zone)}


@bp.get("/overview")
@allow("follow_jobs")
def overview() -> str:
    rows = snapshots.list_snapshots(archive().uow())
    periods: dict[tuple[str, str], dict] = defaultdict(lambda: {"classes": set(), "versions": 0, "marks": 0,
                                                                 "students": 0})
    for row in rows:
        entry = periods[(row["academic_year"], row["period"])]
        entry["versions"] += 1
        if row["class"] not in entry["classes"]:
            entry["students"] += row["students"]
        entry["classes"].add(row["class"])
        entry["marks"] += row["marks"]
    order = list(PERIOD_TITLES)  # I…IV четверть, полугодия, триместры, год: as the school year goes
    ordered = sorted(periods.items(), key=lambda item: (item[0][0], order.index(item[0][1]) if item[0][1] in order
                                                        else len(order), item[0][1]))
    return render_template("overview.html", periods=ordered, total=len(rows), period_title=period_title)


@bp.get("/jobs/<job_id>")
@allow("follow_jobs")
def job_status(job_id: str) -> dict:
    """A long job's progress, polled by the page that started it (static/progress.js)."""
    a = archive()
    job = jobs.get(a.uow(), job_id, now=a.now())
    if job["kind"] in DIRECTOR_JOBS and g.user.role != "director":
        raise NotFoundError("задание не найдено")  # answered exactly as a job that does not exist
    return job.as_dict()
