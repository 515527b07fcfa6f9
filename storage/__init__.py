"""storage: where archive files live — the content-addressed store, backup media and sets.

A library: it knows nothing of Flask, the database or archive_service.
"""

from storage.backup_sets import (
    AuditFinding,
    CopyStatus,
    audit_set,
    build_set,
    delete_set,
    finish_set,
    restore_set,
    set_hashes,
    write_set,
)
from storage.content_store import ContentStore, DirectoryStore, open_store
from storage.errors import SetDeletionIncomplete, StorageError
from storage.media import DirectoryMedium, Medium, RetentionRefused
from storage.sealing import WrongAccessCode

__all__ = [
    "AuditFinding",
    "ContentStore",
    "CopyStatus",
    "DirectoryMedium",
    "DirectoryStore",
    "Medium",
    "RetentionRefused",
    "SetDeletionIncomplete",
    "StorageError",
    "WrongAccessCode",
    "audit_set",
    "build_set",
    "delete_set",
    "finish_set",
    "open_store",
    "restore_set",
    "set_hashes",
    "write_set",
]
