"""One frozen `Settings` object, read once from `ARCHIVE_*` environment variables.

Nothing here runs at import time. The embedded default needs no variable at all: everything
lives under `ARCHIVE_HOME` (default `./var`) — the SQLite database, medium A and medium B —
so another `ARCHIVE_HOME` is another, empty installation.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

from archive_service.domain.file_issues import ISSUE_WORKING_DAYS
from archive_service.domain.journal_control import BACKDATED_DAYS
from archive_service.domain.procedure import PROCEDURE_DAYS
from storage.sealing import KEY_SEALING, KdfParams

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAX_UPLOAD_MB = 20
"""The default limit of one request, in MB: the demo school's largest class snapshot (a year's, formatted as
the journal systems export it) weighs 0.96 MB, all 27 classes of its largest quarter at once 13.6 MB."""


class ConfigError(ValueError):
    """A setting that cannot be used; the message says which variable and why."""


def _default_templates() -> Path:
    # a source checkout keeps templates/ beside the package; an installed copy gets them from
    # ARCHIVE_TEMPLATES_DIR (the Docker image sets it)
    return PROJECT_ROOT / "templates"


@dataclass(frozen=True)
class Settings:
    home: Path = field(default=Path("var"), metadata={"env": "ARCHIVE_HOME"})
    """The directory of the embedded installation: database, media, keys."""
    database_url: str = field(default="", metadata={"env": "ARCHIVE_DATABASE_URL"})
    """SQLAlchemy URL; empty means SQLite at HOME/archive.sqlite3."""
    district: Path | None = field(default=None, metadata={"env": "ARCHIVE_DISTRICT"})
    """A district's list of schools (TOML, `archive_service.district`): one installation for many
    schools, each with an archive of its own; empty: the installation is one school's archive."""
    secret_key: str = field(default="", metadata={"env": "ARCHIVE_SECRET_KEY"})
    """Flask session key; empty means one generated once and kept in HOME/secret_key."""
    medium_a: Path | None = field(default=None, metadata={"env": "ARCHIVE_MEDIUM_A"})
    """Directory standing for backup medium A; default HOME/media/a."""
    medium_b: Path | None = field(default=None, metadata={"env": "ARCHIVE_MEDIUM_B"})
    """Directory standing for backup medium B; default HOME/media/b."""
    medium_a_location: str = field(default="кабинет директора, сейф", metadata={"env": "ARCHIVE_MEDIUM_A_LOCATION"})
    """Where medium A is kept (recorded with every copy)."""
    medium_b_location: str = field(default="архив, металлический шкаф", metadata={"env": "ARCHIVE_MEDIUM_B_LOCATION"})
    """Where medium B is kept: another room than medium A."""
    medium_a_serial: str = field(default="", metadata={"env": "ARCHIVE_MEDIUM_A_SERIAL"})
    """Serial number of medium A (the disk's, or the bucket's name at the provider), printed on the
    hand-over act; empty: the act leaves the line out."""
    medium_b_serial: str = field(default="", metadata={"env": "ARCHIVE_MEDIUM_B_SERIAL"})
    """Serial number of medium B, printed on the hand-over act; empty: left out."""
    key_kdf_log2_n: int = field(default=KEY_SEALING.log2_n, metadata={"env": "ARCHIVE_KEY_KDF_LOG2_N"})
    """scrypt cost (log2 of N) the director's archive key is sealed with under the access code; the
    default (2^17, 128 MiB) is the production strength — tests lower it, nothing else should."""
    broker_url: str = field(default="", metadata={"env": "ARCHIVE_BROKER_URL"})
    """Celery broker (redis://…); empty runs tasks in-process (embedded default)."""
    result_backend: str = field(default="", metadata={"env": "ARCHIVE_RESULT_BACKEND"})
    """Celery result backend; empty means the broker URL."""
    s3_endpoint: str = field(default="", metadata={"env": "ARCHIVE_S3_ENDPOINT"})
    """S3-compatible endpoint of the write-once medium A (production); empty: medium A is a directory."""
    s3_bucket: str = field(default="", metadata={"env": "ARCHIVE_S3_BUCKET"})
    """Bucket with Object Lock enabled for medium A."""
    s3_prefix: str = field(default="", metadata={"env": "ARCHIVE_S3_PREFIX"})
    """The part of that bucket the backup sets go under («school21/»); empty: the whole bucket. In a
    district each school's is the installation's plus «<code>/»."""
    s3_access_key: str = field(default="", metadata={"env": "ARCHIVE_S3_ACCESS_KEY"})
    """Access key for the S3 medium."""
    s3_secret_key: str = field(default="", metadata={"env": "ARCHIVE_S3_SECRET_KEY"})
    """Secret key for the S3 medium."""
    document_store: str = field(default="", metadata={"env": "ARCHIVE_DOCUMENT_STORE"})
    """Where rendered and signed documents live (`storage.open_store`): empty → `ARCHIVE_HOME/documents`;
    a directory path; or `s3://bucket/prefix` — a bucket every web process and worker reaches, so that
    workers on several hosts need no shared disk (the `ARCHIVE_DOCUMENT_S3_*` settings)."""
    document_s3_endpoint: str = field(default="", metadata={"env": "ARCHIVE_DOCUMENT_S3_ENDPOINT"})
    """S3-compatible endpoint of the document store (MinIO: http://minio:9000); empty: AWS."""
    document_s3_access_key: str = field(default="", metadata={"env": "ARCHIVE_DOCUMENT_S3_ACCESS_KEY"})
    """Access key for the document store's bucket."""
    document_s3_secret_key: str = field(default="", metadata={"env": "ARCHIVE_DOCUMENT_S3_SECRET_KEY"})
    """Secret key for the document store's bucket."""
    document_s3_region: str = field(default="us-east-1", metadata={"env": "ARCHIVE_DOCUMENT_S3_REGION"})
    """Region of the document store's bucket."""
    public_url: str = field(default="http://127.0.0.1:5000", metadata={"env": "ARCHIVE_PUBLIC_URL"})
    """The web address staff open; QR codes on printed sheets point to {public_url}/check/... The
    loopback default serves the demo on this computer; in production (`production`) it must be the
    archive's address in the school's network, or no copy is rendered (`services.documents`)."""
    production: bool = field(default=False, metadata={"env": "ARCHIVE_PRODUCTION"})
    """A real school's installation (the Docker image and docker-compose.yml set it), not the demo:
    copies are refused while `public_url` is a loopback address — a QR code printed on paper with
    127.0.0.1 or localhost opens nothing on an inspector's phone and can never be reprinted."""
    print_duplex: bool = field(default=True, metadata={"env": "ARCHIVE_PRINT_DUPLEX"})
    """Two-sided printing (a sheet is two pages, only fronts numbered); false for one-sided."""
    render_processes: int = field(default=0, metadata={"env": "ARCHIVE_RENDER_PROCESSES"})
    """Local rendering processes when there is no Celery broker; 0 means one per CPU core."""
    tsa_url: str = field(default="", metadata={"env": "ARCHIVE_TSA_URL"})
    """RFC 3161 timestamp authority; empty: the demo's local authority from HOME/pki."""
    trust_roots: str = field(default="", metadata={"env": "ARCHIVE_TRUST_ROOTS"})
    """Trusted root certificates (PEM or DER files, comma-separated); empty: the demo root."""
    trust_crls: str = field(default="", metadata={"env": "ARCHIVE_TRUST_CRLS"})
    """Revocation lists to rely on offline (comma-separated files); empty: the demo root's CRL."""
    trusted_roots: str = field(default="", metadata={"env": "ARCHIVE_TRUSTED_ROOTS"})
    """The accredited certification centres: a PEM file, a folder of certificates, or the Минцифры
    list (TSL XML), several joined by «:». Their roots are trusted and their signatures are qualified."""
    demo_signature: str = field(default="", metadata={"env": "ARCHIVE_DEMO_SIGNATURE"})
    """`archive-service demo` signs with «gost» (the GOST test PKI through the external route) or, empty,
    with the fast demo ECDSA key."""
    timestamp_renewal_days: int = field(default=365, metadata={"env": "ARCHIVE_TIMESTAMP_RENEWAL_DAYS"})
    """Add a new document timestamp when the newest one's certificate expires within this many days."""
    templates_dir: Path = field(default_factory=_default_templates, metadata={"env": "ARCHIVE_TEMPLATES_DIR"})
    """Where templates/print, templates/web and templates/fonts are."""
    min_marks_one_hour: int = field(default=3, metadata={"env": "ARCHIVE_PREFLIGHT_MIN_MARKS_1H"})
    """Pre-flight: fewest marks per period in a subject of one hour a week."""
    min_marks: int = field(default=5, metadata={"env": "ARCHIVE_PREFLIGHT_MIN_MARKS"})
    """Pre-flight: fewest marks per period in a subject of two or more hours a week."""
    control_backdated_days: int = field(default=BACKDATED_DAYS, metadata={"env": "ARCHIVE_CONTROL_BACKDATED_DAYS"})
    """The monthly control: a mark entered more than this many days after its lesson is reported as
    entered «задним числом» (no regulation gives a number; see `domain.journal_control`)."""
    pkcs11_libraries: str = field(default="/usr/lib/softhsm/libsofthsm2.so", metadata={"env": "ARCHIVE_PKCS11_LIB"})
    """PKCS#11 libraries the web app may load for the director's token (several separated by «:»)."""
    cryptcp: Path = field(default=Path("/opt/cprocsp/bin/amd64/cryptcp"), metadata={"env": "ARCHIVE_CRYPTCP"})
    """CryptoPro CSP's `cryptcp`, which signs with a GOST key on the director's token on the server."""
    cadesplugin_script: Path | None = field(default=None, metadata={"env": "ARCHIVE_CADESPLUGIN_JS"})
    """CryptoPro's `cadesplugin_api.js` (downloaded by the administrator from cryptopro.ru with the
    «КриптоПро ЭЦП Browser plug-in»); the signing page serves it from here, never from the internet.
    Default HOME/cadesplugin_api.js; absent, the page offers only the key file and token routes."""
    timezone: str = field(default="Europe/Moscow", metadata={"env": "ARCHIVE_TIMEZONE"})
    """The school's time zone: pages show times in it (everything is stored in UTC)."""
    idle_minutes: int = field(default=30, metadata={"env": "ARCHIVE_IDLE_MINUTES"})
    """The web session ends after this many minutes without a request."""
    max_upload_mb: int = field(default=MAX_UPLOAD_MB, metadata={"env": "ARCHIVE_MAX_UPLOAD_MB"})
    """The largest request the web application reads, in megabytes (uploads of snapshots, key
    files): a larger one is refused before it is read or parsed."""
    check_per_minute: int = field(default=60, metadata={"env": "ARCHIVE_CHECK_PER_MINUTE"})
    """The public sheet checks (`/check/…`, no login) one address may open a minute; 0: no limit.
    Sixty lets an inspector scan a journal's sheets one after another and stops a script reading
    the archive's register numbers through them."""
    ratelimit_storage: str = field(default="", metadata={"env": "ARCHIVE_RATELIMIT_STORAGE"})
    """Where the counts of that limit are kept: «memory://» (each web worker counts its own), or
    «redis://…» (the workers count together); empty: the broker when it is Redis, else memory."""
    issue_working_days: int = field(default=ISSUE_WORKING_DAYS, metadata={"env": "ARCHIVE_ISSUE_WORKING_DAYS"})
    """The return-by date the form for issuing a paper file proposes, in working days after the
    issue (no reference regulation sets a term; see `domain.file_issues`)."""
    source_key: str = field(default="", metadata={"env": "ARCHIVE_SOURCE_KEY"})
    """Key (Fernet, URL-safe base64) that encrypts the journal systems' passwords and tokens; empty
    means one generated once and kept in HOME/source_key (0600), never in the database."""
    source_connectors: str = field(default="", metadata={"env": "ARCHIVE_SOURCE_CONNECTORS"})
    """Connector classes besides or instead of the built-in ones: «system=package.module:Class», comma-separated."""
    source_pull_hour: int = field(default=2, metadata={"env": "ARCHIVE_SOURCE_PULL_HOUR"})
    """Hour of the night (school time) when scheduled pulls from the journal systems run."""
    source_pull_days_before: int = field(default=7, metadata={"env": "ARCHIVE_SOURCE_PULL_DAYS_BEFORE"})
    """Scheduled pulls run nightly from this many days before a period's last day…"""
    source_pull_days_after: int = field(default=PROCEDURE_DAYS, metadata={"env": "ARCHIVE_SOURCE_PULL_DAYS_AFTER"})
    """…to this many days after it (the first days of the holidays: the 5-day procedure)."""
    smtp_host: str = field(default="", metadata={"env": "ARCHIVE_SMTP_HOST"})
    """The school's mail server the deadline reminders are sent through; empty: no letters (the
    reminders are still shown on the period's board and the home pages)."""
    smtp_port: int = field(default=25, metadata={"env": "ARCHIVE_SMTP_PORT"})
    """Its port (25; 587 with STARTTLS as a rule)."""
    smtp_from: str = field(default="archive@localhost", metadata={"env": "ARCHIVE_SMTP_FROM"})
    """The sender's address of the letters."""
    smtp_user: str = field(default="", metadata={"env": "ARCHIVE_SMTP_USER"})
    """The account on the mail server; empty: letters are sent without signing in."""
    smtp_password: str = field(default="", metadata={"env": "ARCHIVE_SMTP_PASSWORD"})
    """That account's password."""
    smtp_starttls: bool = field(default=False, metadata={"env": "ARCHIVE_SMTP_STARTTLS"})
    """Switch the connection to TLS (STARTTLS) before signing in and sending."""
    reminder_hour: int = field(default=7, metadata={"env": "ARCHIVE_REMINDER_HOUR"})
    """Hour of the school morning (school time) when the deadline reminders are made and sent."""

    def __post_init__(self) -> None:
        home = Path(self.home).absolute()
        object.__setattr__(self, "home", home)
        if self.district is not None:
            object.__setattr__(self, "district", Path(self.district).absolute())
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{home / 'archive.sqlite3'}")
        object.__setattr__(self, "medium_a", Path(self.medium_a or home / "media" / "a").absolute())
        object.__setattr__(self, "medium_b", Path(self.medium_b or home / "media" / "b").absolute())
        object.__setattr__(self, "cadesplugin_script",
                           Path(self.cadesplugin_script or home / "cadesplugin_api.js").absolute())
        if not self.result_backend and self.broker_url:
            object.__setattr__(self, "result_backend", self.broker_url)
        if not 10 <= self.key_kdf_log2_n <= 22:
            raise ConfigError("ARCHIVE_KEY_KDF_LOG2_N: ожидается число от 10 до 22 (по умолчанию 17)")
        if not 1 <= self.max_upload_mb <= 1024:
            raise ConfigError(f"ARCHIVE_MAX_UPLOAD_MB: ожидается число мегабайт от 1 до 1024 "
                              f"(по умолчанию {MAX_UPLOAD_MB})")
        if self.check_per_minute < 0:
            raise ConfigError("ARCHIVE_CHECK_PER_MINUTE: ожидается число проверок в минуту, 0 — без ограничения")
        if not self.ratelimit_storage:
            redis = self.broker_url.startswith(("redis://", "rediss://"))
            object.__setattr__(self, "ratelimit_storage", self.broker_url if redis else "memory://")
        if not 1 <= self.issue_working_days <= 250:
            raise ConfigError(f"ARCHIVE_ISSUE_WORKING_DAYS: ожидается число рабочих дней от 1 до 250 "
                              f"(по умолчанию {ISSUE_WORKING_DAYS})")
        if not 1 <= self.smtp_port <= 65535:
            raise ConfigError("ARCHIVE_SMTP_PORT: ожидается номер порта от 1 до 65535 (по умолчанию 25)")
        if not 0 <= self.reminder_hour <= 23:
            raise ConfigError("ARCHIVE_REMINDER_HOUR: ожидается час от 0 до 23 (по умолчанию 7)")
        if not 1 <= self.control_backdated_days <= 365:
            raise ConfigError(f"ARCHIVE_CONTROL_BACKDATED_DAYS: ожидается число дней от 1 до 365 "
                              f"(по умолчанию {BACKDATED_DAYS})")
        for name in ("min_marks_one_hour", "min_marks"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name}: число отметок не может быть отрицательным")

    @property
    def key_sealing(self) -> KdfParams:
        """The KDF parameters a new sealing of the archive key's private key uses."""
        return KdfParams(self.key_kdf_log2_n, KEY_SEALING.r, KEY_SEALING.p)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(f.metadata["env"], f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_secret(self) -> "Settings":
        """The settings with a secret key, creating HOME/secret_key on first use."""
        if self.secret_key:
            return self
        path = self.home / "secret_key"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        return replace(self, secret_key=path.read_text().strip())


def _convert(env: str, type_name: Any, raw: str) -> Any:
    text = str(type_name)
    if "bool" in text:
        if raw.lower() in {"1", "true", "yes", "on", "да"}:
            return True
        if raw.lower() in {"0", "false", "no", "off", "нет"}:
            return False
        raise ConfigError(f"{env}={raw!r}: ожидается true или false")
    if "int" in text:
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{env}={raw!r}: ожидается целое число") from None
    if "Path" in text:
        return Path(raw)
    return raw
