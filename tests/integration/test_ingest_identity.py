"""One identity per class and per school, and bad input refused before the database sees it
(SQLite and PostgreSQL; issue 11, points 1, 12 and 13)."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import func, select, update

from archive_service.adapters.orm import School, SnapshotRecord
from archive_service.domain.actor import Actor
from archive_service.errors import SnapshotRejected
from archive_service.services import snapshots
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot, subject
from conftest import NOW


def ingest(archive, data: dict, reason: str | None = None):
    return ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy", "127.0.0.1"), reason=reason,
                           now=NOW)


def stored_rows(archive) -> int:
    with archive.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(SnapshotRecord))


def of_class(class_id: str, name: str, **overrides) -> dict:
    data = snapshot(**overrides)
    data["class"] = {**data["class"], "id": class_id, "name": name, "grade": int(name[:-1])}
    return data


def next_year() -> dict:
    """The builder snapshot moved one school year on (same class name, a new year's class)."""
    data = snapshot(academic_year="2027/2028",
                    source={"system": "Сетевой город", "exported_at": "2027-12-26T18:30:00+07:00"})
    text = as_bytes(data).decode().replace('"2026-1', '"2027-1').replace('"2015-', '"2016-').replace('"2014-', '"2015-')
    return json.loads(text)


def test_a_known_class_name_under_another_id_is_refused_naming_both_ids(archive):
    ingest(archive, of_class("c-10a", "10А"))
    with pytest.raises(SnapshotRejected) as caught:
        ingest(archive, of_class("c-10a-new", "10А"))
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == ("$.class.id", "class_identity_conflict")
    assert "«c-10a»" in problem.message and "«c-10a-new»" in problem.message and "10А" in problem.message
    assert stored_rows(archive) == 1


def test_a_known_class_id_under_another_name_in_the_same_year_is_refused(archive):
    ingest(archive, of_class("c-10a", "10А"))
    with pytest.raises(SnapshotRejected) as caught:
        ingest(archive, of_class("c-10a", "10Б"))
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == ("$.class.name", "class_identity_conflict")
    assert "«10А»" in problem.message and "«10Б»" in problem.message
    assert stored_rows(archive) == 1


def test_the_same_class_name_next_school_year_may_be_another_class(archive):
    ingest(archive, snapshot())
    data = next_year()
    data["class"]["id"] = "c-5a-2027"
    assert ingest(archive, data).status == "stored"
    assert stored_rows(archive) == 2


def test_one_class_keeps_one_version_chain_per_period(archive):
    ingest(archive, snapshot())
    changed = snapshot()
    subject(changed, "music")["lessons"][0]["topic"] = "Уточнённая тема"
    changed["class"]["id"] = "c-5a-copy"
    with pytest.raises(SnapshotRejected):
        ingest(archive, changed, reason="Правка")  # a reason does not make another class of the same name
    rows = snapshots.list_snapshots(archive.uow(), "2026/2027", ["Q2"])
    assert [(r["class"], r["version"]) for r in rows] == [("5А", 1)]


def test_a_snapshot_of_another_school_is_refused(archive):
    ingest(archive, snapshot())
    other = snapshot()
    other["school"] = {**other["school"], "id": "0", "full_name": "Чужая школа", "short_name": "Чужая"}
    with pytest.raises(SnapshotRejected) as caught:
        ingest(archive, other)
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == ("$.school.id", "unknown_school")
    assert "«school-21»" in problem.message and "«0»" in problem.message
    assert snapshots.school_facts(archive.uow())[0] == "МБОУ «Средняя общеобразовательная школа № 21»"
    with archive.uow() as uow:
        assert uow.session.scalars(select(School.id)).all() == ["school-21"]


def test_the_printed_school_is_the_archive_school_not_the_lowest_id(archive):
    ingest(archive, snapshot())
    with archive.uow() as uow:  # a school row left by an older version that took any school
        uow.session.add(School(id="0", full_name="Чужая школа", short_name="Чужая", director_name="Чужой"))
        uow.commit()
    assert snapshots.school_facts(archive.uow()) == ("МБОУ «Средняя общеобразовательная школа № 21»",
                                                     "Сергеева Ольга Викторовна")


def test_a_nul_character_is_refused_before_the_database_sees_it(archive):
    data = snapshot()
    data["students"][0]["full_name"] = "Алексеев\x00Иван"
    subject(data, "math")["lessons"][0]["topic"] = "Тема\x00"
    with pytest.raises(SnapshotRejected) as caught:
        ingest(archive, data)
    assert {p.path for p in caught.value.problems} == {"$.students[0].full_name", "$.subjects[0].lessons[0].topic"}
    assert stored_rows(archive) == 0


def test_identical_concurrent_pushes_store_once_and_the_rest_are_duplicates(archive):
    ingest(archive, snapshot())
    changed = snapshot()
    subject(changed, "music")["lessons"][0]["topic"] = "Уточнённая тема"
    body = as_bytes(changed)
    start = threading.Barrier(6)
    outcomes, errors = [], []

    def push() -> None:
        start.wait()
        try:
            outcomes.append(ingest_snapshot(archive.uow(), body, actor=Actor("test", "deputy"), reason="Правка",
                                            now=NOW).status)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["duplicate"] * 5 + ["new_version"]
    assert stored_rows(archive) == 2


def test_identical_concurrent_first_pushes_store_once(archive):
    body = as_bytes(snapshot())
    start = threading.Barrier(6)
    outcomes, errors = [], []

    def push() -> None:
        start.wait()
        try:
            outcomes.append(ingest_snapshot(archive.uow(), body, actor=Actor("test", "deputy"), now=NOW).status)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(outcomes) == ["duplicate"] * 5 + ["stored"]


def test_two_schools_pushing_first_at_once_leave_one_school(archive):
    other = snapshot()
    other["school"] = {**other["school"], "id": "school-22"}
    start = threading.Barrier(2)
    outcomes = []

    def push(data: dict) -> None:
        start.wait()
        try:
            outcomes.append(ingest(archive, data).status)
        except SnapshotRejected as err:
            outcomes.append(err.problems[0].code)

    threads = [threading.Thread(target=push, args=(d,)) for d in (snapshot(), other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stored", "unknown_school"]
    with archive.uow() as uow:
        assert len(uow.session.scalars(select(School.id)).all()) == 1


# --- the API ---------------------------------------------------------------------------------

def test_the_api_refuses_a_duplicate_key_naming_it(client, auth):
    raw = as_bytes(snapshot()).replace(b'"format"', b'"academic_year": "2025/2026", "format"', 1)
    response = client.post("/api/v1/snapshots", data=raw, headers=auth)
    assert response.status_code == 422
    (problem,) = response.json["error"]["problems"]
    assert problem["code"] == "duplicate_key" and "«academic_year»" in problem["message"]


@pytest.mark.parametrize("year", ["0000/0001", "２０２６/２０２７"])
def test_the_api_answers_a_bad_academic_year_with_a_russian_422(client, auth, year):
    response = client.post("/api/v1/snapshots", data=as_bytes(snapshot(academic_year=year)), headers=auth)
    assert response.status_code == 422
    assert "учебный год" in response.json["error"]["problems"][0]["message"]


def test_the_api_refuses_a_nul_in_a_name_with_422_not_500(client, auth):
    data = snapshot()
    data["school"]["director"]["full_name"] = "Сергеева\u0000"
    response = client.post("/api/v1/snapshots", data=as_bytes(data), headers=auth)
    assert response.status_code == 422 and "U+0000" in response.json["error"]["problems"][0]["message"]


def test_the_api_answers_identical_concurrent_retries_with_201_once_and_200_after(app, auth):
    body = as_bytes(snapshot())
    start = threading.Barrier(5)
    statuses = []

    def push() -> None:
        client = app.test_client()
        start.wait()
        statuses.append(client.post("/api/v1/snapshots", data=body, headers=auth).status_code)

    threads = [threading.Thread(target=push) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 200, 201]


def test_the_file_import_refuses_a_duplicate_key_naming_it(runner, tmp_path):
    path = tmp_path / "5А.json"
    path.write_bytes(as_bytes(snapshot()).replace(b'"format"', b'"academic_year": "2025/2026", "format"', 1))
    result = runner.invoke(args=["--as", "deputy", "snapshot", "import", str(path)])
    assert result.exit_code == 1
    assert "ОТКЛОНЁН" in result.output and "ключ «academic_year» повторяется" in result.output


def test_the_file_import_refuses_another_class_under_a_known_name(runner, archive, tmp_path):
    ingest(archive, of_class("c-10a", "10А"))
    path = tmp_path / "10А.json"
    path.write_bytes(as_bytes(of_class("c-10a-new", "10А")))
    result = runner.invoke(args=["--as", "deputy", "snapshot", "import", str(path), "--reason", "Правка"])
    assert result.exit_code == 1 and "«c-10a»" in result.output and "«c-10a-new»" in result.output
    assert stored_rows(archive) == 1


def test_a_class_of_an_archive_that_already_holds_two_ids_for_its_name_still_takes_corrections(archive):
    ingest(archive, of_class("c-10a", "10А"))
    ingest(archive, of_class("c-10b", "10Б"))
    with archive.uow() as uow:  # what an archive could hold before one name meant one class
        uow.session.execute(update(SnapshotRecord).where(SnapshotRecord.class_id == "c-10b").values(class_name="10А"))
        uow.commit()
    changed = of_class("c-10a", "10А")
    subject(changed, "music")["lessons"][0]["topic"] = "Уточнённая тема"
    assert ingest(archive, changed, reason="Правка").version == 2
    with pytest.raises(SnapshotRejected):
        ingest(archive, of_class("c-10c", "10А"))
