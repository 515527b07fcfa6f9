"""What a class's volume of the school year is bound from, and when it may be made.

By 30 June all of a class's printed period copies are bound as one file with one title sheet
(002 § 5.3, 003 прил. 2 § 3.4). The volume holds every period of the school's kind — I–IV
четверть, I–II полугодие or I–III триместр — and the year's summary, each from its newest
snapshot; it is made only when all of them are stored and every period has ended: a volume is
never a draft. This module is the one rule; it knows nothing of databases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from archive_service.domain.drafts import fmt_date, is_draft
from archive_service.domain.periods import KINDS, period_title, periods_title
from archive_service.domain.procedures import Deadline, Procedure, Step

YEAR_WORDS = "учебный год (годовые отметки)"


@dataclass(frozen=True)
class VolumePlan:
    """The parts of the volume in binding order (the periods, then «year»), or why it cannot be made."""

    codes: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.problems


def plan_volume(period_ends: Mapping[str, dt.date], today: dt.date) -> VolumePlan:
    """`period_ends`: period code → last day of each period whose snapshot the class has in the
    year (the year's «year» among them). The school's kind of period is the one its snapshots have."""
    letters = {letter: kind for kind, (letter, _, _) in KINDS.items()}
    kinds = sorted({letters[code[0]] for code in period_ends if code != "year" and code[:1] in letters})
    problems: list[str] = []
    if len(kinds) > 1:
        found = periods_title(sorted(code for code in period_ends if code != "year"))
        return VolumePlan((), (f"снимки журнала разных видов периодов ({found}): том собирается из периодов "
                               "одного вида",))
    codes = [f"{KINDS[kinds[0]][0]}{n}" for n in range(1, KINDS[kinds[0]][1] + 1)] if kinds else []
    missing = [period_title(code) for code in codes if code not in period_ends]
    if not kinds:
        missing.append("ни одного периода (четверти, полугодия или триместра)")
    if "year" not in period_ends:
        missing.append(YEAR_WORDS)
    if missing:
        problems.append(f"нет снимков журнала: {', '.join(missing)}")
    unfinished = [f"{period_title(code)} (заканчивается {fmt_date(end)})" for code, end in
                  sorted(period_ends.items(), key=lambda item: item[1])
                  if is_draft(end, today) and (code in codes or code == "year")]
    if unfinished:
        problems.append(f"не завершены: {', '.join(unfinished)}")
    return VolumePlan((*codes, "year"), tuple(problems))


def refusal(class_name: str, academic_year: str, plan: VolumePlan) -> str:
    """Why the volume of a class may not be made, in Russian."""
    return (f"Том {class_name} класса за {academic_year} учебный год не изготовлен: {'; '.join(plan.problems)}. "
            "Том собирается после окончания учебного года из окончательных снимков журнала всех периодов "
            "и снимка учебного года — загрузите недостающие и повторите")


VOLUME_MADE = Step("volume_made", "Том за год изготовлен", "deputy", Deadline("year_end"),
                   "Архив собрал том класса за учебный год: титульный лист с содержанием, листы всех периодов "
                   "и итогов года с единой нумерацией, заверительная надпись (архив отмечает по изготовленному "
                   "тому: archive-service volume make)", fact="volume", manual=False, scope="year_end",
                   source="002 § 5.3; 003 прил. 2 § 3.4")
BIND_YEAR = Step("volume_bound", "Переплести журнал за год", "deputy", Deadline("year_end"),
                 "Том класса напечатан, листы пронумерованы и прошиты с титульным листом; директор подписал "
                 "заверительную надпись, печать", fact="volume", fact_settles=False, after="volume_made",
                 scope="year_end", source="002 § 5.3; 003 прил. 2 § 3.4", paper=True)
"""The year-end steps of a school that binds the year's volume (`YearBinding.per_year`)."""


def with_volume_steps(procedure: Procedure) -> Procedure:
    """The procedure of a year bound per year: its steps, then making and binding the volume."""
    added = tuple(step for step in (VOLUME_MADE, BIND_YEAR) if step.code not in procedure.codes)
    return replace(procedure, steps=procedure.steps + added)
