"""PNG previews of document pages, for the UI and for people checking.

poppler's pdftoppm draws the page (to a raw image on its standard output) and Pillow writes the PNG at a
light compression: pdftoppm's own PNG writer spends three times as long compressing as drawing (a journal
page at 90 dpi: ~35 ms to draw, ~110 ms to compress at zlib's default level; at level 3 ~15 ms, the file
about as large). A preview is sent once over a school's network and never kept, so speed wins over bytes.
"""

from __future__ import annotations

import io
import logging
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)
PNG_COMPRESSION = 3
"""zlib's level for preview PNGs (0–9)."""


class PreviewError(RuntimeError):
    pass


def page_png(pdf: bytes, page: int, dpi: int = 60) -> bytes:
    """Page `page` (1-based) of `pdf` as PNG bytes."""
    with tempfile.TemporaryDirectory(prefix="preview-") as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                                 str(source)], capture_output=True)
    try:
        if result.returncode != 0 or not result.stdout:
            raise OSError(result.stderr.decode("utf-8", "replace").strip() or f"pdftoppm: {result.returncode}")
        png = io.BytesIO()
        Image.open(io.BytesIO(result.stdout)).save(png, "PNG", compress_level=PNG_COMPRESSION)
    except (UnidentifiedImageError, OSError) as err:  # poppler's and Pillow's words are for the log, not people
        log.warning("page %s not drawn: %s", page, err)
        raise PreviewError(f"не удалось получить изображение страницы {page}: файл документа не читается") from err
    return png.getvalue()
