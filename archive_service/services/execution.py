"""Where work runs off the caller: the one interface services and entry points are given.

The composition root (`Archive.runner`) picks the implementation once per process: Celery
workers when a broker is configured, local worker processes on the embedded default, or this
very process (inside a worker, and in tests). Services call these methods and never import
Celery, process pools or threads themselves.

A long job started from a web page (closing a period, a backup, a batch signature, a restore)
runs through `in_background`: with every implementation that is a daemon thread of the web
process that received the request (its closure holds the request's choices and a key's or
backup's secret, which must never reach a broker or the database); the heavy parts inside it
fan out through `render` and `sign`. What happens when that web process dies (restart, crash,
kill -9):

* the thread dies with it; the local worker processes it started stop once their current
  document is done (and recorded); rendering already sent to Celery workers finishes there and
  is recorded, and nothing more is sent;
* what was committed stays: each rendered document, each signature, the backup set's row and
  journal lines (an unfinished set stays «writing» and is taken over by the next backup of its
  scope); nothing half-written is recorded;
* the job's row stays «queued» or «running» with its heartbeat stopped. A live job's heartbeat
  is renewed every `jobs.BEAT_EVERY`, so once it is `jobs.STALE_AFTER` old the pages show the job
  «прервано (процесс остановлен) — можно запустить снова», and the first request a (re)started
  web process serves writes that status and the reason into the row (`jobs.mark_left_behind`,
  hooked by `web.jobs.mark_left_behind_on_start`);
* nothing restarts the job by itself: the person starts it again from the page, and because
  every step is idempotent the re-run reuses what was done (documents rendered or signed, the
  interrupted backup set) and does the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from archive_service.domain.actor import Actor
from archive_service.key_specs import Pkcs12File
from archive_service.services.documents import RenderJob


class JobRunner(Protocol):
    """Runs render and signing work, and long jobs off a request."""

    def render(self, jobs: Sequence[RenderJob], actor: Actor,
               ready: Callable[[], None] | None = None) -> Iterator[tuple[RenderJob, dict]]:
        """(job, outcome) as each document is finished, in the order they finish: the outcome is
        `DocumentResult.as_dict()`, or {"error": message} for a job that failed. Rendering is safe
        to repeat, so a job redelivered after a lost worker does no harm. `ready()`, when given, is
        called once the runner's start-up is over (worker processes up, fonts and code loaded, or
        the tasks handed to the broker) and before the first outcome: a progress bar can say the
        seconds before the first class were spent starting, not stuck."""
        ...

    def sign(self, key: Pkcs12File, academic_year: str, periods: Sequence[str], class_names: Sequence[str],
             actor: Actor) -> Iterator[list[dict]]:
        """Sign the classes' documents awaiting the signature with a PKCS#12 key, yielding each
        share's outcomes (`SignOutcome.as_dict()`) as it completes. The key's password stays in
        this machine's memory: it never goes through a broker."""
        ...

    def in_background(self, name: str, run: Callable[[], None]) -> None:
        """Start `run()` off the caller's thread and return at once (a web request does not wait;
        `run` reports its own progress in its job row)."""
        ...
