"""The subject pages of a class journal copy read back from the PDF: readable grids (type size,
padding, nothing across a cell border, a late mark never beside a digit), the signs and words the
grid and the topics print, and the grid and topics of the same lessons facing each other."""

from __future__ import annotations

import re
import pytest

from archive_service.config import PROJECT_ROOT
from archive_service.demo import generate
from archive_service.rendering import DocumentRenderer, RenderOptions
from archive_service.rendering.grid import NAMES_WIDTH
from archive_service.rendering.model import journal_model
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
from builders import STUDENTS, as_bytes, snapshot, subject
from pdf_reading import PdfPages, text_sizes

MM = 72 / 25.4
MONTHS = {"сент.", "окт.", "нояб.", "дек.", "янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг."}


@pytest.fixture(scope="module")
def renderer():
    return DocumentRenderer(PROJECT_ROOT / "templates")


def render(renderer, data_or_snap, tmp_path_factory, duplex=True):
    snap = data_or_snap if not isinstance(data_or_snap, dict) else parse_snapshot(as_bytes(data_or_snap))
    canonical = canonical_bytes(snap)
    doc = renderer.class_journal(snap, canonical, content_hash(canonical), RenderOptions(duplex=duplex))
    path = tmp_path_factory.mktemp("pdf") / f"{doc.document_id}.pdf"
    path.write_bytes(doc.pdf)
    return snap, doc, PdfPages(path)


def marked_snapshot() -> dict:
    """The builder's class with what the grid must print carefully: late marks with and without a
    mark, an absence without a code, «незач», two marks at one lesson, «н/а», empty homework."""
    data = snapshot()
    math = subject(data, "math")
    math["lessons"][0]["absences"].append({"student_id": "s1", "code": "О"})  # s1 has a 5 there
    math["lessons"][1]["absences"].append({"student_id": "s2", "code": "О"})  # s2 has a 4 there
    math["lessons"][6]["absences"].append({"student_id": "s2", "code": None})
    math["lessons"][2]["homework"] = None
    math["lessons"][3]["homework"] = "  "
    music = subject(data, "music")
    music["lessons"][1]["marks"].append(dict(music["lessons"][1]["marks"][0], value=4))  # s1: 5/4
    music["lessons"][2]["absences"].append({"student_id": "s2", "code": "О"})  # late, mark 5 too
    music["period_marks"][2]["value"] = "н/а"
    english = subject(data, "eng-1")
    english["lessons"][0]["marks"][1]["value"] = "незач"
    return data


def crowded_snapshot() -> dict:
    """36 pupils and long topics: a part's grid and its topics no longer fit on one page."""
    data = snapshot()
    surnames = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов"]
    names = ["Иван", "Пётр", "Олег", "Илья", "Глеб", "Лев"]
    data["students"] = [dict(STUDENTS[0], id=f"p{k}", full_name=f"{s} {n} Ильич")
                        for k, (s, n) in enumerate((s, n) for s in surnames for n in names)]
    data["subjects"] = [subject(data, "math")]
    math = data["subjects"][0]
    days = [f"2026-{m}-{d:02d}" for m, d in [("11", d) for d in range(9, 28) if d not in (14, 15, 21, 22)]
            + [("12", d) for d in range(1, 19) if d not in (5, 6, 12, 13)]]
    math["lessons"] = [{"id": f"m-{k}", "date": day,
                        "topic": f"Тема {k}: решение текстовых задач на все арифметические действия, "
                                 "повторение и обобщение изученного в разделе",
                        "homework": f"п. {k}, № {100 + k}, {101 + k}, {102 + k}; повторить правила раздела",
                        "marks": [{"student_id": f"p{(k + j) % 36}", "value": 4, "work_type": "Ответ на уроке",
                                   "set_on": day} for j in range(0, 36, 5)],
                        "absences": []} for k, day in enumerate(days, start=1)]
    math["period_marks"] = [{"student_id": f"p{k}", "period": "Q2", "value": 4} for k in range(36)]
    return data


@pytest.fixture(scope="module")
def marked(renderer, tmp_path_factory):
    return render(renderer, marked_snapshot(), tmp_path_factory)


@pytest.fixture(scope="module")
def demo_5a(renderer, tmp_path_factory):
    data = next(d for d in generate(periods=["Q2"]) if d["class"]["name"] == "5А")
    return render(renderer, data, tmp_path_factory)


def grid_pages(snap, pdf, duplex=True):
    """(page index, GridPage, left edge of the grid in pt) of every subject grid in the PDF, the
    geometry from the document model the PDF was rendered from."""
    model_pages = [page for section in journal_model(snap).sections if section.sheets
                   for part in section.sheets.parts for page in part.grid_pages]
    pdf_pages = [i for i, text in enumerate(pdf.texts) if "Фамилия, имя " in text and "отчество" not in text
                 and "Итоги периода" not in text]
    assert len(pdf_pages) == len(model_pages)
    front_left, back_left = 30 * MM, 15 * MM
    return [(i, page, front_left if not duplex or i % 2 == 0 else back_left)
            for i, page in zip(pdf_pages, model_pages)]


def grid_words(pdf, index, page, left):
    """The words inside a grid's cell area, with the grid's column edges (pt) and header rows."""
    edges = [left + NAMES_WIDTH]
    for width in page.widths:
        edges.append(edges[-1] + width * page.style.advance)
    days = [w for w in pdf.words[index] if re.fullmatch(r"\d{2}", w.text) and w.x0 > edges[0]
            and w.y0 > 15 * MM]  # not the sheet number in the top margin
    day_row = min(days, key=lambda w: w.y0).cy
    row = page.style.row_height
    top, bottom = day_row - 1.5 * row, day_row + (0.5 + page.rows) * row
    words = [w for w in pdf.words[index] if w.x0 >= edges[0] - 1 and top < w.cy < bottom]
    return words, edges, day_row


@pytest.mark.parametrize("case", ["marked", "demo_5a"])
def test_no_text_of_a_grid_crosses_a_cell_border_and_every_cell_keeps_a_characters_padding(case, request):
    snap, _, pdf = request.getfixturevalue(case)
    checked = 0
    for index, page, left in grid_pages(snap, pdf):
        words, edges, day_row = grid_words(pdf, index, page, left)
        pad = 0.95 * page.style.advance
        for w in words:
            if w.cy < day_row - page.style.row_height / 2:  # a month: within the cells of its days
                assert any(left + NAMES_WIDTH + lb.left < w.x0 and w.x1 < left + NAMES_WIDTH + lb.left + lb.width
                           and lb.text == w.text for lb in page.top_labels), (index, w)
                continue
            k = max(i for i, x in enumerate(edges[:-1]) if x <= w.cx)
            assert edges[k] + pad <= w.x0 and w.x1 <= edges[k + 1] - pad, (index, w, edges[k], edges[k + 1])
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("case", ["marked", "demo_5a"])
def test_a_late_mark_never_stands_beside_a_digit_without_a_separator(case, request):
    snap, _, pdf = request.getfixturevalue(case)
    texts = [w.text for index, page, left in grid_pages(snap, pdf) for w in grid_words(pdf, index, page, left)[0]]
    assert texts
    assert not [t for t in texts if re.search(r"[ОоO][0-9]|[0-9][ОоO]", t)]
    late = [t for t in texts if t.startswith("о")]
    assert late and all(re.fullmatch(r"о(·[1-5](/[1-5])*)?", t) for t in late), late


def test_late_marks_and_uncoded_absences_print_as_the_legend_explains(marked):
    snap, _, pdf = marked
    texts = [w.text for index, page, left in grid_pages(snap, pdf) for w in grid_words(pdf, index, page, left)[0]]
    assert texts.count("о·5") == 2 and texts.count("п") == 1  # s1's math 5 and s2's music 5; s2's uncoded day
    assert "о·4" in texts and "5/4" in texts and "незач" in texts and "н/а" in texts
    assert "?" not in "".join(texts) and "О" not in "".join(texts)
    legend = " ".join(pdf.texts)
    assert "п — отсутствовал(а), причина в журнале не указана" in legend
    assert "о·5 — опоздал(а), отметка 5" in legend


def test_marks_are_printed_at_9_pt_or_more(marked, demo_5a):
    for snap, _, pdf in (marked, demo_5a):
        for index, _, _ in grid_pages(snap, pdf):
            mono = [size for font, text, size in text_sizes(pdf.path, index) if "PT-Mono" in font]
            assert mono and min(mono) >= 9 and max(mono) <= 10, (index, sorted(set(mono)))


def test_months_head_the_grid_with_the_russian_abbreviations(marked, demo_5a):
    for snap, _, pdf in (marked, demo_5a):
        seen = set()
        for index, page, left in grid_pages(snap, pdf):
            words, _, day_row = grid_words(pdf, index, page, left)
            months = [w.text for w in words if w.cy < day_row - page.style.row_height / 2]
            assert months and set(months) <= MONTHS, months
            seen |= set(months)
        assert {"нояб.", "дек."} <= seen
    assert not re.search(r"\b(ноя|дек|сен|фев)\b(?!\.)", " ".join(demo_5a[2].texts))


def test_an_empty_homework_prints_без_задания(marked):
    snap, doc, pdf = marked
    text = " ".join(pdf.texts)
    assert "3 16.11 Тема урока 3 Без задания" in text and "4 17.11 Тема урока 4 Без задания" in text
    assert parse_snapshot(canonical_bytes(snap)).subjects[0].lessons[2].homework is None  # the snapshot keeps it empty


def test_under_each_subject_the_lessons_planned_stand_beside_those_given(marked):
    _, _, pdf = marked
    text = " ".join(pdf.texts).replace("\u00a0", " ")
    # 05.11–25.12.2026 has 37 weekdays: 7,4 school weeks
    assert "Проведено уроков: 8; по учебному плану: 5 ч в неделю, 37 уроков за период" in text
    assert "Проведено уроков: 4; по учебному плану: 1 ч в неделю, 7 уроков за период" in text
    assert "Проведено уроков: 5; по учебному плану: 3 ч в неделю, 22 урока за период" in text


def test_grade_1_lists_late_pupils_apart_from_the_absent(renderer, tmp_path_factory):
    data = snapshot()
    data["class"] = {**data["class"], "name": "1А", "grade": 1}
    for s in data["subjects"]:
        s["period_marks"] = []
        for lesson in s["lessons"]:
            lesson["marks"] = []
    subject(data, "music")["lessons"][0]["absences"] = [
        {"student_id": "s1", "code": "Б"}, {"student_id": "s2", "code": "О"}, {"student_id": "s4", "code": None}]
    _, _, pdf = render(renderer, data, tmp_path_factory)
    page = next(words for words, text in zip(pdf.words, pdf.texts) if "Музыка: темы уроков" in text)
    head = {w.text: w for w in page if w.text in ("Отсутствовали", "Опоздали")}
    assert set(head) == {"Отсутствовали", "Опоздали"}
    row = next(w for w in page if w.text == "11.11")
    in_row = sorted((w for w in page if abs(w.cy - row.cy) < 12 and w.y0 >= row.y0 - 1),
                    key=lambda w: (round(w.cy), w.x0))
    absent = " ".join(w.text for w in in_row if head["Отсутствовали"].x0 - 1 <= w.x0 < head["Опоздали"].x0 - 1)
    late = " ".join(w.text for w in in_row if w.x0 >= head["Опоздали"].x0 - 1)
    assert absent.replace("\u00a0", " ") == "Алексеев И. П. (Б), Григорьева А. С. (п)"
    assert late.replace("\u00a0", " ") == "Борисова М. А."


def _dates_on(pdf, index) -> list[str]:
    return [w.text for w in pdf.words[index] if re.fullmatch(r"\d{2}\.\d{2}", w.text) and w.x0 < 160]


def _grid_days(pdf, index, page, left) -> list[str]:
    words, edges, day_row = grid_words(pdf, index, page, left)
    return [w.text for w in sorted(words, key=lambda w: w.x0) if abs(w.cy - day_row) < 2 and w.text.isdigit()]


def test_a_part_that_fits_has_its_grid_and_the_topics_of_its_lessons_on_one_page(marked):
    snap, _, pdf = marked
    for index, page, left in grid_pages(snap, pdf):
        days = [d[:2] for d in _dates_on(pdf, index)]
        assert days and days == _grid_days(pdf, index, page, left), index


@pytest.mark.parametrize("duplex", [True, False])
def test_a_grid_that_does_not_fit_with_its_topics_faces_them_on_the_next_page(renderer, tmp_path_factory, duplex):
    snap, doc, pdf = render(renderer, crowded_snapshot(), tmp_path_factory, duplex=duplex)
    pages = grid_pages(snap, pdf, duplex=duplex)
    assert len(pages) >= 3
    sheet = int(dict(doc.contents)["Математика (Николаева Е. П.)"].split("–")[0])
    opening = 2 * (sheet - 1) if duplex else sheet - 1
    if duplex:  # the opening front: the heading and the lessons, the first grid on its back
        assert "Проведено уроков: 29" in pdf.texts[opening] and "Фамилия, имя" not in pdf.texts[opening]
        assert pages[0][0] == opening + 1
    else:
        assert pages[0][0] == opening
    for index, page, left in pages:
        if duplex:
            assert index % 2 == 1, "a grid is on the back of a sheet: the left page of a spread"
        assert "Фамилия, имя" not in pdf.texts[index + 1]
        assert [d[:2] for d in _dates_on(pdf, index + 1)] == _grid_days(pdf, index, page, left)
        assert not _dates_on(pdf, index)  # the topics are not on the grid's page
    covered = [d for index, _, _ in pages for d in _dates_on(pdf, index + 1)]
    assert covered == [lesson.date.strftime("%d.%m") for lesson in snap.subjects[0].lessons]


def test_every_subject_still_starts_on_a_sheet_front_and_is_listed_with_its_sheets(marked):
    snap, doc, pdf = marked
    for title, sheets in doc.contents[2:-2]:
        first = int(sheets.split("–")[0])
        assert pdf.top_right_number(2 * (first - 1)) == str(first)
        assert title.split(" (")[0] in pdf.texts[2 * (first - 1)]



def test_no_row_of_a_topics_list_is_split_across_pages(renderer, tmp_path_factory):
    """The demo's 1А: a lesson's list of absent pupils runs to several lines; a row that does not fit
    goes whole to the next page, so under a repeated header the first word is a lesson's number."""
    data = next(d for d in generate(periods=["Q2"]) if d["class"]["name"] == "1А")
    _, _, pdf = render(renderer, data, tmp_path_factory)
    continued = 0
    for words in pdf.words:
        head = next((w for w in words if w.text == "Тема"), None)
        date = next((w for w in words if w.text == "Дата" and head and abs(w.cy - head.cy) < 2), None)
        if head is None or date is None:
            continue
        below = sorted((w for w in words if w.y0 > head.y1 + 1), key=lambda w: (round(w.y0), w.x0))
        first = below[0]
        assert first.x1 <= date.x0 + 1 and first.text.isdigit(), f"a row begins with «{first.text}»"
        continued += not any(w.text.startswith("задания") for w in words if w.y1 < head.y0)
    assert continued >= 1, "the demo's 1А has a topics list that continues on another page"
