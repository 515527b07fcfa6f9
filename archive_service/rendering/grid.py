"""Mark grids drawn the fast way: a few monospaced text blocks over one SVG of lines.

A table with one box per cell costs WeasyPrint about a second per page. Here every cell is
exactly a whole number of characters of PT Mono (each glyph advances 0.6 em), padded and centred
in Python, so a whole row of marks is one line of text and a whole page of marks one text block;
the lines of the grid are one SVG image behind it. Column positions are exact by construction.

A grid has a `GridStyle`: the compact one (7.5 pt, no padding) of the summaries, or the readable
one of the subject grids (9 pt, one character of padding on each side of the widest text of a
column, taller rows). Columns may differ in width (`GridPage.widths`): a column that holds
«незач» is wider than its neighbours instead of every column being as wide as the widest text.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

MONO_ADVANCE = 0.6  # PT Mono: every glyph is 600/1000 em wide
FONT_SIZE = 7.5  # pt, marks (compact style)
ROW_HEIGHT = 12.0  # pt (compact style)
NAMES_WIDTH = 132.0  # pt, the column of students' names
CONTENT_WIDTH = 467.7  # pt: A4 portrait less the 30 mm binding margin and the 15 mm outer one
HEADER_ROWS = 2  # month line and day line
MAX_ROWS = 50  # students per page before the grid continues on another page


@dataclass(frozen=True)
class GridStyle:
    """The type and spacing of a grid's cells."""

    font_size: float = FONT_SIZE
    """pt, the marks and the header's cell texts"""
    row_height: float = ROW_HEIGHT
    """pt, every row, header rows included"""
    padding: int = 0
    """blank characters on each side of the widest text of a column"""
    max_rows: int = MAX_ROWS
    """students per page before the grid continues on another page"""
    name: str = "compact"
    """the CSS class of the grid (print.css sizes the names column by it)"""

    @property
    def advance(self) -> float:
        """pt, the width of one character of a cell."""
        return MONO_ADVANCE * self.font_size


COMPACT = GridStyle()
READABLE = GridStyle(font_size=9.0, row_height=14.0, padding=1, max_rows=40, name="readable")
READABLE_LARGE = GridStyle(font_size=10.0, row_height=14.0, padding=1, max_rows=40, name="readable")
"""the readable style a grid takes when 10 pt costs it no more pages than 9 pt"""


@dataclass(frozen=True)
class Geometry:
    chars: int  # characters per cell
    style: GridStyle = COMPACT

    @property
    def cell(self) -> float:
        return self.chars * self.style.advance

    @property
    def columns(self) -> int:
        """Cells that fit beside the names column on one page."""
        return int((CONTENT_WIDTH - NAMES_WIDTH) // self.cell)


def geometry_for(texts: list[str], minimum: int = 3, style: GridStyle = COMPACT) -> Geometry:
    """The narrowest cell that holds every text of the grid (3 characters at least), padded."""
    return Geometry(max([minimum, *(len(t) for t in texts)]) + 2 * style.padding, style)


def cells_line(texts: list[str], chars: int | list[int] | tuple[int, ...]) -> str:
    """One row: each text centred in its cell of `chars` characters (one width for all cells, or
    one per cell), trailing blanks dropped."""
    widths = [chars] * len(texts) if isinstance(chars, int) else chars
    return "".join(t.center(w) for t, w in zip(texts, widths)).rstrip()


@dataclass(frozen=True)
class TopLabel:
    """A text of the first header line that spans several cells (a month over its days)."""

    left: float  # pt from the grid's left edge
    width: float  # pt
    text: str


@dataclass(frozen=True)
class GridPage:
    """One page of a grid: the texts of its blocks and the lines behind them."""

    names: str  # one name per line
    header: str  # two lines of cell texts (months, days)
    body: str  # one line of cell texts per student
    extra_header: str = ""  # the period column, bold, beside the last lesson
    extra_body: str = ""
    columns: int = 0
    extra_columns: int = 0
    rows: int = 0
    chars: int = 3
    svg: str = field(default="", repr=False)
    style: GridStyle = COMPACT
    widths: tuple[int, ...] = ()  # characters of each column, extra columns included; () — all `chars`
    top_labels: tuple[TopLabel, ...] = ()  # spanning texts of the first header line

    @property
    def cell(self) -> float:
        return Geometry(self.chars, self.style).cell

    @property
    def extra_left(self) -> float:
        if self.widths:
            return NAMES_WIDTH + sum(self.widths[:self.columns]) * self.style.advance
        return NAMES_WIDTH + self.columns * self.cell

    @property
    def body_top(self) -> float:
        return HEADER_ROWS * self.style.row_height

    @property
    def height(self) -> float:
        return (HEADER_ROWS + self.rows) * self.style.row_height


def column_edges(widths: list[int] | tuple[int, ...], style: GridStyle = COMPACT) -> list[float]:
    """pt from the grid's left edge of the left line of every column, and of the right edge."""
    edges, x = [NAMES_WIDTH], NAMES_WIDTH
    for w in widths:
        x += w * style.advance
        edges.append(x)
    return edges


def grid_svg(rows: int, columns: int, chars: int, header_rows: int = HEADER_ROWS,
             top_breaks: frozenset[int] | None = None, style: GridStyle = COMPACT,
             widths: list[int] | tuple[int, ...] | None = None, header_rule: bool = False) -> str:
    """The lines of a grid as a data URI: identical grids share one URI (WeasyPrint caches it).

    `top_breaks`: the columns before which the first header line (months, subject names) has a
    line; elsewhere its text runs across cells. None: every column. `widths`: characters of each
    column when they differ (`columns` is then their number). `header_rule`: a line under the
    first header line, across the cells.
    """
    edges = column_edges(list(widths) if widths else [chars] * columns, style)
    width, row = edges[-1], style.row_height
    height = (header_rows + rows) * row
    lines = [f'<path d="M0 0H{width:.2f}V{height:.2f}H0Z" stroke-width="0.8"/>']
    ys = [(header_rows + r) * row for r in range(rows)]
    path = "".join(f"M0 {y:.2f}H{width:.2f}" for y in ys[1:])
    if header_rule:
        path += f"M{NAMES_WIDTH:.2f} {row:.2f}H{width:.2f}"
    for c, x in enumerate(edges[:-1]):
        top = 0 if top_breaks is None or c in top_breaks else row
        path += f"M{x:.2f} {top:.2f}V{height:.2f}"
    lines.append(f'<path d="{path}" stroke-width="0.4"/>')
    lines.append(f'<path d="M0 {ys[0] if ys else height:.2f}H{width:.2f}" stroke-width="0.8"/>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.2f}pt" height="{height:.2f}pt" '
           f'viewBox="0 0 {width:.2f} {height:.2f}"><g fill="none" stroke="#000">{"".join(lines)}</g></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def chunks(count: int, size: int) -> list[range]:
    """`count` items in pages of at most `size`, balanced (25 → 13 + 12, not 24 + 1)."""
    if count <= 0:
        return [range(0)]
    pages = -(-count // size)
    base, extra = divmod(count, pages)
    out, start = [], 0
    for i in range(pages):
        step = base + (1 if i < extra else 0)
        out.append(range(start, start + step))
        start += step
    return out


def width_chunks(widths: list[int], last_extra: int, style: GridStyle) -> list[range]:
    """Columns of `widths` characters in as few pages as fit beside the names, balanced by count;
    the last page also holds `last_extra` characters (the period column)."""
    room = (CONTENT_WIDTH - NAMES_WIDTH) / style.advance
    for pages in range(1, len(widths) + 1):
        parts = chunks(len(widths), -(-len(widths) // pages))
        sizes = [sum(widths[i] for i in part) for part in parts]
        if max(sizes[:-1], default=0) <= room and sizes[-1] + last_extra <= room:
            return parts
    return [range(i, i + 1) for i in range(len(widths))] or [range(0)]
