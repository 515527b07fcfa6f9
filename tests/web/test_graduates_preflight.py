"""The deputy head's pre-flight pages of a graduating class's year: the final version waits for the
ГИА results and the certificates, said in Russian in every view (a warning: the snapshot is stored)."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.domain.actor import Actor
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, graduating_year_snapshot

PAGES = "/period/2025-2026/year/preflight"


@pytest.fixture
def stored(archive):
    """9А's year without its state exams, one graduate without a certificate; 11А's complete."""
    nine = graduating_year_snapshot("9А", 9)
    del nine["state_exams"]
    del nine["promotion"][1]["certificate"]
    for data in (nine, graduating_year_snapshot("11А", 11)):
        ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("Иванова Татьяна Петровна", "deputy"),
                        now=dt.datetime(2026, 6, 30, 12, tzinfo=dt.timezone.utc))
    return archive


@pytest.mark.parametrize("view", ["", "?view=class"])
def test_the_teacher_and_class_views_say_the_final_version_waits_for_the_results(stored, login_as, view):
    page = login_as("deputy").get(PAGES + view).get_data(as_text=True)
    assert "в снимке года нет результатов ГИА" in page
    assert "не позднее 3 рабочих дней после получения результатов ГИА" in page
    assert "ученица Борисова Мария Андреевна выпущена, но номер и дата выдачи аттестата не переданы журналом" in page


def test_the_pupil_view_names_the_graduate_without_a_certificate(stored, login_as):
    page = login_as("deputy").get(PAGES + "?view=pupil").get_data(as_text=True)
    assert "Борисова Мария Андреевна" in page and "выдачи аттестата не переданы журналом" in page
    assert "Алексеев Иван Петрович" not in page, "a graduate with everything passed is not listed"
