"""Fuzzed snapshot pushes through the real API, on SQLite and PostgreSQL.

Each example starts from a valid snapshot, mutates it (dropped and repeated keys and ids, wrong
types, bad dates and moments, NUL, control and invisible characters, huge numbers, unknown
codes, full-width digits, `/` in names, other school and class ids, broken JSON text) and
pushes it to `POST /api/v1/snapshots`, into one app and database per test, emptied before each
example and given a drawn baseline (nothing, or one or two stored classes). An independent
oracle (`fuzz_support.judge`) says which rules the document breaks. Asserted for every example:
no 5xx and no unhandled exception; a rule-breaking snapshot is refused with a Russian JSON error
and leaves no row in any table; a snapshot breaking nothing is stored (or answered as the
duplicate, or asked for a reason) with the right version. The counts are printed at the end of
the run; `ARCHIVE_FUZZ_EXAMPLES` sets the examples per database (default 1000).
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from archive_service.domain.fields import NOTE_MOST
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_service.domain.actor import Actor
from archive_service.services.ingest import ingest_snapshot
from conftest import NOW
from fuzz_support import (BASELINES, SNAPSHOT_EXAMPLES, Archive, Counts, empty_archive, judge, pushes, remember,
                          report_counts, row_counts, seed_bytes)

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


class ServerError(AssertionError):
    """The app answered 5xx or raised."""


class RuleBreakingAccepted(AssertionError):
    """A snapshot that breaks a rule was stored."""


class RowsLeft(AssertionError):
    """A refused push changed a table."""


class ValidRefused(AssertionError):
    """A snapshot that breaks no rule was refused, or stored under the wrong version."""


class NotRussian(AssertionError):
    """A refusal a person reads is not a Russian JSON error."""


def _reason_state(reason: str | None) -> str:
    if reason is None or not reason.strip():
        return "none"
    if any(c == "\x00" or unicodedata.category(c) in ("Cc", "Cf") for c in reason):
        return "doubtful"
    if len(reason.strip()) > NOTE_MOST:
        return "too_long"  # a reason is a short note: longer ones are refused (domain/fields.py)
    if len(reason) > NOTE_MOST:
        return "doubtful"
    return "given"


@pytest.mark.slow
def test_fuzzed_snapshot_pushes_never_fail_the_server_store_only_valid_ones_and_leave_nothing_when_refused(
        app, archive, client, auth, db_url, record_property):
    engine = archive.engine
    holding: list[tuple | None] = [None]  # the baseline the archive holds, and nothing else
    counts = Counts(f"snapshot fuzzer on {db_url.split(':')[0].split('+')[0]}")

    @settings(max_examples=SNAPSHOT_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(baseline=st.sampled_from(BASELINES), push=pushes())
    def push_one(baseline, push):
        model = Archive()
        for index in baseline:
            remember(model, judge(seed_bytes(index), model), 1)
        if holding[0] != baseline:  # else the archive holds the baseline already: the last push stored nothing
            holding[0] = None
            empty_archive(engine, row_counts(engine))
            for index in baseline:
                ingest_snapshot(archive.uow(), seed_bytes(index), actor=Actor("fuzz baseline", "deputy"), now=NOW)
            holding[0] = baseline
        body, reason, done = push
        verdict = judge(body, model)
        before = row_counts(engine)
        query = {"reason": reason} if reason is not None else {}
        try:
            response = client.post("/api/v1/snapshots", data=body, headers=auth, query_string=query,
                                   content_type="application/json")
        except Exception as exc:  # TESTING propagates what would be a 500
            counts.saw(500)
            holding[0] = None
            raise ServerError(f"{type(exc).__name__}: {exc} after {done}") from exc
        counts.saw(response.status_code)
        if response.status_code == 201:
            holding[0] = None
        if response.status_code >= 500:
            raise ServerError(f"{response.status_code} after {done}")
        after = row_counts(engine)
        if after != before:
            holding[0] = None
        stored = response.status_code == 201
        if stored and verdict.broken:
            counts.rule_breaking_accepted += 1
            raise RuleBreakingAccepted(f"stored although {verdict.broken} after {done}")
        if response.status_code not in (200, 201):
            if after != before:
                counts.rows_left_by_rejected += 1
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                raise RowsLeft(f"{response.status_code} but rows changed {changed} after {done}")
            error = (response.json or {}).get("error") or {}
            texts = [error.get("message", "")] + [p.get("message", "") for p in error.get("problems", [])]
            if not error.get("code") or not all(CYRILLIC.search(t) for t in texts):
                raise NotRussian(f"{response.status_code} {response.get_data(as_text=True)[:500]} after {done}")
        elif not response.json or response.json.get("status") not in ("stored", "new_version", "duplicate"):
            raise ServerError(f"{response.status_code} without a result: {response.get_data(as_text=True)[:300]}")
        if _reason_state(reason) == "too_long" and not verdict.broken and not verdict.doubts:
            assert not stored, f"a reason over {NOTE_MOST} characters was accepted after {done}"
            return
        if verdict.broken or verdict.doubts or _reason_state(reason) == "doubtful":
            return  # refused as it must be, or either answer is right
        previous = model.versions.get(verdict.key)
        if previous is None and not stored:
            raise ValidRefused(f"a first valid snapshot answered {response.status_code} "
                               f"{response.get_data(as_text=True)[:500]} after {done}")
        if previous is not None:
            expected = {200, 201} if _reason_state(reason) == "given" else {200, 409}
            if response.status_code not in expected:
                raise ValidRefused(f"a next version answered {response.status_code} "
                                   f"{response.get_data(as_text=True)[:500]} after {done}")
        if stored and response.json["version"] != (previous or 0) + 1:
            raise ValidRefused(f"stored as version {response.json['version']} after {previous} after {done}")

    try:
        push_one()
    finally:
        report_counts(record_property, counts)
    assert counts.examples >= SNAPSHOT_EXAMPLES
    assert (counts.server_errors, counts.rule_breaking_accepted, counts.rows_left_by_rejected) == (0, 0, 0)
    assert counts.accepted > 0 and counts.rejected > 0
