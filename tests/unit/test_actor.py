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
