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
