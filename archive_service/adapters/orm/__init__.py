"""SQLAlchemy 2 tables of the archive, one module per part of it; every table and the shared base
are named here, so `from archive_service.adapters.orm import X` is all anyone needs (Alembic's
`env.py` and the migrations included).

* `base`: the declarative base, its naming convention, UTC datetimes, the row shapes tables share
  (a link of a hash chain, a record numbered per year);
* `snapshots`: the school, snapshot versions, who they list and their pre-flight findings, journal
  sources and their pulls;
* `documents`: rendered documents, signatures (also those waiting in the browser), corrections,
  timestamp renewals;
* `register`: the retention schedule, the register of paper copies, its movements and holds,
  disposal acts, archival certificates;
* `backups`: backup sets and the backup-usage journal;
* `keys`: the director's archive key (its generations, the escrow copy);
* `people`: accounts, web sessions, API tokens, the audit log;
* `temporary`: temporary journals issued while the journal system was down, and their moving back;
* `work`: the school's procedure (chosen per year, edited copies, event dates), its steps done, the
  reminders of its deadlines, long jobs.
"""

from archive_service.adapters.orm.backups import BackupJournalEntry, BackupSet
from archive_service.adapters.orm.base import NAMING, Base, ChainLink, NumberedPerYear, UTCDateTime
from archive_service.adapters.orm.keys import ArchiveKeyRecord
from archive_service.adapters.orm.documents import (
    DocumentRecord,
    DocumentSignature,
    DocumentSupersession,
    PreparedSignature,
    TimestampRenewal,
)
from archive_service.adapters.orm.people import ApiToken, AuditEvent, SchoolGrant, UserAccount, WebSession
from archive_service.adapters.orm.register import (
    ArchivalCertificate,
    DisposalAct,
    DisposalActItem,
    FileInventory,
    LegalHold,
    RegisterCounter,
    RegisterEntry,
    RegisterMovement,
    RetentionRule,
)
from archive_service.adapters.orm.snapshots import (
    JournalSourceRecord,
    PreflightReportRecord,
    School,
    SnapshotRecord,
    SnapshotStudent,
    SourcePull,
)
from archive_service.adapters.orm.temporary import TemporaryJournal
from archive_service.adapters.orm.work import (
    ArchivalOriginal,
    Job,
    PeriodStep,
    ProcedureChoice,
    ProcedureEventDate,
    ReminderRecord,
    SchoolProcedure,
    YearBinding,
)

__all__ = [
    "NAMING", "Base", "ChainLink", "NumberedPerYear", "UTCDateTime",
    "School", "SnapshotRecord", "SnapshotStudent", "PreflightReportRecord", "JournalSourceRecord", "SourcePull",
    "DocumentRecord", "DocumentSignature", "PreparedSignature", "DocumentSupersession", "TimestampRenewal",
    "RetentionRule", "RegisterCounter", "RegisterEntry", "RegisterMovement", "LegalHold", "DisposalAct",
    "DisposalActItem", "ArchivalCertificate", "FileInventory",
    "BackupSet", "BackupJournalEntry", "ArchiveKeyRecord",
    "UserAccount", "WebSession", "ApiToken", "AuditEvent", "SchoolGrant",
    "PeriodStep", "Job", "ProcedureChoice", "SchoolProcedure", "ProcedureEventDate", "ReminderRecord",
    "TemporaryJournal", "YearBinding", "ArchivalOriginal",
]
