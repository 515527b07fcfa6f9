"""Russian typography and plain words for the register, the inventory and the acts.

What a person reads on these papers passes through here: a non-breaking space (U+00A0) keeps «№»
with its number, a number with «г.», «л.», «МБ», initials with the surname; sizes get a decimal
comma («27,6 МБ»); a server path never reaches paper.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

_NUMERO = re.compile(r"№ +")
_UNIT = re.compile(r"(\d|_) +(г\.|гг\.|л\.|МБ|КБ|ГБ|лет|года?\b)")
_INITIAL_AFTER = re.compile(r"(?<=[А-ЯЁа-яё]) +(?=[А-ЯЁ]\.)")
_INITIAL_BEFORE = re.compile(r"(?<=[А-ЯЁ]\.) +(?=[А-ЯЁ])")
_PATH = re.compile(r"(?<![\w./:])(?:[A-Za-z]:)?[/\\](?:[^\s/\\()«»,;]+[/\\]?)+")
SERVER_FOLDER = "папку на сервере"


def typeset(text: object) -> str:
    """Non-breaking spaces where Russian typography needs them: «№ 21», «2026 г.», «12 л.»,
    «27,6 МБ», «Иванова Т. П.»."""
    value = str(text)
    value = _NUMERO.sub("№" + NBSP, value)
    value = _UNIT.sub(lambda m: m.group(1) + NBSP + m.group(2), value)
    value = _INITIAL_AFTER.sub(NBSP, value)
    return _INITIAL_BEFORE.sub(NBSP, value)


def signature_name(full_name: str) -> str:
    """A name as written under a signature line (расшифровка подписи): «Сергеева Ольга Викторовна» →
    «О. В. Сергеева», joined by non-breaking spaces; a name of another shape as it is."""
    parts = full_name.split()
    if len(parts) not in (2, 3) or not all(p[:1].isupper() for p in parts):
        return typeset(full_name)
    return NBSP.join([*(p[0] + "." for p in parts[1:]), parts[0]])


def megabytes(size: int) -> str:
    """A size in megabytes (10^6 bytes) with a decimal comma: 27 600 000 → «27,6 МБ»."""
    return f"{size / 1e6:.1f}".replace(".", ",") + NBSP + "МБ"


def without_paths(text: str) -> str:
    """A journal text with any server path replaced by words: «восстановлена в /srv/x/bag» →
    «восстановлена в папку на сервере» (where the path is: the audit log)."""
    return _PATH.sub(SERVER_FOLDER, text)
