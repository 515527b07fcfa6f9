"""The summary sheet of a graduating class, read back from the PDF: per pupil «выпущен(а)», the
certificate (number, issue date, «с отличием») and the state exams' results, in a table that stays
inside its columns for a class of 25; other grades' summary sheets get no such part."""

from __future__ import annotations

import random
import re

import pytest

from archive_service.config import PROJECT_ROOT
from archive_service.rendering import DocumentRenderer
from archive_service.rendering.summary import summary_sheet_model
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
from builders import as_bytes, graduating_year_snapshot
from pdf_reading import PdfPages, Word

PART = "Выпуск: аттестаты и результаты ГИА"
SURNAMES = ["Алексеев", "Борисов", "Васильев", "Григорьев", "Дмитриев", "Егоров", "Жуков", "Зайцев", "Иванов",
            "Козлов", "Лебедев", "Морозов", "Новиков", "Орлов", "Павлов", "Романов", "Семёнов", "Тихонов",
            "Ульянов", "Фёдоров", "Харитонов", "Цветков", "Чернов", "Шмелёв", "Щукин"]


@pytest.fixture(scope="module")
def renderer():
    return DocumentRenderer(PROJECT_ROOT / "templates")


def render(renderer, data: dict, tmp_path_factory):
    snap = parse_snapshot(as_bytes(data))
    canonical = canonical_bytes(snap)
    doc = renderer.summary_sheet(snap, canonical, content_hash(canonical))
    path = tmp_path_factory.mktemp("pdf") / f"{doc.document_id}.pdf"
    path.write_bytes(doc.pdf)
    return snap, doc, PdfPages(path)


def part_pages(doc) -> list[int]:
    """The page indexes of the graduates' part (two-sided), from the contents."""
    sheets = next(s for t, s in doc.contents if t == PART)
    first, _, last = sheets.partition("–")
    return list(range(2 * (int(first) - 1), 2 * int(last or first)))


def rows_read(pdf: PdfPages, pages: list[int]) -> dict[int, dict[str, str]]:
    """pupil number → column head → the words printed in that cell (lines joined by spaces)."""
    out: dict[int, dict[str, str]] = {}
    for page in pages:
        words = pdf.words[page]
        heads: dict[str, Word] = {}
        for w in sorted(words, key=lambda w: w.y0):  # the table's head, not the legend under it
            if w.text in ("Фамилия,", "Решение", "Аттестат", "Результаты"):
                heads.setdefault(w.text, w)
        if len(heads) < 4:
            continue
        lefts = sorted((w.x0 - 3, name) for name, w in heads.items())
        numbers = sorted((w for w in words if re.fullmatch(r"\d+", w.text) and w.x1 < heads["Фамилия,"].x0
                          and w.y0 > heads["Аттестат"].y1), key=lambda w: w.y0)
        for k, number in enumerate(numbers):
            # the last row ends where the legend under the table begins (at the page's left edge)
            below = [w.y0 for w in words if w.y0 > number.y1 and w.x0 < number.x0 - 1]
            bottom = numbers[k + 1].y0 - 1 if k + 1 < len(numbers) else min(below, default=10_000)
            cell: dict[str, list[Word]] = {}
            for w in words:
                if number.y0 - 1 <= w.y0 < bottom and w.x0 > number.x1 and w.y1 < 800:
                    column = [name for left, name in lefts if w.x0 >= left][-1]
                    cell.setdefault(column, []).append(w)
            out[int(number.text)] = {name: " ".join(w.text for w in sorted(ws, key=lambda w: (round(w.y0), w.x0)))
                                     for name, ws in cell.items()}
    return out


@pytest.mark.parametrize("grade", [9, 11])
def test_each_graduate_is_shown_released_with_the_certificate_and_the_exams(renderer, tmp_path_factory, grade):
    snap, doc, pdf = render(renderer, graduating_year_snapshot(f"{grade}А", grade), tmp_path_factory)
    rows = rows_read(pdf, part_pages(doc))
    assert sorted(rows) == [1, 2, 3, 4]
    assert [rows[n]["Решение"] for n in (1, 2, 3)] == [
        "выпущен, протокол № 12 от 25.06.2026", "выпущена, протокол № 12 от 25.06.2026",
        "выпущен, протокол № 12 от 25.06.2026"]
    assert [rows[n]["Аттестат"] for n in (1, 2, 3)] == [
        "№ 05624000012341 выдан 27.06.2026", "№ 05624000012342 выдан 27.06.2026 с отличием",
        "№ 05624000012343 выдан 27.06.2026"]
    assert [rows[n]["Результаты"] for n in (1, 2, 3)] == (
        ["Математика: ОГЭ 4 (19 б.), 05.06.2026", "Математика: ОГЭ 5 (28 б.), 05.06.2026",
         "Математика: ОГЭ 4 (17 б.), 05.06.2026"] if grade == 9 else
        ["Математика: ЕГЭ 72 б., 05.06.2026", "Математика: ЕГЭ 94 б., 05.06.2026",
         "Математика: ЕГЭ 4, 04.06.2026"])
    # the pupil who left in the year has no decision and so no certificate
    assert rows[4] == {"Фамилия,": "Григорьева Анна Сергеевна", "Решение": "решение не передано"}
    text = " ".join(pdf.texts[p] for p in part_pages(doc))
    assert "ОГЭ — основной государственный экзамен" in text and "тестовый балл ЕГЭ из 100" in text


def class_of_25(grade: int) -> dict:
    """A graduating class of 25 with three or four exams each and some honours."""
    data = graduating_year_snapshot(f"{grade}Б", grade)
    data["students"] = [{"id": f"p{i}", "full_name": f"{n} Константин Александрович", "birth_date": "2009-03-14",
                         "enrolled_on": None, "left_on": None} for i, n in enumerate(SURNAMES)]
    for subj in data["subjects"]:
        subj.pop("group", None)
        for lesson in subj["lessons"]:
            lesson.update(marks=[], absences=[])
        subj["period_marks"] = [{"student_id": f"p{i}", "period": c, "value": 4} for i in range(25)
                                for c in ("year", "final")]
    data["promotion"] = [{"student_id": f"p{i}", "decision": "graduated", "protocol_number": "12",
                          "protocol_date": "2026-06-25", "certificate": {
                              "number": f"056240000123{i:02d}", "issued_on": "2026-06-27", "with_honours": i % 7 == 0}}
                         for i in range(25)]
    rng = random.Random(grade)

    def result() -> dict:
        return {"mark": rng.randint(3, 5), "score": rng.randint(10, 30)} if grade == 9 else \
            {"score": rng.randint(40, 100)}

    data["state_exams"] = [
        {"student_id": f"p{i}", "form": "OGE" if grade == 9 else "EGE", "subject_id": sid,
         "date": f"2026-06-{2 + 3 * k:02d}", **result()}
        for i in range(25) for k, sid in enumerate(["math", "music", "eng-1"][:3 if i % 4 else 2])]
    return data


@pytest.mark.parametrize("grade", [9, 11])
def test_a_class_of_25_reads_back_whole_inside_its_columns(renderer, tmp_path_factory, grade):
    snap, doc, pdf = render(renderer, class_of_25(grade), tmp_path_factory)
    pages = part_pages(doc)
    rows = rows_read(pdf, pages)
    assert sorted(rows) == list(range(1, 26))
    subjects = {s.id: s.name for s in snap.subjects}
    for n, item in enumerate(snap.promotion, start=1):
        honours = " с отличием" if item.certificate.with_honours else ""
        assert rows[n]["Аттестат"] == f"№ {item.certificate.number} выдан 27.06.2026{honours}"
        assert rows[n]["Фамилия,"] == snap.students[n - 1].full_name
        exams = [e for e in snap.state_exams if e.student_id == item.student_id]
        assert rows[n]["Результаты"].count(":") == len(exams)
        assert all(subjects[e.subject_id].split()[0] in rows[n]["Результаты"] for e in exams)
    for page in pages:  # nothing runs out of its column or off the page
        words = pdf.words[page]
        heads = {w.text: w for w in sorted(words, key=lambda w: -w.y0) if w.text in ("Аттестат", "Результаты")}
        if "Аттестат" in heads:
            numbers = [w for w in words if re.fullmatch(r"\d{14}", w.text)]
            assert numbers and all(w.x1 < heads["Результаты"].x0 - 2 for w in numbers)
            assert all(w.x1 < 570 for w in words)
    assert len(pages) <= 4, "25 graduates take at most two sheets"


def test_other_grades_and_quarters_get_no_graduates_part():
    eighth = graduating_year_snapshot("8А", 8)
    del eighth["state_exams"]
    eighth["promotion"] = [{k: v for k, v in p.items() if k != "certificate"} | {"decision": "promoted"}
                           for p in eighth["promotion"]]
    titles = [s.title for s in summary_sheet_model(parse_snapshot(as_bytes(eighth))).sections]
    assert titles == ["Список класса", "Итоговые отметки", "Пропуски уроков и решения педагогического совета"]
    ninth = summary_sheet_model(parse_snapshot(as_bytes(graduating_year_snapshot())))
    assert [s.title for s in ninth.sections][-1] == PART
