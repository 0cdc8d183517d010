"""Rights cases (维权, "农民工有困难找工会"): a worker's complaint against an employer, routed to the union that
covers the employer, taken through the steps of rules/cases.py with deadlines, a timeline of entries and documents,
closed with an outcome.

Confidentiality: the case is visible in the reach of its handling union (`handler`) and of the workplace it concerns
(`site`: the employer's union, or the region of an unorganised workplace); the worker's identity (name, phone, ID
number, the linked person and account) only to the handling union and the unions above it (`can_see_worker`),
and to the worker. Everyone else in scope sees the case without its personal data (see views/cases.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.files import StoredFile, stored_name
from gongjiang.core.scoping import ScopedQuerySet, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..rules import cases as rules


class CaseKind(models.TextChoices):
    WAGES = "wages", _("Unpaid wages")
    CONTRACT = "contract", _("Labour contract")
    INSURANCE = "insurance", _("Social insurance")
    INJURY = "injury", _("Work injury")
    DISEASE = "disease", _("Occupational disease")
    WOMEN = "women", _("Women workers' rights")
    OTHER = "other", _("Other complaint")


class CaseChannel(models.TextChoices):
    PHONE = "phone", _("Filed by the worker on the phone")
    HOTLINE = "hotline", _("Hotline call (12351)")
    WALK_IN = "walk_in", _("Walk-in visit")


class CaseStep(models.TextChoices):
    FILED = rules.FILED, _("Waiting for acceptance")
    ACCEPTED = rules.ACCEPTED, _("Accepted by the union")
    INVESTIGATING = rules.INVESTIGATING, _("Under investigation")
    MEDIATING = rules.MEDIATING, _("Coordination and mediation")
    LEGAL = rules.LEGAL, _("Legal aid and arbitration support")
    CLOSED = rules.CLOSED, _("Case closed")


class CaseResult(models.TextChoices):
    RESOLVED = rules.RESOLVED, _("Resolved in full")
    PARTLY = rules.PARTLY, _("Partly resolved")
    AWARDED = rules.AWARDED, _("Won at arbitration or in court")
    REFERRED = rules.REFERRED, _("Referred to the competent authority")
    WITHDRAWN = rules.WITHDRAWN, _("Withdrawn by the worker")
    UNRESOLVED = rules.UNRESOLVED, _("Not resolved")


class CaseQuerySet(ScopedQuerySet["Case"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """Cases whose handling union or workplace lies in the user's reach for `action` ("change": the handling
        union's reach only — the workplace's union reads a case handled above it, it does not handle it)."""
        if user is None or not user.is_authenticated:
            return self.none()
        scope = scope_for(user, action)
        if action == "view":
            return scope.apply(self, "handler__", "site__")
        return scope.apply(self, "handler__")

    def seen_by(self, user: Actor) -> Self:
        """The cases whose worker `user` may identify (the handling union's regional reach): a condition for lists
        that filter or sort on personal data, so that a filter never reveals what a column hides."""
        scope = scope_for(user, "view")
        return scope.apply(self, "handler__", industry=False)

    def own(self, user: Actor) -> Self:
        """The cases a worker filed or that name them (their phone page)."""
        if not user.is_authenticated:
            return self.none()
        person_id = getattr(user, "person_id", None)
        return self.filter(Q(account_id=user.pk) | (Q(worker_id=person_id) if person_id else Q(pk__in=[])))


class Case(models.Model):
    kind = models.CharField(_("kind of complaint"), max_length=10, choices=CaseKind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=CaseChannel.choices)
    summary = models.TextField(_("what happened"))
    # the workplace: an enterprise union of the tree, or a free-text employer in a region
    employer = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("employer"))
    employer_name = models.CharField(_("employer (not in the union tree)"), max_length=120, blank=True)
    region = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region of the workplace"))
    site = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("workplace"))
    handler = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("handling union"))
    # the worker: a person of the roster, or name, phone and ID number as given (encrypted, hashed, masked)
    worker = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("worker"))
    account = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("worker's account"))
    worker_name = models.CharField(_("worker's name"), max_length=40)
    worker_phone = models.CharField(_("worker's mobile phone"), max_length=11, blank=True)
    worker_id_encrypted = models.TextField(blank=True, editable=False)
    worker_id_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    worker_id_masked = models.CharField(_("worker's ID number"), max_length=18, blank=True, editable=False)
    people = models.PositiveIntegerField(_("workers involved"), default=1)
    migrants = models.PositiveIntegerField(_("migrant workers among them"), default=0)
    claimed = models.DecimalField(_("amount claimed (yuan)"), max_digits=12, decimal_places=2, null=True,
                                  blank=True)
    ask_county = models.BooleanField(_("handled by the county union, not the enterprise union"), default=False)
    step = models.CharField(_("step"), max_length=14, choices=CaseStep.choices, default=CaseStep.FILED)
    step_since = models.DateField(_("step began on"))
    due_on = models.DateField(_("deadline of the step"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=CaseResult.choices, blank=True)
    recovered = models.DecimalField(_("amount recovered (yuan)"), max_digits=12, decimal_places=2, null=True,
                                    blank=True)
    helped = models.PositiveIntegerField(_("workers helped"), null=True, blank=True)
    excess_reason = models.CharField(_("why more than claimed was recovered"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "handler"  # and the workplace's reach for "view" (CaseQuerySet)
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("rights case")
        verbose_name_plural = _("rights cases")
        ordering = ["-filed_on", "-pk"]
        indexes = [models.Index(fields=["handler", "step", "due_on"], name="rights_case_due"),
                   models.Index(fields=["site", "filed_on"], name="rights_case_site"),
                   models.Index(fields=["closed_on"], name="rights_case_closed")]

    def __str__(self) -> str:
        return str(self.number)

    def get_absolute_url(self) -> str:
        return reverse("rights:case_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"WQ{self.filed_on.year}-{self.pk:06d}"

    @property
    def audit_org(self) -> Org:
        return self.handler

    @property
    def employer_label(self) -> str:
        return self.employer.display_name if self.employer_id and self.employer else self.employer_name

    @property
    def is_migrant(self) -> bool:
        return self.migrants > 0

    @property
    def is_closed(self) -> bool:
        return self.step == CaseStep.CLOSED

    def is_overdue(self, today: datetime.date) -> bool:
        return rules.is_overdue(self.step, self.due_on, today)

    def can_see_worker(self, user: Actor) -> bool:
        """The handling union and the unions above it (regionally), and the worker: no one else."""
        if not user.is_authenticated:
            return False
        if self.is_own(user):
            return True
        return scope_for(user, "view").covers_regionally(self.handler.path)

    def is_own(self, user: Actor) -> bool:
        person_id = getattr(user, "person_id", None)
        return bool(user.is_authenticated and (self.account_id == user.pk
                                               or (person_id and self.worker_id == person_id)))

    def can_handle(self, user: Actor) -> bool:
        return self.handler.in_scope(user, "change")

    @property
    def worker_phone_masked(self) -> str:
        from gongjiang.core.ids import mask_mobile

        return mask_mobile(self.worker_phone) if self.worker_phone else ""

    @property
    def worker_name_masked(self) -> str:
        return (self.worker_name[:1] + "*" * max(len(self.worker_name) - 1, 1)) if self.worker_name else ""

    def outcome(self) -> dict[str, Any]:
        return {"result": self.result, "recovered": self.recovered, "helped": self.helped}

    @property
    def money(self) -> Decimal:
        return self.recovered or Decimal(0)


class CaseEntry(models.Model):
    """A line of a case's timeline: a step reached, a note, a document added, a transfer, with its author. What
    the worker sees of it on the phone page: the steps and the entries marked for the worker (`public`)."""

    class Kind(models.TextChoices):
        STEP = "step", _("Step")
        NOTE = "note", _("Note")
        DOCUMENT = "document", _("Document")
        TRANSFER = "transfer", _("Transfer")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    step = models.CharField(_("step"), max_length=14, choices=CaseStep.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    public = models.BooleanField(_("shown to the worker"), default=False)
    on = models.DateField(_("date"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    scope_via = "case"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case entry")
        verbose_name_plural = _("case entries")
        ordering = ["case", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"

    @property
    def audit_org(self) -> Org:
        return self.case.handler


def _upload_to(instance: CaseDocument, filename: str) -> str:
    return stored_name(f"rights/cases/{instance.case.filed_on.year}", filename)


class CaseDocument(StoredFile):
    """A document of a case (a pay slip, a labour contract, a mediation agreement, an award): type and size checked
    (core.files), stored under a random name outside the web root, served only by the scoped download view to
    those who may see the worker's identity."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_upload_to, max_length=200)

    scope_via = "case"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["id"]

    def get_absolute_url(self) -> str:
        return reverse("rights:case_document", args=[self.case_id, self.pk])

    @property
    def audit_org(self) -> Org:
        return self.case.handler
