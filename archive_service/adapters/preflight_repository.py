"""The stored pre-flight findings of snapshot versions (`preflight_report`): written when a version
is stored, read by the pre-flight pages instead of reading and checking the snapshots again."""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.adapters.orm import PreflightReportRecord, SnapshotRecord
from archive_service.domain.preflight import RULES, Finding, PreflightReport, PreflightThresholds


class PreflightReports:
    def __init__(self, session: Session):
        self.session = session

    def of(self, records: Sequence[SnapshotRecord], thresholds: PreflightThresholds,
           rules: int = RULES) -> dict[int, PreflightReport]:
        """snapshot id → its stored report under these norms and rules, for those of `records` that have one."""
        if not records:
            return {}
        by_id = {r.id: r for r in records}
        rows = self.session.scalars(select(PreflightReportRecord).where(
            PreflightReportRecord.snapshot_id.in_(by_id), PreflightReportRecord.rules == rules,
            PreflightReportRecord.min_marks_one_hour == thresholds.min_marks_one_hour,
            PreflightReportRecord.min_marks == thresholds.min_marks))
        return {row.snapshot_id: _report(by_id[row.snapshot_id], row) for row in rows}

    def add(self, snapshot_id: int, report: PreflightReport, thresholds: PreflightThresholds, *,
            rules: int = RULES) -> None:
        self.session.add(PreflightReportRecord(
            snapshot_id=snapshot_id, rules=rules, min_marks_one_hour=thresholds.min_marks_one_hour,
            min_marks=thresholds.min_marks, finding_count=len(report.findings),
            findings=[_finding_json(f) for f in report.findings],
            arrived={name: day.isoformat() for name, day in report.arrived.items()}))
        self.session.flush()

    def stored_for(self, snapshot_id: int) -> Sequence[PreflightReportRecord]:
        """Every report kept for a snapshot version (any norms, any rules), oldest first."""
        return self.session.scalars(select(PreflightReportRecord)
                                    .where(PreflightReportRecord.snapshot_id == snapshot_id)
                                    .order_by(PreflightReportRecord.id)).all()


def _finding_json(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "message": f.message, "subject": f.subject, "student": f.student,
            "date": f.date.isoformat() if f.date else None, "teacher": f.teacher, "detail": f.detail}


def _report(record: SnapshotRecord, row: PreflightReportRecord) -> PreflightReport:
    findings = [Finding(f["code"], f["message"], f["subject"], f["student"],
                        dt.date.fromisoformat(f["date"]) if f["date"] else None, f["teacher"], f["detail"])
                for f in row.findings]
    return PreflightReport(record.academic_year, record.period_code, record.class_name, record.grade, findings,
                           {name: dt.date.fromisoformat(day) for name, day in row.arrived.items()})
