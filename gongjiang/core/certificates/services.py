"""The verbs of certificates: issue (numbered per issuer and year, without races), revoke; and what the PDF and the
public verification page show."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..errors import DomainError, PermissionDeniedError
from ..models.certificates import CertificateSeries, IssuedCertificate
from ..pdf import qr_data_uri
from ..scoping import scope_for
from ..types import account_id
from .registry import kind_of

if TYPE_CHECKING:
    from ..types import Account, Actor

REASON_MAX = 500


@dataclass(frozen=True)
class Line:
    """One thing a certificate states: a label (a message id, translated when shown) and its value (as issued;
    translated too when `translate`, e.g. a prize's label)."""

    label: str
    value: str
    translate: bool = False


@dataclass(frozen=True)
class Statement:
    """What one certificate will state: its owner (a saved row of the issuing app), the holder, the title conferred
    and the lines."""

    owner: models.Model
    holder_name: str
    title: str
    holder_unit: str = ""
    lines: Sequence[Line] = field(default_factory=tuple)


def format_number(prefix: str, year: int, series_id: int, serial: int) -> str:
    """JS2026-0003-00017: the kind's prefix, the year, the issuer's series and the serial within it."""
    return f"{prefix}{year}-{series_id:04d}-{serial:05d}"


def _reserve(issuer_path: str, year: int, count: int) -> tuple[CertificateSeries, int]:
    """Take `count` serials of the issuer's series for `year`; returns the series and the first serial. The row is
    raised first (UPDATE … SET last_serial = last_serial + n) and read back after, inside the caller's transaction:
    a concurrent issuer waits on the row lock (PostgreSQL) or the write lock (SQLite) and then reads its own,
    higher, range."""
    try:
        with transaction.atomic():
            CertificateSeries.objects.get_or_create(issuer_path=issuer_path, year=year)
    except IntegrityError:  # created by a concurrent issuer between our look-up and our insert
        pass
    series_qs = CertificateSeries.objects.filter(issuer_path=issuer_path, year=year)
    series_qs.update(last_serial=F("last_serial") + count)
    series = series_qs.get()
    return series, series.last_serial - count + 1


@transaction.atomic
def issue(*, actor: Actor | None, kind: str, issuer_path: str, issuer_name: str, year: int,
          statements: Sequence[Statement]) -> list[IssuedCertificate]:
    """Issue one certificate per statement, in order, numbered consecutively in the issuer's series of `year`,
    each with a fresh verification token. The owning app has checked its own permission."""
    from django.contrib.contenttypes.models import ContentType

    if not statements:
        return []
    if not issuer_path or not issuer_name.strip():
        raise DomainError(_("A certificate needs the union that issues it."), field="issuer")
    registered = kind_of(kind)
    series, first = _reserve(issuer_path, year, len(statements))
    now = timezone.now()
    issued_by = account_id(actor)
    docs = []
    for i, s in enumerate(statements):
        serial = first + i
        docs.append(IssuedCertificate(
            kind=kind, owner_type=ContentType.objects.get_for_model(type(s.owner)), owner_id=s.owner.pk,
            issuer_path=issuer_path, issuer_name=issuer_name.strip()[:120], year=year, serial=serial,
            number=format_number(registered.prefix, year, series.pk, serial), token=secrets.token_urlsafe(12),
            holder_name=s.holder_name[:60], holder_unit=s.holder_unit[:120], title=s.title[:120],
            lines=[{"label": ln.label, "value": ln.value, "translate": ln.translate} for ln in s.lines],
            issued_at=now, issued_by_id=issued_by))
    IssuedCertificate.objects.bulk_create(docs)
    saved = list(IssuedCertificate.objects.filter(token__in=[d.token for d in docs]).order_by("serial"))
    audit.record_bulk(actor, "core.certificate.issued", saved, org_path=issuer_path, model=IssuedCertificate)
    return saved


def can_manage(user: Actor | None, certificate: IssuedCertificate) -> bool:
    """Whoever may change things at the issuing union, or whom the kind names (a competition's organiser)."""
    if user is None or not user.is_authenticated:
        return False
    if scope_for(user, "change").covers_regionally(certificate.issuer_path):
        return True
    extra = kind_of(certificate.kind).can_manage
    return bool(extra and extra(user, certificate))


@transaction.atomic
def revoke(*, actor: Account, certificate: IssuedCertificate, reason: str) -> IssuedCertificate:
    """撤销证书 (a result annulled, an honour withdrawn): the certificate stays, marked revoked with the date and the
    reason, which its verification page then shows. Audited."""
    certificate = IssuedCertificate.objects.select_for_update().get(pk=certificate.pk)
    if not can_manage(actor, certificate):
        raise PermissionDeniedError(_("Only the issuer may revoke this certificate."))
    if certificate.revoked_at is not None:
        raise DomainError(_("This certificate is already revoked."), code="state")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give the reason."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("At most %(n)s characters, please (%(len)s were given).") % {
            "n": REASON_MAX, "len": len(reason)}, field="reason")
    certificate.revoked_at, certificate.revoked_by_id, certificate.revocation_reason = timezone.now(), actor.pk, reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit.record(actor, "core.certificate.revoked", certificate, after={"number": certificate.number}, note=reason)
    return certificate


# ---------------------------------------------------------------------------------------------
# What is shown


def stated_lines(certificate: IssuedCertificate) -> list[tuple[str, str]]:
    """The certificate's lines as (label, value), in the active language."""
    return [(_(ln["label"]), _(ln["value"]) if ln.get("translate") else ln["value"]) for ln in certificate.lines]


def verification_url(request: HttpRequest | None, certificate: IssuedCertificate) -> str:
    path = reverse("core:certificate_verify", args=[certificate.token])
    return request.build_absolute_uri(path) if request is not None else path


def pdf_context(request: HttpRequest | None, certificate: IssuedCertificate) -> dict[str, Any]:
    """What core's certificate template needs of one certificate (an app adds its own keys for its wording)."""
    url = verification_url(request, certificate)
    registered = kind_of(certificate.kind)
    return {"doc": certificate, "heading": _(str(registered.title)), "title": _(certificate.title),
            "lines": stated_lines(certificate), "verify_url": url, "qr": qr_data_uri(url, scale=3),
            "issued_on": timezone.localtime(certificate.issued_at).date()}
