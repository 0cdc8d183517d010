"""Issued certificates (证书) with their public verification token, numbered per issuer and year. No domain here:
the issuer is a union path and a name snapshot, the owner a generic reference, and what the certificate states is
data (`title`, `lines`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..scoping import ScopedManager
from .notices import PathRef


class CertificateSeries(models.Model):
    """The counter of one issuer's certificates in one year: `last_serial` is the last serial handed out. Issuing
    raises it with one UPDATE before reading it back, so two issuers in parallel never get the same serial (the row
    lock on PostgreSQL, the write lock on SQLite)."""

    issuer_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    scope_via = "issuer_path"
    paths_follow_moves = ("issuer_path",)  # a moved unit takes its rows along (core.scoping.paths_moved)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("certificate series")
        verbose_name_plural = _("certificate series")
        constraints = [models.UniqueConstraint(fields=["issuer_path", "year"], name="certificate_series_uniq")]

    def __str__(self) -> str:
        return f"{self.issuer_path} {self.year}: {self.last_serial}"


class IssuedCertificate(models.Model):
    """A certificate as issued: its number, the holder, what it states (`title`, the honour or prize, and `lines`,
    label/value pairs such as the competition and the event), the issuer who signs it, and the token of the public
    page its QR code opens. Revoking keeps the row and says when and why; the page then shows it as revoked.

    Labels in `lines`, and `title` and values marked so, are stored as message ids (English) and translated when
    shown, so the page reads in the visitor's language; everything else is shown as issued."""

    kind = models.CharField(_("kind"), max_length=60)  # a registered kind, "competitions.prize"
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    issuer_path = models.CharField(max_length=255, db_index=True)
    issuer_name = models.CharField(_("issued by"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField()
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    token = models.CharField(max_length=32, unique=True)
    holder_name = models.CharField(_("name"), max_length=60)
    holder_unit = models.CharField(_("unit"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=120)
    lines = models.JSONField(default=list, blank=True)  # [{"label": msgid, "value": text, "translate": bool}]
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revocation_reason = models.CharField(_("reason"), max_length=500, blank=True)

    scope_via = "issuer_path"
    paths_follow_moves = ("issuer_path",)  # a moved unit takes its rows along (core.scoping.paths_moved)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("issued certificate")
        verbose_name_plural = _("issued certificates")
        constraints = [models.UniqueConstraint(fields=["issuer_path", "year", "serial"],
                                               name="certificate_serial_uniq")]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="certificate_owner")]

    def __str__(self) -> str:
        return self.number

    @property
    def audit_org(self) -> PathRef:
        return PathRef(self.issuer_path)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
