"""The backup papers: the hand-over act of a backup set (акт передачи) and the backup-usage journal.

Both name people by name (`actor.printed_name`: never «cli:root»), periods in Russian, times in
the school's time zone, a set by its periods and the tail of its identifier (the full identifier
carries a period code and a UTC moment: it is for the machine), media by their label and room —
never a server path — and sizes with a decimal comma.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from archive_service.domain.actor import TERMINAL_PREFIX, known_name, printed_name
from archive_service.domain.clock import SCHOOL_TIMEZONE
from archive_service.domain.periods import period_title
from archive_service.rendering.registers import dmy, render
from archive_service.rendering.registers_text import megabytes, without_paths

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
          "декабрь")
NOT_RECORDED = "не записан"
"""What the act prints for a medium's type or serial number the set's row does not hold (sets made
before these were recorded, or a medium with no serial number configured)."""
ZONE_WORDS = {"Europe/Moscow": "московское"}


def set_periods(label: str) -> str:
    """A set's periods in words: «Q2,H1» → «II четверть, I полугодие»; «месяц 2026-12» → «ежемесячная копия:
    декабрь 2026 г.»."""
    if label.startswith("месяц "):
        year, month = label.removeprefix("месяц ").strip().split("-")
        return f"ежемесячная копия: {MONTHS[int(month) - 1]} {year} г."
    return ", ".join(period_title(code.strip()) for code in label.split(",") if code.strip())


def set_mark(set_id: str) -> str:
    """The tail of a set's identifier («…-d4aee0a7» → «d4aee0a7»): unique, and free of period codes."""
    return set_id.rsplit("-", 1)[-1]


def _copies(copies: dict) -> list[dict]:
    return [{"label": label, "kind": copy.get("kind") or NOT_RECORDED, "serial": copy.get("serial") or NOT_RECORDED,
             "location": copy.get("location") or "не записано", "verified": copy.get("verified", False)}
            for label, copy in sorted(copies.items())]


def handover_act(templates_dir: Path, backup: dict, *, school: str, director: str, moment: dt.datetime) -> bytes:
    """«Акт № N/YYYY передачи резервных копий» with both media (type, serial number, room, check),
    the set's periods, size and retention, and the signature lines. `moment`: the set's creation in
    the school's time zone (the act's date)."""
    created = dt.datetime.fromisoformat(backup["created_at"])
    return render(templates_dir, "handover_act.html", {
        "set": backup, "school": school, "director": director, "date": moment.strftime("%d.%m.%Y"),
        "number": f"{backup['act_number']}/{created.year}" if backup.get("act_number") else "",
        "deputy": known_name(backup["created_by"]), "copies": _copies(backup["copies"]),
        "mark": set_mark(backup["set_id"]), "periods": set_periods(backup["periods"]),
        "size": megabytes(backup["size"]), "retain": dmy(backup["retain_until"])}, moment)


_TERMINAL_IN_TEXT = re.compile(re.escape(TERMINAL_PREFIX) + r"[\w.@-]+")


def journal_words(text: str) -> str:
    """A journal text as printed and shown: no server path, no terminal account."""
    return _TERMINAL_IN_TEXT.sub(lambda m: printed_name(m.group(0)), without_paths(text))


def set_words(set_id: str, sets: dict[str, dict]) -> str:
    """The «Набор» column: «2026/2027, II четверть (d4aee0a7)»; «все наборы» for a look at the list."""
    if set_id == "*":
        return "все наборы"
    if not set_id:
        return "—"
    known = sets.get(set_id)
    return f"{known['academic_year']}, {set_periods(known['periods'])} ({set_mark(set_id)})" if known \
        else set_mark(set_id)


def journal_row(row: dict, sets: dict[str, dict], zone: ZoneInfo) -> dict:
    """A journal line as printed: the moment in the school's time zone, words without paths or
    terminal accounts."""
    at = dt.datetime.fromisoformat(row["at"]).astimezone(zone)
    return {"seq": row["seq"], "at": at.strftime("%d.%m.%Y %H:%M"), "person": printed_name(row["person"]),
            "role": row["role"], "medium": journal_words(row["medium"]), "set": set_words(row["set_id"], sets),
            "action": journal_words(row["action"]), "purpose": journal_words(row["purpose"]),
            "result": journal_words(row["result"])}


def backup_journal(templates_dir: Path, rows: list[dict], *, intact: bool, school: str, moment: dt.datetime,
                   sets: dict[str, dict] | None = None, zone: ZoneInfo | None = None) -> bytes:
    """The backup-usage journal printed. `sets`: set id → its row (academic year, periods);
    `zone`: the school's time zone (Moscow when not said)."""
    zone = zone or ZoneInfo(SCHOOL_TIMEZONE)
    shown = [journal_row(r, sets or {}, zone) for r in rows]
    return render(templates_dir, "backup_journal.html", {
        "rows": shown, "intact": intact, "school": school,
        "zone_words": ZONE_WORDS.get(getattr(zone, "key", ""), "местное")}, moment)
