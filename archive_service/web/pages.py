"""The overview page: what the archive holds, period by period."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, render_template

from archive_service.services import snapshots
from archive_service.web.auth import allow, archive

bp = Blueprint("pages", __name__)
NAV = [("pages.overview", "Обзор", {"deputy", "secretary", "admin"})]  # the director starts from the inbox


@bp.get("/overview")
@allow("deputy", "director", "secretary", "admin")
def overview():
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
    return render_template("overview.html", periods=sorted(periods.items()), total=len(rows))


@bp.get("/jobs/<job_id>")
@allow("deputy", "director", "secretary", "admin")
def job_status(job_id: str):
    """A long job's progress, polled by the page that started it (static/progress.js)."""
    from archive_service.services import jobs

    a = archive()
    return jobs.get(a.uow(), job_id, now=a.now())
