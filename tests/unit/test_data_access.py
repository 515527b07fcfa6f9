"""Services reach the database only through the unit of work's repositories, and the fake unit
of work the unit tests use offers every query of the protocols it stands in for."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from fakes import FakeUnitOfWork

from archive_service.services import ports

SERVICES = Path(__file__).resolve().parents[2] / "archive_service" / "services"
FAKED = {"register": ports.Register, "holds": ports.Holds, "disposal": ports.Disposal,
         "supersessions": ports.Supersessions, "steps": ports.Steps, "documents": ports.Documents,
         "backups": ports.Backups, "audit": ports.Audit}


def test_no_service_opens_the_session_or_writes_sql():
    offenders = []
    for path in sorted(SERVICES.glob("*.py")):
        if path.name == "unit_of_work.py":  # the SQLAlchemy unit of work itself
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "uow.session" in line or re.match(r"\s*from sqlalchemy(?!\.exc)", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize("name", sorted(FAKED))
def test_the_fake_repository_has_every_query_of_its_protocol(name):
    protocol, fake = FAKED[name], getattr(FakeUnitOfWork(), name)
    wanted = {n: f for n, f in vars(protocol).items() if inspect.isfunction(f) and not n.startswith("_")}
    assert wanted
    for method, function in wanted.items():
        assert callable(getattr(fake, method, None)), f"{type(fake).__name__} lacks {method}"
        expected = list(inspect.signature(function).parameters)
        assert list(inspect.signature(getattr(type(fake), method)).parameters) == expected, method
