"""The one `Actor` every service is given."""

import pytest

from archive_service.domain.actor import Actor


def test_actor_carries_person_role_and_origin():
    actor = Actor("Петрова Анна Сергеевна", "deputy", "web 10.0.0.7", "petrova")
    assert actor.role_words == "заместитель директора"
    assert (actor.person, actor.origin, actor.account) == ("Петрова Анна Сергеевна", "web 10.0.0.7", "petrova")


def test_system_actor_has_russian_words():
    actor = Actor.system()
    assert actor.role_words == "система"
    assert "cli" not in actor.person and actor.person


@pytest.mark.parametrize("person,role", [("", "deputy"), ("  ", "deputy"), ("Иванов", "заместитель директора"),
                                         ("Иванов", "root")])
def test_bad_actor_is_refused(person, role):
    with pytest.raises(ValueError):
        Actor(person, role)


def test_actor_crosses_a_broker_as_plain_data_and_back():
    actor = Actor("Петрова Анна Сергеевна", "deputy", "web 10.0.0.7", "petrova")
    data = actor.as_dict()
    assert data == {"person": "Петрова Анна Сергеевна", "role": "deputy", "origin": "web 10.0.0.7",
                    "account": "petrova"}
    assert Actor.from_dict(data) == actor
    assert Actor.from_dict({"person": "Архив", "role": "system"}) == Actor("Архив", "system")


def test_plain_data_with_a_bad_role_is_refused():
    with pytest.raises(ValueError):
        Actor.from_dict({"person": "Иванов", "role": "root"})
