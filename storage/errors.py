"""Errors of the storage library, one tree under `StorageError`.

    StorageError                 a medium could not be written, read or verified
    ├── RetentionRefused         (storage.media) a delete before the retain-until date
    ├── SetDeletionIncomplete    a set's deletion stopped with objects left on a medium
    └── WrongAccessCode          (storage.sealing) the code does not open the sealed payload
"""


class StorageError(Exception):
    """A medium could not be written, read or verified."""


class SetDeletionIncomplete(StorageError):
    """A backup set's deletion stopped part-way: `deleted` says what went (medium label → objects),
    `left` what is still there. The set must not be reported as destroyed."""

    def __init__(self, message: str, *, deleted: dict[str, list[str]], left: dict[str, list[str]]):
        super().__init__(message)
        self.deleted = deleted
        self.left = left
