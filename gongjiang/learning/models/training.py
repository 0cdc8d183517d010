"""Training sessions (培训), mentor pairs (师徒结对) and learning materials (学习资料).

A session is held by a union (`org`) and counted in its figures (the fact store's `learning.trainings` and
`learning.training_hours`, kept by the training services through `facts.add`); its attendees are people of the
union's roster and the units below it, each with the hours they attended. A mentor pair joins two workers of a
union's reach for a trade, with goals, dates and, at its end, the result and the apprentice's skill grade before and
after. Materials are documents (a stored file), links or videos referenced by their address, shared with the unions
below; a learner marks one done once (`MaterialCompletion`)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.files import StoredFile, stored_name
from gongjiang.core.scoping import ScopedManager
from gongjiang.core.types import Actor
from gongjiang.orgs.choices import SkillGrade
from gongjiang.orgs.models import Occupation, Org, Person

from ..training_choices import MaterialKind, PairState


class TrainingSession(models.Model):
    """A training session (一期培训) held by a union: its topic, trade, dates, place and trainer, the hours each
    attendee is credited by default, and its attendees (`attendee_count` and `person_hours` kept by the services)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("organising union"))
    topic = models.CharField(_("topic"), max_length=120)
    trade = models.ForeignKey(Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("trade"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("venue"), max_length=120, blank=True)
    trainer = models.CharField(_("trainer"), max_length=60, blank=True)
    hours = models.DecimalField(_("hours per attendee"), max_digits=5, decimal_places=1)
    notes = models.TextField(_("notes"), blank=True)
    attendee_count = models.PositiveIntegerField(_("attendees"), default=0)
    person_hours = models.DecimalField(_("person-hours"), max_digits=10, decimal_places=1, default=Decimal(0))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                              name="learning_session_dates")]
        indexes = [models.Index(fields=["org", "starts_on"], name="learning_session_org")]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("learning:session_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    def can_change(self, user: Actor) -> bool:
        return self.org.in_scope(user, "change")


def _session_upload_to(instance: SessionFile, filename: str) -> str:
    return stored_name(f"learning/sessions/{instance.session_id}", filename)


class SessionFile(StoredFile):
    """A material of a session (课件, 讲义, 签到表…): type and size checked (`core.files`), stored under a random name
    outside the web root, served only through the session's scoped download view."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_session_upload_to, max_length=200)

    scope_via = "session"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")
        ordering = ["id"]

    def get_absolute_url(self) -> str:
        return reverse("learning:session_file", args=[self.session_id, self.pk])

    @property
    def audit_org(self) -> Org:
        return self.session.org


class Attendance(models.Model):
    """A person's attendance at a session: the hours credited (the session's by default) and whether they
    completed it."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("attendee"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    completed = models.BooleanField(_("completed"), default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    scope_via = "session"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="learning_attendance_once")]
        indexes = [models.Index(fields=["person", "session"], name="learning_attendance_person")]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.person_id}"

    @property
    def audit_org(self) -> Org:
        return self.session.org


class MentorPair(models.Model):
    """A mentor pair (师徒结对) recorded by a union: mentor and apprentice (workers of its reach), the trade, the goals
    and dates (`ends_on`: the agreed end), the state (in progress, finished, ended early with `end_reason`), the
    date it closed, the result, and the apprentice's skill grade at the start and at the end."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("recording union"))
    mentor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("mentor"))
    apprentice = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("apprentice"))
    trade = models.ForeignKey(Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("trade"))
    goals = models.TextField(_("goals"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("agreed end"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=PairState.choices, default=PairState.ACTIVE)
    closed_on = models.DateField(_("pairing closed on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending early"), blank=True)
    result = models.TextField(_("pairing result"), blank=True)
    grade_before = models.PositiveSmallIntegerField(_("apprentice's grade at the start"), choices=SkillGrade.choices,
                                                    default=SkillGrade.NONE)
    grade_after = models.PositiveSmallIntegerField(_("apprentice's grade at the end"), choices=SkillGrade.choices,
                                                   null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("mentor pair")
        verbose_name_plural = _("mentor pairs")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mentor", "apprentice"], condition=Q(state="active"),
                                    name="learning_pair_once_active"),
            models.CheckConstraint(condition=~Q(mentor=F("apprentice")), name="learning_pair_two_people"),
        ]
        indexes = [models.Index(fields=["apprentice"], name="learning_pair_apprentice"),
                   models.Index(fields=["mentor"], name="learning_pair_mentor")]

    def __str__(self) -> str:
        return f"{self.mentor_id} → {self.apprentice_id}"

    def get_absolute_url(self) -> str:
        return reverse("learning:pair_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    @property
    def active(self) -> bool:
        return self.state == PairState.ACTIVE

    def can_change(self, user: Actor) -> bool:
        return self.org.in_scope(user, "change")


def _material_upload_to(instance: Material, filename: str) -> str:
    return stored_name(f"learning/materials/{instance.org_id}", filename)


class Material(models.Model):
    """A learning material (学习资料) of a union: a document (a stored file, or a link to one), a link, or a short
    video referenced by its address (never uploaded here); with its trade and tags; shared with the unions below
    (`shared`, the default) so their workers see it too. `completions` is kept by the services."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    title = models.CharField(_("material title"), max_length=120)
    kind = models.CharField(_("material kind"), max_length=10, choices=MaterialKind.choices)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    file = models.FileField(upload_to=_material_upload_to, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=120, blank=True)
    file_size = models.PositiveIntegerField(_("size"), default=0)
    content_type = models.CharField(max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    trade = models.ForeignKey(Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("trade"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    shared = models.BooleanField(_("shared with the unions below"), default=True)
    completions = models.PositiveIntegerField(_("completions"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("learning material")
        verbose_name_plural = _("learning materials")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> Org:
        return self.org

    @property
    def href(self) -> str:
        """Where the material opens: its address, or the scoped download of its file."""
        return self.url or reverse("learning:material_file", args=[self.pk])

    def can_change(self, user: Actor) -> bool:
        return self.org.in_scope(user, "change")


class MaterialCompletion(models.Model):
    """A learner marked a material done (学完), once."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed at"))

    scope_via = "person__employer"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("material completed")
        verbose_name_plural = _("materials completed")
        constraints = [models.UniqueConstraint(fields=["material", "person"], name="learning_material_done_once")]

    def __str__(self) -> str:
        return f"{self.material_id} · {self.person_id}"
