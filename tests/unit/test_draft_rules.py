"""The rule of dates that cannot be true (`domain.drafts`): drafts, and signing or registering too early."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.domain.drafts import CopyFacts, date_problem, is_draft

END = dt.date(2026, 12, 25)
EXPORTED = dt.datetime(2026, 12, 26, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))  # 14:30 in Moscow
COPY = CopyFacts("5А, II четверть 2026/2027", END, EXPORTED)


def moscow(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=3)))


@pytest.mark.parametrize(("today", "draft"), [
    (dt.date(2026, 11, 30), True),
    (END, True),  # the last day of the period is still the period
    (END + dt.timedelta(days=1), False),
    (dt.date(2027, 7, 1), False),
])
def test_a_copy_is_a_draft_until_the_day_after_its_period_ends(today, draft):
    assert is_draft(END, today) is draft


@pytest.mark.parametrize("action", ["sign", "register"])
def test_a_draft_is_refused_whatever_the_date(action):
    problem = date_problem(action, CopyFacts(COPY.label, END, EXPORTED, draft=True), moscow(dt.date(2027, 7, 1)))
    assert problem is not None and "черновик" in problem and "25.12.2026" in problem
    assert problem.startswith("Подписать нельзя" if action == "sign" else "Внести в реестр нельзя")


def test_signing_before_the_period_ends_is_refused_with_both_dates():
    problem = date_problem("sign", COPY, moscow(dt.date(2026, 11, 30)))
    assert problem == ("Подписать нельзя до окончания периода: 5А, II четверть 2026/2027 — период заканчивается "
                       "25.12.2026, сегодня 30.11.2026")
    assert date_problem("sign", COPY, moscow(END, 23, 59)) is not None, "the last evening is still the period"


def test_the_day_is_the_schools_not_utc():
    # 22:30 UTC on the 25th is already the 26th in Moscow: the period has ended there, but the
    # snapshot (14:30 Moscow on the 26th) is not exported yet
    late = dt.datetime(2026, 12, 25, 22, 30, tzinfo=dt.timezone.utc)
    assert "раньше выгрузки" in (date_problem("sign", COPY, late) or "")
    assert "до окончания периода" in (date_problem("sign", COPY, late, zone="Europe/London") or "")


def test_signing_before_the_snapshot_was_exported_is_refused():
    problem = date_problem("sign", COPY, moscow(dt.date(2026, 12, 26), 14, 0))
    assert problem is not None
    assert "раньше выгрузки снимка журнала" in problem
    assert "выгружен 26.12.2026 14:30, сейчас 26.12.2026 14:00" in problem


def test_signing_after_the_export_is_allowed():
    assert date_problem("sign", COPY, moscow(dt.date(2026, 12, 26), 14, 30)) is None
    assert date_problem("sign", COPY, moscow(dt.date(2027, 7, 1))) is None


def test_a_register_entry_may_not_be_dated_before_the_period_ended_or_the_export():
    now = moscow(dt.date(2027, 1, 10))
    assert "период закончился 25.12.2026" in (date_problem("register", COPY, now, on=END) or "")
    assert date_problem("register", COPY, now, on=dt.date(2026, 12, 26)) is None  # the day of the export
    early = CopyFacts(COPY.label, END, dt.datetime(2027, 1, 9, 10, tzinfo=dt.timezone.utc))
    assert "раньше выгрузки" in (date_problem("register", early, now, on=dt.date(2027, 1, 8)) or "")
    assert date_problem("register", COPY, now, on=dt.date(2027, 1, 10)) is None
