"""Errors of the signing library, one tree under `SigningError`."""


class SigningError(Exception):
    """A document could not be signed or a signature could not be verified."""
