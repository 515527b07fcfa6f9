"""signing: the director's electronic signature on archive documents (PAdES with pyHanko).

A library: it knows nothing of Flask, the database or archive_service. The signer, the
timestamp client, long-term validation and verification arrive with the signing issue; for
now the package holds its error base so callers can already catch it.
"""

from signing.errors import SigningError

__all__ = ["SigningError"]
