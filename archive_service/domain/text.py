"""Which characters the names, ids and texts of a snapshot may hold.

A class name or an id ends up in file names (backups, exports), in headings on paper and in
search keys. A `/` or `\\` in it reaches into another path (`10Я/../10А.json` is `10А.json`);
a control or invisible character makes two different names look the same on the screen and
in print (`10А` and `10А` + zero-width space), and a NUL cannot even be stored in PostgreSQL.
So names and ids hold visible characters and ordinary spaces only; short labels (the journal
system, a kind of work) may also hold a slash; free text (topics, homework) may hold line
breaks and tabs besides, but no other control character and no reordering of the text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

SEPARATORS = frozenset("/\\")

#: letters and marks that draw nothing: fillers and variation selectors, not in a `C*` category
_BLANK = frozenset({"\u115f", "\u1160", "\u17b4", "\u17b5", "\u3164", "\uffa0", "\u034f", "\u2800",
                    *map(chr, range(0x180B, 0x1810)), *map(chr, range(0xFE00, 0xFE10)),
                    *map(chr, range(0xE0100, 0xE01F0))})
#: embedding, override and isolate controls: they reorder how the text is shown
_BIDI = frozenset({*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f",
                   "\u061c"})
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r")


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _describe(ch: str) -> str | None:
    """Why `ch` may not be in a name or an id (None: it may)."""
    category = unicodedata.category(ch)
    if ch in SEPARATORS:
        return f"символ «{ch}» (разделитель в пути к файлу)"
    if category == "Cc":
        return f"управляющий символ {_code(ch)}"
    if ch in _BIDI:
        return f"невидимый символ {_code(ch)}, меняющий направление текста"
    if category == "Cf" or ch in _BLANK:
        return f"невидимый символ {_code(ch)}"
    if category in ("Zl", "Zp"):
        return f"разрыв строки {_code(ch)}"
    if category == "Zs" and ch != " ":
        return f"особый пробел {_code(ch)} (допустим только обычный пробел)"
    if category in ("Co", "Cs", "Cn"):
        return f"недопустимый символ {_code(ch)} (не назначен в Юникоде или служебный)"
    return None


@lru_cache(maxsize=1 << 16)  # ids and names repeat on every mark of a snapshot
def forbidden_in_name(value: str) -> str | None:
    """The first character a name or an id may not hold, described in Russian; None if none."""
    # every C* and Z* character but the space is "not printable": the common case needs no loop
    if value.isprintable() and SEPARATORS.isdisjoint(value) and _BLANK.isdisjoint(value):
        return None
    for ch in value:
        if ch.isascii() and (ch.isalnum() or ch in " -._"):  # the common case, quickly
            continue
        reason = _describe(ch)
        if reason:
            return reason
    return None


@lru_cache(maxsize=1 << 16)
def forbidden_in_label(value: str) -> str | None:
    """Like `forbidden_in_name`, but a slash or a backslash is allowed (it never makes a path)."""
    if value.isprintable() and _BLANK.isdisjoint(value):
        return None
    for ch in value:
        if ch.isascii() and (ch.isalnum() or ch in " -._/\\"):
            continue
        reason = None if ch in SEPARATORS else _describe(ch)
        if reason:
            return reason
    return None


def forbidden_in_text(value: str) -> str | None:
    """The first character free text may not hold: control characters other than tab and line
    breaks, reordering controls, surrogates. None if there is none."""
    if value.isprintable():  # no C* character at all (reordering controls are Cf)
        return None
    for ch in value:
        if ch.isascii() and (ch.isprintable() or ch in _TEXT_CONTROLS_ALLOWED):
            continue
        category = unicodedata.category(ch)
        if category == "Cc":
            return f"управляющий символ {_code(ch)}"
        if ch in _BIDI:
            return f"невидимый символ {_code(ch)}, меняющий направление текста"
        if category == "Cs":
            return f"недопустимый символ {_code(ch)}"
    return None


def ascii_digits(value: str) -> bool:
    """Only the digits 0–9 (str.isdigit() also takes «２» and «٢», which int() reads as numbers)."""
    return bool(value) and all("0" <= ch <= "9" for ch in value)
