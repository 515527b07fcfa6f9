"""Grids with headers in words: subject names over their columns, wrapped or rotated.

The mark grids of `grid.py` head a column with two or three characters. The summaries head a
column (or a group of columns) with a whole subject name, which is longer than any cell: the
name is wrapped here, in Python, from the advance widths of PT Sans Narrow, into as few lines
as fit over its columns; when the columns are too narrow for a readable horizontal name it is
rotated to read upwards. Each name is one absolutely positioned block and a page has a handful,
so the cells stay monospaced text blocks over one SVG (the fast way, see `grid.py`).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from functools import lru_cache

from archive_service.rendering.grid import NAMES_WIDTH, ROW_HEIGHT, Geometry

#: advance widths of PT Sans Narrow (templates/fonts/PTN57F.ttf) in 1/1000 em, read once with
#: fontTools; a character not listed counts as the widest Latin letter, so a name never overflows
_ADVANCES = {chars: width for width, chars in (
    (178, "."), (186, ","), (206, ":"), (212, " "), (216, ";"), (233, "()I"), (463, "V"), (500, "X"),
    (291, "-"), (295, "/"), (296, "г"),
    (320, "т"), (351, "з"), (356, "с"), (357, "Г"), (372, "э"), (376, "у"), (377, "ь"), (386, "«»"), (387, "кя"),
    (396, "ч"), (400, "а"), (403, "в"), (407, "лъ"), (412, "х"), (413, "её"), (429, "ЕЁ"), (430, "п"), (432, "бо"),
    (434, "нЗ"), (435, "р"), (439, "дий"), (442, "ц"), (445, "Б"), (447, "Т"), (448, "У"), (449, "Ь"),
    (450, "0123456789"), (451, "Р"), (458, "С"), (461, "Я"), (465, "Э"), (471, "В"), (473, "А"), (487, "Ч"),
    (493, "К"), (500, "Х"), (502, "Л"), (513, "Ъ"), (522, "м"), (526, "П"), (530, "–"), (536, "Н"), (537, "ж"),
    (538, "ы"), (542, "Д"), (544, "ИЙ"), (549, "О"), (550, "ф"), (551, "Ц"), (581, "ю"), (594, "ш"), (609, "щ"),
    (622, "Ы"), (633, "Ф"), (637, "М"), (654, "Ж"), (699, "Ш"), (719, "Ю"), (731, "Щ"), (825, "№"))}
_ADVANCE = {char: width for chars, width in _ADVANCES.items() for char in chars}
_UNKNOWN = 680
HEAD_SIZE = 7.0  # pt, the names over the columns
HEAD_LINE = 8.0  # pt between their lines
MAX_HORIZONTAL_LINES = 3
PAD = 2.0  # pt between a name and the lines around it


def text_width(text: str, size: float) -> float:
    """The width of `text` set in PT Sans Narrow at `size` pt."""
    return sum(_ADVANCE.get(c, _UNKNOWN) for c in text) * size / 1000


def _pieces(text: str) -> list[tuple[bool, str]]:
    """(follows a space, piece): words, split after a hyphen («духовно-» «нравственной»)."""
    out: list[tuple[bool, str]] = []
    for word in text.split():
        out.extend((k == 0, part) for k, part in enumerate(re.split(r"(?<=\w-)(?=\w)", word)))
    return out


def wrap(text: str, width: float, size: float = HEAD_SIZE) -> list[str]:
    """Greedy lines of at most `width` pt (a piece wider than that stands alone)."""
    lines: list[str] = []
    for spaced, piece in _pieces(text):
        if lines:
            candidate = lines[-1] + (" " if spaced else "") + piece
            if text_width(candidate, size) <= width:
                lines[-1] = candidate
                continue
        lines.append(piece)
    return lines


@lru_cache(maxsize=1024)
def balanced(text: str, lines: int, size: float = HEAD_SIZE) -> tuple[str, ...]:
    """The narrowest wrapping of `text` into at most `lines` lines."""
    width = text_width(text, size) / max(1, lines)
    while len(out := wrap(text, width, size)) > lines:
        width += 0.5
    return tuple(out)


@dataclass(frozen=True)
class Group:
    """Columns under one name: a subject's period columns, or «Пропущено уроков» over its codes."""

    title: str
    labels: tuple[str, ...]  # one per column, printed on the row under the name; all "" → none
    width: float = 0.0  # a column of words (not cells): its own width, one column

    @property
    def labelled(self) -> bool:
        return any(self.labels)


@dataclass(frozen=True)
class HeadLabel:
    """One name over its columns: the box it fills on the page and its lines."""

    left: float
    top: float
    width: float
    height: float
    lines: tuple[str, ...]
    rotated: bool

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def style(self) -> str:
        """Inline CSS: a rotated box is laid out unrotated (its run along the column) and turned
        about its top left corner, which is placed at the bottom of the space it fills."""
        pad = max(0.0, (self.width if self.rotated else self.height) - len(self.lines) * HEAD_LINE) / 2
        if self.rotated:
            return (f"left:{self.left:.2f}pt;top:{self.top + self.height:.2f}pt;width:{self.height:.2f}pt;"
                    f"height:{self.width:.2f}pt;padding:{pad:.2f}pt {PAD:.2f}pt 0;text-align:left;"
                    "transform:rotate(-90deg);transform-origin:0 0")
        return (f"left:{self.left:.2f}pt;top:{self.top:.2f}pt;width:{self.width:.2f}pt;"
                f"height:{self.height:.2f}pt;padding-top:{pad:.2f}pt")


@dataclass(frozen=True)
class Header:
    """The laid out header of a grid: its height, the names, the labels row, the column edges."""

    band: float  # height of the names band; the labels row is under it
    labels: tuple[HeadLabel, ...]  # the names, then the labels of the cell columns («I», «все»)
    edges: tuple[tuple[float, bool], ...]  # (x, starts under the band) of each inner column line
    spans: tuple[tuple[float, float], ...]  # parts of the line under the band
    width: float

    @property
    def height(self) -> float:
        return self.band + ROW_HEIGHT


def _needed(group: Group, width: float) -> tuple[bool, tuple[str, ...], float]:
    """(rotated, lines, height of the band it needs) for one name over `width` pt."""
    flat = balanced(group.title, MAX_HORIZONTAL_LINES)
    if all(text_width(line, HEAD_SIZE) <= width - 2 * PAD for line in flat):
        lines = flat
        for n in range(1, MAX_HORIZONTAL_LINES + 1):  # as few lines as fit across
            lines = balanced(group.title, n)
            if all(text_width(line, HEAD_SIZE) <= width - 2 * PAD for line in lines):
                break
        return False, lines, len(lines) * HEAD_LINE + 2 * PAD - (0 if group.labelled else ROW_HEIGHT)
    across = max(1, int((width - 3) // HEAD_LINE))  # 1.5 pt at least between a line and the borders
    lines = balanced(group.title, across)
    run = max(text_width(line, HEAD_SIZE) for line in lines) + 2 * PAD + 3
    return True, lines, run - (0 if group.labelled else ROW_HEIGHT)


def layout_header(groups: list[Group], chars: int) -> Header:
    """Place the names of `groups`: cell columns of `chars` characters, then columns of words."""
    cell = Geometry(chars).cell
    widths = [g.width or len(g.labels) * cell for g in groups]
    needs = [_needed(g, w) for g, w in zip(groups, widths)]
    band = max([ROW_HEIGHT, *(need for _, _, need in needs)])
    labels: list[HeadLabel] = []
    edges: list[tuple[float, bool]] = []
    spans: list[tuple[float, float]] = []
    x = NAMES_WIDTH
    for group, width, (rotated, lines, _) in zip(groups, widths, needs):
        height = band if group.labelled else band + ROW_HEIGHT
        labels.append(HeadLabel(x, 0.0, width, height, lines, rotated))
        if group.labelled:
            spans.append((x, x + width))
            edges.extend((x + k * cell, True) for k in range(1, len(group.labels)))
        x += width
        edges.append((x, False))
    x = NAMES_WIDTH
    for group in groups:
        if group.labelled:
            labels.extend(HeadLabel(x + k * cell, band, cell, ROW_HEIGHT, (label,), False)
                          for k, label in enumerate(group.labels))
        x += group.width or len(group.labels) * cell
    return Header(band, tuple(labels), tuple(edges[:-1]), tuple(spans), x - NAMES_WIDTH)


def label_chars(labels: list[str]) -> int:
    """The narrowest cell (in characters of the grid) with room for each label and 1 pt either side."""
    widest = max([0.0, *(text_width(label, HEAD_SIZE) for label in labels)]) + 2
    return next(chars for chars in range(1, 40) if Geometry(chars).cell >= widest)


@dataclass(frozen=True)
class TextColumn:
    """A column of words beside the cells (the council's decision): one line per student."""

    left: float
    width: float
    body: str


@dataclass
class SummaryPage:
    """One block of a summary grid: names, cells, words columns, the header and the lines."""

    names: str
    body: str
    header: Header
    rows: int
    texts: list[TextColumn] = field(default_factory=list)
    svg: str = field(default="", repr=False)

    @property
    def head(self) -> float:
        return self.header.height

    @property
    def height(self) -> float:
        return self.head + self.rows * ROW_HEIGHT


def lines_svg(header: Header, rows: int) -> str:
    """The lines of a summary block as a data URI (identical blocks share one)."""
    width, head = NAMES_WIDTH + header.width, header.height
    height = head + rows * ROW_HEIGHT
    path = "".join(f"M0 {head + r * ROW_HEIGHT:.2f}H{width:.2f}" for r in range(1, rows))
    path += "".join(f"M{x:.2f} {header.band if under else 0:.2f}V{height:.2f}" for x, under in header.edges)
    path += f"M{NAMES_WIDTH:.2f} 0V{height:.2f}"
    path += "".join(f"M{x0:.2f} {header.band:.2f}H{x1:.2f}" for x0, x1 in header.spans)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.2f}pt" height="{height:.2f}pt" '
           f'viewBox="0 0 {width:.2f} {height:.2f}"><g fill="none" stroke="#000">'
           f'<path d="M0 0H{width:.2f}V{height:.2f}H0Z" stroke-width="0.8"/>'
           f'<path d="{path}" stroke-width="0.4"/>'
           f'<path d="M0 {head:.2f}H{width:.2f}" stroke-width="0.8"/></g></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
