"""The summaries on paper, read back from the PDF: the summary sheet kept 25 years and the period
summary closing a journal copy — full subject names, Russian column labels, lessons missed that add
up, and the pedagogical council's decision for every student."""

from __future__ import annotations

import copy
import html
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from archive_service.config import PROJECT_ROOT
from archive_service.demo import generate
from archive_service.rendering import DocumentRenderer
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
from builders import as_bytes, snapshot
from pdf_reading import PdfPages, Word, read_grid, summary_marks

LATIN_PERIOD = re.compile(r"(?<![\w-])(Q[1-4]|H[12]|T[1-3]|year|exam|final)(?![\w-])")
MISSED_HEAD = r"^(все|Н|Б|У|п|О)$"
MISSING = "решение педагогического совета не передано журналом"
WORDS = {"promoted": ("переведён", "переведена"), "promoted_conditionally": ("переведён", "переведена"),
         "retained": ("оставлен", "оставлена"), "graduated": ("выпущен", "выпущена")}
YEAR = {"kind": "year", "number": 1, "start": "2026-09-01", "end": "2027-05-26"}
YEAR_SOURCE = {"system": "Сетевой город. Образование", "exported_at": "2027-06-30T18:30:00+07:00"}


@pytest.fixture(scope="module")
def renderer():
    return DocumentRenderer(PROJECT_ROOT / "templates")


@pytest.fixture(scope="module")
def demo():
    """class name, period code → the demo's snapshot as a dict."""
    out = {}
    for data in generate(periods=["Q2", "year"]):
        code = "year" if data["period"]["kind"] == "year" else "Q2"
        out[(data["class"]["name"], code)] = data
    return out


def render(renderer, data: dict, tmp_path_factory, kind: str):
    snap = parse_snapshot(as_bytes(data))
    canonical = canonical_bytes(snap)
    method = renderer.summary_sheet if kind == "summary_sheet" else renderer.class_journal
    doc = method(snap, canonical, content_hash(canonical))
    path = tmp_path_factory.mktemp("pdf") / f"{doc.document_id}.pdf"
    path.write_bytes(doc.pdf)
    return snap, doc, PdfPages(path)


@pytest.fixture(scope="module")
def sheets(renderer, demo, tmp_path_factory):
    """The demo's summary sheets of 1А, 9А, 11Б and of the class with a conditional promotion."""
    conditional = next(name for (name, code), data in demo.items() if code == "year" and any(
        p["decision"] == "promoted_conditionally" for p in data.get("promotion", [])))
    names = ["1А", "9А", "11Б", conditional]
    return {name: render(renderer, demo[(name, "year")], tmp_path_factory, "summary_sheet") for name in names}


@pytest.fixture(scope="module")
def journal_5a(renderer, demo, tmp_path_factory):
    return render(renderer, demo[("5А", "Q2")], tmp_path_factory, "class_journal")


def section_pages(doc, title_prefix: str) -> list[int]:
    """Page indexes of a section (two-sided), from the contents."""
    sheets = next(s for t, s in doc.contents if t.startswith(title_prefix))
    first, _, last = sheets.partition("–")
    return list(range(2 * (int(first) - 1), 2 * int(last or first)))


def rows_of(words: list[Word]) -> dict[int, list[Word]]:
    """student number → the words of that student's line (a grid row «12. Петров Иван …»)."""
    numbers = {int(w.text[:-1]): w for w in words if re.fullmatch(r"\d+\.", w.text) and w.x0 < 140}
    return {n: sorted((w for w in words if abs(w.cy - head.cy) < 2 and w.x0 >= head.x0), key=lambda w: w.x0)
            for n, head in numbers.items()}


def missed_expected(snap) -> dict[tuple[int, str], str]:
    """(student number, column) → the count the snapshot gives: «все» = Н + Б + У + п, «О» apart."""
    number = {s.id: i for i, s in enumerate(snap.students, start=1)}
    counts: dict[int, Counter] = {n: Counter() for n in number.values()}
    for subject in snap.subjects:
        for lesson in subject.lessons:
            for a in lesson.absences:
                counts[number[a.student_id]][a.code or "п"] += 1
    out = {}
    for n, c in counts.items():
        c["все"] = c["Н"] + c["Б"] + c["У"] + c["п"]
        out |= {(n, k): str(v) for k, v in c.items() if v}
    return out


def missed_heads(words: list[Word]) -> list[Word]:
    """The labels «все Н Б У п О» on the line just above the first student's row."""
    numbers = [w for w in words if re.fullmatch(r"\d+\.", w.text) and w.x0 < 140]
    if not numbers:
        return []
    first_row = min(w.y0 for w in numbers)
    return sorted((w for w in words if re.fullmatch(MISSED_HEAD, w.text) and first_row - 14 < w.cy < first_row),
                  key=lambda w: w.cx)


def missed_read(pdf: PdfPages, pages: list[int]) -> dict[tuple[int, str], str]:
    """(student number, column) → the count printed in the columns of lessons missed."""
    seen = {}
    for page in pages:
        words = pdf.words[page]
        heads = missed_heads(words)
        if not heads:
            continue
        left, right = heads[0].x0 - 8, heads[-1].x1 + 8
        cells = [w for w in words if (re.fullmatch(r"\d+\.", w.text) and w.x0 < 140)
                 or (left < w.x0 and w.x1 < right and (w.text.isdigit() or w in heads))]
        for (row, col), text in read_grid(cells, MISSED_HEAD).items():
            seen[(row, heads[col].text)] = text
    return seen


def test_no_latin_period_code_on_any_page_of_a_summary_sheet_or_of_a_journal_copys_summary(sheets, journal_5a):
    for name, (_, _, pdf) in sheets.items():
        for index, text in enumerate(pdf.texts):
            assert not LATIN_PERIOD.search(text), (name, index, LATIN_PERIOD.search(text)[0])
    _, doc, pdf = journal_5a
    for page in section_pages(doc, "Итоги периода"):
        assert not LATIN_PERIOD.search(pdf.texts[page]), page
    assert "Столбцы: I — I четверть, II — II четверть, III — III четверть, IV — IV четверть, год — годовая, " \
           "экз — экзаменационная, итог — итоговая." in " ".join(sheets["9А"][2].texts)
    assert "1п — I полугодие, 2п — II полугодие" in " ".join(sheets["11Б"][2].texts)


@pytest.mark.parametrize("name", ["9А", "11Б"])
def test_every_subject_of_the_summary_sheet_is_named_in_full_over_its_columns(sheets, name):
    snap, _, pdf = sheets[name]
    subjects = list(dict.fromkeys(s.name for s in snap.subjects))
    marks = summary_marks(pdf, subjects)  # refuses a name that is not a whole subject name
    assert {subject for _, subject, _ in marks} == set(subjects)
    assert not any("…" in text for text in pdf.texts)
    number = {s.id: i for i, s in enumerate(snap.students, start=1)}
    assert {key: text for key, (text, _) in marks.items()} == {
        (number[pm.student_id], s.name, pm.period): str(pm.value) for s in snap.subjects for pm in s.period_marks}


_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)


def text_lines(path: Path, page: int) -> list[Word]:
    """The lines of text of one page, each as one box (poppler joins a turned line's words in reading order)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page + 1), "-l", str(page + 1), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [Word(" ".join(html.unescape(t) for t in re.findall(r">([^<]+)</word>", m[4])), *map(float, m[:4]))
            for m in _LINE.findall(out)]


def test_the_period_summary_heads_each_subject_with_its_full_name_turned_upwards_inside_its_column(journal_5a):
    snap, doc, pdf = journal_5a
    (page,) = [p for p in section_pages(doc, "Итоги периода") if "Фамилия" in pdf.texts[p]]
    words = pdf.words[page]
    heads = missed_heads(words)
    cell = heads[-1].cx - heads[-2].cx
    subjects = list(dict.fromkeys(s.name for s in snap.subjects))
    cells_left = heads[0].cx - cell / 2 - len(subjects) * cell
    first_row = min(w.y0 for w in words if re.fullmatch(r"\d+\.", w.text) and w.x0 < 140)
    turned = [line for line in text_lines(pdf.path, page) if line.y1 - line.y0 > 1.5 * (line.x1 - line.x0)
              and line.y1 < first_row and line.x0 > cells_left - 1 and len(line.text) > 1]
    columns: dict[int, list[Word]] = {}
    for line in turned:
        column = int((line.cx - cells_left) // cell)
        assert int((line.x0 - cells_left + 0.3) // cell) == int((line.x1 - cells_left - 0.3) // cell) == column, \
            f"«{line.text}» crosses its column's border"
        columns.setdefault(column, []).append(line)
    names = [re.sub(r"(\w-) (?=\w)", r"\1", " ".join(w.text for w in sorted(columns[c], key=lambda w: w.x0)))
             for c in sorted(columns)]
    assert names == subjects + ["Опоздания"]
    assert sorted(columns) == list(range(len(subjects))) + [len(subjects) + 5]


def test_the_period_summary_counts_every_absence_code_and_the_legend_adds_up(journal_5a):
    snap, doc, pdf = journal_5a
    pages = section_pages(doc, "Итоги периода")
    assert missed_read(pdf, pages) == missed_expected(snap)
    text = " ".join(pdf.texts[p] for p in pages)
    assert "все = Н + Б + У + п" in text and "О — опоздания (в «все» не входят)" in text


def with_uncoded_absences(data: dict) -> dict:
    data = copy.deepcopy(data)
    music = next(s for s in data["subjects"] if s["id"] == "music")
    music["lessons"][0]["absences"] = [{"student_id": "s1", "code": None}, {"student_id": "s2", "code": "Н"}]
    return data


def test_an_absence_without_a_code_is_counted_as_p_in_all(renderer, tmp_path_factory):
    snap, doc, pdf = render(renderer, with_uncoded_absences(snapshot()), tmp_path_factory, "class_journal")
    seen = missed_read(pdf, section_pages(doc, "Итоги периода"))
    assert seen == missed_expected(snap)
    assert (seen[(1, "п")], seen[(1, "Б")], seen[(1, "все")]) == ("1", "1", "2")
    assert (seen[(2, "Н")], seen[(2, "О")], seen[(2, "все")]) == ("1", "1", "1")


def expected_decision(snap, student) -> str:
    item = next((p for p in snap.promotion or [] if p.student_id == student.id), None)
    if item is None:
        return MISSING
    male, female = WORDS[item.decision]
    words = female if student.full_name.split()[-1].endswith("на") else male
    grade = snap.class_.grade
    if item.decision.startswith("promoted"):
        words += f" {'во' if grade == 1 else 'в'} {grade + 1} класс" + (
            " условно" if item.decision == "promoted_conditionally" else "")
    elif item.decision == "retained":
        words += " на повторное обучение"
    return f"{words} № {item.protocol_number} от {item.protocol_date:%d.%m.%Y}"


def decisions_read(doc, pdf) -> dict[int, str]:
    """student number → the words of their row right of the names and the cells, from the decisions part."""
    out = {}
    for page in section_pages(doc, "Пропуски уроков и решения"):
        words = pdf.words[page]
        if not any(w.text == "Протокол" for w in words):
            continue
        names_head = next(w for w in words if w.text == "Фамилия,")
        cells_right = max([names_head.x0 - 2 + 132, *(w.x1 + 4 for w in missed_heads(words))])
        protocol = min((w.x0 for w in words if w.text == "№"), default=10_000)
        for number, line in rows_of(words).items():
            texts = [w for w in line if w.x0 > cells_right]
            assert all(w.x1 < protocol - 1 for w in texts if w.x0 < protocol), "the decision runs into the protocol"
            out[number] = " ".join(w.text for w in texts)
    return out


def test_the_councils_decision_is_printed_for_every_student(sheets):
    for name, (snap, doc, pdf) in sheets.items():
        shown = decisions_read(doc, pdf)
        assert shown == {i: expected_decision(snap, s) for i, s in enumerate(snap.students, start=1)}, name
    texts = {name: " ".join(pdf.texts) for name, (_, _, pdf) in sheets.items()}
    assert "условно" in " ".join(texts.values()) and "выпущен" in texts["9А"] and "выпущен" in texts["11Б"]


def test_a_year_snapshot_without_decisions_says_so_for_every_student(renderer, tmp_path_factory):
    data = snapshot(period=YEAR, source=YEAR_SOURCE)
    for subj in data["subjects"]:
        subj["period_marks"] = [{**m, "period": "year"} for m in subj["period_marks"]]
    snap, doc, pdf = render(renderer, with_uncoded_absences(data), tmp_path_factory, "summary_sheet")
    assert decisions_read(doc, pdf) == {i: MISSING for i in range(1, len(snap.students) + 1)}
    # one column per subject: the names are turned, and read back whole
    number = {s.id: i for i, s in enumerate(snap.students, start=1)}
    assert {key: text for key, (text, _) in summary_marks(pdf, [s.name for s in snap.subjects]).items()} == {
        (number[pm.student_id], s.name, "year"): str(pm.value) for s in snap.subjects for pm in s.period_marks}
    # this year snapshot holds its lessons: the year's lessons missed are counted on the sheet
    assert missed_read(pdf, section_pages(doc, "Пропуски уроков и решения")) == missed_expected(snap)


def test_the_grade_1_summary_sheet_shows_attendance_and_promotion(sheets, demo, renderer, tmp_path_factory):
    snap, doc, pdf = sheets["1А"]
    text = " ".join(pdf.texts[p] for p in section_pages(doc, "Пропуски уроков и решения"))
    assert "Пропуски уроков за год снимок учебного года не содержит" in text, "the demo's year has no lessons"
    assert "итогах периода копий классного журнала 1А класса" in text
    assert "Обучение без отметок (1 класс)" in text
    with_lessons = copy.deepcopy(demo[("1А", "Q2")])
    with_lessons.update(period=YEAR, source=YEAR_SOURCE, promotion=demo[("1А", "year")]["promotion"])
    with_lessons["students"] = [s for s in with_lessons["students"]
                                if s["id"] in {p["student_id"] for p in with_lessons["promotion"]}]
    ids = {s["id"] for s in with_lessons["students"]}
    for subj in with_lessons["subjects"]:
        for lesson in subj["lessons"]:
            lesson["absences"] = [a for a in lesson["absences"] if a["student_id"] in ids]
    snap, doc, pdf = render(renderer, with_lessons, tmp_path_factory, "summary_sheet")
    seen = missed_read(pdf, section_pages(doc, "Пропуски уроков и решения"))
    assert seen and seen == missed_expected(snap)
    assert decisions_read(doc, pdf) == {i: expected_decision(snap, s) for i, s in enumerate(snap.students, start=1)}
