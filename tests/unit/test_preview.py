"""Page previews (`rendering/preview.py`): poppler draws the page, Pillow writes the PNG; a file poppler cannot
read is refused in Russian, with poppler's own words kept for the log only."""

from __future__ import annotations

import io
import logging

import pytest
from PIL import Image

from archive_service.rendering.preview import PreviewError, page_png

ONE_PAGE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length 35>>stream\n0 0 0 rg 100 400 200 100 re f\nendstream endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
"""A4 with one black rectangle (poppler rebuilds the missing cross-reference table)."""


def test_a_page_is_drawn_at_the_asked_resolution():
    image = Image.open(io.BytesIO(page_png(ONE_PAGE, 1, dpi=72)))
    assert image.format == "PNG" and image.size == (595, 842)
    assert image.convert("L").getpixel((150, 842 - 450)) == 0  # inside the rectangle: black
    assert image.convert("L").getpixel((10, 10)) == 255  # the margin: white


def test_a_page_the_document_has_not_and_a_broken_file_are_refused_in_russian(caplog):
    with caplog.at_level(logging.WARNING), pytest.raises(PreviewError) as missing:
        page_png(ONE_PAGE, 2, dpi=72)
    assert str(missing.value) == "не удалось получить изображение страницы 2: файл документа не читается"
    with pytest.raises(PreviewError) as broken:
        page_png(b"not a PDF at all", 1)
    assert "файл документа не читается" in str(broken.value) and "PDF" not in str(broken.value)
    assert "page 2 not drawn" in caplog.text  # poppler's words go to the log
