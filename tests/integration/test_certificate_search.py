"""Finding a former pupil for an archival certificate from a surname and/or a birth year: «ё»/«е»,
case, spaces and typos do not matter; candidates listed with their classes; the certificate issued
for the exact candidate chosen on the page."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import certificates, documents
from archive_service.services.certificate_search import find_candidates, nothing_found, read_person
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes
from certificate_support import KRISTINA, year_snapshot
from conftest import NOW
from web_support import csrf_token

@pytest.fixture
def pupils(archive):
    """5А of 2026/2027 and, a year on, 6А with the same pupils (Кристина in both)."""
    deputy = Actor("test", "deputy")
    stored = ingest_snapshot(archive.uow(), as_bytes(year_snapshot("5А", 5, "2026/2027")), actor=deputy, now=NOW)
    later = ingest_snapshot(archive.uow(), as_bytes(year_snapshot("6А", 6, "2027/2028")), actor=deputy, now=NOW)
    return [stored.snapshot_id, later.snapshot_id]


def names(found) -> list[str]:
    return [c.full_name for c in found.candidates]


def test_a_surname_with_e_finds_the_pupil_written_with_yo_and_close_names_after(archive, pupils):
    found = find_candidates(archive.uow(), "  КИСЕЛЕВА ", "")
    assert names(found) == ["Киселёва Анна Игоревна", KRISTINA, "Киселев Олег Ильич"]
    assert [c.distance for c in found.candidates] == [0, 0, 1]
    kristina = found.candidates[1]
    assert (kristina.birth_date, kristina.classes) == (dt.date(2011, 4, 12), (("2026/2027", "5А"),
                                                                              ("2027/2028", "6А")))


@pytest.mark.parametrize("typed", ["Кисилева", "Кисeлёва", "Киселва"])  # «e» of the second: Latin
def test_a_one_letter_typo_in_the_surname_finds_the_pupil(archive, pupils, typed):
    found = find_candidates(archive.uow(), typed, "")
    assert KRISTINA in names(found) and "Григорьева Анна Сергеевна" not in names(found)
    assert {c.distance for c in found.candidates if c.full_name == KRISTINA} == {1}


@pytest.mark.parametrize("typed", ["Киселёва Кристна", "Кеселёва К. В.", "Киселёва Крис"])
def test_a_typo_or_an_initial_in_the_name_still_finds_the_pupil_first(archive, pupils, typed):
    assert names(find_candidates(archive.uow(), typed, ""))[0] == KRISTINA


def test_a_surname_and_a_birth_year_or_date_narrow_the_list(archive, pupils):
    assert names(find_candidates(archive.uow(), "Киселева", "2011")) == [KRISTINA, "Киселев Олег Ильич"]
    assert names(find_candidates(archive.uow(), "Киселева", "12.04.2011")) == [KRISTINA]
    assert names(find_candidates(archive.uow(), "", "2012")) == ["Киселёва Анна Игоревна"]
    assert names(find_candidates(archive.uow(), "Киселева Анна", "2011")) == []


def test_nobody_found_is_said_in_russian(archive, pupils):
    found = find_candidates(archive.uow(), "Петрова", "2011")
    assert (found.candidates, found.total) == ([], 0)
    assert nothing_found("Петрова", "2011") == (
        "По запросу «Петрова», 2011 года рождения в сводных ведомостях архива никто не найден. Проверьте написание "
        "фамилии и год рождения или укажите только фамилию: буквы «е» и «ё», заглавные и строчные не различаются, "
        "опечатка в одну-две буквы допускается.")


@pytest.mark.parametrize(("name", "born", "message"), [
    ("К" * 101, "", "поле «Фамилия, имя, отчество» — не длиннее 100 символов (введено 101)"),
    ("Киселева", "1" * 10_000, "поле «Год или дата рождения» — не длиннее 100 символов (введено 10000)"),
    ("Киселева", "весной", "не удалось прочитать год или дату рождения «весной»: укажите год (2011)"),
    ("", "", "укажите фамилию или год рождения"),
])
def test_a_query_too_long_or_unreadable_is_refused_in_russian(archive, pupils, name, born, message):
    with pytest.raises(ArchiveError, match=re.escape(message)):
        find_candidates(archive.uow(), name, born)


def test_a_candidate_button_names_the_exact_pupil():
    assert read_person(f"2011-04-12 {KRISTINA}") == (KRISTINA, dt.date(2011, 4, 12))
    with pytest.raises(ArchiveError, match="выберите учащегося в списке найденных"):
        read_person("Киселёва")


def test_the_page_lists_candidates_and_issues_the_certificate_of_the_one_chosen(archive, pupils, login_as,
                                                                               monkeypatch):
    for snapshot_id in pupils:
        documents.render_document(archive.uow(), archive.store, archive.renderer, snapshot_id, "summary_sheet",
                                  archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    monkeypatch.setattr(archive, "now", lambda: dt.datetime(2030, 9, 15, 9, 0, tzinfo=dt.timezone.utc))
    secretary = login_as("secretary")
    page = secretary.get("/certificates?name=киселева&born=2011").get_data(as_text=True)
    assert f'<button class="primary" name="person" value="2011-04-12 {KRISTINA}">Выдать справку</button>' in page
    assert "5А — 2026/2027; 6А — 2027/2028" in page and "Найдено в сводных ведомостях: 2" in page
    assert "Киселёва Анна" not in page
    issued = secretary.post("/certificates", data={
        "person": f"2011-04-12 {KRISTINA}", "requested_by": "Киселёва К. В.", "purpose": "по месту требования",
        "csrf_token": csrf_token(secretary, "/certificates")})
    assert issued.status_code == 302
    (row,) = certificates.list_certificates(archive.uow())
    assert (row.student_name, row.birth_date) == (KRISTINA, "2011-04-12")
    assert [(s["academic_year"], s["class"]) for s in row.sources] == [("2026/2027", "5А"), ("2027/2028", "6А")]


def test_the_page_says_nobody_and_refuses_a_long_query_in_russian_without_a_scan(archive, pupils, login_as):
    secretary = login_as("secretary")
    nobody = secretary.get("/certificates?name=Петрова&born=2011").get_data(as_text=True)
    assert "По запросу «Петрова», 2011 года рождения в сводных ведомостях архива никто не найден" in nobody
    long = secretary.get("/certificates", query_string={"name": "Киселева " * 20})
    assert long.status_code == 200
    assert "поле «Фамилия, имя, отчество» — не длиннее 100 символов (введено 179)" in long.get_data(as_text=True)
    started = time.perf_counter()
    huge = secretary.get("/certificates", query_string={"name": "Киселева " * 1200})
    took = time.perf_counter() - started
    assert huge.status_code == 400 and "Слишком длинный запрос" in huge.get_data(as_text=True)
    print(f"a 10,800-character query refused in {took:.3f} s")
