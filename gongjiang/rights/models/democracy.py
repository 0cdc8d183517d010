"""Democratic management: a congress (职代会 / 职工大会 / 区域·行业职代会) per term (届), its delegates, sessions,
motions (提案) and the matters it reviewed; 厂务公开 items; employee directors and supervisors (职工董事/职工监事)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org, Person

from ..choices import Channel, CongressForm, MatterKind, MotionState, OpennessTopic, Resolution, Seat, SessionKind


class Congress(models.Model):
    """One term (届) of a workers' congress: held by an enterprise union (`org`) for itself, or by a town, county or
    industry union as a regional or industry congress for the small enterprises it lists (`enterprises`). It counts
    as established for the enterprises it covers in every year its term touches."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("union"))
    form = models.CharField(_("form"), max_length=12, choices=CongressForm.choices, default=CongressForm.CONGRESS)
    term = models.PositiveSmallIntegerField(_("term number"), default=1)
    established_on = models.DateField(_("established on"))
    ends_on = models.DateField(_("term ends on"))
    enterprises = models.ManyToManyField(Org, related_name="+", verbose_name=_("enterprises covered"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("workers' congress")
        verbose_name_plural = _("workers' congresses")
        ordering = ["org__path", "-established_on"]
        constraints = [models.UniqueConstraint(fields=["org", "term"], name="rights_congress_term_once")]

    def __str__(self) -> str:
        return f"{self.org.display_name} {self.get_form_display()}（第{self.term}届）"

    def get_absolute_url(self) -> str:
        return reverse("rights:congress_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    def in_term(self, day: datetime.date) -> bool:
        return self.established_on <= day <= self.ends_on


class Delegate(models.Model):
    """A delegate (职工代表) of a congress term, one of the roster's people, with the roster's flags as they were on
    election (the shares of front-line workers, women and migrant workers are computed from them)."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="delegates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("delegate"))
    is_front_line = models.BooleanField(_("front-line worker"), default=False)
    is_woman = models.BooleanField(_("woman"), default=False)
    is_migrant = models.BooleanField(_("migrant worker"), default=False)
    elected_on = models.DateField(_("elected on"))

    scope_via = "congress"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("congress delegate")
        verbose_name_plural = _("congress delegates")
        ordering = ["congress", "person__name"]
        constraints = [models.UniqueConstraint(fields=["congress", "person"], name="rights_delegate_once")]

    def __str__(self) -> str:
        return self.person.name

    @property
    def audit_org(self) -> Org:
        return self.congress.org


class Session(models.Model):
    """A session (第N次会议) of a congress term: when, how many delegates were present out of how many (the quorum
    is two thirds), and what it did (motions, matters)."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session number"))
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind.choices, default=SessionKind.REGULAR)
    held_on = models.DateField(_("held on"))
    delegates = models.PositiveIntegerField(_("delegates"))
    present = models.PositiveIntegerField(_("delegates present"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_via = "congress"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("congress session")
        verbose_name_plural = _("congress sessions")
        ordering = ["congress", "number"]
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="rights_session_once")]

    def __str__(self) -> str:
        return f"{self.congress}第{self.number}次会议"

    def get_absolute_url(self) -> str:
        return reverse("rights:session_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.congress.org


class Motion(models.Model):
    """A motion (提案) put to a session by delegates, and how it was handled (accepted as a motion, or handled as an
    opinion, then answered by the department responsible)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="motions")
    title = models.CharField(_("title"), max_length=120)
    proposer = models.CharField(_("proposed by"), max_length=60)
    state = models.CharField(_("state"), max_length=10, choices=MotionState.choices, default=MotionState.SUBMITTED)
    handler = models.CharField(_("handled by"), max_length=60, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)

    scope_via = "session"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> Org:
        return self.session.congress.org


class Matter(models.Model):
    """A matter the session reviewed (a restructuring plan, a wage scheme…) with its resolution and the vote."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="matters")
    kind = models.CharField(_("kind"), max_length=14, choices=MatterKind.choices)
    title = models.CharField(_("title"), max_length=120)
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution.choices)
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    abstentions = models.PositiveIntegerField(_("abstentions"), default=0)

    scope_via = "session"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("matter reviewed")
        verbose_name_plural = _("matters reviewed")
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> Org:
        return self.session.congress.org


class OpennessItem(models.Model):
    """An item published under 厂务公开 (enterprise affairs made public to the workers), its topic and channel."""

    enterprise = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    topic = models.CharField(_("topic"), max_length=10, choices=OpennessTopic.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=120)
    published_on = models.DateField(_("published on"))

    scope_via = "enterprise"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("enterprise affairs item made public")
        verbose_name_plural = _("enterprise affairs items made public")
        ordering = ["enterprise", "-published_on"]
        indexes = [models.Index(fields=["enterprise", "published_on"], name="rights_openness_day")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> Org:
        return self.enterprise


class BoardSeat(models.Model):
    """An employee director or supervisor (职工董事/职工监事), elected by the congress from the enterprise's people."""

    enterprise = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    seat = models.CharField(_("seat"), max_length=10, choices=Seat.choices)
    elected_on = models.DateField(_("elected on"))
    until = models.DateField(_("until"), null=True, blank=True)

    scope_via = "enterprise"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("employee director or supervisor")
        verbose_name_plural = _("employee directors and supervisors")
        ordering = ["enterprise", "seat", "-elected_on"]

    def __str__(self) -> str:
        return f"{self.get_seat_display()} {self.person.name}"

    @property
    def audit_org(self) -> Org:
        return self.enterprise
