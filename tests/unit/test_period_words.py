"""Periods and moments as people read them: no «Q2», «H1», «year» or UTC on a screen, in a listing
or in a file name (issue 17)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from archive_service.domain.periods import period_file_word, periods_title, set_periods_title
from signing.zones import local_moment, moscow_relative


@pytest.mark.parametrize(("code", "word"), [("Q1", "1_четверть"), ("Q4", "4_четверть"), ("H1", "1_полугодие"),
                                            ("T3", "3_триместр"), ("year", "год"), ("exam", "exam")])
def test_a_period_in_a_file_name_is_russian(code, word):
    assert period_file_word(code) == word


def test_periods_are_named_in_russian_and_a_monthly_set_keeps_its_words():
    assert periods_title(["Q1", "Q2"]) == "I четверть, II четверть"
    assert periods_title(["year"]) == "учебный год"
    assert set_periods_title("Q2,H1") == "II четверть, I полугодие"
    assert set_periods_title("месяц 2026-12") == "месяц 2026-12"


def test_a_moment_is_shown_in_the_schools_zone_with_its_russian_name():
    moment = dt.datetime(2027, 7, 1, 9, 0, tzinfo=dt.timezone.utc)
    assert local_moment(moment, ZoneInfo("Asia/Novosibirsk")) == "01.07.2027 16:00 (МСК+4)"
    assert local_moment(moment, ZoneInfo("Europe/Moscow"), "%d.%m.%Y %H:%M:%S") == "01.07.2027 12:00:00 (МСК)"
    assert local_moment(moment.replace(tzinfo=None), ZoneInfo("Europe/Kaliningrad")) == "01.07.2027 11:00 (МСК−1)"
    assert moscow_relative(moment.astimezone(ZoneInfo("Asia/Kolkata"))) == "МСК+2,5"
