"""The profile of a Russian qualified certificate (63-ФЗ, ФСБ order 795): reading it and naming gaps.

A qualified certificate's subject carries the owner's СНИЛС, ИНН, the organisation's ИННЮЛ and
ОГРН, the owner's title; its issuer names the accredited centre with its ОГРН; its extensions name
the class of the owner's signature tool (certificate policies КС1…КА1), the tool itself
(subjectSignTool), the centre's tools and their conformity certificates (issuerSignTool) and how
the owner was identified. This module teaches asn1crypto those identifiers (as
pyhanko_certvalidator does for its own additions), reads them into `QualifiedProfile`, and says
in Russian what a certificate lacks to be qualified.

Whether the issuer is an *accredited* centre is not a property of the certificate: that is the
trusted list's question (signing.trusted_list).
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import core, x509

from signing import gost

# name attributes (order 795 § 18; ОГРНИП for individual entrepreneurs)
OGRN, SNILS, INNLE, OGRNIP = "1.2.643.100.1", "1.2.643.100.3", "1.2.643.100.4", "1.2.643.100.5"
INN = "1.2.643.3.131.1.1"
# extensions
SUBJECT_SIGN_TOOL, ISSUER_SIGN_TOOL, IDENTIFICATION_KIND = "1.2.643.100.111", "1.2.643.100.112", "1.2.643.100.114"
# certificate policies: the class of the owner's signature tool
TOOL_CLASSES = {"1.2.643.100.113.1": "КС1", "1.2.643.100.113.2": "КС2", "1.2.643.100.113.3": "КС3",
                "1.2.643.100.113.4": "КВ1", "1.2.643.100.113.5": "КВ2", "1.2.643.100.113.6": "КА1"}
IDENTIFICATION_KINDS = {0: "при личном присутствии", 1: "без личного присутствия по квалифицированной подписи",
                        2: "без личного присутствия по загранпаспорту с биометрией",
                        3: "без личного присутствия через ЕСИА и ЕБС"}

_NAME_TYPES = {OGRN: ("ogrn", "ОГРН"), SNILS: ("snils", "СНИЛС"), INNLE: ("innle", "ИННЮЛ"),
               OGRNIP: ("ogrnip", "ОГРНИП"), INN: ("inn", "ИНН")}


class IssuerSignTool(core.Sequence):  # type: ignore[misc]  # asn1crypto ships no types: its base is Any
    """issuerSignTool (order 795): the centre's signature tool, its CA tool and their conformity certificates."""

    _fields = [
        ("sign_tool", core.UTF8String),
        ("ca_tool", core.UTF8String),
        ("sign_tool_cert", core.UTF8String),
        ("ca_tool_cert", core.UTF8String),
    ]


def _register_oids() -> None:
    """Name the attributes and extensions in asn1crypto's registries (their `_map`s are its extension point)."""
    for dotted, (name, _label) in _NAME_TYPES.items():
        x509.NameType._map.setdefault(dotted, name)
        if x509.NameType._reverse_map is not None:
            x509.NameType._reverse_map.setdefault(name, dotted)
        x509.NameTypeAndValue._oid_specs.setdefault(name, core.NumericString)
    extensions = {SUBJECT_SIGN_TOOL: ("subject_sign_tool", core.UTF8String),
                  ISSUER_SIGN_TOOL: ("issuer_sign_tool", IssuerSignTool),
                  IDENTIFICATION_KIND: ("identification_kind", core.Integer)}
    for dotted, (name, spec) in extensions.items():
        x509.ExtensionId._map.setdefault(dotted, name)
        if x509.ExtensionId._reverse_map is not None:
            x509.ExtensionId._reverse_map.setdefault(name, dotted)
        x509.Extension._oid_specs.setdefault(name, spec)
    # Name.human_friendly looks attribute labels up in a fixed dict: give ours a label instead of a KeyError
    original = x509.NameType.human_friendly
    if getattr(original.fget, "__name__", "") != "human_friendly_with_russian":
        labels = {name: label for name, label in _NAME_TYPES.values()}

        def human_friendly_with_russian(self: x509.NameType) -> str:
            return labels.get(self.native) or original.fget(self)

        x509.NameType.human_friendly = property(human_friendly_with_russian)


_register_oids()


@dataclass(frozen=True)
class QualifiedProfile:
    """What a certificate says about its owner and issuer in the qualified profile (None: not stated)."""

    owner: str | None
    surname: str | None
    given_names: str | None
    title: str | None
    organisation: str | None
    snils: str | None
    inn: str | None
    inn_le: str | None
    ogrn: str | None
    issuer_name: str | None
    issuer_ogrn: str | None
    tool_classes: tuple[str, ...]
    subject_sign_tool: str | None
    issuer_sign_tool: tuple[str, ...]
    identification_kind: int | None

    @property
    def identification(self) -> str | None:
        """How the owner was identified, in words."""
        if self.identification_kind is None:
            return None
        return IDENTIFICATION_KINDS.get(self.identification_kind, f"способ № {self.identification_kind}")


def _attribute(name: x509.Name, attribute: str) -> str | None:
    value = name.native.get(attribute)
    if isinstance(value, list):  # the attribute repeats: the first one counts
        value = value[0]
    return str(value).strip() if value not in (None, "") else None


def _extension(cert: x509.Certificate, name: str) -> core.Asn1Value | None:
    for extension in cert["tbs_certificate"]["extensions"]:
        if extension["extn_id"].native == name:
            return extension["extn_value"].parsed
    return None


def _policies(cert: x509.Certificate) -> tuple[str, ...]:
    policies = cert.certificate_policies_value
    if policies is None:
        return ()
    found = [TOOL_CLASSES[p["policy_identifier"].dotted] for p in policies
             if p["policy_identifier"].dotted in TOOL_CLASSES]
    return tuple(sorted(set(found), key=list(TOOL_CLASSES.values()).index))


def read_profile(cert: x509.Certificate) -> QualifiedProfile:
    """The qualified-profile fields of `cert`, whatever its key algorithm."""
    subject, issuer = cert.subject, cert.issuer
    subject_tool = _extension(cert, "subject_sign_tool")
    issuer_tool = _extension(cert, "issuer_sign_tool")
    kind = _extension(cert, "identification_kind")
    return QualifiedProfile(
        owner=_attribute(subject, "common_name"), surname=_attribute(subject, "surname"),
        given_names=_attribute(subject, "given_name"), title=_attribute(subject, "title"),
        organisation=_attribute(subject, "organization_name"), snils=_attribute(subject, "snils"),
        inn=_attribute(subject, "inn"), inn_le=_attribute(subject, "innle"), ogrn=_attribute(subject, "ogrn"),
        issuer_name=_attribute(issuer, "common_name") or _attribute(issuer, "organization_name"),
        issuer_ogrn=_attribute(issuer, "ogrn"), tool_classes=_policies(cert),
        subject_sign_tool=subject_tool.native if subject_tool is not None else None,
        issuer_sign_tool=tuple(issuer_tool.native.values()) if issuer_tool is not None else (),
        identification_kind=kind.native if kind is not None else None,
    )


def _digits(value: str | None, length: int) -> bool:
    return value is not None and value.isdigit() and len(value) == length


def qualification_problems(cert: x509.Certificate) -> list[str]:
    """What `cert` lacks to be a qualified certificate, in Russian; empty when it is in the profile."""
    problems = []
    if not gost.certificate_is_gost(cert):
        problems.append("ключ не ГОСТ Р 34.10-2012")
    profile = read_profile(cert)
    if not profile.owner:
        problems.append("не указано имя владельца")
    if not profile.surname or not profile.given_names:
        problems.append("не указаны фамилия, имя и отчество владельца")
    if not _digits(profile.snils, 11):
        problems.append("не указан СНИЛС владельца (11 цифр)")
    if not _digits(profile.inn, 12) and not _digits(profile.inn_le, 10):
        problems.append("не указан ИНН владельца или организации")
    if profile.inn_le is not None and not _digits(profile.ogrn, 13):
        problems.append("для организации не указан ОГРН (13 цифр)")
    if not profile.issuer_name:
        problems.append("не указано наименование удостоверяющего центра")
    if not _digits(profile.issuer_ogrn, 13):
        problems.append("не указан ОГРН удостоверяющего центра")
    if not profile.tool_classes:
        problems.append("не указан класс средства электронной подписи (КС1, КС2 …)")
    if not profile.subject_sign_tool:
        problems.append("нет сведений о средстве электронной подписи владельца")
    if len(profile.issuer_sign_tool) != 4 or not all(profile.issuer_sign_tool):
        problems.append("нет сведений о средствах удостоверяющего центра и их сертификатах соответствия")
    usage = cert.key_usage_value
    if usage is None or "non_repudiation" not in usage.native or "digital_signature" not in usage.native:
        problems.append("ключ не предназначен для электронной подписи (нет «цифровой подписи» и «неотрекаемости»)")
    return problems
