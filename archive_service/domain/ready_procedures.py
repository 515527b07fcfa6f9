"""The ready procedures: the end-of-period order of each regulation in `reference/`, step by step,
each step citing the section it comes from.

A school chooses one per school year (or an edited copy of one). Steps that mean the same thing
in different regulations share an internal name (`copies_printed`, `director_signed`, …), so the
records people made stay with the step when the school changes its procedure.

Where a regulation gives no deadline the step has none (`deadline=None`: never late, no
reminder) — nothing is invented. Two readings are ours and say so in `docs/procedures.md`:
deadlines counted from another step run from that step's *deadline* (the board is a schedule
per period, not per class), and reference 004's «ежемесячно» is read as «в первый рабочий день
следующего месяца» (when the monthly copy runs).
"""

from __future__ import annotations

from archive_service.domain.procedures import Deadline, Procedure, Step

DEFAULT_KEY = "ref000"

REF000 = Procedure(
    "ref000", "Пять дней каникул (школа № 21)",
    "Инструкция по ведению электронного учёта успеваемости, МБОУ ООШ № 21 пос. Перевалка, раздел 4", (
        Step("marks_checked", "Итоговые отметки проверены", "deputy", Deadline("period_end", 1, "holiday"),
             "Учителя-предметники проверили выставление итоговых отметок в электронном журнале",
             "учителя-предметники", source="§ 4, 1-й день каникул"),
        Step("backups", "Резервные копии сданы директору", "deputy", Deadline("period_end", 2, "holiday"),
             "Резервные копии записаны на два носителя и сданы директору под подпись",
             fact="backup_accepted", source="§ 4, 2-й день каникул"),
        Step("copies_printed", "Копии напечатаны", "deputy", Deadline("period_end", 2, "holiday"),
             "Текущие и итоговые отметки напечатаны по классам и вынесены в учительскую на подпись",
             fact="copy", fact_settles=False, source="§ 4, 2-й день каникул", paper=True),
        Step("teachers_signed", "Учителя подписали листы", "deputy", Deadline("period_end", 3, "holiday"),
             "Учителя проверили бумажную копию и подписали все листы своего предмета с расшифровкой и датой",
             "учителя-предметники", source="§ 4, 3-й день каникул", paper=True),
        Step("class_teacher_certified", "Классный руководитель заверил", "deputy",
             Deadline("period_end", 4, "holiday"),
             "Классный руководитель заверил титульный лист подписью и датой и сдал копию заместителю директора",
             "классные руководители", source="§ 4, 4-й день каникул", paper=True),
        Step("deputy_certified", "Заместитель директора заверил", "deputy", Deadline("period_end", 5, "holiday"),
             "Заместитель директора заверил копию своей подписью", source="§ 4, 5-й день каникул", paper=True),
        Step("director_signed", "Директор подписал бумажные копии, печать", "director",
             Deadline("period_end", 5, "holiday"),
             "Директор подписал напечатанную и заверенную копию и заверил её печатью школы",
             after="copies_printed", source="§ 4, 5-й день каникул; § 5.2 б", paper=True),
        Step("director_e_signed", "Директор подписал электронной подписью", "director",
             Deadline("period_end", 5, "holiday"),
             "Директор подписал электронную копию квалифицированной электронной подписью (отмечается архивом "
             "по подписанному документу)", fact="e_signature", manual=False,
             source="архив: электронную копию директор подписывает квалифицированной подписью (в инструкции — "
                    "только бумажная, § 5.2 б)"),
        Step("registered", "Сдано в реестр", "deputy", Deadline("period_end", 5, "holiday"),
             "Заверенная копия сдана в общий реестр, сформирована папка за период", fact="register",
             source="§ 4, 5-й день каникул", paper=True),
    ))

REF002 = Procedure(
    "ref002", "Копии каждую четверть, переплёт к 30 июня (Дубровская СОШ)",
    "Положение об электронном дневнике и журнале ЭПОС.Школа, МОУ «Дубровская СОШ», раздел 5", (
        Step("copies_printed", "Копии напечатаны", "deputy", None,
             "Данные журнала по каждому классу перенесены на бумагу; листы класса скреплены и вложены в "
             "отдельный файл", fact="copy", fact_settles=False, source="§ 5.1, 5.2; § 3.5 п. 9", paper=True),
        Step("copies_bound", "Копии прошиты, титульный лист", "deputy", Deadline("year_end"),
             "Все листы класса за год с титульным листом (содержимое и число листов) пронумерованы и прошиты",
             scope="year_end", source="§ 5.3; § 3.5 п. 10", paper=True),
        Step("director_signed", "Директор подписал бумажные копии, печать", "director", Deadline("year_end"),
             "Прошитая копия подписана директором и заверена печатью школы", after="copies_bound",
             scope="year_end", source="§ 5.3", paper=True),
        Step("registered", "Сдано в реестр", "deputy", Deadline("year_end"),
             "Прошитая копия занесена в реестр и вложена в папку класса: хранится 5 лет", fact="register",
             scope="year_end", source="§ 5.3; § 3.5 п. 10", paper=True),
        Step("backups", "Резервные копии за год на двух носителях", "deputy", Deadline("year_end"),
             "Резервная копия журнала за год на двух носителях, хранящихся в разных помещениях",
             fact="backup_verified", scope="year_end",
             source="§ 5.6 (срок — окончание учебного года по § 5.3)"),
    ))

REF003 = Procedure(
    "ref003", "Файлы за неделю, проверка за 3 рабочих дня (Стахановская школа)",
    "Приказ № 115 МБОУ «Стахановская школа», приложение 2, раздел 3", (
        Step("files_formed", "Файлы журналов сформированы", "deputy", Deadline("period_end", 7, "calendar"),
             "Администратор ЭЖ по указанию заместителя директора сформировал файлы журналов 1–11 классов "
             "(архив отмечает по изготовленной копии)", "администратор ЭЖ", fact="copy", manual=False,
             source="прил. 2, § 3.2"),
        Step("deputy_checked", "Заместитель директора проверил файлы", "deputy",
             Deadline("step", 3, "working", "files_formed"),
             "Заместитель директора проверил правильность отражения журналов классов в файлах",
             after="files_formed", source="прил. 2, § 3.2"),
        Step("second_copy", "Вторая копия на съёмном диске в сейфе", "deputy", None,
             "При отсутствии замечаний создана вторая архивная копия на съёмном жёстком диске, он хранится "
             "в сейфе архива школы (архив отмечает по проверенной резервной копии)", "администратор ЭЖ",
             fact="backup_verified", after="deputy_checked", source="прил. 2, § 3.2 (срок не указан)"),
        Step("graduates_final", "Окончательная версия выпускных классов", "deputy",
             Deadline("gia_results", 3, "working"),
             "Окончательная архивная версия журнала выпускного класса после результатов ГИА", "администратор ЭЖ",
             fact="copy", fact_settles=False, scope="year_end", grades=(9, 11), source="прил. 2, § 3.3"),
        Step("paper_printed", "Секретарь напечатал и прошил копию", "secretary", Deadline("year_end"),
             "Секретарь вывел проверенный файл журнала на печать и прошил его", "секретарь",
             fact="copy", fact_settles=False, scope="year_end", source="прил. 2, § 3.4", paper=True),
        Step("director_signed", "Директор подписал бумажные копии, печать", "director", Deadline("year_end"),
             "Директор заверил копию: запись «Прошито, пронумеровано и скреплено печатью … листов», подпись с "
             "датой и печать, охватывающая стикер и лист переплёта", after="paper_printed", scope="year_end",
             source="прил. 2, § 3.4", paper=True),
    ))

REF004 = Procedure(
    "ref004", "Ежемесячные копии, приём секретарём (школа № 18)",
    "Функциональные обязанности по ведению электронного журнала, МБОУ ГПО «СОШ № 18», приказ № 590-Д от "
    "12.09.2023, разделы 1, 3, 6, 7", (
        Step("monthly_backup", "Резервная копия за месяц", "deputy", Deadline("month_end", 1, "working"),
             "Резервное копирование данных журнала ежемесячно (копия месяца, в котором кончается период)",
             "администратор ЭЖ", fact="monthly_backup", manual=False,
             source="§ 3.11 (день в месяце не указан: первый рабочий день следующего месяца)"),
        Step("copies_printed", "Копии напечатаны", "deputy", None,
             "Распечатка журнала (частично или полностью), сбор отчётности по периодам",
             "администратор ЭЖ", fact="copy", fact_settles=False, source="§ 3.10", paper=True),
        Step("deputy_certified", "Заместитель директора проверил и заверил", "deputy", None,
             "Заместитель директора проверил бумажные копии, заверил подписью, расшифровкой подписи и датой",
             after="copies_printed", source="§ 6.24", paper=True),
        Step("director_signed", "Директор подписал бумажные копии, печать", "director", None,
             "Заверенные копии переданы на подпись директору", after="deputy_certified", source="§ 6.24", paper=True),
        Step("director_e_signed", "Директор подписал электронной подписью", "director", None,
             "Электронная копия подписана электронной подписью директора (отметка о подписи — по форме "
             "положения; архив отмечает по подписанному документу)", fact="e_signature", manual=False,
             source="§ 1.8 (директор заверяет перенос данных); отметка «Документ подписан электронной подписью» — "
                    "как на самом приказе"),
        Step("registered", "Секретарь принял на хранение", "secretary", None,
             "Секретарь принял распечатанный журнал на хранение по инструкции по делопроизводству "
             "(архив отмечает по записи в реестре)", "секретарь", fact="register", after="director_signed",
             source="§ 7.3; § 6.24", paper=True),
        Step("yearly_copy", "Копия за год на съёмных носителях", "deputy", None,
             "Ежегодное копирование журнала на съёмные носители и их хранение", "администратор ЭЖ",
             fact="backup_verified", scope="year_end", source="§ 3.12"),
    ))

READY: dict[str, Procedure] = {p.key: p for p in (REF000, REF002, REF003, REF004)}
