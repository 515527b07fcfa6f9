"""Russian personal names for the demo school: surnames, first names and patronymics.

Everything a full name «Фамилия Имя Отчество» needs, with the grammar done right: the
feminine form of a surname (Иванов → Иванова, Покровский → Покровская, Толстой → Толстая,
Шевченко and Ким unchanged) and the patronymic derived from the father's first name
(Александр → Александрович/Александровна, Илья → Ильич/Ильинична, Лев → Львович/Львовна).
"""

from __future__ import annotations

import random
from typing import Literal

Gender = Literal["m", "f"]

#: surnames in the masculine form; the feminine one is derived by `surname_form`
SURNAMES: tuple[str, ...] = tuple("""
Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков
Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин
Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов
Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв
Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов
Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов
Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов
Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев
Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников
Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин
Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков
Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров
Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронцов Шубин Зуев Рыбаков
Суворов Полежаев Сазонов Бобров Лаптев Шестаков Гордеев Третьяков Ситников Кравцов Носков
Хабибуллин Гарипов Сафин Валиев Ахметов Алиев Мамедов Гасанов Абдуллаев Юсупов Шарипов
Покровский Вишневский Савицкий Соколовский Островский Яблонский Жуковский Белецкий Троицкий
Успенский Дубровский Рождественский Воскресенский Преображенский Козловский Лисицкий Чайковский
Толстой Полевой Береговой Луговой Боровой Белый Чёрный
Шевченко Ткаченко Бондаренко Кравченко Коваленко Лысенко Марченко Руденко Гончаренко Литвиненко
Ковальчук Полищук Савчук Кравчук Ткачук Мельник Миллер Шмидт Вебер Кох Гуревич Рейнгардт
Ким Пак Цой Ли Черных Седых Белых Долгих Живаго
""".split())

#: surnames that look declinable but are not (Korean Цой, Ли…)
_INVARIABLE = frozenset({"Цой", "Ли", "Ким", "Пак", "Живаго"})

#: father's first names: nominative → (masculine, feminine) patronymic where rules do not apply
_PATRONYMIC_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "Лев": ("Львович", "Львовна"),
    "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Яков": ("Яковлевич", "Яковлевна"),
    "Илья": ("Ильич", "Ильинична"),
    "Кузьма": ("Кузьмич", "Кузьминична"),
    "Фома": ("Фомич", "Фоминична"),
    "Лука": ("Лукич", "Лукинична"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Георгий": ("Георгиевич", "Георгиевна"),
}

FATHER_NAMES: tuple[str, ...] = tuple("""
Александр Алексей Андрей Сергей Дмитрий Евгений Денис Иван Максим Роман Павел Михаил Владимир
Виталий Игорь Николай Олег Юрий Константин Антон Илья Артём Никита Вячеслав Вадим Руслан Василий
Анатолий Кирилл Станислав Виктор Егор Тимур Григорий Георгий Валерий Владислав Ярослав Тимофей
""".split())
#: fathers' names met now and then: the patronymics that need care (Львович, Яковлевна…)
RARE_FATHER_NAMES: tuple[str, ...] = tuple("""
Лев Яков Пётр Леонид Борис Аркадий Марат Ринат Глеб Матвей Семён Степан Фёдор Эдуард Геннадий
""".split())

#: fathers of the teachers' generation
OLDER_FATHER_NAMES: tuple[str, ...] = tuple("""
Иван Николай Василий Анатолий Геннадий Валентин Виктор Владимир Михаил Юрий Борис Александр
Сергей Алексей Евгений Валерий Вячеслав Павел Игорь Олег Константин Дмитрий Андрей Пётр Леонид
""".split())
RARE_OLDER_FATHER_NAMES: tuple[str, ...] = tuple("""
Григорий Степан Фёдор Аркадий Яков Лев Илья Кузьма Фома Лука Никита Георгий
""".split())

BOY_NAMES: tuple[str, ...] = tuple("""
Александр Михаил Артём Матвей Максим Иван Дмитрий Даниил Кирилл Андрей Егор Никита Илья Алексей
Тимофей Марк Роман Лев Владимир Ярослав Фёдор Сергей Арсений Глеб Платон Мирон Степан Тимур
Богдан Савелий Захар Демид Макар Георгий Николай Семён Евгений Денис Павел Данил Елисей
Святослав Всеволод Вадим Константин Артур Руслан Эмиль
""".split())

GIRL_NAMES: tuple[str, ...] = tuple("""
Анна Мария София Анастасия Виктория Полина Алиса Елизавета Александра Ксения Дарья Варвара
Вероника Арина Ева Василиса Екатерина Милана Валерия Алёна Ульяна Кира Таисия Маргарита Софья
Есения Диана Ангелина Виолетта Юлия Татьяна Ольга Яна Ирина Злата Мирослава Амелия Надежда
Елена Вера Кристина Евгения Любовь Алина Камила
""".split())

WOMAN_NAMES: tuple[str, ...] = tuple("""
Ольга Елена Татьяна Наталья Светлана Ирина Марина Галина Людмила Надежда Юлия Анна Екатерина
Оксана Евгения Валентина Лариса Любовь Алла Вера Нина Тамара Жанна Инна Анастасия Ксения Дарья
Мария Виктория Алёна Кристина Лилия Эльвира Маргарита
""".split())

MAN_NAMES: tuple[str, ...] = tuple("""
Сергей Андрей Александр Владимир Игорь Олег Николай Виктор Дмитрий Евгений Алексей Михаил Павел
Юрий Вячеслав Константин Роман Денис
""".split())


def surname_form(surname: str, gender: Gender) -> str:
    """The surname agreed with the gender: Иванов → Иванова, Покровский → Покровская."""
    if gender == "m" or surname in _INVARIABLE:
        return surname
    if surname.endswith(("ский", "цкий", "ской", "цкой")):
        return surname[:-2] + "ая"
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ой", "ый", "ий")):
        return surname[:-2] + "ая"
    return surname


def patronymic(father: str, gender: Gender) -> str:
    """The patronymic from the father's first name: Сергей → Сергеевич / Сергеевна."""
    if father in _PATRONYMIC_EXCEPTIONS:
        male, female = _PATRONYMIC_EXCEPTIONS[father]
        return male if gender == "m" else female
    if father.endswith("ий"):
        stem = father[:-2] + "ье"
    elif father.endswith(("ей", "ай")):
        stem = father[:-1] + "е"
    elif father.endswith("ь"):
        stem = father[:-1] + "е"
    elif father.endswith("а"):
        stem = father[:-1]
        return stem + ("ич" if gender == "m" else "ична")
    else:
        stem = father + "о"
    return stem + ("вич" if gender == "m" else "вна")


def full_name(surname: str, first: str, father: str, gender: Gender) -> str:
    """«Фамилия Имя Отчество» with every part agreed with the gender."""
    return f"{surname_form(surname, gender)} {first} {patronymic(father, gender)}"


def child_name(rng: random.Random, gender: Gender,
               family: tuple[str, str] | None = None) -> tuple[str, tuple[str, str]]:
    """A pupil's full name and the (surname, father) family it belongs to (siblings share it)."""
    surname, father = family or (rng.choice(SURNAMES), _father(rng, FATHER_NAMES, RARE_FATHER_NAMES))
    first = rng.choice(BOY_NAMES if gender == "m" else GIRL_NAMES)
    return full_name(surname, first, father, gender), (surname, father)


def adult_name(rng: random.Random, gender: Gender) -> str:
    """A teacher's full name (the parents' generation of the pupils, or older)."""
    first = rng.choice(MAN_NAMES if gender == "m" else WOMAN_NAMES)
    father = _father(rng, OLDER_FATHER_NAMES, RARE_OLDER_FATHER_NAMES)
    return full_name(rng.choice(SURNAMES), first, father, gender)


def _father(rng: random.Random, common: tuple[str, ...], rare: tuple[str, ...]) -> str:
    return rng.choice(rare if rng.random() < 0.12 else common)
