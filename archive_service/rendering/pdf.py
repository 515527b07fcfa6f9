"""HTML to PDF/A-3b with WeasyPrint, and the joining of parts with pypdf.

A document is laid out in two parts, never twice whole: the body first (its length decides
the sheet numbers), then the front and back matter that quote the total. The pages of both
are written once, as one PDF/A-3b file with the snapshot embedded; pypdf then appends a QR
code to every sheet. The same input always gives the same bytes.
"""

from __future__ import annotations

import io
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import jinja2
import segno
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject
from weasyprint import CSS, HTML, Attachment
from weasyprint.document import Document, Page
from weasyprint.text.fonts import FontConfiguration

from archive_service.rendering.typography import typo

PDF_VARIANT = "pdf/a-3b"
QR_SIZE = 31.0  # pt, 10.9 mm: modules of 0.33–0.38 mm for the URLs of a sheet check
QR_MARGIN = 29.0  # pt, 10.2 mm from the outer edge and from the bottom: outside the zone many
# printers cannot print (up to 6 mm), and below the text (pages.css keeps the bottom margin at
# 23 mm and ends the running signature line before the QR code's column)


@dataclass(frozen=True)
class LaidOut:
    """A part laid out into pages, not yet written."""

    document: Document
    anchors: dict[str, int]  # element id → index of the page it starts on

    @property
    def pages(self) -> int:
        return len(self.document.pages)


class PrintEnvironment:
    """Templates, fonts and parsed stylesheets, built once per process and reused."""

    def __init__(self, templates_dir: Path):
        self.print_dir = (templates_dir / "print").resolve()
        self.jinja = jinja2.Environment(loader=jinja2.FileSystemLoader(self.print_dir), autoescape=True,
                                        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        self.jinja.filters["typo"] = typo  # Russian non-breaking spaces: rendering/typography.py
        self.fonts = FontConfiguration()
        self.base_url = self.print_dir.as_uri() + "/"
        self._css: dict[Any, CSS] = {}

    def _stylesheet(self, key: Any, text: str | None = None, filename: Path | None = None) -> CSS:
        if key not in self._css:
            self._css[key] = CSS(string=text, filename=filename, base_url=self.base_url, font_config=self.fonts)
        return self._css[key]

    def layout(self, template: str, context: dict[str, Any], *, duplex: bool, first_sheet: int = 1,
               named_pages: tuple[tuple[str, int], ...] = (), draft: bool = False) -> LaidOut:
        html = self.jinja.get_template(template).render(**context, duplex=duplex)
        pages_css = self.jinja.get_template("pages.css").render(duplex=duplex, first_sheet=first_sheet,
                                                                named_pages=named_pages, draft=draft)
        stylesheets = [self._stylesheet("print.css", filename=self.print_dir / "print.css"),
                       self._stylesheet(("pages", duplex, first_sheet, named_pages, draft), text=pages_css)]
        document = HTML(string=html, base_url=self.base_url).render(stylesheets=stylesheets,
                                                                   font_config=self.fonts)
        anchors: dict[str, int] = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                anchors.setdefault(anchor, index)
        return LaidOut(document, anchors)

    def write(self, base: LaidOut, pages: list[Page], *, epoch: int,
              attachments: Iterable[Attachment] = ()) -> bytes:
        """One PDF/A file of `pages` (from any parts), with `base`'s metadata; `epoch` is the
        only time that reaches the file."""
        with _source_date_epoch(epoch):
            # the file identifier WeasyPrint writes is a hash of the content: deterministic too
            return base.document.copy(pages).write_pdf(pdf_variant=PDF_VARIANT, attachments=list(attachments))


@contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    """fontTools stamps font subsets with the time unless SOURCE_DATE_EPOCH says otherwise."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def qr_stream(text: str, x: float, y: float, size: float = QR_SIZE) -> bytes:
    """PDF operators drawing a QR code of `text` as filled squares (no fonts, no images)."""
    qr = segno.make(text, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    module = size / len(matrix)
    ops = [b"q 0 0 0 rg"]
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                top = y + size - (r + 1) * module
                ops.append(f"{x + start * module:.3f} {top:.3f} {(c - start) * module:.3f} {module:.3f} re".encode())
            else:
                c += 1
    ops.append(b"f Q")
    return b"\n".join(ops)


def stamp_qr_codes(pdf: bytes, sheet_fronts: list[tuple[int, int]], url: str) -> bytes:
    """Draw a QR code of `url` (with {sheet}) on each (page index, sheet) front. The page's
    own content is wrapped in q/Q so the stamp is drawn in untransformed page space."""
    # WeasyPrint's xref streams make pypdf log a harmless "object count" notice on every read
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    save = writer._add_object(_stream(b"q"))
    for page_index, sheet in sheet_fronts:
        page = writer.pages[page_index]
        width = float(page.mediabox.width)
        stamp = _stream(b"Q\n" + qr_stream(url.format(sheet=sheet), width - QR_MARGIN - QR_SIZE, QR_MARGIN))
        contents = page.get(NameObject("/Contents"))
        parts = list(contents) if isinstance(contents, ArrayObject) else [page.raw_get("/Contents")]
        page[NameObject("/Contents")] = ArrayObject([save, *parts, writer._add_object(stamp)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
