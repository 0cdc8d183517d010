"""Public notices (公示) and the objections the public raises against them (异议). No domain here: the notice
names its publishing union by path and name, and what it publishes by a generic reference to the owning object."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..scoping import ScopedManager


class PathRef:
    """What `audit.record` reads of an org (its path), for core rows that hold a path instead of an org."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path


class PublicNotice(models.Model):
    """A period during which a union publishes a decision in draft (results, nominations, awards) so that anyone
    may object: what is published (the owner's `items`), from when to when (maybe declared in working days of the
    Chinese calendar), and whether the period has been closed — the event the owning app reacts to."""

    kind = models.CharField(_("kind"), max_length=60)  # a registered kind, "competitions.round_results"
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    # The publishing union: its path (for scoping, like AuditEvent.org_path) and its name when it published.
    org_path = models.CharField(max_length=255, db_index=True)
    publisher_name = models.CharField(_("published by"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("notice from"))
    ends_on = models.DateField(_("notice until"))
    working_days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    # The end date was computed for days beyond the calendar's official holiday data (weekends only skipped).
    period_estimated = models.BooleanField(default=False)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    scope_via = "org_path"
    paths_follow_moves = ("org_path",)  # a moved unit takes its rows along (core.scoping.paths_moved)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        constraints = [models.UniqueConstraint(fields=["kind", "owner_type", "owner_id"], name="notice_once_per_owner")]
        indexes = [models.Index(fields=["closed_at", "ends_on"], name="notice_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> PathRef:
        return PathRef(self.org_path)

    @property
    def owner(self) -> models.Model:
        """The owning object (one query)."""
        return self.owner_type.get_object_for_this_type(pk=self.owner_id)

    def is_running(self, today: datetime.date | None = None) -> bool:
        """Whether objections are accepted now: within the period, and not closed."""
        today = today or timezone.localdate()
        return self.closed_at is None and self.starts_on <= today <= self.ends_on

    def is_due(self, today: datetime.date | None = None) -> bool:
        """Whether the period has passed but the notice is not closed yet."""
        return self.closed_at is None and (today or timezone.localdate()) > self.ends_on


class ObjectionState(models.TextChoices):
    FILED = "filed", _("Received")
    INVESTIGATING = "investigating", _("Being investigated")
    DECIDED = "decided", _("Decided")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("Objection upheld")
    DISMISSED = "dismissed", _("Objection dismissed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the objector")


class Objection(models.Model):
    """An objection (异议) raised by a member of the public against a notice, in writing and under their real name
    (实名反映): who (name and contact encrypted, shown only to the notice's owners), about whom or what, why; the
    owners' investigation notes and the recorded outcome with the reply given. `client_hash` (a keyed hash of the
    sender's network, never the address) is what the rate limit counts."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    reference = models.CharField(_("reference"), max_length=12, unique=True)  # told to the objector
    subject = models.CharField(_("objection to"), max_length=100)
    reason = models.TextField(_("facts and reasons"))
    name_encrypted = models.TextField()
    contact_encrypted = models.TextField()
    contact_masked = models.CharField(max_length=60)
    client_hash = models.CharField(max_length=64)
    state = models.CharField(_("state"), max_length=14, choices=ObjectionState.choices, default=ObjectionState.FILED)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField(default=timezone.now)

    scope_via = "notice"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [models.Index(fields=["client_hash", "filed_at"], name="objection_client")]

    def __str__(self) -> str:
        return f"{self.reference} · {self.subject}"

    @property
    def audit_org(self) -> PathRef:
        return PathRef(self.notice.org_path)

    @property
    def is_open(self) -> bool:
        return self.state != ObjectionState.DECIDED


class ObjectionNote(models.Model):
    """One investigation note on an objection (whom the owners asked, what they found), in order."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    scope_via = "objection"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("investigation note")
        verbose_name_plural = _("investigation notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]
