"""The whole-string hex reader gives what pyHanko's byte-at-a-time reader gives, errors included."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfReadError

from signing import pdf_speed

HEX = "0123456789abcdefABCDEF"
BODY = st.text(alphabet=st.sampled_from(list(HEX + " \n\r\t\f\x00")), max_size=300)
ODD = st.text(alphabet=st.sampled_from(list(HEX + " \n%xg()<")), max_size=60)


def _outcome(reader, data: bytes):
    stream = io.BytesIO(data)
    try:
        value = reader(stream)
    except PdfReadError as exc:
        return ("error", type(exc), str(exc))
    return (type(value), bytes(value.original_bytes), stream.tell())


def _both(data: bytes):
    return _outcome(pdf_speed._PYHANKO_READER, data), _outcome(pdf_speed.read_hex_string, data)


@settings(max_examples=300, deadline=None)
@given(body=BODY, tail=st.sampled_from(["", " /Next 1", ">>", "\n"]))
def test_well_formed_strings_read_the_same(body: str, tail: str) -> None:
    theirs, ours = _both(f"<{body}>{tail}".encode("latin-1"))
    assert ours == theirs
    assert ours[0] != "error"


@settings(max_examples=300, deadline=None)
@given(body=ODD, closed=st.booleans())
def test_odd_strings_read_or_fail_the_same(body: str, closed: bool) -> None:
    """Comments, stray characters and a missing «>» go to pyHanko's own reader: the same value or
    the same error."""
    data = f"<{body}{'>' if closed else ''}".encode("latin-1")
    theirs, ours = _both(data)
    assert ours == theirs


def test_a_signature_sized_string_across_chunks() -> None:
    """/Contents of a real signature: 16 KB of DER then the zero padding, past one read chunk."""
    der = bytes(range(256)) * 64
    data = b"<" + der.hex().upper().encode() + b"0" * (2 * pdf_speed.CHUNK) + b">"
    theirs, ours = _both(data)
    assert ours == theirs
    assert ours[1].startswith(der)


def test_installed_where_pyhanko_reads_objects() -> None:
    import signing.pades  # noqa: F401  (installs it)

    assert generic.read_hex_string_from_stream is pdf_speed.read_hex_string
    value = generic.read_object(io.BytesIO(b"<48656C6C6F>"), None)
    assert bytes(value.original_bytes) == b"Hello"


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
