"""Errors of the storage library, one tree under `StorageError`."""


class StorageError(Exception):
    """A medium could not be written, read or verified."""
