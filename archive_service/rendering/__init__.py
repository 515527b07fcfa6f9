"""Rendering: snapshots into print-ready, numbered, stitch-ready PDF/A documents.

`DocumentRenderer` is the entry point; `model` prepares what templates show, `grid` draws
mark grids fast, `pdf` renders with WeasyPrint and joins the parts with pypdf.
"""

from archive_service.rendering.documents import (
    TEMPLATE_VERSIONS,
    DocumentRenderer,
    RenderedDocument,
    RenderOptions,
    document_id,
    sheets_in_words,
)

__all__ = ["DocumentRenderer", "RenderOptions", "RenderedDocument", "TEMPLATE_VERSIONS", "document_id",
           "sheets_in_words"]
