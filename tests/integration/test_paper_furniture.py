"""Page furniture read back from the PDFs as a printer, a binder and an inspector meet it: where
the QR code, the sheet number, the hand-written dates and the certification note stand."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from num2words import num2words
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from archive_service.config import PROJECT_ROOT
from archive_service.demo import generate
from archive_service.domain.actor import TERMINAL_PREFIX, Actor
from archive_service.rendering import DocumentRenderer, RenderOptions, document_id
from archive_service.rendering.certificate import CertificateFacts, YearRecord, certificate_pdf
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
from archive_service.services import accounts, documents
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot, subject
from conftest import NOW
from pdf_reading import PdfPages, Word
from test_documents_pdf import render

MM = 72 / 25.4
EDGE = 10 * MM  # nothing printed nearer the paper's edge: many printers cannot print there
QUIET = 1.5 * MM  # the white border a QR code needs to be read
BINDING = 30 * MM
HEX_ID = re.compile(r"^[0-9a-f]{12,}[.;,)]*$")


@pytest.fixture(scope="module")
def renderer():
    return DocumentRenderer(PROJECT_ROOT / "templates")


@pytest.fixture(scope="module")
def demo():
    wanted, found = {("5А", "quarter"), ("9А", "year")}, {}
    for data in generate(periods=["Q2", "year"]):
        key = (data["class"]["name"], data["period"]["kind"])
        if key in wanted:
            found[key] = parse_snapshot(as_bytes(data))
        if len(found) == len(wanted):
            return found
    raise AssertionError(f"the demo has no {wanted - set(found)}")


OLD_TERMINAL = Actor(f"{TERMINAL_PREFIX}root", "deputy", "cli@archive-01")
"""The terminal as records made before the command line acted by name show it: no name for paper."""
KINDS = [("journal", True), ("summary", True), ("journal", False), ("summary", False)]


@pytest.fixture(scope="module")
def rendered(renderer, demo, tmp_path_factory):
    """The demo's 5А copy (its body ends on a front) and 9А summary sheet,
    two-sided and one-sided, with a deputy named."""
    out = {}
    for name, duplex in KINDS:
        snap = demo[("5А", "quarter")] if name == "journal" else demo[("9А", "year")]
        options = RenderOptions(duplex=duplex, deputy="Иванова Ирина Ивановна")
        out[(name, duplex)] = render(renderer, snap, tmp_path_factory, options,
                                     "class_journal" if name == "journal" else "summary_sheet")
    return out


def qr_boxes(pdf: bytes) -> dict[int, tuple[float, float, float, float]]:
    """page index → the QR code's box (x0, top, x1, bottom; pt from the top left, as word boxes),
    read from the content stream `rendering.pdf` appends to a page."""
    boxes = {}
    for index, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        contents = page["/Contents"]
        data = contents[-1].get_object().get_data() if isinstance(contents, ArrayObject) else b""
        if not data.endswith(b"f Q"):  # not a front: no stamp appended
            continue
        squares = [tuple(map(float, line.split()[:4])) for line in data.decode().splitlines()
                   if line.endswith(" re")]
        height = float(page.mediabox.height)
        x0, y0 = min(s[0] for s in squares), min(s[1] for s in squares)
        x1, y1 = max(s[0] + s[2] for s in squares), max(s[1] + s[3] for s in squares)
        boxes[index] = (x0, height - y1, x1, height - y0)
    return boxes


def page_size(pdf: bytes, index: int) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[index].mediabox
    return float(box.width), float(box.height)


def same_line(a: Word, b: Word) -> bool:
    return abs(a.cy - b.cy) < 2


@pytest.mark.parametrize("kind", KINDS, ids=[f"{n}-{'duplex' if d else 'simplex'}" for n, d in KINDS])
def test_qr_code_and_sheet_number_stand_10_mm_from_every_edge_on_every_front(rendered, kind):
    doc, pdf = rendered[kind]
    duplex = kind[1]
    boxes = qr_boxes(doc.pdf)
    fronts = [i for i in range(len(pdf)) if not duplex or i % 2 == 0]
    assert sorted(boxes) == fronts
    width, height = page_size(doc.pdf, 0)
    for index in fronts:
        x0, top, x1, bottom = boxes[index]
        assert 10 * MM < x1 - x0 < 12 * MM, "big enough to be read from paper"
        assert x0 >= EDGE and top >= EDGE and width - x1 >= EDGE and height - bottom >= EDGE, (index, boxes[index])
        assert x0 > width / 2, "in the outer corner, away from the binding"
        number = next(w for w in pdf.words[index] if w.text == pdf.top_right_number(index))
        assert number.y0 >= EDGE and width - number.x1 >= EDGE, (index, number)


@pytest.mark.parametrize("kind", KINDS, ids=[f"{n}-{'duplex' if d else 'simplex'}" for n, d in KINDS])
def test_no_qr_code_touches_a_word_not_even_the_running_signature_line(rendered, kind):
    doc, pdf = rendered[kind]
    for index, (x0, top, x1, bottom) in qr_boxes(doc.pdf).items():
        near = [w for w in pdf.words[index] if w.x1 > x0 - QUIET and w.x0 < x1 + QUIET
                and w.y1 > top - QUIET and w.y0 < bottom + QUIET]
        assert near == [], (index, near)


@pytest.mark.parametrize("kind", KINDS[:2], ids=["journal", "summary"])
def test_the_number_sign_never_ends_a_line_and_the_year_mark_never_starts_one(rendered, kind):
    """«№ 21» stays on one line; «г.» of a date line «20__ г.» keeps its line."""
    _, pdf = rendered[kind]
    assert "№ 21»" in pdf.texts[0], "the demo school's name is on the title"
    for index, words in enumerate(pdf.words):
        for k, word in enumerate(words):
            if word.text == "№":
                assert k + 1 < len(words) and same_line(word, words[k + 1]), (index, words[k + 1:k + 2])
            if word.text == "г.":
                before = [w for w in words if w is not word and same_line(w, word) and w.x1 <= word.x0]
                assert before and word.x0 - max(w.x1 for w in before) < 40, (index, "«г.» alone on its line")


def test_the_date_lines_of_the_title_sheet_are_whole(rendered):
    _, pdf = rendered[("journal", True)]
    words = pdf.words[0]
    years = [w for w in words if w.text == "г."]
    assert len(years) == 2, "the class teacher's and the deputy's date lines"
    for year in years:
        line = [w.text for w in sorted(words, key=lambda w: w.x0) if same_line(w, year)]
        assert line[-4:] == ["«", "»", "20", "г."], line


@pytest.mark.parametrize("kind", KINDS, ids=[f"{n}-{'duplex' if d else 'simplex'}" for n, d in KINDS])
def test_the_certification_note_is_on_the_last_page_by_the_binding_with_the_real_total(rendered, kind):
    doc, pdf = rendered[kind]
    duplex = kind[1]
    width, _ = page_size(doc.pdf, 0)
    last = len(pdf) - 1
    fronts = (len(pdf) + 1) // 2 if duplex else len(pdf)
    assert doc.sheets == fronts, "every sheet counted, none more"
    words = num2words(doc.sheets, lang="ru")
    noun = "листов" if doc.sheets % 10 >= 5 or doc.sheets % 10 == 0 or 11 <= doc.sheets % 100 <= 14 else "лист"
    assert f"Прошито, пронумеровано и скреплено печатью {doc.sheets} ({words}) {noun}" in pdf.texts[last]
    assert "Прошито" not in " ".join(pdf.texts[:last])
    assert f"Всего листов: {doc.sheets} ({words})" in pdf.texts[0]
    if duplex:
        assert last % 2 == 1 and pdf.top_right_number(last) is None, "the back of the last sheet"
        assert pdf.top_right_number(last - 1) == str(doc.sheets)
    note = [w for w in pdf.words[last] if w.y0 > 20 * MM]  # not the sheet number
    stamp = next(w for w in note if w.text == "М.П.")
    year = next(w for w in note if w.text == "г.")
    assert [w.text for w in note if same_line(w, year)][-2:] == ["20", "г."]
    if duplex:  # a back: the binding is on the right
        assert stamp.x1 > width - BINDING - 15 * MM and min(w.x0 for w in note) > width / 3
    else:
        assert stamp.x0 < BINDING + 15 * MM and max(w.x1 for w in note) < width * 2 / 3


@pytest.fixture(scope="module")
def ending_on_a_back(renderer, tmp_path_factory):
    """A summary sheet whose body ends on a back, so the note needs a sheet of its own: the demo's
    8А with 30 more pupils, whose attendance and decisions take two pages (not a graduating class:
    9А's sheet now has its «Выпуск» part as well)."""
    data = next(d for d in generate(periods=["year"]) if d["class"]["name"] == "8А")
    pupil = data["students"][0]
    data["students"] += [{**pupil, "id": f"extra-{k}", "full_name": f"Добавленная{k} Анна Ивановна"}
                         for k in range(30)]
    return render(renderer, parse_snapshot(as_bytes(data)), tmp_path_factory, RenderOptions(duplex=True),
                  "summary_sheet")


def test_a_body_ending_on_a_back_gets_a_last_sheet_with_the_note_on_its_back(ending_on_a_back):
    doc, pdf = ending_on_a_back
    assert "Лицевая сторона листа не заполняется; заверительная надпись — на обороте" in pdf.texts[-2]
    assert len(pdf.texts[-2].split()) < 20, "the added front holds only its note"
    assert pdf.top_right_number(len(pdf) - 2) == str(doc.sheets)
    assert "Прошито" in pdf.texts[-1]
    assert doc.contents[-1] == ("Заверительная надпись", f"{doc.sheets} об.")


def test_a_body_ending_on_a_front_takes_the_note_on_that_fronts_back(rendered):
    doc, pdf = rendered[("journal", True)]
    assert "не заполняется" not in pdf.texts[-2] and len(pdf.texts[-2].split()) > 100, "the period summary"


def test_the_deputy_is_named_on_the_title_and_in_the_document_id(rendered, demo):
    doc, pdf = rendered[("journal", True)]
    words = pdf.words[0]
    role = next(w for w in words if w.text == "УВР")
    line = " ".join(w.text for w in sorted(words, key=lambda w: w.x0) if same_line(w, role))
    assert "Заместитель директора по УВР / Иванова И. И. /" in line
    snap = demo[("5А", "quarter")]
    digest = content_hash(canonical_bytes(snap))
    assert doc.document_id == document_id("class_journal", digest, RenderOptions(deputy="Иванова Ирина Ивановна"))
    assert doc.document_id != document_id("class_journal", digest, RenderOptions())


@pytest.mark.parametrize("exported_at, zone, printed", [
    ("2026-12-26T15:30:00Z", "Europe/Moscow", "26.12.2026 18:30"),
    ("2026-12-26T18:30:00+07:00", "Europe/Moscow", "26.12.2026 14:30"),
    ("2026-12-26T23:30:00+03:00", "Asia/Novosibirsk", "27.12.2026 03:30"),
])
def test_the_export_time_is_printed_in_the_schools_time_zone(renderer, tmp_path_factory, exported_at, zone, printed):
    data = snapshot(source={"system": "Сетевой город. Образование", "exported_at": exported_at})
    doc, pdf = render(renderer, parse_snapshot(as_bytes(data)), tmp_path_factory, RenderOptions(timezone=zone))
    assert f"выгрузка от {printed}" in pdf.texts[0]
    assert f"Дата копии: {printed[:10]}" in pdf.texts[0]


def test_contents_rows_never_cross_the_sheet_column(renderer, tmp_path_factory):
    data = snapshot()
    subject(data, "music")["name"] = ("Музыка и музыкальная культура народов Российской Федерации, мировая "
                                      "художественная культура и основы сценического искусства")
    doc, pdf = render(renderer, parse_snapshot(as_bytes(data)), tmp_path_factory)
    words = pdf.words[1]
    sheets = [w for w in words if re.fullmatch(r"\d+(–\d+)?|об\.", w.text) and w.x0 > 400]
    column = min(w.x0 for w in sheets)
    titles = [w for w in words if w not in sheets and w.text != "Содержание"]
    assert titles and max(w.x1 for w in titles) < column - 3 * MM
    music = [w for w in titles if w.text in ("Музыка", "искусства")]
    assert len(music) == 2 and music[1].cy > music[0].cy, "the long title wraps onto a second line"


def certificate(years: int, subjects: int) -> bytes:
    names = ["Русский язык", "Литература", "Родной язык (русский)", "Иностранный язык (английский)", "Алгебра",
             "Геометрия", "Вероятность и статистика", "Информатика", "История", "Обществознание", "География",
             "Биология", "Физика", "Химия"]
    records = [YearRecord(f"{2024 + k}/{2025 + k}", f"{7 + k}А", 7 + k, "МБОУ СОШ № 21", None, None,
                          [(s, {"year": "4", "final": "4"}) for s in names[:subjects]], f"d0cea862ade48da5f9e{k}",
                          f"{k + 1}/2027", "02-15", [3, 4]) for k in range(years)]
    facts = CertificateFacts(7, 2027, dt.date(2027, 7, 5), "МБОУ «Средняя общеобразовательная школа № 21»",
                             "Сергеева Ольга Викторовна", "Алексеев Иван Петрович", dt.date(2011, 3, 14),
                             "Алексеев П. И.", "по месту требования", "Кузнецова Анна Ивановна", records)
    return certificate_pdf(PROJECT_ROOT / "templates", facts, moment=dt.datetime(2027, 7, 5, 10, tzinfo=dt.UTC))


@pytest.mark.parametrize("years, subjects", [(2, 5), (2, 6), (2, 7), (3, 4), (1, 14)])
def test_no_page_of_the_certificate_holds_only_identifiers(tmp_path, years, subjects):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate(years, subjects))
    pdf = PdfPages(path)
    for index, words in enumerate(pdf.words):
        body = [w for w in words if w.y0 > 18 * MM]  # below the running header and the page number
        ids = [w for w in body if HEX_ID.match(w.text)]
        assert len(body) - len(ids) > 20, (index, pdf.texts[index])
        if ids:
            assert "Директор" in pdf.texts[index], "the identifiers travel with the signatures"
    assert "документ № d0cea862ade48da5f9e0" in pdf.texts[-1]


def test_closing_a_period_names_the_deputy_who_closes_it_or_the_only_deputy(archive):
    stored = ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)

    def title(actor: Actor) -> str:
        result = documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                           "class_journal", archive.render_options, actor=actor, now=NOW)
        reader = PdfReader(io.BytesIO(archive.store.read(result.sha256)))
        return " ".join(reader.pages[0].extract_text().split())

    admin = Actor("Админов Артём Андреевич", "admin")
    assert "по УВР / Петрова А. С. /" in title(Actor("Петрова Анна Сергеевна", "deputy", "web", "petrova"))
    assert "по УВР / /" in title(Actor.system()), "no deputy account: the line stays blank"
    assert "по УВР / /" in title(OLD_TERMINAL), "never «cli:…» on paper"
    accounts.create_user(archive.uow(), "ivanova", "Иванова Татьяна Петровна", "deputy", "пароль-длинный-1",
                         actor=admin, now=NOW)
    assert "по УВР / Иванова Т. П. /" in title(Actor.system()) and "по УВР / Иванова Т. П. /" in title(
        OLD_TERMINAL)
    named = Actor("Петрова Анна Сергеевна", "deputy", "командная строка на archive-01, учётная запись petrova",
                  "petrova")
    assert "по УВР / Петрова А. С. /" in title(named), "the command line acts by name (--as petrova)"
    accounts.create_user(archive.uow(), "orlova", "Орлова Вера Ивановна", "deputy", "пароль-длинный-2",
                         actor=admin, now=NOW)
    assert "по УВР / /" in title(Actor.system()), "two deputies: nobody is guessed"
