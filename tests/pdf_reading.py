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
    grid_left = heads[0].x0 - 6 if heads else 0
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


SUMMARY_LABELS = {"I": "Q1", "II": "Q2", "III": "Q3", "IV": "Q4", "год": "year", "экз": "exam", "итог": "final"}


def summary_blocks(words: list[Word]):
    """Split a page of the summary sheet into its grid blocks: (subject numbers, codes, words)."""
    labels = [w for w in words if w.text in SUMMARY_LABELS]
    lines = sorted(y for y in {round(w.cy) for w in labels} if sum(round(w.cy) == y for w in labels) >= 3)
    for k, y in enumerate(lines):
        bottom = lines[k + 1] - 14 if k + 1 < len(lines) else 10_000
        line = sorted((w for w in labels if round(w.cy) == y), key=lambda w: w.cx)
        numbers = [int(w.text[:-1]) for w in sorted(words, key=lambda w: w.cx)
                   if re.fullmatch(r"\d+\.", w.text) and w.x0 > line[0].x0 - 8 and y - 16 < w.cy < y]
        block = [w for w in words if y - 16 < w.cy < bottom]
        if numbers:  # not the legend line under the grid
            yield numbers, [SUMMARY_LABELS[w.text] for w in line], block


def summary_marks(pdf: PdfPages, subjects: list[str]) -> dict[tuple[int, str, str], tuple[str, int]]:
    """(student number, subject, period code) → (mark, page index) of every mark of a summary sheet;
    `subjects` are the sheet's subjects in order (its legend)."""
    seen = {}
    for page, words in enumerate(pdf.words):
        for numbers, codes, block in summary_blocks(words):
            per_subject = len(codes) // len(numbers)
            for (row, col), text in read_grid(block, r"^(I|II|III|IV|год|экз|итог)$").items():
                seen[(row, subjects[numbers[col // per_subject] - 1], codes[col])] = (text, page)
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
