"""The printed справка of the monthly control (reference 004 §6.23: «оформляются справками»)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from archive_service.domain.journal_control import ACCUMULATION, TITLES, ControlFinding, ControlReport
from archive_service.rendering.registers import render

SHORT = {
    "no_marks": "без отметок", "one_mark": "одна отметка", "too_few_marks": "меньше нормы",
    "lesson_without_topic": "без темы", "lesson_without_homework": "без д/з",
    "late_mark": "поздно за письм. работу", "backdated_mark": "задним числом",
    "absence_without_reason": "пропуск без причины",
}
"""Column heads of the tables (the full titles are in `domain.journal_control.TITLES`)."""


def grouped(findings: list[ControlFinding]) -> list[dict[str, Any]]:
    """Findings by class and subject, in the order met: [{class, subject, teacher, lines}]. The pupils
    behind on marks are one line per kind («нет ни одной отметки за месяц (норма 2): …, …»)."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    pupils: dict[tuple[str, str, str], list[ControlFinding]] = {}
    for f in findings:
        group = groups.setdefault((f.class_name, f.subject), {"class": f.class_name, "subject": f.subject,
                                                             "teacher": f.teacher, "lines": []})
        if f.code in ACCUMULATION:
            if (f.class_name, f.subject, f.code) not in pupils:
                group["lines"].append((f.class_name, f.subject, f.code))
            pupils.setdefault((f.class_name, f.subject, f.code), []).append(f)
            continue
        who = f"{f.student}: " if f.student else ""
        group["lines"].append(f"{f.date:%d.%m.%Y} — {who}{f.text}" if f.date else f"{who}{f.text}")
    for group in groups.values():
        group["lines"] = [_pupils(pupils[line]) if isinstance(line, tuple) else line for line in group["lines"]]
    return list(groups.values())


def _pupils(found: list[ControlFinding]) -> str:
    if len(found) == 1:
        return f"{found[0].student}: {found[0].text}"
    first = found[0]
    names = (f"{f.student} ({f.marks})" if f.code == "too_few_marks" else str(f.student) for f in found)
    return f"{TITLES[first.code]} за месяц при норме {first.norm} — {len(found)} уч.: " + ", ".join(names)


def context(report: ControlReport) -> dict[str, Any]:
    """What the page and the printed справка show."""
    checked = list(dict.fromkeys(c.class_name for c in report.checked))  # by grade, then letter (the listing's order)
    return {"report": report, "titles": TITLES, "short": SHORT, "codes": list(TITLES),
            "counts": report.counts, "total": sum(report.counts.values()), "by_class": report.by("class_name"),
            "by_teacher": report.by("teacher"), "groups": grouped(report.findings), "classes": checked,
            "month": report.month.title, "month_title": report.month.title, "report_rules_days": report.backdated_days}


def certificate(templates_dir: Path, report: ControlReport, *, school: str, deputy: str,
                moment: dt.datetime) -> bytes:
    return render(templates_dir, "journal_control.html",
                  {**context(report), "school": school, "deputy": deputy, "date": moment.strftime("%d.%m.%Y")},
                  moment)
