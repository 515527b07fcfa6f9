"""The unit of work: one transaction, with the repositories services need inside it."""

from __future__ import annotations

from collections.abc import Collection

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from archive_service.adapters.archive_repositories import ArchiveKeys, BackupSets, Documents, Snapshots
from archive_service.adapters.preflight_repository import PreflightReports
from archive_service.adapters.procedure_repository import ProcedureRepository, ReminderRepository
from archive_service.adapters.people_repositories import AccountRepository, CertificateRepository, JobRepository
from archive_service.adapters.register_repositories import (
    DisposalRepository,
    HoldRepository,
    RegisterRepository,
    StepRepository,
    SupersessionRepository,
)
from archive_service.adapters.temporary_repository import TemporaryJournalRepository
from archive_service.adapters.repository import AuditLog, PreparedSignatureRepository, SourceRepository, TokenRepository
from archive_service.domain.preflight import PreflightThresholds
from archive_service.services import ports


class UnitOfWork:
    """`with uow: ...; uow.commit()` — anything not committed is rolled back on exit."""

    session: Session
    snapshots: Snapshots
    preflight: PreflightReports
    audit: AuditLog
    tokens: TokenRepository
    documents: Documents
    backups: BackupSets
    sources: SourceRepository
    prepared: PreparedSignatureRepository
    register: ports.Register
    holds: ports.Holds
    disposal: ports.Disposal
    supersessions: ports.Supersessions
    steps: ports.Steps
    procedures: ports.Procedures
    reminders: ports.Reminders
    certificates: ports.Certificates
    accounts: ports.Accounts
    jobs: ports.Jobs
    archive_keys: ports.ArchiveKeys
    temporary_journals: TemporaryJournalRepository

    def __init__(self, session_factory: sessionmaker[Session],
                 thresholds: PreflightThresholds = PreflightThresholds(), *,
                 account_roles: Collection[str] | None = None):
        self.session_factory = session_factory
        self.account_roles = account_roles
        """the roles this archive's accounts may hold; None: every role (a school's archive). A district's
        own archive holds only the district's administrators and inspectors."""
        self.thresholds = thresholds
        """the school's norms of marks (settings): a snapshot's pre-flight findings are found with
        them when it is stored"""

    def __enter__(self) -> "UnitOfWork":
        self.session = self.session_factory()
        self.snapshots = Snapshots(self.session)
        self.preflight = PreflightReports(self.session)
        self.audit = AuditLog(self.session)
        self.tokens = TokenRepository(self.session)
        self.documents = Documents(self.session)
        self.backups = BackupSets(self.session)
        self.sources = SourceRepository(self.session)
        self.prepared = PreparedSignatureRepository(self.session)
        self.register = RegisterRepository(self.session)
        self.holds = HoldRepository(self.session)
        self.disposal = DisposalRepository(self.session)
        self.supersessions = SupersessionRepository(self.session)
        self.steps = StepRepository(self.session)
        self.procedures = ProcedureRepository(self.session)
        self.reminders = ReminderRepository(self.session)
        self.certificates = CertificateRepository(self.session)
        self.accounts = AccountRepository(self.session)
        self.jobs = JobRepository(self.session)
        self.archive_keys = ArchiveKeys(self.session)
        self.temporary_journals = TemporaryJournalRepository(self.session)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
