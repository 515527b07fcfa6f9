"""pyHanko reads a PDF hex string one byte at a time; this reads it whole (same result, same errors).

A signature's /Contents is a hex string of 20–40 thousand digits, mostly the zero padding of the
room reserved for the CMS container. pyHanko's `generic.read_hex_string_from_stream` (0.38) reads
it token by token through `read_non_whitespace`: measured on the demo school's copies, 30 ms of
a 38 ms `newest_timestamp_expiry` and about a fifth of a B-LTA signature (the signer reads the
signature dictionaries back for the validation data and the document timestamp).

`read_hex_string` finds the closing «>» in the buffer, drops the PDF white-space and unhexlifies
in one call. Whatever it is not sure of — a «%» (a comment inside the string), a character that
is not a hex digit, no «>» before the end — goes back to pyHanko's own reader from the same
position, so every error is pyHanko's own. `tests/unit/test_pdf_speed.py` holds the two readers to
the same result on generated strings. `install()` puts it in place once, where pyHanko parses
signed files (`signing.pades`, `signing.renewal`, `signing.verify`).
"""

from __future__ import annotations

import binascii
from typing import IO, Any

from pyhanko.pdf_utils import generic

WHITESPACE = b" \n\r\t\f\x00"  # PDF white-space (ISO 32000-1, 7.2.2), as pyHanko's misc.PDF_WHITESPACE
HEX_DIGITS = b"0123456789abcdefABCDEF"
CHUNK = 1 << 16

_PYHANKO_READER = generic.read_hex_string_from_stream


def read_hex_string(stream: IO[bytes]) -> Any:
    """The string object of the hex string at the stream's position (at its «<»)."""
    start = stream.tell()
    stream.read(1)  # «<»
    parts: list[bytes] = []
    while True:
        chunk = stream.read(CHUNK)
        end = chunk.find(b">")
        if end >= 0:
            parts.append(chunk[:end])
            break
        if not chunk:  # no «>» before the end of the file: pyHanko says so in its words
            stream.seek(start)
            return _PYHANKO_READER(stream)
        parts.append(chunk)
    body = b"".join(parts)
    digits = body.translate(None, WHITESPACE)
    if digits.translate(None, HEX_DIGITS):  # a comment or a stray character: pyHanko decides
        stream.seek(start)
        return _PYHANKO_READER(stream)
    stream.seek(start + 1 + len(body) + 1)  # just past the «>»
    if len(digits) % 2:
        digits += b"0"  # an odd last digit stands for its high half (ISO 32000-1, 7.3.4.3)
    return generic.pdf_string(binascii.unhexlify(digits))


def install() -> None:
    """Make pyHanko's object reader use `read_hex_string` (idempotent)."""
    generic.read_hex_string_from_stream = read_hex_string
