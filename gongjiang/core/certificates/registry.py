"""The kinds of certificate the apps issue, registered from their AppConfig.ready():

    certificates.register_kind("competitions.prize", title=_("Certificate of award"), title_label=_("Prize"),
                               prefix="JS", can_manage=...)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from ..models.certificates import IssuedCertificate
    from ..types import Account


@dataclass(frozen=True)
class CertificateKind:
    """A kind of certificate: its document title ("获奖证书"), the label of what it confers on the verification page
    ("奖项", "荣誉称号"), the number prefix, the PDF template (extending core/certificates/certificate_pdf.html),
    and who besides the issuer's administrators may revoke one (`can_manage(user, certificate)`)."""

    key: str
    title: str | Promise
    title_label: str | Promise
    prefix: str = "GJ"
    pdf_template: str = "core/certificates/certificate_pdf.html"
    can_manage: Callable[[Account, IssuedCertificate], bool] | None = None


_KINDS: dict[str, CertificateKind] = {}


def register_kind(key: str, *, title: str | Promise, title_label: str | Promise, **options: Any) -> CertificateKind:
    kind = CertificateKind(key=key, title=title, title_label=title_label, **options)
    _KINDS[key] = kind
    return kind


def kind_of(key: str) -> CertificateKind:
    return _KINDS.get(key) or CertificateKind(key=key, title=key, title_label="")
