"""Names declined by the dictionary (pymorphy3): a girl is «ученица», her name «Киселёвой Кристины
Владиславовны»; a name the dictionary does not know stays as written, and nothing raises (issue 17)."""

from __future__ import annotations

import pytest

from archive_service.domain.names import AS_WRITTEN, FEMALE, MALE, UNKNOWN, gender_of, student_genitive, \
    student_nominative
from archive_service.rendering.names import RUSSIAN_NAMES, decline


@pytest.mark.parametrize(("name", "genitive"), [
    ("Киселёва Кристина Владиславовна", "Киселёвой Кристины Владиславовны"),
    ("Киселёв Артём Владиславович", "Киселёва Артёма Владиславовича"),
    ("Алексеев Иван Петрович", "Алексеева Ивана Петровича"),
    ("Борисова Мария Андреевна", "Борисовой Марии Андреевны"),
    ("Кочубей Никита Сергеевич", "Кочубея Никиты Сергеевича"),  # a man's name in -а
    ("Зыкова Любовь Ильинична", "Зыковой Любови Ильиничны"),
    ("Сорокина Ия Львовна", "Сорокиной Ии Львовны"),
])
def test_a_full_name_is_declined_in_the_gender_of_the_patronymic(name, genitive):
    assert decline(name, "gent") == genitive


def test_the_other_cases_are_declined_too():
    name = "Киселёва Кристина Владиславовна"
    assert decline(name, "datv") == "Киселёвой Кристине Владиславовне"
    assert decline(name, "ablt") == "Киселёвой Кристиной Владиславовной"
    assert decline(name, "nomn") == name


def test_yo_is_kept_where_written_and_e_where_the_name_is_written_with_e():
    assert decline("Семёнова Алёна Олеговна", "gent") == "Семёновой Алёны Олеговны"
    assert decline("Ёлкин Пётр Фёдорович", "gent") == "Ёлкина Петра Фёдоровича"
    assert decline("Киселева Кристина Владиславовна", "gent") == "Киселевой Кристины Владиславовны"
    assert decline("Семенова Алена Олеговна", "gent") == "Семеновой Алены Олеговны"


def test_each_half_of_a_double_surname_or_name_is_declined():
    assert decline("Римская-Корсакова Анна Петровна", "gent") == "Римской-Корсаковой Анны Петровны"
    assert decline("Салтыков-Щедрин Михаил Евграфович", "gent") == "Салтыкова-Щедрина Михаила Евграфовича"
    assert decline("Петрова Анна-Мария Ивановна", "datv") == "Петровой Анне-Марии Ивановне"


def test_surnames_that_do_not_decline_stay_and_the_rest_is_declined():
    assert decline("Шевчук Ольга Ивановна", "gent") == "Шевчук Ольги Ивановны"  # a woman's -ук
    assert decline("Шевчук Олег Иванович", "gent") == "Шевчука Олега Ивановича"  # a man's declines
    assert decline("Белых Ирина Андреевна", "gent") == "Белых Ирины Андреевны"
    assert decline("Дюма Анна", "gent") == "Дюма Анны"


def test_turkic_patronymics_stay_as_written():
    assert decline("Гусейнов Рашид Ибрагим оглы", "gent") == "Гусейнова Рашида Ибрагим оглы"
    assert decline("Алиева Лейла Рашид кызы", "gent") == "Алиевой Лейлы Рашид кызы"


def test_capitals_are_kept():
    assert decline("КИСЕЛЁВА КРИСТИНА ВЛАДИСЛАВОВНА", "gent") == "КИСЕЛЁВОЙ КРИСТИНЫ ВЛАДИСЛАВОВНЫ"


def test_without_a_patronymic_the_given_name_tells_the_gender_when_it_can():
    assert RUSSIAN_NAMES.gender("Иванова Анна") == FEMALE and decline("Иванова Анна", "gent") == "Ивановой Анны"
    assert RUSSIAN_NAMES.gender("Ли Виктор") == MALE and decline("Ли Виктор", "gent") == "Ли Виктора"
    assert RUSSIAN_NAMES.gender("Иванов Саша") == UNKNOWN  # Саша is a man's and a woman's name
    assert decline("Иванов Саша", "gent") == "Иванов Саша"  # never guessed into a wrong form
    assert RUSSIAN_NAMES.gender("Ковальчук Саша Петровна") == FEMALE
    assert decline("Ковальчук Саша Петровна", "gent") == "Ковальчук Саши Петровны"


@pytest.mark.parametrize("odd", ["", "   ", "X", "123 456 789", "Smith John", "Ёж", "Иванов\tИван", "--- - -",
                                 "Иванов Иван Иванович Младший", "О'Нил Мария Ивановна", "Иванова Анна\u0301",
                                 "\u200bИванова Анна Петровна", "Иванов-- Иван Иванович"])
def test_an_odd_name_never_raises_and_stays_a_name(odd):
    for case in ("gent", "datv", "accs", "ablt", "loct"):
        declined = decline(odd, case)
        assert isinstance(declined, str) and len(declined.split()) == len(odd.split())


def test_an_unknown_case_is_a_programming_error():
    with pytest.raises(ValueError, match="падеж"):
        decline("Иванов Иван Иванович", "dative")


def test_the_domain_words_agree_with_the_student():
    names = RUSSIAN_NAMES
    assert student_genitive("Киселёва Кристина Владиславовна", names) == "ученицы Киселёвой Кристины Владиславовны"
    assert student_genitive("Алексеев Иван Петрович", names) == "ученика Алексеева Ивана Петровича"
    assert student_genitive("Иванов Саша", names) == "ученика(цы) Иванов Саша"
    assert student_nominative("Киселёва Кристина Владиславовна", names) == "ученица Киселёва Кристина Владиславовна"
    assert student_nominative("Иванов Саша", names) == "ученик(ца) Иванов Саша"


def test_without_a_dictionary_the_domain_writes_the_name_as_it_is():
    assert gender_of("Киселёва Кристина Владиславовна") == FEMALE and gender_of("Гусейнов Рашид Ибрагим оглы") == MALE
    assert gender_of("Иванова Анна") == UNKNOWN
    assert student_genitive("Киселёва Кристина Владиславовна", AS_WRITTEN) == \
        "ученицы Киселёва Кристина Владиславовна"
