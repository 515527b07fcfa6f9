"""storage: backup media (directories, removable disks, S3 with Object Lock, ISO images).

A library: it knows nothing of Flask, the database or archive_service. The media interface,
backup sets and fixity audits arrive with the backup issue; for now it holds its error base.
"""

from storage.errors import StorageError

__all__ = ["StorageError"]
