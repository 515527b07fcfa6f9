"""Absurd retention terms from the command line and the secretary's page are refused with a
clear message and change nothing (SQLite and PostgreSQL; issue 11, point 12)."""

from __future__ import annotations

import pytest

from archive_service.services import register
from web_support import csrf_token


@pytest.mark.parametrize("years", ["9000", str(10**20), "101"])
def test_the_cli_refuses_a_retention_term_beyond_a_hundred_years(runner, archive, years):
    result = runner.invoke(args=["--as", "secretary", "retention", "rule", "class_journal", "--years", years])
    assert result.exit_code == 1 and "не больше 100 лет" in result.output
    assert "Traceback" not in result.output and result.exception.__class__.__name__ == "SystemExit"
    assert register.rules(archive.uow())["class_journal"].years == 5


def test_the_cli_still_sets_a_term_of_a_hundred_years(runner, archive):
    result = runner.invoke(args=["--as", "secretary", "retention", "rule", "summary_sheet", "--years", "100"])
    assert result.exit_code == 0 and "100 лет" in result.output
    assert register.rules(archive.uow())["summary_sheet"].years == 100


@pytest.mark.parametrize("years", ["9000", str(10**20), "9" * 5000, "１２", "٣"])
def test_the_retention_page_refuses_an_absurd_term_and_keeps_the_old_one(login_as, archive, years):
    client = login_as("secretary")
    response = client.post("/retention/rules/class_journal",
                           data={"years": years, "basis": "ст. 123", "csrf_token": csrf_token(client, "/retention")})
    assert response.status_code == 302
    page = client.get("/retention").get_data(as_text=True)
    assert "Срок хранения не изменён" in page
    assert register.rules(archive.uow())["class_journal"].years == 5
