"""The archival certificate of a former student, read back from its PDF and from the summary sheets'."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import threading
from pathlib import Path

import pytest

from archive_service.domain.actor import Actor
from archive_service.config import PROJECT_ROOT
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.rendering.certificate import CertificateFacts, YearRecord, certificate_pdf
from archive_service.services import certificates, documents, register
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes
from conftest import NOW
from pdf_reading import PdfPages, summary_marks

CLERK = Actor("secretary", "secretary")

NAME, BORN = "Алексеев Иван Петрович", dt.date(2011, 3, 14)
NAMESAKE_BORN = dt.date(2011, 10, 2)
SUBJECTS = ["Русский язык", "Литература", "Иностранный язык (английский)", "Алгебра", "Геометрия", "Информатика",
            "История", "Обществознание", "Физическая культура", "Основы безопасности и защиты Родины"]
EXAMS = {"Русский язык", "Алгебра", "Обществознание", "Информатика"}
SURNAMES = ["Белов", "Волков", "Голубев", "Данилов", "Егоров", "Жуков", "Зайцев", "Ильин", "Козлов", "Лебедев",
            "Морозов", "Никитин", "Орлов", "Павлов", "Романов", "Соколов", "Тихонов", "Уваров", "Фомин", "Чернов"]
FIRST = ["Артём", "Борис", "Глеб", "Денис", "Егор", "Кирилл", "Лев", "Максим", "Никита", "Олег"]
ISSUED_ON = dt.date(2027, 9, 15)
AFTER_THE_YEAR = dt.datetime(2027, 7, 1, 9, 0, tzinfo=dt.timezone.utc)
"""A year's summary sheet is registered once the year has ended (domain/drafts.py)."""
WORDS = {"5": "отлично", "4": "хорошо", "3": "удовлетворительно", "2": "неудовлетворительно"}
SPELLED = {"зачтено": "зач", "не зачтено": "незач", "освобождён": "осв", "не аттестован": "н/а"}


def pupils(count: int, target_row: int) -> list[dict]:
    """`count` students; the wanted one at `target_row` (1-based), a namesake born later right after."""
    others = iter({"id": f"p{i}", "full_name": f"{SURNAMES[i % 20]} {FIRST[i // 20 % 10]} Сергеевич",
                   "birth_date": "2011-05-20", "enrolled_on": None, "left_on": None} for i in range(count))
    out = [next(others) for _ in range(count - 2)]
    out.insert(target_row - 1, {"id": "alekseev", "full_name": NAME, "birth_date": BORN.isoformat(),
                                "enrolled_on": None, "left_on": None})
    out.insert(target_row, {"id": "alekseev-2", "full_name": NAME, "birth_date": NAMESAKE_BORN.isoformat(),
                            "enrolled_on": None, "left_on": None})
    out.append({"id": "semenova", "full_name": "Семёнова Алёна Олеговна", "birth_date": "2011-07-07",
                "enrolled_on": None, "left_on": None})
    return out


def mark(student: int, subject: int, code: int, name: str) -> int | str:
    if name == "Физическая культура":
        return "осв" if student == 0 else "зач"
    return 3 + (student * 7 + subject * 3 + code) % 3


def year_snapshot(class_name: str, grade: int, academic_year: str, students: list[dict]) -> dict:
    """The year snapshot of a class: quarter and year marks; exam and final marks in grade 9."""
    first = int(academic_year[:4])
    subjects = []
    for j, name in enumerate(SUBJECTS):
        marks = []
        for i, st in enumerate(students):
            own = 0 if st["id"] == "alekseev" else i + 1
            codes = ["Q1", "Q2", "Q3", "Q4", "year"] + (["exam"] if grade == 9 and name in EXAMS else [])
            codes += ["final"] if grade == 9 else []
            marks += [{"student_id": st["id"], "period": code, "value": mark(own, j, k, name)}
                      for k, code in enumerate(codes)]
        subjects.append({"id": f"subj-{j}", "name": name,
                         "teacher": {"id": f"t{j}", "full_name": "Орлова Анна Ивановна"},
                         "hours_per_week": 2, "lessons": [], "period_marks": marks})
    return {
        "format": "journal-snapshot/1",
        "source": {"system": "Сетевой город. Образование", "exported_at": f"{first + 1}-06-30T18:30:00+07:00"},
        "school": {"id": "school-21", "full_name": "МБОУ «Средняя общеобразовательная школа № 21»",
                   "short_name": "МБОУ СОШ № 21",
                   "director": {"full_name": "Сергеева Ольга Викторовна", "position": "Директор"}},
        "academic_year": academic_year,
        "period": {"kind": "year", "number": 1, "start": f"{first}-09-01", "end": f"{first + 1}-05-26"},
        "class": {"id": f"c-{class_name}-{first}", "name": class_name, "grade": grade,
                  "class_teacher": {"id": "t0", "full_name": "Орлова Анна Ивановна"}},
        "students": students,
        "subjects": subjects,
    }


def store_year(archive, data: dict) -> dict:
    """Ingest a year snapshot and render its summary sheet; the sheet's record as listed."""
    stored = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
    doc = documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                    "summary_sheet", archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    return next(d for d in documents.list_documents(archive.uow()) if d["document_id"] == doc.document_id)


@pytest.fixture
def two_years(archive):
    """8А in 2025/2026 (30 students, the wanted one 12th) and 9А in 2026/2027 (56 students, 40th:
    the grid continues downwards, so the row stands on the lower blocks); 9А is registered."""
    eighth = store_year(archive, year_snapshot("8А", 8, "2025/2026", pupils(30, 12)))
    ninth = store_year(archive, year_snapshot("9А", 9, "2026/2027", pupils(56, 40)))
    register.set_rule(archive.uow(), "summary_sheet", case_index="02-15", actor=CLERK, now=NOW)
    entry = register.register_document(archive.uow(), ninth["document_id"], handed_over_by="Иванова Т. П.",
                                       accepted_by="Петрова А. С.", placement=register.Placement("к. 5", "2", "3"),
                                       on=dt.date(2027, 7, 1), paper_only=True, actor=CLERK, now=AFTER_THE_YEAR)
    return {"8А": (eighth, 12, None), "9А": (ninth, 40, f"{entry.number}/{entry.year}")}


@pytest.fixture
def one_year(archive):
    return store_year(archive, year_snapshot("8А", 8, "2025/2026", pupils(6, 2)))


def issue(archive, name=NAME, born=BORN, today=ISSUED_ON, **kwargs) -> certificates.IssuedCertificate:
    return certificates.issue_certificate(archive.uow(), archive.store, archive.settings.templates_dir, name, born,
                                          requested_by=kwargs.get("requested_by", "Алексеев И. П."),
                                          purpose=kwargs.get("purpose", "по месту требования"), actor=CLERK,
                                          now=NOW, today=today)


def saved(data: bytes, tmp_path: Path, name: str) -> PdfPages:
    path = tmp_path / name
    path.write_bytes(data)
    return PdfPages(path)


HEAD_WORDS = {"№", "Учебный", "предмет", "Годовая", "Экзаменационная", "Итоговая", "отметка"}
TITLE_CODES = {"Годовая": "year", "Экзаменационная": "exam", "Итоговая": "final"}


def certificate_tables(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    """«2026/2027, 9А» → subject → period code → cell, from the certificate's printed layout: the
    columns in the order their titles stand in the header (repeated on every page)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    tables: dict[str, dict[str, dict[str, str]]] = {}
    current, last, where, codes = None, None, {}, []
    for line in text.splitlines():
        words = line.split()
        heading = re.match(r"^\s*(\d{4}/\d{4}) учебный год, (\S+) класс\s*$", line)
        if heading:
            current, last, where = f"{heading[1]}, {heading[2]}", None, {}
            tables[current] = {}
        elif current is None or not words or line.strip().isdigit():  # outside a table, or a page number
            continue
        elif words[0] == "Основание:":
            current = None
        elif set(words) <= HEAD_WORDS:
            where |= {m[0]: m.start() for m in re.finditer(r"\S+", line) if m[0] in TITLE_CODES}
            codes, last = [TITLE_CODES[w] for w in sorted(where, key=where.__getitem__)], None
        elif row := re.match(r"^\s*(\d+)\s+(.+?)\s{2,}(.+?)\s*$", line):
            last = row[2]
            tables[current][last] = dict(zip(codes, re.split(r"\s{2,}", row[3]), strict=True))
        elif last:  # the rest of a subject's name that wrapped
            tables[current][f"{last} {line.strip()}"] = tables[current].pop(last)
            last = f"{last} {line.strip()}"
    return tables


def raw_mark(cell: str) -> str:
    """«4 (хорошо)» → «4» (checking the words), «зачтено» → «зач», «—» → «»."""
    if cell == "—":
        return ""
    number = re.fullmatch(r"(\d) \((\w+)\)", cell)
    if number:
        assert WORDS[number[1]] == number[2], cell
        return number[1]
    return SPELLED[cell]


def rows_pages(pdf: PdfPages, row: int, surname: str) -> set[int]:
    """Pages where the grid row «40. Алексеев Иван» stands."""
    pages = set()
    for index, words in enumerate(pdf.words):
        for k, w in enumerate(words[:-1]):
            if w.text == f"{row}." and w.x0 < 130 and words[k + 1].text == surname and abs(words[k + 1].cy - w.cy) < 2:
                pages.add(index)
    return pages


def sheet_of(pdf: PdfPages, page: int) -> int:
    """The number printed on the page's sheet (a back carries none: its front's)."""
    number = pdf.top_right_number(page) or pdf.top_right_number(page - 1)
    assert number
    return int(number)


def test_the_certificate_quotes_the_students_row_of_each_summary_sheet_and_cites_its_sheets(archive, two_years,
                                                                                        tmp_path):
    row = issue(archive, name="  алексеев   ИВАН петрович ")
    assert row.reference == "1/2027" and row.student_name == NAME
    _, pdf = certificates.certificate_file(archive.uow(), archive.store, 2027, 1)
    (tmp_path / "cert.pdf").write_bytes(pdf)
    shown = certificate_tables(tmp_path / "cert.pdf")
    text = " ".join(PdfPages(tmp_path / "cert.pdf").texts)
    assert set(shown) == {"2025/2026, 8А", "2026/2027, 9А"}
    assert "14.03.2011 года рождения, обучался в МБОУ СОШ № 21 в 8А классе в 2025/2026 учебном году и в 9А " \
           "классе в 2026/2027 учебном году" in text
    assert NAMESAKE_BORN.strftime("%d.%m.%Y") not in text
    for (year, class_name), source in zip([("2025/2026", "8А"), ("2026/2027", "9А")], row.sources):
        record, number, registered = two_years[class_name]
        sheet = saved(archive.store.read(record["sha256"]), tmp_path, f"{class_name}.pdf")
        marks = summary_marks(sheet, SUBJECTS)
        expected = {subject: {code: text for (r, s, code), (text, _) in marks.items() if r == number and s == subject}
                    for subject in SUBJECTS}
        table = shown[f"{year}, {class_name}"]
        assert set(table) == set(SUBJECTS)
        for subject, cells in table.items():
            assert {code: raw_mark(c) for code, c in cells.items() if raw_mark(c)} == \
                {code: v for code, v in expected[subject].items() if code in ("year", "exam", "final")}, subject
        pages = rows_pages(sheet, number, "Алексеев")
        assert pages >= {page for (r, _, _), (_, page) in marks.items() if r == number}
        sheets = sorted({sheet_of(sheet, p) for p in pages})
        assert source["sheets"] == sheets and source["register"] == registered
        cited = f"л. {sheets[0]}" + (f"–{sheets[-1]}" if len(sheets) > 1 else "")
        assert sheets == list(range(sheets[0], sheets[-1] + 1))
        basis = f"сводная ведомость итоговых отметок {class_name} класса за {year} учебный год"
        if registered:
            assert f"{basis} (дело № 02-15, реестр № {registered}), {cited}." in text
        else:
            assert f"{basis} (документ архива {record['document_id']}, в реестр не внесён), {cited}." in text
    assert shown["2026/2027, 9А"]["Физическая культура"] == {"year": "освобождён", "exam": "—",
                                                                  "final": "освобождён"}
    assert sheets[0] > 2, "the 9А row stands below the first block: not on the grid's first sheet"


def test_certificates_are_numbered_per_year_without_gaps_and_audited(archive, one_year):
    assert [issue(archive).reference for _ in range(2)] == ["1/2027", "2/2027"]
    assert issue(archive, today=dt.date(2028, 1, 10)).reference == "1/2028"
    with pytest.raises(NotFoundError):
        issue(archive, name="Алексеев Иван Павлович")
    assert issue(archive).reference == "3/2027", "a refused certificate takes no number"
    listed = certificates.list_certificates(archive.uow(), 2027)
    assert [(c.number, c.issued_on, c.purpose) for c in listed] == \
        [(n, "2027-09-15", "по месту требования") for n in (1, 2, 3)]
    with archive.uow() as uow:
        events = [e for e in uow.audit.entries() if e.action == "certificate.issued"]
        assert [e.object_id for e in events] == ["1/2027", "2/2027", "1/2028", "3/2027"]
        assert events[0].object_type == "archival_certificate" and events[0].details["documents"] == [
            one_year["document_id"]]
    _, pdf = certificates.certificate_file(archive.uow(), archive.store, 2027, 2)
    assert certificates.list_certificates(archive.uow())[1].sha256 == hashlib.sha256(pdf).hexdigest()


def test_concurrent_certificates_get_distinct_consecutive_numbers(archive, one_year):
    numbers, errors = [], []

    def one():
        try:
            numbers.append(issue(archive).number)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(numbers) == [1, 2, 3]


def test_the_certificate_is_rendered_the_same_from_the_same_facts():
    year = YearRecord("2025/2026", "8А", 8, "МБОУ СОШ № 21", None, dt.date(2026, 3, 20),
                      [("Алгебра", {"Q1": "4", "Q2": "5", "Q3": "3"}), ("Физическая культура", {"Q1": "осв"})],
                      "d0cea862ade48da5f9e5", None, "", [3, 4])
    facts = CertificateFacts(7, 2027, ISSUED_ON, "Школа", "Сергеева Ольга Викторовна", NAME, BORN, "заявитель",
                             "по месту требования", "", [year])
    first = certificate_pdf(PROJECT_ROOT / "templates", facts, moment=NOW)
    assert first == certificate_pdf(PROJECT_ROOT / "templates", facts, moment=NOW)
    text = subprocess.run(["pdftotext", "-", "-"], input=first, capture_output=True, check=True).stdout.decode()
    assert "обучался в МБОУ СОШ № 21 в 8А классе в 2025/2026 учебном году (выбыл 20.03.2026)" in " ".join(text.split())
    assert "I четверть" in text and "3 (удовлетворительно)" in text, "a student who left has the period marks"


def test_a_student_is_found_by_name_and_birth_date_whatever_the_case_spacing_and_yo(archive, one_year):
    found = certificates.find_student(archive.uow(), " семенова алена  ОЛЕГОВНА", dt.date(2011, 7, 7))
    assert [(m.full_name, m.class_name, m.academic_year) for m in found] == \
        [("Семёнова Алёна Олеговна", "8А", "2025/2026")]
    namesakes = certificates.find_student(archive.uow(), NAME, NAMESAKE_BORN)
    assert [m.student_id for m in namesakes] == ["alekseev-2"]


def test_an_unknown_student_or_another_birth_date_is_not_found_in_russian(archive, one_year):
    with pytest.raises(NotFoundError, match="в сводных ведомостях архива не найден; проверьте написание"):
        issue(archive, name="Петров Пётр Петрович")
    with pytest.raises(NotFoundError, match="с датой рождения 15.03.2011") as err:
        issue(archive, born=dt.date(2011, 3, 15))
    assert "10.2011" not in str(err.value), "the namesake's birth date is not disclosed"
    assert certificates.list_certificates(archive.uow()) == []


def test_a_year_without_its_summary_sheet_is_refused_with_the_command_to_make_it(archive):
    ingest_snapshot(archive.uow(), as_bytes(year_snapshot("8А", 8, "2025/2026", pupils(6, 2))),
                    actor=Actor("test", "deputy"), now=NOW)
    with pytest.raises(ArchiveError, match="ещё не изготовлена: выполните «archive-service period close --year "
                                           "2025/2026 --period year --class 8А»"):
        issue(archive)


def test_the_cli_issues_the_certificate_to_a_file(archive, one_year, runner, tmp_path, monkeypatch):
    out = tmp_path / "справка.pdf"
    result = runner.invoke(args=["--as", "secretary",
                                 "certificate", "--student", NAME, "--birth-date", "14.03.2011", "--out", str(out),
                                 "--today", "2027-09-15", "--requested-by", "Алексеев И. П."])
    assert result.exit_code == 0, result.output
    assert "Архивная справка № 1/2027 от 15.09.2027: Алексеев Иван Петрович, 14.03.2011 г. р." in result.output
    assert out.read_bytes().startswith(b"%PDF") and "Алексеев Иван Петрович" in " ".join(PdfPages(out).texts)
    monkeypatch.chdir(tmp_path)
    again = runner.invoke(args=["--as", "secretary",
                                "certificates", "issue", "--student", NAME, "--birth-date", "2011-03-14",
                                "--today", "2027-09-15", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["file"] == "справка-2-2027.pdf" and (tmp_path / "справка-2-2027.pdf").is_file()
    listed = runner.invoke(args=["certificates", "list"])
    assert listed.exit_code == 0 and "№ 2/2027" in listed.output and "Выдано справок: 2." in listed.output
    copy = runner.invoke(args=["certificates", "copy", "1/2027", "--out", str(tmp_path / "копия.pdf")])
    assert copy.exit_code == 0 and (tmp_path / "копия.pdf").read_bytes() == out.read_bytes()


def test_the_cli_explains_a_bad_date_or_an_unknown_student_in_russian(archive, one_year, runner, tmp_path):
    bad = runner.invoke(args=["--as", "secretary", "certificate", "--student", NAME, "--birth-date", "31.02.2011",
                              "--out", str(tmp_path / "c.pdf")])
    assert bad.exit_code != 0 and "не удалось прочитать дату «31.02.2011»" in bad.output
    assert "ГГГГ-ММ-ДД или ДД.ММ.ГГГГ" in bad.output
    unknown = runner.invoke(args=["--as", "secretary",
                                  "certificate", "--student", "Петров Пётр", "--birth-date", "2011-03-14",
                                  "--out", str(tmp_path / "c.pdf")])
    assert unknown.exit_code != 0 and "не найден" in unknown.output
    assert not (tmp_path / "c.pdf").exists()
