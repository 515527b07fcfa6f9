"""Schemathesis over `/api/v1/openapi.json`, against the live app served over HTTP on PostgreSQL.

Every operation of the document gets schema-valid and schema-invalid requests, with a bearer
token, from the document the running server publishes; every response is checked by
schemathesis's checks (no 5xx, documented status codes, content types and bodies, invalid data
refused). The archive holds two snapshot versions so the listing, the diff and the pre-flight
report have something to answer. `ARCHIVE_FUZZ_API_EXAMPLES` sets the examples per operation and
mode (default 40). The counts are printed at the end of the run.
"""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from archive_service import Settings, create_app
from archive_service.domain.actor import Actor
from archive_service.services import tokens
from archive_service.services.ingest import ingest_snapshot
from browser_support import LiveServer
from builders import as_bytes, snapshot, subject
from conftest import NOW, _truncate
from fuzz_support import API_EXAMPLES, Counts, report_counts


@pytest.fixture
def live_api(postgres_database, tmp_path):
    """The app on PostgreSQL, served on 127.0.0.1, with a token and two versions of 5А, Q2."""
    url, engine = postgres_database
    _truncate(engine)
    app = create_app(Settings(home=tmp_path / "home", database_url=url, secret_key="fuzz-secret"))
    archive = app.extensions["archive"]
    _, token = tokens.issue_token(archive.uow(), "fuzz journal", actor=Actor("test", "admin"), now=NOW)
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    changed = snapshot()
    subject(changed, "math")["lessons"][1]["marks"][0]["value"] = 3
    ingest_snapshot(archive.uow(), as_bytes(changed), actor=Actor("test", "deputy"), reason="Исправление", now=NOW)
    with LiveServer(app) as server:
        yield server.url, token
    archive.engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_schemathesis_finds_no_server_error_and_no_departure_from_the_published_document(live_api,
                                                                                          record_property):
    base, token = live_api
    config = schemathesis.Config.from_dict({
        "auth": {"openapi": {"bearer": {"bearer": token}}},
        # a snapshot valid by the schema may still break a domain rule (422) or need a reason (409)
        "operations": [{"include-name": "POST /api/v1/snapshots",
                        "checks": {"positive_data_acceptance": {"expected-statuses": [200, 201, 409, 422]}}}],
    })
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json", config=config)
    counts = Counts("schemathesis over /api/v1/openapi.json, live on postgresql", pushes=False)
    failures: dict[tuple[str, str, str], str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {"POST /api/v1/snapshots", "GET /api/v1/snapshots",
                                               "GET /api/v1/snapshots/diff", "GET /api/v1/preflight"}
    session = requests.Session()
    try:
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @settings(max_examples=API_EXAMPLES, deadline=None, database=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
                @given(case=operation.as_strategy(generation_mode=mode))
                def call(case):
                    response = case.call(base_url=base, session=session)
                    counts.saw(response.status_code)
                    try:
                        case.validate_response(response, transport_kwargs={"base_url": base, "session": session})
                    except FailureGroup as group:
                        counts.check_failures += 1
                        for failure in group.exceptions:
                            # call() runs within this iteration, so the loop variables are the current ones
                            failures.setdefault((operation.label, mode.value, failure.title),  # noqa: B023
                                                str(group)[:1500])

                call()
    finally:
        session.close()
        report_counts(record_property, counts)
    assert counts.examples >= API_EXAMPLES * len(operations)
    found = "\n".join(f"{label} [{mode}] {title}" for label, mode, title in sorted(failures))
    details = "\n\n".join(failures.values())
    assert (counts.server_errors, found) == (0, ""), f"{found}\n\n{details}"
