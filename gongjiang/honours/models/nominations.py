"""Nominations (推荐) and their materials."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.files import StoredFile, stored_name
from gongjiang.core.scoping import ScopedManager
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..choices import Material, NominationState, Subject
from .campaigns import Allocation, Campaign


class Nomination(models.Model):
    """One nominee put forward by a union (the nominating `unit`) in a campaign: a person from its roster, a
    collective (a team or workshop, by name and, when it is one, its org) or an organisation, with the facts the
    eligibility rules and the reserves need (front-line, leader, years in the trade, disciplinary record), the account
    of deeds and the materials. It counts under the nearest allocation above the unit (`allocation`) once submitted;
    the kinds it counted as are kept (`kinds`) so that the counters can be taken back exactly."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="nominations")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("nominating union"))
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="nominations")
    subject = models.CharField(_("nominee kind"), max_length=10, choices=Subject.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    nominee_org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("organisation or collective"))
    name = models.CharField(_("nominee"), max_length=120)
    front_line = models.BooleanField(_("front-line"), default=False)
    is_leader = models.BooleanField(_("leader or manager"), default=False)
    years_in_trade = models.PositiveSmallIntegerField(_("years in the trade"), null=True, blank=True)
    disciplinary_record = models.BooleanField(_("disciplinary record"), default=False)
    deeds = models.TextField(_("account of deeds"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=NominationState.choices,
                             default=NominationState.DRAFT)
    kinds = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The review (services.reviews): the share whose union decides now (the nearest above the unit after
    # submission, then each parent it is forwarded to; none once returned to the unit or decided for good) and the
    # reason of the last return, rejection or objection upheld.
    at = models.ForeignKey(Allocation, null=True, blank=True, on_delete=models.SET_NULL, related_name="waiting",
                           verbose_name=_("deciding union"))
    reason = models.TextField(_("reason"), blank=True)

    scope_via = "unit"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], condition=Q(person__isnull=False),
                                    name="nomination_person_once"),
            models.UniqueConstraint(fields=["campaign", "nominee_org"], condition=Q(nominee_org__isnull=False),
                                    name="nomination_org_once"),
        ]
        indexes = [models.Index(fields=["campaign", "state", "unit"], name="nomination_campaign_state")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("honours:nomination_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.unit

    @property
    def editable(self) -> bool:
        return self.state in (NominationState.DRAFT, NominationState.RETURNED)

    def can_change(self, user: Actor) -> bool:
        return self.unit.in_scope(user, "change")

    def can_decide(self, user: Actor) -> bool:
        """Whether `user`'s union is the level deciding this submitted nomination now."""
        return self.state == NominationState.SUBMITTED and self.at is not None and self.at.can_decide(user)


def _upload_to(instance: NominationFile, filename: str) -> str:
    return stored_name(f"honours/{instance.nomination.campaign_id}", filename)


class NominationFile(StoredFile):
    """A material of a nomination (推荐审批表, 事迹材料, 推荐信, 照片…): type and size checked (`core.files`), stored
    under a random name outside the web root, served only through the nomination's scoped download view."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("material"), max_length=10, choices=Material.choices)
    file = models.FileField(upload_to=_upload_to, max_length=200)

    scope_via = "nomination"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("nomination material")
        verbose_name_plural = _("nomination materials")
        ordering = ["id"]

    def get_absolute_url(self) -> str:
        return reverse("honours:nomination_file", args=[self.nomination_id, self.pk])

    @property
    def audit_org(self) -> Org:
        return self.nomination.unit
