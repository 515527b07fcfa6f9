"""PNG previews of document pages (poppler's pdftoppm), for the UI and for people checking."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


class PreviewError(RuntimeError):
    pass


def page_png(pdf: bytes, page: int, dpi: int = 60) -> bytes:
    """Page `page` (1-based) of `pdf` as PNG bytes."""
    with tempfile.TemporaryDirectory(prefix="preview-") as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                                 "-singlefile", str(source), str(Path(tmp) / "page")],
                                capture_output=True, text=True)
        target = Path(tmp) / "page.png"
        if result.returncode != 0 or not target.exists():
            raise PreviewError(f"не удалось получить изображение страницы {page}: {result.stderr.strip()}")
        return target.read_bytes()
