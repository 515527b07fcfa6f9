"""Errors of the signing library, one tree under `SigningError`.

    SigningError            a document could not be signed
     ├── KeyAccessError     the key cannot be opened: wrong password or PIN, missing token, bad file
     │    └── PinRejectedError  the token refused the PIN: trying again spends its remaining attempts
     └── VerificationError  a signature could not be checked at all (not: checked and invalid)
"""


class SigningError(Exception):
    """A document could not be signed or a signature could not be verified."""


class KeyAccessError(SigningError):
    """The signing key cannot be used: wrong password or PIN, missing token, broken file."""


class PinRejectedError(KeyAccessError):
    """The token refused the PIN (wrong, blocked, not given): another try would spend an attempt."""


class VerificationError(SigningError):
    """The file cannot be checked (not a PDF, no signature); an invalid signature is a report."""
