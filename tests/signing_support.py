"""Fixtures shared by the signing tests: the offline test PKI of the director and its trust."""

from __future__ import annotations

import datetime as dt

import pytest

from signing import Trust, create_demo_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return create_demo_pki(tmp_path_factory.mktemp("pki"), owner="Сергеева Ольга Викторовна",
                           organisation="МБОУ СОШ № 21", password=b"secret", now=dt.datetime.now(dt.timezone.utc))


@pytest.fixture(scope="module")
def trust(pki):
    return Trust.from_files([pki.root_cert], [pki.root_crl])
