"""Writing what an actor did to the audit log, inside the service's own unit of work, so the event
is committed together with the change (or not at all).

Two kinds of event are written:

* the action itself (`register.added`, `disposal.act_approved`…), under the person's full name;
* for a person acting through the web pages, the request too (`web.register_added`,
  `web.disposal_act_downloaded`…), with where it came from (`web 10.0.0.7`) and what the page
  showed them. The command line and the schedule have only the first: what they do is the
  action itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from archive_service.domain.actor import Actor
from archive_service.services.ports import Audit

WEB_ORIGIN = "web "
"""How `web.auth.origin()` begins: a person acting through the web pages."""


def record(audit: Audit, actor: Actor, *, at: dt.datetime, action: str, object_type: str, object_id: str,
           details: dict[str, Any] | None = None) -> None:
    """The action itself, under the actor's full name."""
    audit.append(at=at, actor=actor.person, action=action, object_type=object_type, object_id=object_id,
                 details=details)


def record_request(audit: Audit, actor: Actor, *, at: dt.datetime, action: str, object_type: str,
                   object_id: str, **details: Any) -> None:
    """`web.<action>` with where the request came from, when the actor acts through the web pages."""
    if actor.origin.startswith(WEB_ORIGIN):
        audit.append(at=at, actor=actor.person, action=f"web.{action}", object_type=object_type,
                     object_id=object_id, origin=actor.origin, details=details)
