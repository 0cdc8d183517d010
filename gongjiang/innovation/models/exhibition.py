"""The 6·18 exhibition and matchmaking (成果展洽会, 技术对接): the exhibition with its meeting slots, the achievements
offered for transfer (`Offer`, 成果供给) and the enterprises' technical needs (`Need`, 技术需求) entered by the
enterprises' unions and checked by the organiser, the matches made between them with their outcome (对接 → 签约 →
落地, or 未达成) and the meetings booked in the exhibition's slots.

Scoping: an exhibition is seen by the unions of its organiser's reach (they enter offers and needs) and by those
above it, and run by its organiser (a province or city union). An offer or a need is reached through its enterprise's
union (`org`) and through the exhibition's organiser; a match through either side's union and the organiser; a
meeting through its match. Offers and needs of other enterprises reach a union only as suggestions, in their
published fields (title, summary, category, mode, price, enterprise: never the contact)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager, ScopedQuerySet, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.scoping import ancestors

from ..choices import Category, EntryState, ExpoState, MatchOrigin, MatchState, MeetingState, TransferMode
from ..rules import exhibition as rules
from .projects import Project


class ExhibitionQuerySet(ScopedQuerySet["Exhibition"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """view: organised inside the user's view scopes or above one of them (the unions below enter offers and
        needs); any other action: organised inside the user's scopes for it."""
        if user is None or not user.is_authenticated:
            return self.none()
        scope = scope_for(user, action)
        if action != "view" or scope.everything:
            return scope.apply(self, "organiser__")
        above = sorted({p for path in scope.paths for p in ancestors(path)})
        return scope.apply(self, "organiser__", also=Q(organiser__path__in=above) if above else None)


class Exhibition(models.Model):
    """An exhibition and matchmaking fair (展洽会, e.g. 第二十届6·18职工技术创新成果展洽会) organised by a province or
    city union: its dates, venue and registration deadline for offers and needs, its state (筹备 → 征集 → 已举办 →
    已结束) and its meeting slots (`slot_minutes` from `day_start` to `day_end` on each day, at `tables` tables)."""

    organiser = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser"))
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("exhibition name"), max_length=120)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=120)
    registration_deadline = models.DateField(_("registration deadline"))
    state = models.CharField(_("exhibition state"), max_length=8, choices=ExpoState.choices, default=ExpoState.DRAFT)
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per meeting slot"), default=30)
    day_start = models.TimeField(_("meetings from"), default=datetime.time(9, 0))
    day_end = models.TimeField(_("meetings until"), default=datetime.time(17, 0))
    tables = models.PositiveSmallIntegerField(_("meeting tables"), default=10)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_via = "organiser"  # and, for "view", the unions below it (ExhibitionQuerySet)
    objects = ExhibitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("innovation:exhibition_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.organiser

    @property
    def next_state(self) -> str | None:
        return rules.expo_next(self.state)

    def slots(self) -> list[datetime.datetime]:
        """The meeting slots' starts, aware in the current time zone."""
        return [timezone.make_aware(s) for s in rules.slots(self.starts_on, self.ends_on, self.day_start,
                                                            self.day_end, self.slot_minutes)]

    def registration_open(self, today: datetime.date | None = None) -> bool:
        return self.state == ExpoState.OPEN and (today or timezone.localdate()) <= self.registration_deadline

    def can_run(self, user: Actor) -> bool:
        """The organiser's cadres (a change role on the organising union or above)."""
        return self.organiser.in_scope(user, "change")


_E = TypeVar("_E", bound=models.Model)


class CatalogueQuerySet(ScopedQuerySet[_E]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """Entries whose enterprise's union, or whose exhibition's organiser, lies in the user's scope for
        `action`."""
        if user is None or not user.is_authenticated:
            return self.none()
        return scope_for(user, action).apply(self, "org__", "exhibition__organiser__")


class CatalogueEntry(models.Model):
    """What an offer and a need share: the exhibition, the enterprise's union that entered it, title, category,
    contact, the organiser's check (accepted into the catalogue, or returned with a reason)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    title = models.CharField(_("title"), max_length=120)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    contact = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact person"))
    state = models.CharField(_("check"), max_length=10, choices=EntryState.choices, default=EntryState.SUBMITTED)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    scope_via = "org"  # and the exhibition's organiser (CatalogueQuerySet)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> Org:
        return self.org

    def can_check(self, user: Actor) -> bool:
        return self.state == EntryState.SUBMITTED and self.exhibition.can_run(user)  # type: ignore[attr-defined]

    def is_own(self, user: Actor) -> bool:
        """The enterprise's union (or a union above it) with a change role."""
        return self.org.in_scope(user, "change")

    def can_resubmit(self, user: Actor) -> bool:
        """A returned entry, corrected by its own union while the exhibition is open for entries."""
        return (self.state == EntryState.RETURNED and self.exhibition.state == ExpoState.OPEN  # type: ignore[attr-defined]
                and self.is_own(user))


class OfferQuerySet(CatalogueQuerySet["Offer"]):
    pass


class NeedQuerySet(CatalogueQuerySet["Need"]):
    pass


class Offer(CatalogueEntry):
    """An achievement offered for transfer (成果供给): what it is (`summary`), how it is offered (技术转让 / 许可使用 /
    合作开发 / 技术服务), the asking price (yuan; empty: 面议), who made it (`authors`), the reviewed achievement it
    offers (`achievement`: one of the enterprise's in a call, its prize shown in the catalogue) and the innovation
    project it came from (`project`); both optional — an enterprise may offer what was never in a call."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="offers")
    summary = models.TextField(_("summary"))
    mode = models.CharField(_("transfer mode"), max_length=12, choices=TransferMode.choices)
    price = models.DecimalField(_("asking price (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    authors = models.CharField(_("authors"), max_length=200, blank=True)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("from innovation project"))
    achievement = models.ForeignKey("innovation.Achievement", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="offers", verbose_name=_("reviewed achievement"))

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offered achievement")
        verbose_name_plural = _("offered achievements")
        indexes = [models.Index(fields=["exhibition", "state"], name="expo_offer_state"),
                   models.Index(fields=["org", "exhibition"], name="expo_offer_org")]

    def get_absolute_url(self) -> str:
        return reverse("innovation:offer_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"GJ{self.exhibition.year}-{self.pk:05d}"


class Need(CatalogueEntry):
    """An enterprise's technical need (技术需求): the problem (`description`), the budget (yuan; empty: 面议) and by
    when it should be solved (`solve_by`)."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="needs")
    description = models.TextField(_("problem description"))
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    solve_by = models.DateField(_("to be solved by"), null=True, blank=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("technical need")
        verbose_name_plural = _("technical needs")
        indexes = [models.Index(fields=["exhibition", "state"], name="expo_need_state"),
                   models.Index(fields=["org", "exhibition"], name="expo_need_org")]

    def get_absolute_url(self) -> str:
        return reverse("innovation:need_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"XQ{self.exhibition.year}-{self.pk:05d}"


class MatchQuerySet(ScopedQuerySet["Match"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """Matches whose offering union, needing union or exhibition organiser lies in the user's scope."""
        if user is None or not user.is_authenticated:
            return self.none()
        return scope_for(user, action).apply(self, "offer__org__", "need__org__", "exhibition__organiser__")


class Match(models.Model):
    """An offer matched with a need (对接), by the organiser confirming a suggestion or at either union's request,
    and its outcome: 已配对 → 已对接 (`met_on`) → 已签约 (`signed_on`, `contract_value` in yuan) → 已落地
    (`implemented_on`, with a note), or 未达成 (`closed_on`, with the reason). The figures count a match in the year
    it was signed (`counters`)."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="matches")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="matches")
    origin = models.CharField(_("made by"), max_length=12, choices=MatchOrigin.choices)
    score = models.FloatField(_("match score"), null=True, blank=True)
    state = models.CharField(_("match state"), max_length=12, choices=MatchState.choices, default=MatchState.MATCHED)
    note = models.TextField(_("note"), blank=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    contract_value = models.DecimalField(_("contract value (yuan)"), max_digits=14, decimal_places=2, null=True,
                                         blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    implementation_note = models.TextField(_("implementation"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("matched at"), default=timezone.now)

    scope_via = "offer__org"  # and the need's union and the organiser (MatchQuerySet)
    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [models.UniqueConstraint(fields=["offer", "need"], name="expo_match_pair")]
        indexes = [models.Index(fields=["exhibition", "state"], name="expo_match_state")]

    def __str__(self) -> str:
        return f"{self.offer.title} × {self.need.title}"

    def get_absolute_url(self) -> str:
        return reverse("innovation:match_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.exhibition.organiser

    @property
    def number(self) -> str:
        return f"DJ{self.exhibition.year}-{self.pk:05d}"

    @property
    def score_percent(self) -> int | None:
        return None if self.score is None else round(self.score * 100)

    @property
    def value_wan(self) -> Decimal | None:
        return None if self.contract_value is None else (self.contract_value / 10000).quantize(Decimal("0.01"))

    def side(self, user: Actor) -> str:
        """"offer" or "need" for a cadre of that side's union (the offering side first), else ""."""
        if self.offer.org.in_scope(user, "change"):
            return "offer"
        if self.need.org.in_scope(user, "change"):
            return "need"
        return ""

    def can_follow(self, user: Actor) -> bool:
        """Either side's union or the organiser: who records the outcome."""
        return bool(self.side(user)) or self.exhibition.can_run(user)


class Meeting(models.Model):
    """A meeting of a match's two sides in one slot of the exhibition at one table, asked by one side
    (`requested_by`: "offer" or "need") and accepted or declined by the other; an accepted one may be cancelled by
    either side with a reason (`cancelled_by`, `cancel_reason`), which frees its table. A table holds one live meeting
    (requested or accepted) per slot (a partial unique index), and the verbs keep either union out of two meetings
    at once."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="meetings")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("slot"))
    table = models.PositiveSmallIntegerField(_("table"))
    requested_by = models.CharField(_("requested by"), max_length=6)
    state = models.CharField(_("meeting state"), max_length=10, choices=MeetingState.choices,
                             default=MeetingState.REQUESTED)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=6, blank=True)  # "offer" or "need"
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    scope_via = "match"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "table"]
        constraints = [models.UniqueConstraint(
            fields=["exhibition", "starts_at", "table"], name="expo_meeting_table",
            condition=Q(state__in=["requested", "accepted"]))]

    def __str__(self) -> str:
        return f"{self.match} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def audit_org(self) -> Org:
        return self.exhibition.organiser

    @property
    def live(self) -> bool:
        return self.state in (MeetingState.REQUESTED, MeetingState.ACCEPTED)


class Suggestion(models.Model):
    """A suggested pair of an exhibition's accepted catalogue as `rules.matching.suggest` found it (`rank`: its place
    in the rule's order, best first), with its score, whether the two share the category and the words they have in
    common. Stored, not computed per page view: `innovation.suggestions.refresh` recomputes an exhibition's rows
    whenever what they are computed from changes — an entry accepted into the catalogue, a match made — so every
    page and the API read the rows (one query) whatever the catalogue's size."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="suggestions")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(_("rank"))
    score = models.FloatField(_("match score"))
    same_category = models.BooleanField(_("same category"), default=False)
    words = models.JSONField(_("words in common"), default=list)

    scope_via = "exhibition"  # who sees the exhibition sees its suggestions (the pages narrow a union's to its own)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("suggested match")
        verbose_name_plural = _("suggested matches")
        ordering = ["exhibition", "rank"]
        constraints = [models.UniqueConstraint(fields=["exhibition", "rank"], name="expo_suggestion_rank")]

    def __str__(self) -> str:
        return f"{self.offer_id} × {self.need_id}"
