"""The administrator's «Порядок работы»: the procedure of each school year, the ready procedures and
the school's copies as tables, copying and editing a copy (every change audited with the person's
name, a refused one saving nothing), and the board following the chosen, edited procedure — with
the secretary recording her own step and the state exam results date making a deadline appear."""

from __future__ import annotations

import pytest

from archive_service.domain.ready_procedures import READY, REF003
from archive_service.services import period_steps, procedures
from conftest import NOW
from test_deputy import PERIOD, page_text, post, two_classes  # noqa: F401  (the board's fixture)
from web_support import NAMES

ADMIN, DEPUTY, SECRETARY = NAMES["admin"], NAMES["deputy"], NAMES["secretary"]
PAGE = "/admin/procedures"
COPY = f"{PAGE}/school_1"


def audit(archive, prefix: str = "procedure.") -> list[tuple]:
    with archive.uow() as uow:
        return [(e.action, e.actor, e.object_id, e.details) for e in uow.audit.entries()
                if e.action.startswith(prefix)]


def the_copy(archive):
    with archive.uow() as uow:
        return procedures.procedure_of(uow, "school_1")


def board(archive):
    return period_steps.period_board(archive.uow(), "2026/2027", "Q2", NOW.date())


def shown(client, url: str) -> str:
    """The page's visible text (a small note under a cell's text is a line of its own)."""
    return page_text(client.get(url).get_data(as_text=True).replace("<small", " <small"))


def copy_of_ref003(admin, title: str = "Наш порядок 2027"):
    response = post(admin, f"{PAGE}/copy", {"procedure": "ref003", "title": title})
    assert response.status_code == 302 and response.headers["Location"] == COPY
    return response


def step_fields(step, **changes) -> dict:
    d = step.deadline
    fields = {"title": step.title, "hint": step.hint, "performer": step.performer, "role": step.role,
              "event": d.event if d else "none", "count": str(d.count if d else 0), "unit": d.unit if d else "calendar",
              "from_step": d.step if d else "", "scope": step.scope, "grades": ", ".join(map(str, step.grades)),
              "after": step.after}
    return {**fields, **changes}


def save_step(admin, archive, code: str, **changes):
    """The step's form sent with `changes` over what the copy holds now."""
    return post(admin, f"{COPY}/steps/{code}", step_fields(the_copy(archive).step(code), **changes))


def test_the_page_shows_each_year_and_every_procedure_as_a_table_in_words(login_as, two_classes):  # noqa: F811
    text = shown(login_as("admin"), PAGE)
    assert "2026/2027 «Пять дней каникул (школа № 21)» никто не выбирал: порядок по умолчанию" in text
    for procedure in READY.values():
        assert f"«{procedure.title}»" in text and procedure.source in text
    for words in ("Секретарь напечатал и прошил копию Секретарь вывел проверенный файл журнала на печать и прошил "
                  "его секретарь выполняет: секретарь до 30 июня копия изготовлена показывает, но не отмечает",
                  "3 рабочих дня после срока шага «Файлы журналов сформированы»",
                  "3 рабочих дня после получения результатов ГИА", "копия изготовлена отмечает только архив",
                  "только последний период учебного года, классы 9, 11 прил. 2, § 3.3",
                  "после шага «Файлы журналов сформированы»", "Сделать копию"):
        assert words in text, words
    for code in ("ref00", "school_", "files_formed", "deputy", "secretary", "year_end", "gia_results", "None"):
        assert code not in text, code


def test_choosing_a_procedure_for_a_year_is_audited_and_the_board_follows_it(archive, login_as,
                                                                            two_classes):  # noqa: F811
    admin = login_as("admin")
    post(admin, f"{PAGE}/choose", {"year": "2026/2027", "procedure": "ref003"})
    text = shown(admin, PAGE)
    assert "2026/2027 учебный год: школа работает по порядку «Файлы за неделю" in text and ADMIN in text
    assert audit(archive) == [("procedure.chosen", ADMIN, "2026/2027",
                               {"procedure": REF003.title, "before": READY["ref000"].title})]
    assert [s.code for s in board(archive).steps] == ["files_formed", "deputy_checked", "second_copy"]
    assert "Порядок работы: «Файлы за неделю, проверка за 3 рабочих дня" in shown(login_as("deputy"), PERIOD)
    post(admin, f"{PAGE}/choose", {"year": "1999/2000", "procedure": "ref002"})
    assert "Порядок не выбран: выберите учебный год из списка." in shown(admin, PAGE) and len(audit(archive)) == 1


def test_a_copy_is_made_under_a_new_title_and_a_ready_procedure_is_never_edited(archive, login_as):
    admin = login_as("admin")
    copy_of_ref003(admin)
    assert "Сделана копия «Наш порядок 2027» — её можно изменять." in shown(admin, COPY)
    assert the_copy(archive).steps == REF003.steps and the_copy(archive).based_on == "ref003"
    assert audit(archive)[-1] == ("procedure.copied", ADMIN, "school_1", {"title": "Наш порядок 2027",
                                                                           "from": REF003.title})
    post(admin, f"{PAGE}/copy", {"procedure": "ref003", "title": "  "})
    assert "Копия не сделана: название порядка — от 1 до 120 знаков." in shown(admin, PAGE)
    assert admin.get(f"{PAGE}/ref003").headers["Location"] == PAGE
    post(admin, f"{PAGE}/ref003", {"action": "rename", "title": "Своё"})
    assert "Не сохранено: готовый порядок не изменяется: сделайте его копию и изменяйте её." in shown(admin, PAGE)
    assert READY["ref003"].title == REF003.title and len(audit(archive)) == 1


def test_every_kind_of_edit_is_saved_and_audited_with_the_persons_name(archive, login_as):
    admin = login_as("admin")
    copy_of_ref003(admin)
    post(admin, COPY, {"action": "rename", "title": "Порядок школы № 5"})
    post(admin, COPY, {"action": "add", "title": "Журнал сдан в архив", "role": "secretary", "performer": "секретарь"})
    save_step(admin, archive, "second_copy", title="Копия в сейфе", hint="Диск в сейфе",
              performer="учитель информатики", role="director", event="period_end", count="10", unit="working",
              scope="year_end", grades="9, 11", after="files_formed")
    post(admin, COPY, {"action": "up", "step": "graduates_final"})
    post(admin, COPY, {"action": "down", "step": "second_copy"})
    post(admin, COPY, {"action": "remove", "step": "step_1"})
    procedure = the_copy(archive)
    step = procedure.step("second_copy")
    assert procedure.title == "Порядок школы № 5" and "step_1" not in procedure.codes
    assert [s.code for s in procedure.steps] == ["files_formed", "deputy_checked", "graduates_final", "paper_printed",
                                                 "second_copy", "director_signed"]
    assert (step.title, step.hint, step.performer, step.role, step.scope, step.grades, step.after) == (
        "Копия в сейфе", "Диск в сейфе", "учитель информатики", "director", "year_end", (9, 11), "files_formed")
    assert procedure.deadline_words(step) == "10 рабочих дней после окончания периода"
    changes = [(e[1], e[3]["change"]) for e in audit(archive) if e[0] == "procedure.changed"]
    assert changes[:3] == [
        (ADMIN, "название порядка: «Наш порядок 2027» → «Порядок школы № 5»"),
        (ADMIN, "добавлен шаг «Журнал сдан в архив»"),
        (ADMIN, "название шага «Вторая копия на съёмном диске в сейфе» → «Копия в сейфе»; кто выполняет шаг «Копия "
                "в сейфе»: «администратор ЭЖ» → «учитель информатики»; изменено описание шага «Копия в сейфе»; "
                "отвечает за шаг «Копия в сейфе»: заместитель директора → директор; шаг «Копия в сейфе» относится: "
                "каждый период, все классы → только последний период учебного года, классы 9, 11; шаг «Копия в "
                "сейфе» выполняется: после шага «Заместитель директора проверил файлы» → после шага «Файлы "
                "журналов сформированы»; срок шага «Копия в сейфе»: срок не установлен → 10 рабочих дней после "
                "окончания периода")]
    assert changes[3:] == [(ADMIN, "шаг «Окончательная версия выпускных классов» перемещён выше"),
                           (ADMIN, "шаг «Копия в сейфе» перемещён ниже"),
                           (ADMIN, "удалён шаг «Журнал сдан в архив»")]


@pytest.mark.parametrize("url_tail, data, message", [
    ("", {"action": "rename", "title": "  "}, "название порядка не может быть пустым"),
    ("", {"action": "add", "title": "", "role": "deputy"}, "у нового шага должно быть название"),
    ("", {"action": "remove", "step": "files_formed"}, "шаг «Файлы журналов сформированы» нельзя удалить: от него "
                                                       "зависит «Заместитель директора проверил файлы»"),
    ("", {"action": "up", "step": "deputy_checked"}, "не может стоять раньше шага «Файлы журналов сформированы»"),
    ("/steps/files_formed", {"event": "step", "from_step": "director_signed", "count": "1", "unit": "working"},
     "срок можно считать только от шага, который стоит в порядке раньше"),
    ("/steps/files_formed", {"event": "period_end", "count": "400", "unit": "calendar"}, "число дней — от 0 до 366"),
    ("/steps/files_formed", {"event": "period_end", "count": "неделя", "unit": "calendar"}, "целое число от 0 до 366"),
    ("/steps/files_formed", {"grades": "12"}, "классы — числа от 1 до 11"),
    ("/steps/files_formed", {"title": ""}, "у шага «Файлы журналов сформированы» должно быть название"),
])
def test_a_refused_edit_says_why_in_russian_and_saves_nothing(archive, login_as, url_tail, data, message):
    admin = login_as("admin")
    copy_of_ref003(admin)
    before, logged = the_copy(archive), audit(archive)
    fields = step_fields(before.step("files_formed"), **data) if url_tail else data
    response = post(admin, f"{COPY}{url_tail}", fields, follow_redirects=True)
    text = page_text(response.get_data(as_text=True).replace("<small", " <small"))
    assert "Не сохранено: " in text and message in text
    assert the_copy(archive) == before and audit(archive) == logged


def test_an_edit_of_the_years_procedure_shows_on_its_board_at_once_and_records_stay(archive, login_as,
                                                                                   two_classes):  # noqa: F811
    admin, deputy = login_as("admin"), login_as("deputy")
    copy_of_ref003(admin)
    save_step(admin, archive, "second_copy", after="")  # recorded without waiting for the check
    post(admin, f"{PAGE}/choose", {"year": "2026/2027", "procedure": "school_1"})
    post(deputy, f"{PERIOD}/steps", {"step": "second_copy", "class": "5А"})
    assert "Отмечено: «Вторая копия на съёмном диске в сейфе» — 5А." in shown(deputy, PERIOD)
    save_step(admin, archive, "second_copy", title="Копия в сейфе архива")
    text = shown(deputy, PERIOD)
    assert "Порядок работы: «Наш порядок 2027»" in text and "Копия в сейфе архива" in text
    row = next(r for r in board(archive).classes if r.class_name == "5А")
    assert next(c for c in row.cells if c.step.code == "second_copy").state == "done"  # the record stayed


def test_the_secretary_opens_the_board_read_only_and_records_her_own_step(archive, login_as,
                                                                          two_classes):  # noqa: F811
    admin, secretary = login_as("admin"), login_as("secretary")
    copy_of_ref003(admin)
    save_step(admin, archive, "paper_printed", scope="period")  # every period: on this quarter's board
    post(admin, f"{PAGE}/choose", {"year": "2026/2027", "procedure": "school_1"})
    html = secretary.get(PERIOD).get_data(as_text=True)
    assert "Секретарь напечатал и прошил копию" in html and "Всем классам" not in html
    assert "Проверка журнала" not in html and html.count('value="paper_printed"') == 2  # her step, class by class
    assert 'value="second_copy"' not in html  # the deputy's steps have no button for her
    assert "Закрытие периода" in page_text(secretary.get("/period").get_data(as_text=True))
    post(secretary, f"{PERIOD}/own-steps", {"step": "paper_printed", "class": "5А"})
    assert "Отмечено: «Секретарь напечатал и прошил копию» — 5А." in shown(secretary, PERIOD)
    assert audit(archive, "period.")[-1] == ("period.step_recorded", SECRETARY, "2026/2027:Q2:5А:paper_printed",
                                             {"step": "Секретарь напечатал и прошил копию", "note": ""})
    post(secretary, f"{PERIOD}/own-steps", {"step": "second_copy", "class": "5А"})
    assert ("Не отмечено: «Вторая копия на съёмном диске в сейфе» отмечает заместитель директора."
            in shown(secretary, PERIOD))
    assert len(audit(archive, "period.")) == 1
    assert secretary.get(f"{PERIOD}/preflight").status_code == 403
    assert post(secretary, f"{PERIOD}/steps", {"step": "paper_printed", "class": "5Б"}).status_code == 403


def test_the_state_exam_results_date_makes_the_deadline_appear(archive, login_as, two_classes):  # noqa: F811
    admin, deputy = login_as("admin"), login_as("deputy")
    copy_of_ref003(admin)
    save_step(admin, archive, "graduates_final", scope="period", grades="")  # on this quarter's board, every class
    post(admin, f"{PAGE}/choose", {"year": "2026/2027", "procedure": "school_1"})
    text = shown(deputy, PERIOD)
    assert "срок считается от даты результатов ГИА — внесите её" in text
    assert "Дата получения результатов ГИА не внесена" in text and "Внести дату" in text
    assert "Внести дату" not in shown(login_as("director"), PERIOD)  # the director looks only
    post(deputy, f"{PERIOD}/gia-date", {"on": "2028-06-25"})
    assert "Дата не внесена: дата получения результатов ГИА должна быть в 2026/2027 учебном году" in shown(deputy,
                                                                                                         PERIOD)
    post(deputy, f"{PERIOD}/gia-date", {"on": "25.06"})
    assert "Дата не внесена: укажите дату полностью" in shown(deputy, PERIOD)
    assert audit(archive, "procedure.event_date") == []
    post(deputy, f"{PERIOD}/gia-date", {"on": "2027-06-25"})  # a Friday: 3 working days → Wednesday 30 June
    text = shown(deputy, PERIOD)
    assert "Внесена дата получения результатов ГИА: 25.06.2027." in text and "до 30.06.2027" in text
    assert "внесите её" not in text and "Результаты ГИА получены 25.06.2027" in text
    assert board(archive).deadlines["graduates_final"].isoformat() == "2027-06-30"
    assert audit(archive, "procedure.event_date") == [
        ("procedure.event_date", DEPUTY, "2026/2027",
         {"event": "дата получения результатов ГИА", "on": "2027-06-25", "before": None})]


def test_a_step_of_the_schools_copy_is_marked_paper_only_or_not_and_the_change_is_audited(archive, login_as):
    admin = login_as("admin")
    copy_of_ref003(admin)
    assert the_copy(archive).step("paper_printed").paper and not the_copy(archive).step("files_formed").paper
    save_step(admin, archive, "paper_printed", paper_shown="1")  # the box left unticked
    save_step(admin, archive, "files_formed", paper_shown="1", paper="1")
    save_step(admin, archive, "deputy_checked")  # a form without the box changes nothing of it
    procedure = the_copy(archive)
    assert (procedure.step("paper_printed").paper, procedure.step("files_formed").paper) == (False, True)
    assert not procedure.step("deputy_checked").paper
    changes = [e[3]["change"] for e in audit(archive) if e[0] == "procedure.changed"]
    assert changes == ["шаг «Секретарь напечатал и прошил копию» нужен и при электронном оригинале",
                       "шаг «Файлы журналов сформированы» нужен только для бумажной копии"]
    assert "только бумага" in shown(admin, COPY)
