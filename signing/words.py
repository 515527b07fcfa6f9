"""The words of a verification report: what a director, an inspector or a lawyer reads.

People read each check by its Russian name; programs read the same check by its code (in the JSON
report), and the signature's level by its technical name («PAdES B-LTA», kept in the database and
the JSON). This module has no pyHanko in it, so a page can name a level without loading it.
"""

from __future__ import annotations

UNMODIFIED = "Документ не изменён после подписания"
SIGNATURE = "Подпись соответствует содержимому документа"
CERTIFICATE = "Сертификат действителен и выдан доверенным удостоверяющим центром"
SIGNATURE_TIME = "Время подписи подтверждено штампом времени"
REVOCATION = "Сведения о статусе сертификата вложены в документ"
DOCUMENT_STAMPS = "Документ целиком заверен штампом времени"
LONG_TERM = "Подпись можно проверить и через много лет"
CONTAINERS = "В местах подписей нет посторонних данных"
ARCHIVAL_FORMAT = "Документ сохранён в архивном формате PDF/A"
READABLE = "Файл читается"
PRESENT = "Подпись есть"
READ = "Подпись читается"
COMPLETED = "Проверка выполнена"

# each check's code for programs (the JSON report): stable whatever the Russian words become
CODES = {UNMODIFIED: "unmodified", SIGNATURE: "signature_intact", CERTIFICATE: "certificate_trusted",
         SIGNATURE_TIME: "signature_timestamp", REVOCATION: "revocation_info_embedded",
         DOCUMENT_STAMPS: "document_timestamps", LONG_TERM: "ades_long_term_validation",
         CONTAINERS: "signature_containers", ARCHIVAL_FORMAT: "pdfa_identification", READABLE: "file_readable",
         PRESENT: "signature_present", READ: "signature_readable", COMPLETED: "verification_completed"}

_LEVELS = {
    "PAdES B-LTA": "со штампами времени, пригодная для долговременного хранения",
    "PAdES B-T": "со штампом времени подписи, но без сведений для долговременной проверки",
    "PAdES B-B": "без штампа времени",
}

REVOCATION_FOUND = "сведения о статусе сертификата (отозван ли он) получены и вложены в документ"
REVOCATION_MISSING = "в документе нет сведений о статусе сертификата (отозван ли он)"
TRUSTED = ("сертификат выдан доверенным удостоверяющим центром и не был отозван: это проверено по сведениям, "
           "вложенным в документ")
LONG_TERM_RULES = "проверено по правилам долговременной проверки электронной подписи"


def level_in_words(level: str, qualified: bool | None = None) -> str:
    """«усиленная квалифицированная электронная подпись со штампами времени, пригодная для
    долговременного хранения» for «PAdES B-LTA» of a qualified signature; "" for no level."""
    if not level:
        return ""
    kind = ("усиленная электронная подпись" if qualified is None else
            "усиленная квалифицированная электронная подпись" if qualified else
            "усиленная неквалифицированная электронная подпись")
    return f"{kind} {_LEVELS.get(level, 'неизвестного вида')}"


def revocation_detail(count: int) -> str:
    return f"{REVOCATION_FOUND} (записей: {count})" if count else REVOCATION_MISSING
