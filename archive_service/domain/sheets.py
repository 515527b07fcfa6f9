"""Sheets and pages of a printed archive document — the one home of sheet numbering.

A document is printed one-sided (every page is a sheet) or two-sided (a sheet is a front and a
back; only fronts carry a number). The title sheet opens the document (its contents on the
back when two-sided, on a second sheet when one-sided); the certification note («Прошито,
пронумеровано…») closes it on the last page: two-sided, the back of the last sheet (the back of
the body's last front, or of a sheet added when the body ends on a back); one-sided, a sheet of
its own. The print stylesheet
(`templates/print/pages.css`) numbers the sheets by the same rule; a test compares the printed
numbers with `sheet_of_page`.
"""

from __future__ import annotations


def is_front(index: int, *, duplex: bool) -> bool:
    """Whether the 0-based page `index` is the front of its sheet (the numbered side)."""
    return not duplex or index % 2 == 0


def sheet_of_page(index: int, *, duplex: bool) -> int:
    """The 1-based sheet the 0-based page `index` is on."""
    return index // 2 + 1 if duplex else index + 1


def sheet_pages(sheet: int, pages: int, *, duplex: bool) -> list[int]:
    """The 1-based pages of `sheet`: its front, and its back when two-sided (if the document has it)."""
    if not duplex:
        return [sheet]
    front = 2 * sheet - 1
    return [front, front + 1] if front + 1 <= pages else [front]


def page_label(page: int, *, duplex: bool) -> str:
    """«лист 3» or «лист 3, оборот» for a 1-based page."""
    if not duplex:
        return f"лист {page}"
    sheet, back = divmod(page - 1, 2)
    return f"лист {sheet + 1}, оборот" if back else f"лист {sheet + 1}"


def sheets_of_pages(pages: int, *, duplex: bool) -> int:
    """How many sheets `pages` pages fill."""
    return (pages + 1) // 2 if duplex else pages


def title_sheets(*, duplex: bool) -> int:
    """The sheets before the body: the title sheet with its contents (one sheet two-sided, two one-sided)."""
    return 1 if duplex else 2


def certification_added_pages(body_pages: int, *, duplex: bool) -> int:
    """The pages after the body: the note alone when two-sided and the body ends on a front (the
    note is that front's back); a sheet whose front is left empty and whose back has the note when
    the body ends on a back; the note's own sheet when one-sided."""
    if not duplex:
        return 1
    return 1 if body_pages % 2 == 1 else 2


def total_sheets(body_pages: int, *, duplex: bool) -> int:
    """The sheet count printed on the title and in the certification note: the title sheets, the
    body and the pages the note adds."""
    return title_sheets(duplex=duplex) + sheets_of_pages(body_pages + certification_added_pages(
        body_pages, duplex=duplex), duplex=duplex)


def certification_page(pages: int, *, duplex: bool) -> int:
    """The 0-based page of the certification note, the page the director signs: the last one
    (two-sided, the back of the last sheet)."""
    return pages - 1
