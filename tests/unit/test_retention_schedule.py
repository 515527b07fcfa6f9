"""The 1 January rule at its boundaries."""

import datetime as dt

import pytest

from retention import RetentionError, retention_end


def test_a_journal_closed_in_june_2027_kept_5_years_ends_on_1_january_2033():
    assert retention_end(dt.date(2027, 6, 30), 5) == dt.date(2033, 1, 1)


def test_closed_on_31_december_and_on_1_january_differ_by_a_whole_year():
    assert retention_end(dt.date(2027, 12, 31), 5) == dt.date(2033, 1, 1)
    assert retention_end(dt.date(2028, 1, 1), 5) == dt.date(2034, 1, 1)


def test_a_summary_sheet_is_kept_25_years():
    assert retention_end(dt.date(2027, 6, 30), 25) == dt.date(2053, 1, 1)


def test_a_retention_of_less_than_a_year_is_refused():
    with pytest.raises(RetentionError, match="не меньше года"):
        retention_end(dt.date(2027, 6, 30), 0)


def test_a_school_years_file_closes_on_31_august():
    from retention import file_closes_on

    assert file_closes_on("2026/2027") == dt.date(2027, 8, 31)
    assert retention_end(file_closes_on("2026/2027"), 5) == dt.date(2033, 1, 1)
    with pytest.raises(RetentionError):
        file_closes_on("2026/2028")


def test_disposal_decisions_give_the_first_reason_that_stops_a_file():
    from retention import Candidate, backup_set_may_go, decide, select

    today = dt.date(2033, 1, 1)
    due = dt.date(2033, 1, 1)
    assert decide(Candidate("1/2027", due, "in_archive"), today).eligible
    assert decide(Candidate("1/2027", due, "in_archive"), today - dt.timedelta(days=1)).reason == \
        "срок хранения не истёк: хранится до 01.01.2033"
    held = decide(Candidate("1/2027", due, "in_archive", hold="проверка"), today)
    assert held.reason == "запрет уничтожения: проверка"
    assert "после возврата" in decide(Candidate("1/2027", due, "issued"), today).reason
    in_act = decide(Candidate("1/2027", due, "in_archive", open_act="1/2033"), today)
    assert in_act.reason == "уже включён в акт № 1/2033"
    assert decide(Candidate("1/2027", due, "in_archive", open_act="1/2033"), today, act="1/2033").eligible
    eligible, refused = select([Candidate("1/2027", due, "in_archive"), Candidate("2/2027", due, "destroyed")], today)
    assert [d.key for d in eligible] == ["1/2027"] and refused == []
    assert not backup_set_may_go(due, today, ["5А Q2"]).eligible and backup_set_may_go(due, today, []).eligible


def test_a_register_period_reads_in_words_and_other_text_stays_as_it_is():
    from archive_service.domain.periods import readable_period

    assert readable_period("2026/2027, Q2") == "2026/2027, II четверть"
    assert readable_period("2026/2027, H1") == "2026/2027, I полугодие"
    assert readable_period("2026/2027, year") == "2026/2027, учебный год"
    assert readable_period("2026/2027, X9") == "2026/2027, X9"
    assert readable_period("май 2027") == "май 2027"
