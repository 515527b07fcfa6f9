"""The rendered documents, read back from the PDF files as a checker of the paper copy would."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict

import pytest
from num2words import num2words

from archive_service.config import PROJECT_ROOT
from archive_service.demo import generate
from archive_service.domain.sheets import certification_page, is_front, sheet_of_page
from archive_service.rendering import DocumentRenderer, RenderOptions
from archive_service.rendering.pdf import qr_stream
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
from builders import as_bytes, snapshot
from pdf_reading import PdfPages, read_grid, summary_marks

PERIOD_HEAD = r"^(\d{2}|I|II|III|IV|1п|2п)$"


@pytest.fixture(scope="module")
def renderer():
    return DocumentRenderer(PROJECT_ROOT / "templates")


@pytest.fixture(scope="module")
def demo_snapshots():
    wanted = {("5А", "Q2"), ("1А", "Q2"), ("11Б", "H1"), ("9А", "year")}
    found = {}
    for data in generate(periods=["Q2", "H1", "year"]):
        kind = data["period"]["kind"]
        code = "year" if kind == "year" else f"{'Q' if kind == 'quarter' else 'H'}{data['period']['number']}"
        if (data["class"]["name"], code) in wanted:
            found[(data["class"]["name"], code)] = parse_snapshot(as_bytes(data))
    return found


def render(renderer, snap, tmp_path_factory, options=RenderOptions(), kind="class_journal"):
    canonical = canonical_bytes(snap)
    method = renderer.summary_sheet if kind == "summary_sheet" else renderer.class_journal
    doc = method(snap, canonical, content_hash(canonical), options)
    path = tmp_path_factory.mktemp("pdf") / f"{doc.document_id}.pdf"
    path.write_bytes(doc.pdf)
    return doc, PdfPages(path)


@pytest.fixture(scope="module")
def grade5(renderer, demo_snapshots, tmp_path_factory):
    snap = demo_snapshots[("5А", "Q2")]
    return (snap, *render(renderer, snap, tmp_path_factory))


def section_pages(doc, title_prefix: str, duplex: bool = True) -> list[int]:
    """Page indexes of a section, from the sheet range the document's contents give."""
    sheets = next(s for t, s in doc.contents if t.startswith(title_prefix))
    first, _, last = sheets.partition("–")
    first_sheet, last_sheet = int(first), int(last or first)
    if not duplex:
        return list(range(first_sheet - 1, last_sheet))
    return list(range(2 * (first_sheet - 1), 2 * last_sheet))


#: the sign of an absence in a grid cell: the journal's code, «о» for lateness, «п» for no code
GRID_SIGNS = {"Н": "Н", "Б": "Б", "У": "У", "О": "о", None: "п"}


def expected_cells(snap, subject) -> dict[tuple[int, int], str]:
    """(student number, lesson index) → what the journal shows: the absence's sign, then the marks
    («5/4»), a middle dot between them («о·5»)."""
    number = {s.id: i for i, s in enumerate(snap.students, start=1)}
    out: dict[tuple[int, int], str] = {}
    for k, lesson in enumerate(subject.lessons):
        texts: dict[str, list[str]] = defaultdict(list)
        for a in lesson.absences:
            texts[a.student_id].append(GRID_SIGNS[a.code])
        for sid in {m.student_id for m in lesson.marks}:
            texts[sid].append("/".join(str(m.value) for m in lesson.marks if m.student_id == sid))
        for sid, parts in texts.items():
            out[(number[sid], k)] = "·".join(parts)
    return out


def test_every_mark_and_absence_is_in_its_students_row_and_its_lessons_column(grade5):
    snap, doc, pdf = grade5
    for subject in snap.subjects:
        title = subject.name + (f" ({subject.group.name})" if subject.group else "")
        pages = [p for p in section_pages(doc, title) if f"{title}" in pdf.texts[p] and "Фамилия" in pdf.texts[p]]
        assert pages, title
        seen: dict[tuple[int, int], str] = {}
        offset = 0
        for page in pages:
            grid = read_grid(pdf.words[page], PERIOD_HEAD)
            first_row = min(x.y0 for x in pdf.words[page] if re.fullmatch(r"\d+\.", x.text) and x.x0 < 130)
            lesson_columns = len([w for w in pdf.words[page] if re.fullmatch(r"\d{2}", w.text)
                                  and first_row - 14 < w.cy < first_row])
            for (row, col), text in grid.items():
                if col < lesson_columns and text != "–":
                    seen[(row, offset + col)] = text
            offset += lesson_columns
        assert offset == len(subject.lessons), title
        assert seen == expected_cells(snap, subject), title


def test_the_period_mark_stands_after_the_last_lesson(grade5):
    snap, doc, pdf = grade5
    subject = snap.subjects[0]
    last_page = [p for p in section_pages(doc, subject.name) if "Фамилия" in pdf.texts[p]][-1]
    grid = read_grid(pdf.words[last_page], PERIOD_HEAD)
    last_column = max(c for _, c in grid)
    shown = {row: text for (row, col), text in grid.items() if col == last_column}
    number = {s.id: i for i, s in enumerate(snap.students, start=1)}
    assert shown == {number[pm.student_id]: str(pm.value) for pm in subject.period_marks if pm.period == "Q2"}


def test_every_topic_and_homework_is_on_its_subjects_pages(grade5):
    snap, doc, pdf = grade5
    for subject in snap.subjects:
        title = subject.name + (f" ({subject.group.name})" if subject.group else "")
        text = re.sub(r"\s+", " ", " ".join(pdf.texts[p] for p in section_pages(doc, title)))
        for lesson in subject.lessons:
            for item in (lesson.topic, lesson.homework):
                if item:
                    assert re.sub(r"\s+", " ", item) in text, (title, lesson.date, item)


def test_the_sheet_count_on_the_title_and_certification_sheets_is_the_real_one(grade5):
    _, doc, pdf = grade5
    sheets = len(pdf) // 2
    assert len(pdf) % 2 == 0 and doc.sheets == sheets
    words = num2words(sheets, lang="ru")
    assert f"Всего листов: {sheets} ({words})" in pdf.texts[0]
    assert re.search(rf"Всего листов {sheets}\b", pdf.texts[1])
    certification = pdf.texts[-1]  # the back of the last sheet
    assert f"Прошито, пронумеровано и скреплено печатью {sheets} ({words}) листов" in certification
    assert pdf.top_right_number(len(pdf) - 2) == str(sheets) and pdf.top_right_number(len(pdf) - 1) is None


def test_in_two_sided_mode_subjects_start_on_fronts_and_only_fronts_are_numbered(grade5):
    snap, doc, pdf = grade5
    for index in range(len(pdf)):
        number = pdf.top_right_number(index)
        if index % 2 == 0:
            assert number == str(index // 2 + 1), index
        else:
            assert number is None, index
    for subject in snap.subjects:
        title = subject.name + (f" ({subject.group.name})" if subject.group else "")
        assert section_pages(doc, title)[0] % 2 == 0
        assert pdf.texts[section_pages(doc, title)[0]].startswith(str(section_pages(doc, title)[0] // 2 + 1))


def test_blank_backs_say_so(grade5):
    _, _, pdf = grade5
    blank = [t for t in pdf.texts if "Оборот листа не заполняется" in t]
    assert blank and all(len(t.split()) < 40 for t in blank)


def test_the_teachers_line_is_on_every_page_of_their_subject(grade5):
    snap, doc, pdf = grade5
    for subject in snap.subjects:
        title = subject.name + (f" ({subject.group.name})" if subject.group else "")
        for page in section_pages(doc, title):
            assert f"Учитель: {subject.teacher.full_name} Подпись" in pdf.texts[page], (title, page)


def test_students_who_left_or_arrived_are_marked(renderer, tmp_path_factory):
    snap = parse_snapshot(as_bytes(snapshot()))
    doc, pdf = render(renderer, snap, tmp_path_factory)
    text = " ".join(pdf.texts)
    assert "Григорьева Анна (выб. 04.12)" in text and "Васильев Олег (приб. 16.11)" in text
    words = pdf.words[section_pages(doc, "Список класса")[0]]
    name = next(w for w in words if w.text == "Григорьева")
    row = " ".join(w.text for w in sorted(words, key=lambda w: w.x0) if abs(w.cy - name.cy) < 3)
    assert row == "4 Григорьева Анна Сергеевна 05.12.2014 04.12.2026"


def test_grade_1_has_no_mark_grid_but_lists_absences(renderer, demo_snapshots, tmp_path_factory):
    snap = demo_snapshots[("1А", "Q2")]
    doc, pdf = render(renderer, snap, tmp_path_factory)
    text = " ".join(pdf.texts)
    assert not re.search(r"Фамилия, имя(?!,)", " ".join(pdf.texts[:-4]))  # no grid before the period summary
    assert "Отсутствовали" in text and "Обучение без отметок" in text
    absent = next(a for s in snap.subjects for lesson in s.lessons for a in lesson.absences)
    assert f"({absent.code})" in text


def test_one_sided_mode_numbers_every_page(renderer, tmp_path_factory):
    snap = parse_snapshot(as_bytes(snapshot()))
    doc, pdf = render(renderer, snap, tmp_path_factory, RenderOptions(duplex=False))
    assert [pdf.top_right_number(i) for i in range(len(pdf))] == [str(i + 1) for i in range(len(pdf))]
    assert doc.sheets == len(pdf) and "Оборот листа" not in " ".join(pdf.texts)


@pytest.mark.parametrize("duplex", [True, False])
def test_the_print_stylesheet_numbers_sheets_as_the_domain_rule_does(renderer, tmp_path_factory, duplex):
    """pages.css cannot import Python: the numbers it prints must be those of `domain.sheets`."""
    snap = parse_snapshot(as_bytes(snapshot()))
    doc, pdf = render(renderer, snap, tmp_path_factory, RenderOptions(duplex=duplex))
    printed = [pdf.top_right_number(i) for i in range(len(pdf))]
    assert printed == [str(sheet_of_page(i, duplex=duplex)) if is_front(i, duplex=duplex) else None
                       for i in range(len(pdf))]
    assert certification_page(len(pdf), duplex=duplex) == len(pdf) - 1  # the last page: a back when two-sided
    assert printed[len(pdf) - 2 if duplex else len(pdf) - 1] == str(doc.sheets)
    assert doc.sheets == sheet_of_page(len(pdf) - 1, duplex=duplex)


def test_rendering_is_byte_identical(renderer):
    snap = parse_snapshot(as_bytes(snapshot()))
    canonical = canonical_bytes(snap)
    first = renderer.class_journal(snap, canonical, content_hash(canonical)).pdf
    again = DocumentRenderer(PROJECT_ROOT / "templates").class_journal(snap, canonical, content_hash(canonical)).pdf
    assert first == again


def test_pdfa_identification_metadata_and_embedded_fonts(grade5):
    snap, doc, pdf = grade5
    meta = subprocess.run(["pdfinfo", "-meta", str(pdf.path)], capture_output=True, text=True, check=True).stdout
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    info = subprocess.run(["pdfinfo", str(pdf.path)], capture_output=True, text=True, check=True).stdout
    assert f"snapshot-sha256={content_hash(canonical_bytes(snap))}" in info
    assert "template=journal-copy/1.2" in info
    fonts = subprocess.run(["pdffonts", str(pdf.path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts
    assert all("+PT-" in row.split()[0] for row in rows), "only the fonts shipped with the project"
    check = subprocess.run(["qpdf", "--check", str(pdf.path)], capture_output=True, text=True)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr


def test_the_source_snapshot_is_embedded(grade5, tmp_path):
    snap, _, pdf = grade5
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(pdf.path)], check=True)
    assert (tmp_path / "snapshot.json").read_bytes() == canonical_bytes(snap)


def test_every_sheet_front_carries_its_qr_code(grade5):
    _, doc, pdf = grade5
    raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf.path), "-"],
                         capture_output=True, check=True).stdout
    for sheet in (1, 2, doc.sheets):
        ops = qr_stream(f"http://127.0.0.1:5000/check/{doc.document_id}/{sheet}", 0, 0)
        first_square = ops.split(b"\n")[1].split(b" ", 2)[2]  # position-independent part of a module row
        assert first_square in raw
    assert raw.count(b"0 0 0 rg") >= doc.sheets


def test_the_summary_sheet_shows_every_final_mark(renderer, demo_snapshots, tmp_path_factory):
    snap = demo_snapshots[("9А", "year")]
    doc, pdf = render(renderer, snap, tmp_path_factory, kind="summary_sheet")
    assert "Срок хранения: 25 лет" in pdf.texts[0]
    number = {s.id: i for i, s in enumerate(snap.students, start=1)}
    expected = {(number[pm.student_id], s.name, pm.period): str(pm.value)
                for s in snap.subjects for pm in s.period_marks}
    names = list(dict.fromkeys(s.name for s in snap.subjects))
    seen = {key: text for key, (text, _) in summary_marks(pdf, names).items()}
    assert seen == expected
