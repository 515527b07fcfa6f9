"""HTML to PDF/A-3b with WeasyPrint, and the joining of parts with pypdf.

A document is rendered in two passes of different parts, never twice whole: the body first
(its length decides the sheet numbers), then the front and back matter that quote the total.
pypdf joins them into the body's file — whose catalog carries the PDF/A identification, the
output intent and the embedded snapshot — stamps a QR code on every sheet and fixes the file
identifier, so the same input always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import jinja2
import segno
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, ContentStream, DecodedStreamObject, NameObject
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

PDF_VARIANT = "pdf/a-3b"
QR_SIZE = 34.0  # pt, about 12 mm
QR_MARGIN = 14.0  # pt from the outer edge and from the bottom


@dataclass(frozen=True)
class RenderedPart:
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # element id → index of the page it starts on


class PrintEnvironment:
    """Templates, fonts and parsed stylesheets, built once per process and reused."""

    def __init__(self, templates_dir: Path):
        self.print_dir = (templates_dir / "print").resolve()
        self.jinja = jinja2.Environment(loader=jinja2.FileSystemLoader(self.print_dir), autoescape=True,
                                        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        self.fonts = FontConfiguration()
        self.base_url = self.print_dir.as_uri() + "/"
        self._css: dict[Any, CSS] = {}

    def _stylesheet(self, key: Any, text: str | None = None, filename: Path | None = None) -> CSS:
        if key not in self._css:
            self._css[key] = CSS(string=text, filename=filename, base_url=self.base_url, font_config=self.fonts)
        return self._css[key]

    def render(self, template: str, context: dict[str, Any], *, duplex: bool, epoch: int, first_sheet: int = 1,
               named_pages: tuple[tuple[str, int], ...] = (),
               attachments: Iterable[Attachment] = (), identifier: bytes | None = None) -> RenderedPart:
        """Render one part; `epoch` (from the inputs) is the only time that reaches the file."""
        html = self.jinja.get_template(template).render(**context, duplex=duplex)
        pages_css = self.jinja.get_template("pages.css").render(duplex=duplex, first_sheet=first_sheet,
                                                                named_pages=named_pages)
        stylesheets = [self._stylesheet("print.css", filename=self.print_dir / "print.css"),
                       self._stylesheet(("pages", duplex, first_sheet, named_pages), text=pages_css)]
        document = HTML(string=html, base_url=self.base_url).render(stylesheets=stylesheets,
                                                                   font_config=self.fonts)
        anchors = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                anchors.setdefault(anchor, index)
        with _source_date_epoch(epoch):
            pdf = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=list(attachments),
                                     identifier=identifier)
        return RenderedPart(pdf, len(document.pages), anchors)


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


def _stamp(writer: PdfWriter, page: PageObject, operators: bytes) -> None:
    stream = DecodedStreamObject()
    stream.set_data(operators)
    overlay = PageObject.create_blank_page(writer, width=page.mediabox.width, height=page.mediabox.height)
    overlay.replace_contents(ContentStream(stream, writer))
    page.merge_page(overlay)


def assemble(front: RenderedPart, front_pages: list[int], body: RenderedPart, back: RenderedPart,
             back_pages: list[int], *, sheet_fronts: list[tuple[int, int]], qr_url: str,
             document_id: str, extra_info: dict[str, str]) -> bytes:
    """front pages + body + back pages in one PDF/A file, QR codes on the fronts of sheets."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(body.pdf)))
    producer = writer.metadata.get("/Producer") if writer.metadata else None
    front_reader = PdfReader(io.BytesIO(front.pdf))
    for offset, index in enumerate(front_pages):
        writer.insert_page(front_reader.pages[index], offset)
    back_reader = PdfReader(io.BytesIO(back.pdf))
    for index in back_pages:
        writer.add_page(back_reader.pages[index])
    for page_index, sheet in sheet_fronts:
        page = writer.pages[page_index]
        width = float(page.mediabox.width)
        _stamp(writer, page, qr_stream(qr_url.format(sheet=sheet), width - QR_MARGIN - QR_SIZE, QR_MARGIN))
    info = {"/Producer": str(producer or "WeasyPrint")}
    info.update({f"/{key}": value for key, value in extra_info.items()})
    writer.add_metadata(info)
    digest = hashlib.sha256(document_id.encode()).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
