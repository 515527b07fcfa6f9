"""Mark grids drawn the fast way: a few monospaced text blocks over one SVG of lines.

A table with one box per cell costs WeasyPrint about a second per page. Here every cell is
exactly `chars` characters of PT Mono (each glyph advances 0.6 em), padded and centred in
Python, so a whole row of marks is one line of text and a whole page of marks one text block;
the lines of the grid are one SVG image behind it. Column positions are exact by construction.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

MONO_ADVANCE = 0.6  # PT Mono: every glyph is 600/1000 em wide
FONT_SIZE = 7.5  # pt, marks
ROW_HEIGHT = 12.0  # pt
NAMES_WIDTH = 132.0  # pt, the column of students' names
CONTENT_WIDTH = 467.7  # pt: A4 portrait less the 30 mm binding margin and the 15 mm outer one
HEADER_ROWS = 2  # month line and day line
MAX_ROWS = 50  # students per page before the grid continues on another page


@dataclass(frozen=True)
class Geometry:
    chars: int  # characters per cell

    @property
    def cell(self) -> float:
        return self.chars * MONO_ADVANCE * FONT_SIZE

    @property
    def columns(self) -> int:
        """Cells that fit beside the names column on one page."""
        return int((CONTENT_WIDTH - NAMES_WIDTH) // self.cell)


def geometry_for(texts: list[str], minimum: int = 3) -> Geometry:
    """The narrowest cell that holds every text of the grid (3 characters at least)."""
    return Geometry(max([minimum, *(len(t) for t in texts)]))


def cells_line(texts: list[str], chars: int) -> str:
    """One row: each text centred in a cell of `chars` characters, trailing blanks dropped."""
    return "".join(t.center(chars) for t in texts).rstrip()


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

    @property
    def cell(self) -> float:
        return Geometry(self.chars).cell

    @property
    def extra_left(self) -> float:
        return NAMES_WIDTH + self.columns * self.cell

    @property
    def height(self) -> float:
        return (HEADER_ROWS + self.rows) * ROW_HEIGHT


def grid_svg(rows: int, columns: int, chars: int, header_rows: int = HEADER_ROWS,
             top_breaks: frozenset[int] | None = None) -> str:
    """The lines of a grid as a data URI: identical grids share one URI (WeasyPrint caches it).

    `top_breaks`: the columns before which the first header line (months, subject names) has a
    line; elsewhere its text runs across cells. None: every column.
    """
    cell = Geometry(chars).cell
    width = NAMES_WIDTH + columns * cell
    height = (header_rows + rows) * ROW_HEIGHT
    lines = [f'<path d="M0 0H{width:.2f}V{height:.2f}H0Z" stroke-width="0.8"/>']
    ys = [(header_rows + r) * ROW_HEIGHT for r in range(rows)]
    path = "".join(f"M0 {y:.2f}H{width:.2f}" for y in ys[1:])
    for c in range(columns):
        top = 0 if top_breaks is None or c in top_breaks else ROW_HEIGHT
        path += f"M{NAMES_WIDTH + c * cell:.2f} {top:.2f}V{height:.2f}"
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
