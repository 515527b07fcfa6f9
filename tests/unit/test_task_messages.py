"""What a Celery task is sent about who acts: `Actor.as_dict()`, or a name alone in a message an
older version queued before the actor crossed the broker whole."""

from __future__ import annotations

from archive_service.domain.actor import SYSTEM_ROLE, Actor
from archive_service.tasks import sent_actor


def test_the_actor_sent_as_plain_data_is_rebuilt_whole():
    deputy = Actor("Иванова Татьяна Петровна", "deputy", "web 10.0.0.7", "zavuch")
    assert sent_actor(deputy.as_dict()) == deputy
    assert sent_actor(deputy.as_dict(), "ignored: the origin travels inside") == deputy


def test_a_name_queued_by_an_older_version_acts_as_the_system_from_its_origin():
    assert sent_actor("worker-test") == Actor("worker-test", SYSTEM_ROLE)
    assert sent_actor("cli:anna", "cli@archive-01") == Actor("cli:anna", SYSTEM_ROLE, "cli@archive-01")
