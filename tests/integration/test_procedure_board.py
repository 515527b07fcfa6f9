"""The period board follows the procedure the school chose for the year, on both databases: its
steps, who may record each, the deadlines by the production calendar, the steps that apply only to
graduating classes or the year's end, and the facts the archive knows by itself (the copy made, a
backup set verified on both media, the monthly copy, the register entry).

The year-end quarter of the builders' school (IV четверть 2025/2026, ended Monday 25 May 2026).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import backup, backup_command, documents, period_steps, procedures, register
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, year_end_snapshot
from keys_support import with_archive_key

YEAR, PERIOD = "2025/2026", "Q4"
UTC = dt.timezone.utc
ADMIN = Actor("Кузнецов Алексей Викторович", "admin")
DEPUTY = Actor("Иванова Татьяна Петровна", "deputy")
DIRECTOR = Actor("Сергеева Ольга Викторовна", "director")
SECRETARY = Actor("Петрова Анна Сергеевна", "secretary")
PLACE = register.Placement("кабинет 5 (архив)", "шкаф 2", "папка «2025/2026»")


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 9, tzinfo=UTC)


@pytest.fixture
def year_end(archive):
    """5А and 9А (a graduating class) of the year's last quarter stored on 26 May 2026."""
    for name, grade in (("5А", 5), ("9А", 9)):
        ingest_snapshot(archive.uow(), as_bytes(year_end_snapshot(name, grade)), actor=DEPUTY, now=at(5, 26))
    return archive


def board(archive, day: dt.date):
    return period_steps.period_board(archive.uow(), YEAR, PERIOD, day)


def states(archive, day: dt.date) -> dict[str, dict[str, str]]:
    return {row.class_name: {c.step.code: c.state for c in row.cells} for row in board(archive, day).classes}


def make_copies(archive, now: dt.datetime, *, draft: bool = False) -> list[str]:
    with archive.uow() as uow:
        ids = [r.id for r in uow.snapshots.listing(YEAR, PERIOD, latest_only=True)]
    options = replace(archive.render_options, draft=draft)
    return [documents.render_document(archive.uow(), archive.store, archive.renderer, pk, "class_journal",
                                      options, actor=DEPUTY, now=now).document_id for pk in ids]


def test_a_year_nobody_chose_follows_reference_000(year_end):
    assert [s.code for s in board(year_end, dt.date(2026, 5, 27)).steps][:2] == ["marks_checked", "backups"]
    assert board(year_end, dt.date(2026, 5, 27)).procedure.key == "ref000"


def test_the_board_of_a_school_on_reference_003_through_the_years_last_quarter(year_end):
    procedures.choose(year_end.uow(), YEAR, "ref003", actor=ADMIN, now=at(5, 20))
    first = board(year_end, dt.date(2026, 5, 27))
    assert [s.code for s in first.steps] == ["files_formed", "deputy_checked", "second_copy", "graduates_final",
                                             "paper_printed", "director_signed"]
    assert first.deadlines == {"files_formed": dt.date(2026, 6, 1), "deputy_checked": dt.date(2026, 6, 4),
                               "second_copy": None, "graduates_final": None, "paper_printed": dt.date(2026, 6, 30),
                               "director_signed": dt.date(2026, 6, 30)}
    assert first.waiting == {"graduates_final": "срок считается от даты результатов ГИА — внесите её"}
    assert states(year_end, dt.date(2026, 5, 27))["5А"]["graduates_final"] == "none"
    assert first.cells == 2 * 6 - 1

    make_copies(year_end, at(5, 27))  # the files are formed: the archive marks it by itself
    assert {r["files_formed"] for r in states(year_end, dt.date(2026, 5, 27)).values()} == {"done"}
    assert states(year_end, dt.date(2026, 6, 5))["9А"]["deputy_checked"] == "late"  # 4 June has passed
    with pytest.raises(ArchiveError, match="отмечается архивом сам, по изготовленной копии"):
        period_steps.record_step(year_end.uow(), YEAR, PERIOD, "files_formed", ["5А"], actor=DEPUTY, now=at(6, 5))
    with pytest.raises(ArchiveError, match="не относится к классам: 5А"):
        period_steps.record_step(year_end.uow(), YEAR, PERIOD, "graduates_final", ["5А"], actor=DEPUTY, now=at(6, 5))
    period_steps.record_step(year_end.uow(), YEAR, PERIOD, "deputy_checked", ["5А", "9А"], actor=DEPUTY, now=at(6, 3))

    with_archive_key(year_end)  # the second copy on a removable disk: a backup set verified on both media
    backup.create_backup(year_end.uow(), year_end.store, year_end.media(), YEAR, [PERIOD], actor=DEPUTY, now=at(6, 4))
    assert {r["second_copy"] for r in states(year_end, dt.date(2026, 6, 5)).values()} == {"done"}

    procedures.set_event_date(year_end.uow(), YEAR, "gia_results", dt.date(2026, 6, 26), actor=DEPUTY, now=at(6, 26))
    assert board(year_end, dt.date(2026, 6, 26)).deadlines["graduates_final"] == dt.date(2026, 7, 1)
    period_steps.record_step(year_end.uow(), YEAR, PERIOD, "graduates_final", ["9А"], actor=DEPUTY, now=at(6, 29))

    # the director's paper signature is the director's, and not before the secretary printed and stitched
    with pytest.raises(ArchiveError, match="нельзя отметить раньше шага «Секретарь напечатал и прошил копию»"):
        period_steps.record_step(year_end.uow(), YEAR, PERIOD, "director_signed", ["5А"], actor=DIRECTOR,
                                 now=at(6, 29))
    with pytest.raises(ArchiveError, match="отмечает секретарь или заместитель директора"):
        period_steps.record_step(year_end.uow(), YEAR, PERIOD, "paper_printed", ["5А"], actor=DIRECTOR, now=at(6, 29))
    period_steps.record_step(year_end.uow(), YEAR, PERIOD, "paper_printed", ["5А", "9А"], actor=SECRETARY,
                             now=at(6, 29))
    period_steps.record_step(year_end.uow(), YEAR, PERIOD, "director_signed", ["5А", "9А"], actor=DIRECTOR,
                             now=at(6, 30))
    done = board(year_end, dt.date(2026, 7, 2))
    assert (done.count("done"), done.count("late"), done.cells) == (11, 0, 11)
    with year_end.uow() as uow:
        recorded = [(e.action, e.actor) for e in uow.audit.entries() if e.action.startswith(("period.", "procedure."))]
    assert ("procedure.chosen", ADMIN.person) in recorded and ("procedure.event_date", DEPUTY.person) in recorded
    assert ("period.step_recorded", SECRETARY.person) in recorded


def test_reference_004_the_monthly_copy_and_the_secretarys_acceptance_are_known_to_the_archive(year_end):
    procedures.choose(year_end.uow(), YEAR, "ref004", actor=ADMIN, now=at(5, 20))
    assert board(year_end, dt.date(2026, 6, 2)).deadlines["monthly_backup"] == dt.date(2026, 6, 1)
    assert {r["monthly_backup"] for r in states(year_end, dt.date(2026, 6, 2)).values()} == {"late"}
    with_archive_key(year_end)
    backup_command.monthly_backup(year_end.uow(), year_end.store, year_end.media(), "2026-05", actor=DEPUTY,
                                  now=at(6, 1))
    assert {r["monthly_backup"] for r in states(year_end, dt.date(2026, 6, 2)).values()} == {"done"}
    facts = board(year_end, dt.date(2026, 6, 2)).period_facts["monthly_backup"]
    assert facts and facts[0].text.startswith("ежемесячная копия записана")

    document_id = make_copies(year_end, at(5, 27))[0]
    register.register_document(year_end.uow(), document_id, handed_over_by=DEPUTY.person,
                               accepted_by=SECRETARY.person, placement=PLACE, on=dt.date(2026, 6, 2), paper_only=True,
                               actor=SECRETARY, now=at(6, 2))
    row = {r.class_name: {c.step.code: c for c in r.cells} for r in board(year_end, dt.date(2026, 6, 2)).classes}
    assert row["5А"]["registered"].state == "done" and row["9А"]["registered"].state == "pending"
    assert row["5А"]["registered"].facts[0].text.startswith("в реестре № ")


def test_the_list_of_periods_counts_what_each_periods_board_shows(year_end):
    # the list reads each year's procedure, dates, volumes and backup sets once for all its periods
    procedures.choose(year_end.uow(), YEAR, "ref004", actor=ADMIN, now=at(5, 20))
    with_archive_key(year_end)
    backup_command.monthly_backup(year_end.uow(), year_end.store, year_end.media(), "2026-05", actor=DEPUTY,
                                  now=at(6, 1))
    make_copies(year_end, at(5, 27))
    day = dt.date(2026, 6, 2)
    shown = board(year_end, day)
    (entry,) = period_steps.list_periods(year_end.uow(), day)
    assert (entry.academic_year, entry.period, entry.procedure) == (YEAR, PERIOD, shown.procedure.title)
    assert (entry.classes, entry.documents, entry.cells) == (2, 2, shown.cells)
    assert entry.done == shown.count("done") >= 2, "the monthly copy settles its step in both classes"
    assert entry.late == shown.count("late")


def test_a_copy_made_before_the_period_ended_does_not_form_the_files(archive):
    """A draft copy (the period not over) is shown, but does not settle «Файлы журналов сформированы»."""
    procedures.choose(archive.uow(), YEAR, "ref003", actor=ADMIN, now=at(5, 1))
    ingest_snapshot(archive.uow(), as_bytes(year_end_snapshot()), actor=DEPUTY, now=at(5, 20))
    make_copies(archive, at(5, 20), draft=True)
    cell = next(c for c in board(archive, dt.date(2026, 5, 21)).classes[0].cells if c.step.code == "files_formed")
    assert cell.state == "pending" and "черновик" in cell.facts[0].text


def test_all_classes_on_the_board_means_the_classes_the_step_is_for(year_end, login_as):
    from web_support import csrf_token

    procedures.choose(year_end.uow(), YEAR, "ref003", actor=ADMIN, now=at(5, 20))
    deputy = login_as("deputy")
    board_url = "/period/2025-2026/Q4"
    page = deputy.get(board_url).get_data(as_text=True)
    assert "не для этого класса" in page and "срок считается от даты результатов ГИА — внесите её" in page
    response = deputy.post(f"{board_url}/steps", data={"csrf_token": csrf_token(deputy, "/account"),
                                                       "step": "graduates_final", "all": "1"})
    assert response.status_code == 302
    assert "Отмечено: «Окончательная версия выпускных классов» — все классы (1)." in \
        deputy.get(board_url).get_data(as_text=True)
    with year_end.uow() as uow:
        assert [(r.class_name, r.step) for r in uow.steps.of_period(YEAR, PERIOD)] == [("9А", "graduates_final")]
