"""The address a printed sheet's QR code points to, and whether it can work off this computer.

A QR code is printed once and read for years on other devices (an inspector's phone, a
secretary's computer): an address of this very computer — a loopback address (127.0.0.0/8,
::1), «localhost», or the unspecified 0.0.0.0 — opens nothing there. The demo runs on such an
address; a school's installation must not print one (`services.documents.require_public_address`).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_local_address(url: str) -> bool:
    """Whether `url` names no host other devices can reach: loopback, «localhost», 0.0.0.0, or
    no host at all (an empty or malformed address)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return True
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name in the school's network or the internet
    return address.is_loopback or address.is_unspecified
