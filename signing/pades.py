"""PAdES B-LTA signing with pyHanko: one signer, key and stamp prepared once, many documents.

A signature here is: a CAdES signature with the signing certificate, an RFC 3161 timestamp on
it, the chain and revocation data (CRL/OCSP) in the document security store, and a document
timestamp on top (B-LTA), so it can be validated after the certificates expire.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence
from datetime import tzinfo

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, TimestampDSSContentSettings
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from signing import pdf_speed
from signing.errors import KeyAccessError, SigningError
from signing.tsa import LocalTimestampAuthority
from signing.zones import MOSCOW, moscow_relative

pdf_speed.install()  # pyHanko reads signature contents whole, not a byte at a time

if TYPE_CHECKING:
    from signing.trusted_list import TrustedList

FIELD = "DirectorSignature"
STAMP_BOX = (240, 120, 510, 215)
"""pt, on the certification page, under the note: inside the text area of a front (binding on the left,
85 pt) and of a back (binding on the right, from 510 pt), since the note stands on the last sheet's back."""


@dataclass(frozen=True)
class Trust:
    """What validation may rely on offline: trust roots and revocation lists."""

    roots: tuple[asn1_x509.Certificate, ...]
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    accredited: TrustedList | None = None  # which roots are accredited certification centres

    def centre_for(self, cert: asn1_x509.Certificate) -> str | None:
        """The accredited certification centre that issued `cert` (or is it), None if none is."""
        return self.accredited.centre_for(cert) if self.accredited is not None else None

    @classmethod
    def from_files(cls, roots: Sequence[Path], crls: Sequence[Path] = ()) -> "Trust":
        return cls(tuple(load_cert(p) for p in roots),
                   tuple(asn1_crl.CertificateList.load(p.read_bytes()) for p in crls))

    def context(self, moment: dt.datetime | None = None) -> ValidationContext:
        return ValidationContext(trust_roots=list(self.roots), crls=list(self.crls), allow_fetching=False,
                                 moment=moment, revocation_mode="hard-fail")


def load_cert(path: Path) -> asn1_x509.Certificate:
    data = path.read_bytes()
    if b"-----BEGIN" in data:  # PEM, possibly after "Bag Attributes" lines as openssl writes them
        from asn1crypto import pem

        _, _, data = pem.unarmor(data[data.index(b"-----BEGIN"):])
    return asn1_x509.Certificate.load(data)


def load_pkcs12(path: Path, password: bytes) -> signers.SimpleSigner:
    """The signer of a PKCS#12 file; a wrong password or a broken file is a `KeyAccessError`."""
    try:
        signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password)
    except (OSError, ValueError) as exc:
        raise KeyAccessError(f"не удалось открыть ключ {path.name}: неверный пароль или повреждённый файл") from exc
    if signer is None:
        raise KeyAccessError(f"не удалось открыть ключ {path.name}: неверный пароль или повреждённый файл")
    return signer


def local_timestamper(cert: Path, key: Path) -> LocalTimestampAuthority:
    """An in-process RFC 3161 timestamp authority (demo and tests)."""
    from asn1crypto import pem

    _, _, key_der = pem.unarmor(key.read_bytes())
    return LocalTimestampAuthority(tsa_cert=load_cert(cert), tsa_key=asn1_keys.PrivateKeyInfo.load(key_der))


STAMP_ALPHABET = ("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя+−"
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,:;-–«»()/№")


def stamp_font(font: Path) -> Path:
    """The stamp's font cut to the characters a stamp can contain, without layout tables and hints:
    pyHanko parses the font for every signature, and the full PT Sans takes ~60 ms."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GPOS", "GSUB", "GDEF", "kern", "DSIG", "hdmx", "VDMX", "LTSH"]
    options.hinting = False  # every signed file carries this font whole (_CutFontAccumulator): 10 KB, not 44
    options.name_IDs = ["*"]
    options.notdef_outline = True
    ttfont = subset.load_font(str(font), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=STAMP_ALPHABET)
    subsetter.subset(ttfont)
    fd, name = tempfile.mkstemp(prefix="stamp-font-", suffix=".ttf")
    os.close(fd)
    subset.save_font(ttfont, name, options)
    ttfont.close()
    return Path(name)


def http_timestamper(url: str) -> timestamps.HTTPTimeStamper:
    return timestamps.HTTPTimeStamper(url)


def stamp_lines(cert: asn1_x509.Certificate, signed_at: dt.datetime, zone: tzinfo = MOSCOW) -> str:
    """The visible stamp, in the form of the school's regulations (reference 004); the signing
    time in the school's time zone, named as Russians name zones (МСК, МСК+2)."""
    local = signed_at.astimezone(zone)
    subject = cert.subject.native
    validity = cert["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    return ("ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ\n"
            "Сведения о сертификате ЭП\n"
            f"Сертификат {cert.serial_number:X}\n"
            f"Владелец {subject.get('common_name', '')}\n"
            f"Действителен с {start:%d.%m.%Y} по {end:%d.%m.%Y}\n"
            f"Подписан {local:%d.%m.%Y %H:%M} ({moscow_relative(local)})")


class _CutFontAccumulator(GlyphAccumulator):
    """pyHanko's glyph accumulator for a font already cut to the stamp's alphabet (`stamp_font`):
    the font file is embedded whole, as cut — pyHanko would cut it again to the glyphs of each stamp
    and write the cut out with fontTools, about a sixth of a signature's time. Glyph ids stay those
    of the cut font (pyHanko keeps them too: CIDToGIDMap is Identity for TrueType), so the text
    operators and widths pyHanko writes are unchanged."""

    _font_files: dict[str, bytes] = {}  # path → the cut font's bytes, read once per process

    def __init__(self, writer: Any, font_path: str, font_size: float, obj_stream: Any = None):
        data = self._font_files.get(font_path)
        if data is None:
            data = self._font_files[font_path] = Path(font_path).read_bytes()
        super().__init__(writer=writer, font_handle=io.BytesIO(data), font_size=font_size, obj_stream=obj_stream)
        self._font_path = font_path
        self.cidfont_obj.set_font_file = self._set_font_file  # type: ignore[method-assign]

    def _extract_subset(self, options: Any = None) -> None:
        """Already cut: nothing to do."""

    def _set_font_file(self, writer: Any) -> Any:
        """`CIDFontType2.set_font_file` embedding the cut font's file as it is."""
        stream = generic.StreamObject(stream_data=self._font_files[self._font_path])
        stream.compress()
        ref = writer.add_object(stream)
        self.cidfont_obj._font_descriptor[generic.pdf_name("/FontFile2")] = ref
        return ref


@dataclass(frozen=True)
class _CutFontFactory(GlyphAccumulatorFactory):
    """Makes a `_CutFontAccumulator` for every stamp (one per signed file)."""

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return _CutFontAccumulator(writer, self.font_file, self.font_size, obj_stream)


class StampStyle:
    """The visible stamp's look, built once per signer: its font cut and loaded once."""

    def __init__(self, font: Path, zone: tzinfo = MOSCOW):
        self.zone = zone
        self.font_file = stamp_font(font)
        weakref.finalize(self, self.font_file.unlink, missing_ok=True)
        self.text_style = TextBoxStyle(font=_CutFontFactory(str(self.font_file), font_size=8),
                                       font_size=8, leading=11)

    def for_certificate(self, cert: asn1_x509.Certificate, signed_at: dt.datetime) -> TextStampStyle:
        return TextStampStyle(stamp_text=stamp_lines(cert, signed_at, self.zone), text_box_style=self.text_style,
                              border_width=1, background=None)


def signature_room(pdf: bytes) -> int:
    """The room reserved for the first signature's CMS container in a signed file, in hex digits
    (as pyHanko's `bytes_reserved` counts it)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    first = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures[0]
    return 2 * len(first.sig_object.raw_get("/Contents"))


class PadesSigner:
    """Signs PDFs at B-LTA. Build once per batch: the key, the font and the trust are reused."""

    def __init__(self, signer: signers.Signer, timestamper: timestamps.TimeStamper, trust: Trust, font: Path,
                 *, reason: str = "Заверение электронной копии", location: str = "", zone: tzinfo = MOSCOW):
        self.signer = signer
        self.timestamper = timestamper
        self.trust = trust
        self.reason = reason
        self.location = location
        self.stamp = StampStyle(font, zone)
        self.reserved: int | None = None
        """bytes of the signature's /Contents: pyHanko estimates them by a dry run of the whole
        signature (about a sixth of its time); the first signature's room — the estimate with
        pyHanko's 50 % margin — is kept for the rest of the batch, since the certificate, the chain
        and the timestamp authority are the same. A signature that outgrows it is made again with
        a fresh estimate."""
        if signer.signing_cert is None:
            raise SigningError("у ключа нет сертификата подписи")
        # revocation data comes from the configured CRLs by design; pyHanko notes it on every signature
        logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return self.signer.signing_cert

    def sign(self, pdf: bytes, page: int, *, now: dt.datetime | None = None) -> bytes:
        """The signed document; `page` is the index of the certification sheet's front."""
        now = now or dt.datetime.now(dt.timezone.utc)
        style = self.stamp.for_certificate(self.signer.signing_cert, now)
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            embed_validation_info=True, use_pades_lta=True, validation_context=self.trust.context(),
            # the document timestamp's own validation data goes in before it, so the timestamp
            # covers the file to its last byte: no unsigned revision is left at the end
            dss_settings=DSSContentSettings(include_vri=False, next_ts_settings=TimestampDSSContentSettings(
                include_vri=False, update_before_ts=True)),
            reason=self.reason, location=self.location or None)
        pdf_signer = signers.PdfSigner(meta, signer=self.signer, timestamper=self.timestamper, stamp_style=style,
                                       new_field_spec=fields.SigFieldSpec(FIELD, on_page=page, box=STAMP_BOX))
        try:
            try:
                out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
                                          bytes_reserved=self.reserved)
            except PyhankoSigningError as exc:
                if self.reserved is None or "larger than expected" not in str(exc):
                    raise
                self.reserved = None  # outgrown: estimate again, for this one and the next ones
                out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False))
        except Exception as exc:  # pyHanko raises many kinds; callers get one, with the cause kept
            raise SigningError(f"не удалось подписать документ: {exc}") from exc
        signed: bytes = out.getvalue()
        if self.reserved is None:
            self.reserved = signature_room(signed)
        return signed
