"""How many lines a text takes in a table column of PT Sans, known before layout.

The subject pages decide before WeasyPrint lays them out whether a part's grid and its topics
fit on one page (`rendering.subject_sheets`). The widths here are PT Sans Regular's advance
widths (per 1000 em, from templates/fonts/PTS55F.ttf), so the count needs no font file at run
time; a character not in the table counts as one em, wider than any letter. Lines are filled greedily and broken
only at spaces, which WeasyPrint also does (it may break at more places, never at fewer), so the
count is never lower than the real one.
"""

from __future__ import annotations

from functools import lru_cache

_ADVANCES = {
    194: '’‘', 214: '.', 218: "'", 219: ':', 225: ',', 238: '|', 256: ';', 267: ' j·\xa0', 268: 'iі', 278: 'ї',
    280: '()`', 291: 'IJІ', 292: 'l', 293: 'Ї', 304: '[]', 305: '!', 319: 'f', 335: '"', 339: 't', 340: 'r“”„',
    346: '{}', 351: '*', 354: '/', 360: '-', 369: 'г', 380: '\\', 398: 'т', 408: '_', 421: 's', 425: '°',
    436: '?', 441: 'з', 442: 'Г', 447: 'z', 451: 'cс', 464: 'ь', 465: 'э', 466: 'yу', 472: 'є', 475: 'я',
    478: 'к«»', 479: 'k', 482: 'v', 490: 'ч', 496: 'aа', 497: 'ъ§', 499: 'в', 500: '^', 503: 'л',
    505: '+<=>~±×', 508: 'eеё', 515: 'xх', 517: 'FL', 531: 'S', 535: 'п', 536: 'EoЕбоЁ', 537: 'gq', 538: 'd',
    539: 'u', 540: 'bн', 541: 'pЗдр', 545: '#$0123456789Z', 546: 'ий', 547: 'hn', 548: 'ц', 550: 'Б', 553: 'У',
    555: 'TТЬ', 558: 'Y', 559: 'PР', 568: 'V', 569: 'Я', 571: 'CС', 577: 'Э', 583: 'Є', 584: 'BВ', 585: 'AА',
    595: 'R', 605: 'Ч', 610: 'KК', 612: 'G', 618: 'XХ', 624: 'Л', 630: 'Ъ', 645: 'м', 652: 'U', 654: 'D',
    659: 'Пж', 660: 'ы–', 669: 'Д', 672: 'HН', 673: 'N', 680: 'ф', 681: 'ИЙ', 684: 'OQО', 687: 'Ц', 719: 'ю',
    735: 'w', 736: 'ш', 753: 'щ', 759: '…', 769: 'Ы', 773: '%', 780: 'Ф', 791: 'MМ', 806: 'Ж', 812: 'm',
    814: '&', 820: '—', 828: 'W', 877: 'Ш', 893: 'Ю', 913: 'Щ', 1023: '№', 1064: '@'
}
ADVANCE = {ch: width for width, chars in _ADVANCES.items() for ch in chars}
WIDE = 1000  # a character not in the table: one em, wider than any letter


def text_width(text: str, size: float) -> float:
    """pt, the width of `text` in PT Sans at `size` pt."""
    return sum(ADVANCE.get(ch, WIDE) for ch in text) * size / 1000


@lru_cache(maxsize=4096)
def line_count(text: str, width: float, size: float) -> int:
    """The lines `text` takes in a column `width` pt wide at `size` pt (1 for an empty text)."""
    lines, used, space = 1, 0.0, text_width(" ", size)
    for word in text.split():
        w = text_width(word, size)
        if used and used + space + w > width:
            lines, used = lines + 1, 0.0
        if not used:
            lines += int(w // width) if w > width else 0
            used = w % width if w > width else w
        else:
            used += space + w
    return lines
