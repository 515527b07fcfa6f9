"""Errors of the retention library, one tree under `RetentionError`."""


class RetentionError(ValueError):
    """A retention rule cannot be applied to the given input."""
