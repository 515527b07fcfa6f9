"""Which parts a class's volume of the year has, and when it may be made (`domain/volumes.py`)."""

from __future__ import annotations

import datetime as dt

from archive_service.domain.procedures import check
from archive_service.domain.ready_procedures import READY
from archive_service.domain.volumes import BIND_YEAR, VOLUME_MADE, plan_volume, with_volume_steps

END = dt.date(2027, 5, 28)
AFTER = dt.date(2027, 6, 10)


def ends(*codes: str) -> dict[str, dt.date]:
    return {code: END for code in codes}


def test_the_parts_are_the_school_s_periods_then_the_year():
    assert plan_volume(ends("Q1", "Q2", "Q3", "Q4", "year"), AFTER).codes == ("Q1", "Q2", "Q3", "Q4", "year")
    assert plan_volume(ends("H2", "H1", "year"), AFTER).codes == ("H1", "H2", "year")
    assert plan_volume(ends("T1", "T2", "T3", "year"), AFTER).codes == ("T1", "T2", "T3", "year")
    assert plan_volume(ends("H1", "H2", "year"), AFTER).ready


def test_a_missing_period_or_year_is_named():
    plan = plan_volume(ends("Q1", "Q3", "Q4"), AFTER)
    assert plan.problems == ("нет снимков журнала: II четверть, учебный год (годовые отметки)",)
    assert plan_volume(ends("year"), AFTER).problems == (
        "нет снимков журнала: ни одного периода (четверти, полугодия или триместра)",)


def test_an_unfinished_period_is_named_with_its_last_day():
    plan = plan_volume({**ends("H2", "year"), "H1": dt.date(2026, 12, 25)}, END)  # the last day: not ended yet
    assert plan.problems == ("не завершены: II полугодие (заканчивается 28.05.2027), "
                             "учебный год (заканчивается 28.05.2027)",)


def test_periods_of_two_kinds_are_refused():
    assert "разных видов периодов" in plan_volume(ends("Q1", "H1", "year"), AFTER).problems[0]


def test_the_volume_steps_join_every_ready_procedure_once():
    for procedure in READY.values():
        bound = with_volume_steps(procedure)
        assert check(bound).steps[-2:] == (VOLUME_MADE, BIND_YEAR)
        assert with_volume_steps(bound) == bound
