"""Reading rendered PDFs back in tests: page text, word boxes, and mark grids rebuilt from them."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


class PdfPages:
    """All pages of a PDF as text and as words with boxes (poppler's pdftotext)."""

    def __init__(self, path: Path):
        self.path = path
        out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
        self.words = [[Word(html.unescape(m[4]), *map(float, m[:4])) for m in _WORD.findall(page)]
                      for page in _PAGE.findall(out.stdout)]
        self.texts = [" ".join(w.text for w in page) for page in self.words]

    def __len__(self) -> int:
        return len(self.words)

    def top_right_number(self, index: int) -> str | None:
        """The sheet number printed in the top right corner of a page, if any."""
        corner = [w for w in self.words[index] if w.y1 < 50 and w.x0 > 450 and w.text.isdigit()]
        return corner[0].text if corner else None


def read_grid(words: list[Word], header_pattern: str = r"^\d{2}$") -> dict[tuple[int, int], str]:
    """(student number, column index) → cell text of one grid page, from word positions.

    Rows are found by the students' numbers («12.»), columns by the header words (day numbers,
    or the period label) on the line just above the first student.
    """
    numbers = [w for w in words if re.fullmatch(r"\d+\.", w.text) and w.x0 < 130]
    if not numbers:
        return {}
    first_row = min(w.y0 for w in numbers)
    rows = {int(w.text[:-1]): w.cy for w in numbers}
    heads = sorted((w for w in words if re.fullmatch(header_pattern, w.text) and first_row - 14 < w.cy < first_row),
                   key=lambda w: w.cx)
    cells: dict[tuple[int, int], str] = {}
    pitch = (heads[-1].cx - heads[0].cx) / (len(heads) - 1) if len(heads) > 1 else 12.0
    # the first cell's left border: a label centred in a wide cell starts well right of it
    grid_left = min(heads[0].x0 - 6, heads[0].cx - pitch / 2 - 1) if heads else 0
    for w in words:
        if w.x0 < grid_left or w.cy < first_row - 1 or w in numbers:
            continue
        row = min(rows, key=lambda n: abs(rows[n] - w.cy))
        if abs(rows[row] - w.cy) > 4:
            continue
        column = min(range(len(heads)), key=lambda k: abs(heads[k].cx - w.cx))
        cells[(row, column)] = w.text
    return cells


def pdf_text(data: bytes) -> str:
    """The whole text of a PDF given as bytes, words joined by single spaces."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        out = subprocess.run(["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


SUMMARY_LABELS = {"I": "Q1", "II": "Q2", "III": "Q3", "IV": "Q4", "1п": "H1", "2п": "H2", "1т": "T1", "2т": "T2",
                  "3т": "T3", "год": "year", "экз": "exam", "итог": "final"}
SUMMARY_HEAD = r"^(I|II|III|IV|1п|2п|1т|2т|3т|год|экз|итог)$"


def _group_names(words: list[Word], line: list[Word], per_group: int, label_y: float) -> list[str]:
    """The subject names over the groups of `per_group` label columns of one label line: the words
    between the grid's top (the last line above that starts left of the cells) and the labels."""
    pitch = (line[-1].cx - line[0].cx) / (len(line) - 1)
    cells_left = line[0].cx - pitch / 2
    above = [w for w in words if w.cy < label_y - 2]
    barrier = max((w.y1 for w in above if w.x0 < cells_left - 2), default=0.0)
    names = []
    for g in range(len(line) // per_group):
        x0, x1 = line[g * per_group].cx - pitch / 2, line[(g + 1) * per_group - 1].cx + pitch / 2
        head = [w for w in above if w.y0 > barrier and x0 < w.cx < x1]
        if sum(w.y1 - w.y0 > 1.5 * (w.x1 - w.x0) for w in head) * 2 > len(head):  # turned to read upwards
            head.sort(key=lambda w: (round(w.x0), -w.y1))
        else:
            head.sort(key=lambda w: (round(w.cy), w.x0))
        for w in head:
            assert x0 - 0.5 <= w.x0 and w.x1 <= x1 + 0.5, f"«{w.text}» crosses the border of its subject's columns"
        names.append(re.sub(r"(\w-) (?=\w)", r"\1", " ".join(w.text for w in head)))
    return names


def summary_blocks(words: list[Word]):
    """Split a page of the summary sheet into its grid blocks: (subject names, codes, words)."""
    labels = [w for w in words if w.text in SUMMARY_LABELS]
    lines = sorted(y for y in {round(w.cy) for w in labels} if sum(round(w.cy) == y for w in labels) >= 3)
    for k, y in enumerate(lines):
        bottom = lines[k + 1] - 14 if k + 1 < len(lines) else 10_000
        line = sorted((w for w in labels if round(w.cy) == y), key=lambda w: w.cx)
        if any(round(w.cy) == y and w.text not in SUMMARY_LABELS and line[0].x0 < w.cx < line[-1].x1 for w in words):
            continue  # the legend under the grid («I — I четверть, …»)
        codes = [SUMMARY_LABELS[w.text] for w in line]
        per_group = codes[1:].index(codes[0]) + 1 if codes[0] in codes[1:] else len(codes)
        names = _group_names(words, line, per_group, min(w.y0 for w in line))
        block = [w for w in words if y - 16 < w.cy < bottom]
        yield [n for n in names for _ in range(per_group)], codes, block


def summary_marks(pdf: PdfPages, subjects: list[str]) -> dict[tuple[int, str, str], tuple[str, int]]:
    """(student number, subject, period code) → (mark, page index) of every mark of a summary sheet;
    `subjects` are the sheet's subjects: every name read over the columns must be one of them, in full."""
    seen = {}
    for page, words in enumerate(pdf.words):
        for names, codes, block in summary_blocks(words):
            assert set(names) <= set(subjects), f"subject names printed: {sorted(set(names) - set(subjects))}"
            for (row, col), text in read_grid(block, SUMMARY_HEAD).items():
                seen[(row, names[col], codes[col])] = (text, page)
    return seen


def text_sizes(path: Path, index: int) -> list[tuple[str, str, float]]:
    """(font, text, size in pt) of every text run on a page, as the PDF's operators set them."""
    from pypdf import PdfReader

    runs: list[tuple[str, str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() and font_dict:
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            runs.append((str(font_dict.get("/BaseFont", "")), text, font_size * scale))

    PdfReader(path).pages[index].extract_text(visitor_text=visit)
    return runs
