"""storage: where archive files live — the content-addressed store now, backup media later.

A library: it knows nothing of Flask, the database or archive_service.
"""

from storage.content_store import ContentStore
from storage.errors import StorageError

__all__ = ["ContentStore", "StorageError"]
