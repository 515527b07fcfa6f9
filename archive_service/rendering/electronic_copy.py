"""A print made from an electronic original (a paperless school's archival original): every page of
the signed file with the mark «Копия электронного документа» and the signature's details along the
sheet's inner edge, and the sheet check's QR code on every page.

The electronic original is not stitched, so its binding margin (30 mm on the inner edge, mirrored on
back pages) is free: the mark is laid there, as a band turned along the edge, and never covers the
grid. Fronts carry the sheet's QR code already (rendered with the document); backs get the same
sheet's code at the same corner — on a back that corner is in the free binding margin. The print is
a new file: the signature fields and attachments of the signed file are not carried over (a print
proves nothing by itself; the QR code leads to the archive's check of the original).
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import DecodedStreamObject, NameObject
from weasyprint import HTML

from archive_service.domain.sheets import is_front, sheet_of_page
from archive_service.rendering.pdf import QR_MARGIN, QR_SIZE, PrintEnvironment, qr_stream

BAND = 30 * 72 / 25.4
"""pt: the binding margin's width (pages.css: 30 mm on the inner edge)."""
MARK = "КОПИЯ ЭЛЕКТРОННОГО ДОКУМЕНТА"


@lru_cache(maxsize=4)
def _environment(templates_dir: Path) -> PrintEnvironment:
    return PrintEnvironment(templates_dir)


def band_pdf(templates_dir: Path, lines: tuple[str, ...], length: float) -> bytes:
    """The mark as a one-page PDF `length` pt long and `BAND` pt high (its top edge: the paper edge)."""
    env = _environment(templates_dir)
    html = env.jinja.get_template("electronic_copy_band.html").render(lines=lines, length=f"{length:.2f}",
                                                                      band=f"{BAND:.2f}")
    return HTML(string=html, base_url=env.base_url).write_pdf(font_config=env.fonts)  # type: ignore[no-any-return]


def marked_copy(templates_dir: Path, signed: bytes, lines: tuple[str, ...], *, duplex: bool, url: str) -> bytes:
    """`signed` printed as a copy: the mark (`lines`, the first of them the heading) on every page
    and the QR code of `url` (with {sheet}) on every back; fronts have theirs."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # WeasyPrint's xref streams: a harmless notice
    source = PdfReader(io.BytesIO(signed))
    writer = PdfWriter()
    bands: dict[int, PageObject] = {}
    for index, original in enumerate(source.pages):
        page = writer.add_page(original)
        page.pop(NameObject("/Annots"), None)  # the signature's widget: the print is not the signed file
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        key = round(height)
        if key not in bands:
            bands[key] = PdfReader(io.BytesIO(band_pdf(templates_dir, lines, height))).pages[0]
        front = is_front(index, duplex=duplex)
        turn = (Transformation().rotate(90).translate(BAND, 0) if front  # the left edge, read upwards
                else Transformation().rotate(-90).translate(width - BAND, height))  # the right edge
        page.merge_transformed_page(bands[key], turn)
        if not front:
            code = qr_stream(url.format(sheet=sheet_of_page(index, duplex=duplex)), width - QR_MARGIN - QR_SIZE,
                             QR_MARGIN)
            page.merge_page(_overlay(code, width, height))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _overlay(operators: bytes, width: float, height: float) -> PageObject:
    """A page of the given size drawing only `operators` (merged over a page by pypdf)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width, height)
    stream = DecodedStreamObject()
    stream.set_data(operators)
    page[NameObject("/Contents")] = writer._add_object(stream)
    return page
