"""A lesson given by a substitute, read back from the class journal copy: «замена: …» on that
lesson, the substitute's signature line on the sheets of that subject, and nothing else changed."""

from __future__ import annotations

import pytest

from archive_service.config import PROJECT_ROOT
from archive_service.demo import generate
from archive_service.rendering import DocumentRenderer
from archive_service.schema import parse_snapshot
from builders import as_bytes, snapshot, subject
from test_documents_pdf import render, section_pages

SUBSTITUTE = {"id": "t9", "full_name": "Петрова Анна Сергеевна"}
SUBSTITUTE_LINE = "Замена: Петрова Анна Сергеевна Подпись"


@pytest.fixture(scope="module")
def renderer():
    return DocumentRenderer(PROJECT_ROOT / "templates")


def with_lesson_teachers(*pairs: tuple[int, dict]) -> dict:
    data = snapshot()
    for index, teacher in pairs:
        subject(data, "math")["lessons"][index]["teacher"] = teacher
    return data


@pytest.fixture(scope="module")
def plain(renderer, tmp_path_factory):
    return render(renderer, parse_snapshot(as_bytes(snapshot())), tmp_path_factory)


@pytest.fixture(scope="module")
def substituted(renderer, tmp_path_factory):
    """Lesson 3 of mathematics (16.11) given by a substitute; lesson 6 names the subject's own teacher."""
    own = {"id": "t1", "full_name": "Николаева Елена Павловна"}
    data = with_lesson_teachers((2, SUBSTITUTE), (5, own))
    return render(renderer, parse_snapshot(as_bytes(data)), tmp_path_factory)


def test_the_substituted_lesson_says_who_gave_it_and_no_other_lesson_does(substituted):
    doc, pdf = substituted
    pages = [i for i, text in enumerate(pdf.texts) if "замена:" in text]
    assert len(pages) == 1 and pages[0] in section_pages(doc, "Математика")
    words = pdf.words[pages[0]]
    note = [w for w in words if w.text == "замена:"]
    assert len(note) == 1 and "замена: Петрова А. С." in pdf.texts[pages[0]]
    row = next(w for w in words if w.text == "16.11" and abs(w.y0 - note[0].y0) < 14 and w.y0 < note[0].y0)
    topic = next(w for w in words if w.text == "3" and abs(w.y0 - row.y0) < 1 and w.x0 > row.x1 + 20)
    assert note[0].x0 == pytest.approx(next(w for w in words if w.text == "Тема" and w.y0 == topic.y0).x0, abs=1)


def test_every_sheet_of_that_subject_and_only_those_carry_one_signature_line_of_the_substitute(substituted, plain):
    doc, pdf = substituted
    math = section_pages(doc, "Математика")
    for page, text in enumerate(pdf.texts):
        if page in math:
            assert text.count(SUBSTITUTE_LINE) == 1, page
            assert text.count("Учитель: Николаева Елена Павловна Подпись") == 1, page
        else:
            assert "Замена:" not in text and "Петрова" not in text, page
    signatures = [text.count(" Подпись ") for text in pdf.texts]
    assert signatures == [n + (i in math) for i, n in enumerate(t.count(" Подпись ") for t in plain[1].texts)]


def test_the_substitutes_line_stays_10_mm_from_the_paper_edge(substituted):
    doc, pdf = substituted
    page = section_pages(doc, "Математика")[0]
    line = [w for w in pdf.words[page] if w.text == "Замена:"]
    assert len(line) == 1 and 842 - line[0].y1 >= 10 * 72 / 25.4


def test_a_copy_without_substitutes_is_laid_out_as_before(plain, substituted, renderer, tmp_path_factory):
    """The same pages and the same text, bar the document's own identifiers; a lesson naming the
    subject's own teacher changes nothing on paper."""
    doc, pdf = plain
    own = with_lesson_teachers(*((i, {"id": "t1", "full_name": "Николаева Елена Павловна"}) for i in range(8)))
    own_doc, own_pdf = render(renderer, parse_snapshot(as_bytes(own)), tmp_path_factory)
    assert len(pdf) == len(own_pdf) == len(substituted[1]) == 12 and doc.sheets == own_doc.sheets == 6
    assert doc.contents == own_doc.contents == substituted[0].contents

    def title_words(d, pages):  # the identifiers differ, and with their widths the order words are read in
        return sorted(w.text for w in pages.words[0] if w.text not in (d.document_id, d.snapshot_hash))

    assert pdf.texts[1:] == own_pdf.texts[1:]
    assert title_words(doc, pdf) == title_words(own_doc, own_pdf)
    assert not any("замена" in t.casefold() for t in pdf.texts)


def test_the_demo_school_has_a_few_substitutions_one_in_the_class_the_tour_prints():
    found: dict[tuple[str, str], set[str]] = {}
    for data in generate(periods=["Q2"]):
        for subj in data["subjects"]:
            subs = {lesson["teacher"]["id"] for lesson in subj["lessons"] if "teacher" in lesson}
            assert subj["teacher"]["id"] not in subs
            assert len(subs) <= 1  # one substitute per subject and period: the footer holds them
            if subs:
                found[(data["class"]["name"], subj["name"])] = subs
    assert any(name == "5А" for name, _ in found) and 3 <= len(found) <= 40


def test_more_substitutes_than_the_footer_holds_sign_after_the_subjects_last_lessons(renderer, tmp_path_factory):
    names = ["Петрова Анна Сергеевна", "Иванов Пётр Петрович", "Сидорова Мария Ивановна"]
    data = with_lesson_teachers(*((i, {"id": f"t{9 + k}", "full_name": names[k]}) for k, i in enumerate((1, 3, 6))))
    for k, i in enumerate((0, 2)):  # two in music: the footer holds them
        subject(data, "music")["lessons"][i]["teacher"] = {"id": f"t{9 + k}", "full_name": names[k]}
    doc, pdf = render(renderer, parse_snapshot(as_bytes(data)), tmp_path_factory)
    bottom_margin = 842 - 23 * 72 / 25.4
    math, music = section_pages(doc, "Математика"), section_pages(doc, "Музыка")
    for page in math:
        lines = [w for w in pdf.words[page] if w.text == "Замена:"]
        assert all(w.y1 < bottom_margin for w in lines), "in the body, not the footer"
    block = [i for i, t in enumerate(pdf.texts) if "Уроки по замене провели:" in t]
    assert len(block) == 1 and block[0] in math
    for name in names:
        assert sum(t.count(f"Замена: {name} Подпись") for i, t in enumerate(pdf.texts) if i in math) == 1
    for page in music:
        footer = [w for w in pdf.words[page] if w.text == "Замена:"]
        assert len(footer) == 2 and all(w.y0 > bottom_margin for w in footer), page
        assert 842 - max(w.y1 for w in footer) >= 10 * 72 / 25.4
