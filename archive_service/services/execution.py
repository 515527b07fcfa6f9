"""Where work runs off the caller: the one interface services and entry points are given.

The composition root (`Archive.runner`) picks the implementation once per process: Celery
workers when a broker is configured, local worker processes on the embedded default, or this
very process (inside a worker, and in tests). Services call these methods and never import
Celery, process pools or threads themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from archive_service.key_specs import Pkcs12File
from archive_service.services.documents import RenderJob


class JobRunner(Protocol):
    """Runs render and signing work, and long jobs off a request."""

    def render(self, jobs: Sequence[RenderJob], actor: str) -> Iterator[tuple[RenderJob, dict]]:
        """(job, outcome) as each document is finished, in the order they finish: the outcome is
        `DocumentResult.as_dict()`, or {"error": message} for a job that failed. Rendering is safe
        to repeat, so a job redelivered after a lost worker does no harm."""
        ...

    def sign(self, key: Pkcs12File, academic_year: str, periods: Sequence[str], class_names: Sequence[str],
             actor: str) -> Iterator[list[dict]]:
        """Sign the classes' documents awaiting the signature with a PKCS#12 key, yielding each
        share's outcomes (`SignOutcome.as_dict()`) as it completes. The key's password stays in
        this machine's memory: it never goes through a broker."""
        ...

    def in_background(self, name: str, run: Callable[[], None]) -> None:
        """Start `run()` off the caller's thread and return at once (a web request does not wait;
        `run` reports its own progress in its job row)."""
        ...
