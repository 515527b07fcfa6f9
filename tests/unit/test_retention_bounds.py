"""A retention term is a number of years a person can mean: 1 to 100 (issue 11, point 12)."""

from __future__ import annotations

import datetime as dt

import pytest

from retention import MAX_YEARS, RetentionError, file_closes_on, retention_end, years_problem


@pytest.mark.parametrize("years", [101, 9_000, 10**20])
def test_a_retention_term_beyond_a_hundred_years_is_refused_with_a_clear_message(years):
    with pytest.raises(RetentionError, match=f"не больше {MAX_YEARS} лет"):
        retention_end(dt.date(2027, 8, 31), years)
    assert f"указано: {years}" in years_problem(years)


def test_the_longest_allowed_term_still_gives_a_real_date():
    assert retention_end(file_closes_on("2100/2101"), MAX_YEARS) == dt.date(2202, 1, 1)
    assert years_problem(75) is None and years_problem(1) is None


@pytest.mark.parametrize("year", ["２０２６/２０２７", "٢٠٢٦/٢٠٢٧", "/2027", "2026/"])
def test_a_school_year_in_other_than_ascii_digits_has_no_file_closing_date(year):
    with pytest.raises(RetentionError):
        file_closes_on(year)
