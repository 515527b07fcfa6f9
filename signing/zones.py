"""Time zones as Russians name them («МСК», «МСК+4»): the signature stamp, the verification
report and every page and listing of the application that shows a moment. Standard library
only, so that naming a zone never loads pyHanko."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")


def moscow_relative(moment: dt.datetime) -> str:
    """The time zone as Russians name it: «МСК», «МСК+2» (Екатеринбург), «МСК−1» (Калининград)."""
    hours = ((moment.utcoffset() or dt.timedelta()) - (moment.astimezone(MOSCOW).utcoffset() or dt.timedelta()))
    shift = hours.total_seconds() / 3600
    if shift == 0:
        return "МСК"
    number = f"{abs(shift):g}".replace(".", ",")
    return f"МСК{'+' if shift > 0 else '−'}{number}"


def local_moment(moment: dt.datetime, zone: dt.tzinfo, pattern: str = "%d.%m.%Y %H:%M") -> str:
    """A moment in `zone` with the zone's name: «01.12.2026 10:15 (МСК+4)»; a naive moment is UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    local = moment.astimezone(zone)
    return f"{local.strftime(pattern)} ({moscow_relative(local)})"
