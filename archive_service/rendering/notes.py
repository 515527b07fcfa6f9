"""A page of the web app printed to PDF as it is (the pre-flight notes to teachers): WeasyPrint
with the project's PT fonts, nothing archival (no PDF/A, no sheet numbers, no QR code)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

_FACES = """
@font-face { font-family: "PT Serif"; src: url(PTF55F.ttf); }
@font-face { font-family: "PT Serif"; font-weight: bold; src: url(PTF75F.ttf); }
@font-face { font-family: "PT Sans"; src: url(PTS55F.ttf); }
@font-face { font-family: "PT Sans"; font-weight: bold; src: url(PTS75F.ttf); }
"""


@lru_cache(maxsize=4)
def _fonts(fonts_dir: Path) -> tuple[FontConfiguration, CSS]:
    config = FontConfiguration()
    return config, CSS(string=_FACES, base_url=fonts_dir.resolve().as_uri() + "/", font_config=config)


def page_pdf(html: str, fonts_dir: Path) -> bytes:
    """The page (self-contained HTML: its styles inline, no images) as PDF bytes; its `@media
    print` rules apply."""
    config, faces = _fonts(fonts_dir)
    pdf = HTML(string=html).write_pdf(stylesheets=[faces], font_config=config)
    assert pdf is not None
    return pdf
