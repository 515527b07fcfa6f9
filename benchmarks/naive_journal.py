"""The yardstick of benchmarks/render.py: one class's journal as a developer would first print it with WeasyPrint.

The same data as the archive's journal copy — the class list, then for every subject its grid of
marks (students × lesson dates, one `<td>` per cell, the period mark in the last column) and its
table of lesson topics and homework — written as plain HTML tables with a few lines of ordinary CSS
(A4 portrait, the shipped PT Sans fonts, collapsed borders) and laid out by WeasyPrint in one call,
`HTML(string=...).write_pdf()`. No tricks either way: nothing cached between runs apart from the
font configuration, no deliberately slow CSS. A grid wider than the page is cut into tables of
`DATES_PER_TABLE` dates, as the paper journal turns the page. The output is a plain PDF (not PDF/A,
no attachments, no QR codes): only the layout is measured.

    NaiveRenderer().pdf(snapshot_dict) -> (pdf bytes, pages)

Alone, it lays out one demo class and writes the PDF to look at:

    .venv/bin/python benchmarks/naive_journal.py [--class 5А] [--period Q2] [--out naive.pdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from html import escape
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

FONTS = Path(__file__).resolve().parent.parent / "templates" / "fonts"
DATES_PER_TABLE = 13  # date columns that fit beside the names (one line each) on A4 portrait at 8 pt

STYLE = """
@font-face { font-family: "PT Sans"; src: url(PTS55F.ttf); }
@font-face { font-family: "PT Sans"; font-weight: bold; src: url(PTS75F.ttf); }
@font-face { font-family: "PT Serif"; src: url(PTF55F.ttf); }
@page { size: A4 portrait; margin: 15mm 15mm 15mm 20mm;
        @bottom-right { content: counter(page); font-family: "PT Sans"; font-size: 8pt; } }
html { font-family: "PT Sans"; font-size: 8pt; }
h1 { font-family: "PT Serif"; font-size: 14pt; }
h2 { font-size: 11pt; page-break-before: always; }
table { border-collapse: collapse; width: 100%; margin-bottom: 6pt; }
th, td { border: 0.5pt solid black; padding: 1pt 2pt; text-align: center; }
td.name { text-align: left; white-space: nowrap; }
td.text { text-align: left; }
"""


def _day(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d.%m")


def naive_html(snapshot: dict) -> str:
    """The journal of one snapshot (the `journal-snapshot/1` JSON as a dict) as plain HTML tables."""
    students = snapshot["students"]
    out = ["<html><head><meta charset='utf-8'></head><body>",
           f"<h1>{escape(snapshot['school']['full_name'])}<br>Журнал {escape(snapshot['class']['name'])} класса, "
           f"{escape(snapshot['academic_year'])}, {escape(snapshot['period']['kind'])} "
           f"{snapshot['period']['number']}</h1>",
           "<table><tr><th>№</th><th>Фамилия, имя, отчество</th><th>Дата рождения</th></tr>"]
    for number, student in enumerate(students, start=1):
        out.append(f"<tr><td>{number}</td><td class='name'>{escape(student['full_name'])}</td>"
                   f"<td>{dt.date.fromisoformat(student['birth_date']):%d.%m.%Y}</td></tr>")
    out.append("</table>")
    for subject in snapshot["subjects"]:
        members = set(subject["group"]["student_ids"]) if subject.get("group") else None
        rows = [(n, s) for n, s in enumerate(students, start=1) if members is None or s["id"] in members]
        lessons = subject["lessons"]
        cells: dict[tuple[str, str], list[str]] = {}
        for lesson in lessons:
            for mark in lesson["marks"]:
                cells.setdefault((lesson["id"], mark["student_id"]), []).append(str(mark["value"]))
            for absence in lesson["absences"]:
                cells.setdefault((lesson["id"], absence["student_id"]), []).append(absence.get("code") or "н")
        period = {m["student_id"]: str(m["value"]) for m in subject["period_marks"]}
        out.append(f"<h2>{escape(subject['name'])} — {escape(subject['teacher']['full_name'])}</h2>")
        chunks = [lessons[i:i + DATES_PER_TABLE] for i in range(0, len(lessons), DATES_PER_TABLE)] or [[]]
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            out.append("<table><tr><th>№</th><th>Ученик</th>")
            out.extend(f"<th>{_day(lesson['date'])}</th>" for lesson in chunk)
            out.append("<th>Итог</th></tr>" if last else "</tr>")
            for number, student in rows:
                out.append(f"<tr><td>{number}</td><td class='name'>{escape(student['full_name'])}</td>")
                out.extend(f"<td>{' '.join(cells.get((lesson['id'], student['id']), []))}</td>" for lesson in chunk)
                out.append(f"<td>{period.get(student['id'], '')}</td></tr>" if last else "</tr>")
            out.append("</table>")
        out.append("<table><tr><th>Дата</th><th>Тема урока</th><th>Домашнее задание</th></tr>")
        for lesson in lessons:
            out.append(f"<tr><td>{_day(lesson['date'])}</td><td class='text'>{escape(lesson.get('topic') or '')}</td>"
                       f"<td class='text'>{escape(lesson.get('homework') or '')}</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


class NaiveRenderer:
    """The stylesheet and fonts, loaded once (as any program would); each call lays out one document."""

    def __init__(self) -> None:
        self.fonts = FontConfiguration()
        self.css = CSS(string=STYLE, base_url=FONTS.as_uri() + "/", font_config=self.fonts)

    def pdf(self, snapshot: dict) -> tuple[bytes, int]:
        document = HTML(string=naive_html(snapshot)).render(stylesheets=[self.css], font_config=self.fonts)
        return document.write_pdf(), len(document.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class", dest="class_name", default="5А")
    parser.add_argument("--period", default="Q2")
    parser.add_argument("--out", type=Path, default=Path("naive.pdf"))
    args = parser.parse_args()
    from archive_service.demo import generate

    snapshot = next(s for s in generate(periods=[args.period]) if s["class"]["name"] == args.class_name)
    renderer = NaiveRenderer()
    started = time.perf_counter()
    pdf, pages = renderer.pdf(snapshot)
    seconds = time.perf_counter() - started
    args.out.write_bytes(pdf)
    print(f"{args.class_name}: {pages} pages in {seconds:.2f} s = {pages / seconds:.2f} pages/s → {args.out}")


if __name__ == "__main__":
    main()
