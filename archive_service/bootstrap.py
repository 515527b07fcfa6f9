"""The composition root: the one place that picks the database, media and thresholds."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from archive_service.adapters import db
from archive_service.adapters.job_runners import CeleryRunner, InProcessRunner
from archive_service.adapters.local_jobs import LocalProcessRunner
from archive_service.adapters.mailer import SmtpMailer, mailer_from
from archive_service.adapters.secret_box import SecretBox
from archive_service.adapters.sources.base import Credentials, JournalSource
from archive_service.adapters.sources.registry import ConnectorRegistry, system_title
from archive_service.adapters.sources.transport import RecordingTransport, ReplayTransport, Transport
from archive_service.config import ConfigError, Settings
from archive_service.domain.clock import Clock
from archive_service.domain.preflight import PreflightThresholds
from archive_service.key_specs import CryptoProKey, ExternalKey, KeySpec, Pkcs12File, Pkcs12Upload, TokenKey
from archive_service.rendering import DocumentRenderer, RenderOptions
from archive_service.services.execution import JobRunner
from archive_service.services.unit_of_work import UnitOfWork
from signing.commands import SignerCommand
from signing.cryptopro import certificate_thumbprint, cryptcp_command, normalize_thumbprint
from signing.errors import KeyAccessError, SigningError
from signing.gost_pki import GostPKI
from signing.pki import DemoPKI
from signing.trusted_list import load_trusted_list
from storage import ContentStore, DirectoryMedium, DirectoryStore, Medium, open_store

DISTRICT_ROLES = frozenset({"admin", "inspector"})
"""The roles of a district's own accounts: its administrators and its inspectors (`archive_service.district`)."""

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer
    from pyhanko.sign.timestamps import TimeStamper

    from signing.external import ExternalCommandSigner
    from signing.gost_pades import GostCompleter
    from signing.pades import PadesSigner, StampStyle, Trust

# pyHanko (signing.pades, signing.external, signing.gost_*, signing.pkcs11) is imported where a
# signature is made or checked, not here: a process that only renders, stores or serves pages
# never loads it (~25 MiB and ~0.5 s less per process: render workers, the command line).


@dataclass
class Archive:
    """What every entry point (web, CLI, tasks) needs, built once per process."""

    settings: Settings
    in_worker: bool = False
    """True in a worker process (a local one or Celery's): its work runs right there, never fanned out again."""
    celery: Any = None
    """The Celery application, once `tasks.celery_init_app` has wired it (every entry point's app does)."""
    moment: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.timezone.utc), repr=False)
    """Where the present moment comes from: the machine's clock. Only a composition root of its own
    passes another — the demo's (its pretended school year) and tests'; no setting, environment
    variable, option or form field reaches it."""

    @cached_property
    def engine(self) -> Engine:
        if self.settings.database_url.startswith("sqlite"):
            self.settings.home.mkdir(parents=True, exist_ok=True)
        return db.make_engine(self.settings.database_url)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return db.make_session_factory(self.engine)

    @property
    def thresholds(self) -> PreflightThresholds:
        return PreflightThresholds(self.settings.min_marks_one_hour, self.settings.min_marks)

    @cached_property
    def store(self) -> ContentStore:
        """Where rendered documents live, named by their SHA-256 (`ARCHIVE_DOCUMENT_STORE`)."""
        s = self.settings
        return open_store(s.document_store, s.home / "documents", s3_endpoint=s.document_s3_endpoint,
                          s3_access_key=s.document_s3_access_key, s3_secret_key=s.document_s3_secret_key,
                          s3_region=s.document_s3_region)

    @cached_property
    def renderer(self) -> DocumentRenderer:
        return DocumentRenderer(self.settings.templates_dir)

    @property
    def render_options(self) -> RenderOptions:
        return RenderOptions(duplex=self.settings.print_duplex, public_url=self.settings.public_url,
                             timezone=self.settings.timezone, production=self.settings.production)

    @property
    def demo_pki(self) -> DemoPKI:
        return DemoPKI(self.settings.home / "pki")

    @property
    def zone(self) -> ZoneInfo:
        """The school's time zone (ARCHIVE_TIMEZONE): what people read times in."""
        return ZoneInfo(self.settings.timezone)

    @property
    def gost_demo_pki(self) -> GostPKI:
        """The GOST test PKI of `ARCHIVE_DEMO_SIGNATURE=gost` (a root that is not an accredited centre)."""
        return GostPKI(self.settings.home / "pki-gost")

    def trust(self) -> Trust:
        """Roots and CRLs signatures are checked against: the configured roots (ARCHIVE_TRUST_ROOTS),
        the accredited centres (ARCHIVE_TRUSTED_ROOTS), and beside them the demo roots if there are any."""
        from signing.pades import Trust

        roots = [Path(p.strip()) for p in self.settings.trust_roots.split(",") if p.strip()]
        crls = [Path(p.strip()) for p in self.settings.trust_crls.split(",") if p.strip()]
        accredited = load_trusted_list(self.settings.trusted_roots) if self.settings.trusted_roots else None
        for demo in (self.demo_pki, self.gost_demo_pki):
            if demo.exists():
                roots.append(demo.root_cert)
                crls.append(demo.root_crl)
        if not roots and accredited is None:
            raise ConfigError("не заданы доверенные корневые сертификаты (ARCHIVE_TRUSTED_ROOTS)")
        trust = Trust.from_files(roots, crls)
        if accredited is not None:
            known = {r.dump() for r in trust.roots}
            trust = Trust((*trust.roots, *(r for r in accredited.roots if r.dump() not in known)), trust.crls,
                          accredited=accredited)
        return trust

    def timestamper(self) -> TimeStamper:
        """The configured RFC 3161 authority, or the demo's local ones (GOST for Streebog requests)."""
        from signing.gost_tsa import DigestRoutedTimestamper, GostTimestampAuthority
        from signing.pades import http_timestamper, local_timestamper

        if self.settings.tsa_url:
            return http_timestamper(self.settings.tsa_url)
        local = (local_timestamper(self.demo_pki.tsa_cert, self.demo_pki.tsa_key) if self.demo_pki.exists()
                 else None)
        gost_local = (GostTimestampAuthority.from_files(self.gost_demo_pki.tsa_cert, self.gost_demo_pki.tsa_key)
                      if self.gost_demo_pki.exists() else None)
        if local is None and gost_local is None:
            raise ConfigError("не задана служба штампов времени (ARCHIVE_TSA_URL)")
        return DigestRoutedTimestamper(local, gost_local)

    def gost_completer(self) -> GostCompleter:
        """Finishes documents whose GOST signature was made elsewhere (the browser plug-in)."""
        from signing.gost_pades import GostCompleter

        return GostCompleter(self.timestamper(), self.trust())


    def pades_signer(self, key: Signer) -> PadesSigner:
        """A B-LTA signer around an opened key, with the configured timestamp authority."""
        from signing.pades import PadesSigner

        return PadesSigner(key, self.timestamper(), self.trust(), self.settings.templates_dir / "fonts" / "PTS55F.ttf",
                           zone=self.zone)

    @cached_property
    def browser_stamp(self) -> StampStyle:
        """The visible stamp of documents signed in the director's browser (font cut once), times in
        the school's time zone."""
        from signing.pades import StampStyle

        return StampStyle(self.settings.templates_dir / "fonts" / "PTS55F.ttf", self.zone)

    def gost_certificate_check(self) -> Callable[[Any, dt.datetime], str | None]:
        """Why a GOST certificate may not sign now (against the configured trust), or None."""
        from signing.gost_verify import certificate_problem

        trust = self.trust()
        return lambda certificate, moment: certificate_problem(certificate, moment, trust, [], [])

    def gost_preparer(self) -> Callable[..., Any]:
        """Lays a document out for a GOST signature made in the browser: (pdf, page, certificate, *, now)."""
        from signing.gost_pades import prepare_signature

        return partial(prepare_signature, stamp=self.browser_stamp)

    def external_signer(self, command: str | SignerCommand, certificate: Path) -> ExternalCommandSigner:
        """Signing through an external program (a GOST key in CryptoPro, say) that returns a CMS."""
        from signing.external import ExternalCommandSigner

        return ExternalCommandSigner(command, certificate, self.timestamper(), self.trust(),
                                     self.settings.templates_dir / "fonts" / "PTS55F.ttf",
                                     zone=self.zone)

    def cryptopro_signer(self, thumbprint: str, certificate: Path, pin_env: str | None = None
                         ) -> ExternalCommandSigner:
        """Signing with the key on the director's token through CryptoPro's cryptcp (ARCHIVE_CRYPTCP).

        `certificate` is the same certificate exported from CryptoPro's store: the stamp is laid
        out from it, so a file that is not the certificate `thumbprint` names is refused here."""
        command = cryptcp_command(thumbprint, cryptcp=self.settings.cryptcp, pin_env=pin_env)
        if certificate_thumbprint(certificate) != normalize_thumbprint(thumbprint):
            raise SigningError("файл сертификата не совпадает с сертификатом, выбранным по отпечатку: "
                               "выгрузите его командой certmgr -export с тем же отпечатком")
        return self.external_signer(command, certificate)

    @contextmanager
    def signer(self, key: KeySpec) -> Iterator[PadesSigner | ExternalCommandSigner]:
        """The one place a signing key is opened: a document signer around the key `key` names,
        with the configured timestamp authority and trust. A token's session stays open while the
        block runs (a token usually allows one); a wrong password or PIN is a `KeyAccessError`."""
        from signing.pades import load_pkcs12
        from signing.pkcs11 import pkcs11_key

        if isinstance(key, Pkcs12File):
            yield self.pades_signer(load_pkcs12(key.path, key.password))
        elif isinstance(key, Pkcs12Upload):
            yield self.pades_signer(_load_uploaded_pkcs12(key))
        elif isinstance(key, TokenKey):
            with pkcs11_key(key.library, key.token, key.key, key.pin) as opened:
                yield self.pades_signer(opened)
        elif isinstance(key, ExternalKey):
            yield self.external_signer(key.command, key.certificate)
        elif isinstance(key, CryptoProKey):
            yield self.cryptopro_signer(key.thumbprint, key.certificate, key.pin_env)
        else:
            raise TypeError(f"unknown kind of key: {type(key).__name__}")

    @property
    def runner(self) -> JobRunner:
        """Where background work runs, chosen here only: Celery workers with a broker (ARCHIVE_BROKER_URL),
        else local worker processes (ARCHIVE_RENDER_PROCESSES), and inside a worker this process."""
        if self.in_worker:
            return InProcessRunner(self)
        local = LocalProcessRunner(self.settings, self.settings.render_processes, self.clock_offset())
        if self.settings.broker_url and self.celery is not None:
            return CeleryRunner(self.celery, local)
        return local

    @property
    def medium_dirs(self) -> tuple[Path, Path]:
        """The folders of media A and B (`ARCHIVE_MEDIUM_A`, `ARCHIVE_MEDIUM_B`; HOME/media/a and b by
        default, which the settings fill in)."""
        a, b = self.settings.medium_a, self.settings.medium_b
        if a is None or b is None:
            raise ConfigError("не заданы каталоги носителей A и B (ARCHIVE_MEDIUM_A, ARCHIVE_MEDIUM_B)")
        return a, b

    def media(self) -> list[Medium]:
        """Medium A (an Object-Lock S3 bucket when configured, else a directory) and medium B."""
        s = self.settings
        dir_a, dir_b = self.medium_dirs
        if s.s3_bucket:
            from storage.s3 import s3_medium  # boto3 is loaded only where an S3 medium is used

            medium_a: Medium = s3_medium(s.s3_endpoint, s.s3_bucket, s.s3_access_key, s.s3_secret_key,
                                         label="Носитель A (S3)", location=s.medium_a_location,
                                         serial=s.medium_a_serial, prefix=s.s3_prefix)
        else:
            medium_a = DirectoryMedium(dir_a, "Носитель A", s.medium_a_location, s.medium_a_serial)
        return [medium_a, DirectoryMedium(dir_b, "Носитель B", s.medium_b_location, s.medium_b_serial)]

    def mailer(self) -> SmtpMailer | None:
        """The school's mail server for the deadline reminders (`ARCHIVE_SMTP_*`); None: no letters."""
        return mailer_from(self.settings)

    def own_state(self) -> list[Path]:
        """What the archive itself keeps — document store, media, keys, the SQLite database: a
        restore may go neither into nor over any of them (so not into HOME itself either)."""
        s = self.settings
        stores = [self.store.root] if isinstance(self.store, DirectoryStore) else []
        paths = [*stores, *self.medium_dirs, s.home / "pki", s.home / "secret_key", s.home / "source_key"]
        url = make_url(s.database_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            paths.append(Path(url.database))
        return paths

    @cached_property
    def connectors(self) -> ConnectorRegistry:
        """system code → connector class (built-in ones, plus ARCHIVE_SOURCE_CONNECTORS)."""
        return ConnectorRegistry(self.settings.source_connectors)

    @cached_property
    def source_box(self) -> SecretBox:
        """Encrypts the journal systems' secrets; the key is ARCHIVE_SOURCE_KEY or HOME/source_key."""
        return SecretBox.from_key_or_file(self.settings.source_key, self.settings.home / "source_key")

    def open_connector(self, system: str, credentials: Credentials, record_dir: Path | None = None) -> JournalSource:
        """A connector to the system over HTTP, recording every exchange to `record_dir` if given."""
        name = system_title(system)
        transport = (RecordingTransport(credentials.url, record_dir, system_name=name) if record_dir is not None
                     else Transport(credentials.url, system_name=name))
        return self.connectors.open(system, credentials, transport)

    def open_replay(self, system: str, credentials: Credentials, folder: Path) -> JournalSource:
        """A connector answered from a recorded folder (no network)."""
        return self.connectors.open(system, credentials, ReplayTransport(folder, system_name=system_title(system)))

    def uow(self) -> UnitOfWork:
        district_roles = DISTRICT_ROLES if self.settings.district is not None else None
        return UnitOfWork(self.session_factory, self.thresholds, account_roles=district_roles)

    def upgrade_schema(self) -> None:
        db.upgrade(self.engine)

    def prepare_home(self) -> None:
        """Create the embedded installation's directories (media A and B)."""
        for path in (self.settings.home, *self.medium_dirs):
            path.mkdir(parents=True, exist_ok=True)

    def now(self) -> dt.datetime:
        """The present moment (UTC), from `moment`."""
        return self.moment()

    def clock_offset(self) -> dt.timedelta:
        """How far `moment` stands from the machine's clock, in whole seconds: zero on the real clock;
        the local worker processes this process starts keep its time by it."""
        return dt.timedelta(seconds=round((self.now() - dt.datetime.now(dt.timezone.utc)).total_seconds()))

    def local_now(self) -> dt.datetime:
        """Now in the school's time zone (schedules are said in it)."""
        return self.now().astimezone(self.zone)

    @property
    def clock(self) -> Clock:
        """The clock: the only time source of destructive actions, of drafts and of signing and
        registering dates (no option or form sets it)."""
        return Clock(self.now, self.settings.timezone)


def _load_uploaded_pkcs12(key: Pkcs12Upload) -> Any:
    """An uploaded PKCS#12 key, opened from a private temporary file deleted at once (pyHanko
    reads the key from a file)."""
    from signing.pades import load_pkcs12

    fd, name = tempfile.mkstemp(prefix="key-", suffix=".p12")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(key.data)
        return load_pkcs12(Path(name), key.password)
    except SigningError:
        raise KeyAccessError(f"не удалось открыть ключ «{key.name}»: неверный пароль или это не файл "
                             "ключа PKCS#12") from None
    finally:
        os.unlink(name)
