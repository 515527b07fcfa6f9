"""Demo schools of a district: each number a school of its own name and director, the demo's № 21 unchanged."""

from __future__ import annotations

import pytest

from archive_service.demo import generate
from archive_service.demo.generator import SCHOOL
from archive_service.demo.identity import SchoolIdentity


def test_the_demo_school_is_still_school_21_with_its_director():
    assert SCHOOL == {
        "id": "demo-21",
        "full_name": "Муниципальное бюджетное общеобразовательное учреждение "
                     "«Средняя общеобразовательная школа № 21»",
        "short_name": "МБОУ СОШ № 21",
        "director": {"full_name": "Сергеева Ольга Викторовна", "position": "Директор"},
    }
    assert next(generate(periods=["Q2"]))["school"] == SCHOOL


def test_schools_of_other_numbers_have_their_own_ids_names_and_directors():
    schools = [SchoolIdentity.of(n, seed=2026).as_dict() for n in range(1, 41)]
    assert len({s["id"] for s in schools}) == 40 and schools[4]["id"] == "demo-5"
    assert schools[4]["short_name"] == "МБОУ СОШ № 5"
    assert schools[4]["full_name"].endswith("«Средняя общеобразовательная школа № 5»")
    directors = [s["director"]["full_name"] for s in schools]
    assert len(set(directors)) >= 38  # drawn from the pools: a repeat is possible, not the rule
    assert all(len(d.split()) == 3 for d in directors)


def test_a_director_is_the_same_for_the_same_seed_and_number_and_drawn_anew_by_another_seed():
    assert SchoolIdentity.of(22, seed=2026) == SchoolIdentity.of(22, seed=2026)
    others = {SchoolIdentity.of(22, seed=s).director for s in range(2026, 2036)}
    assert len(others) >= 8


def test_the_snapshots_of_a_school_carry_its_identity_and_the_seeds_classes():
    ours = next(generate(seed=2026, periods=["Q2"], school=22))
    theirs = next(generate(seed=2026, periods=["Q2"]))
    assert ours["school"] == SchoolIdentity.of(22, 2026).as_dict() != theirs["school"]
    assert ours["class"] == theirs["class"] and ours["students"] == theirs["students"]


def test_a_school_number_must_be_positive():
    with pytest.raises(ValueError):
        SchoolIdentity.of(0)
