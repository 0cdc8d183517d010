"""Core plumbing models: the audit log, import jobs, notifications. No domain here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..scoping import ScopedManager, ScopedQuerySet, scope_for

if TYPE_CHECKING:
    from ..types import Actor


class AuditEvent(models.Model):
    """One change made by a service: who did what to which object, with the data before and after."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("actor"))
    verb = models.CharField(_("action"), max_length=80)
    # No index of its own: the (content_type, object_id, created_at) index below begins with it (every event of
    # every verb wrote a second entry into a redundant one: docs/BENCHMARKS.md §8).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    # Path of the org the event belongs to, so timelines and audit lists scope by prefix.
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    scope_via = "org_path"
    paths_follow_moves = ("org_path",)  # a moved unit takes its rows along (core.scoping.paths_moved)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_repr}"

    @property
    def verb_label(self) -> str:
        from gongjiang.core.verbs import verb_label

        return verb_label(self.verb)


class ImportJob(models.Model):
    """One uploaded import file: validated in full, then committed all-or-nothing (maybe as a task)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Validating")
        INVALID = "invalid", _("Has errors")
        COMMITTING = "committing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("import type"), max_length=60)
    # The union the file was imported into, as it was at the upload (`ImportSpec.describe_target`): its id (the
    # spec finds it again: `get_target`), its paths in the regional and the industry tree (the job is seen where
    # the union was: its subtree, the industry union it is affiliated to, and above them) and its name for lists.
    # A snapshot, like an audit event's path: a unit moved later leaves its earlier jobs where they were.
    org_id = models.BigIntegerField(_("organisation"))
    org_path = models.CharField(max_length=255, db_index=True)
    industry_path = models.CharField(max_length=255, blank=True, default="", db_index=True)
    org_name = models.CharField(_("organisation"), max_length=200)
    # The explicit start parameters the spec declares (`ImportSpec.params`), e.g. {"competition": 12}.
    params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="import_jobs")
    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": 3, "column": "身份证号", "message": "..."}]
    message = models.CharField(max_length=500, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # {"created": n, "updated": n}
    error_report = models.FileField(upload_to="imports/errors/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    scope_via = "org_path"
    paths_follow_moves = ("org_path",)  # a moved unit takes its rows along (core.scoping.paths_moved)
    scope_via_industry = "industry_path"  # an industry union sees its affiliates' jobs, as it sees the affiliates
    objects = ScopedManager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    # An import kind's title (职工名册), set when core.imports registers the kind's spec (models know no spec).
    TITLES: ClassVar[dict[str, Any]] = {}

    def __str__(self) -> str:
        """职工名册 名册.xlsx: the import's title (its spec's) and the file's name."""
        return f"{self.TITLES.get(self.kind, self.kind)} {self.filename}"

    def in_scope(self, user: Actor | None, action: str = "view") -> bool:
        """Whether `user` may do `action` where the job's union sits (e.g. "manage": read its ID numbers)."""
        return scope_for(user, action).covers(self.org_path, self.industry_path)

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state in {self.State.DONE, self.State.INVALID, self.State.FAILED} else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.INVALID, self.State.FAILED}


class NotificationQuerySet(ScopedQuerySet["Notification"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """A user's own notifications, whatever their roles: nobody reads another's inbox."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient_id=user.pk)


class Notification(models.Model):
    """One message to one account (站内消息): what happened, rendered once in the recipient's language when it
    was sent, with a link to the object it is about. The inbox lists them; channels (SMS, WeChat) relay them."""

    # No index of its own: the two indexes below begin with the recipient.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  db_index=False, verbose_name=_("recipient"))
    verb = models.CharField(max_length=80)  # what happened, e.g. "competitions.entry.approved"
    title = models.CharField(_("message title"), max_length=200)
    body = models.TextField(_("message text"), blank=True)
    url = models.CharField(max_length=500, blank=True)  # a path on this site, e.g. /competitions/my/#entry-7
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    scope_via = "recipient"  # the recipient alone (NotificationQuerySet)
    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # the inbox, newest first
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            # the unread count of the header badge: only unread rows are in it, so it stays small
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unread(self) -> bool:
        return self.read_at is None


class NotificationDelivery(models.Model):
    """A notification handed to one channel (SMS, a WeChat template message…): its state, the attempts made and the
    last error. In-app messages need no delivery; they are the Notification rows themselves."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")  # the channel has no address for the user (no phone, no WeChat)

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=40)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    scope_exempt = "read only by the delivery task; people read the Notification it relays"

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")]
        indexes = [models.Index(fields=["state", "created_at"], name="delivery_state")]

    def __str__(self) -> str:
        return f"{self.channel} {self.get_state_display()}"


# The shared services' models, each in a module of this package (so that Django finds them, and the services import
# the models, never the other way round).
from .certificates import CertificateSeries, IssuedCertificate  # noqa: E402, F401
from .notices import Objection, ObjectionNote, PublicNotice  # noqa: E402, F401
