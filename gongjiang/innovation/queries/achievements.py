"""Reads of the achievement calls (成果征集与评审): which calls a user sees, where an enterprise stands in a call
(its city, the quota it counts under), the organiser's board and results, the rule's input for the assignment, an
expert's blind queue, and an achievement's chain (proposal → project → achievement → the upper call)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from gongjiang.core.scoping import scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import ancestors

from ..choices import AchievementState, CallState, ReviewState
from ..models import Achievement, AchievementAuthor, Call, CallQuota, Declaration, Expert, Review
from ..rules import review_assignment as assignment_rules

# ---------------------------------------------------------------------------------------------
# Where an enterprise stands


def city_of(org: Org) -> Org | None:
    """The city above `org` (None for an org outside every city, e.g. a provincial industry union's unit)."""
    return Org.objects.filter(path__in=ancestors(org.path), kind=OrgKind.CITY).first()


def in_call_reach(call: Call, enterprise: Org) -> bool:
    """Whether the enterprise lies under the call's organiser (regionally or through its industry union)."""
    path = call.org.path
    return enterprise.path.startswith(path) or bool(enterprise.industry_path and
                                                     enterprise.industry_path.startswith(path))


def quota_holder(quotas: Sequence[CallQuota], enterprise: Org) -> CallQuota | None:
    """The quota the enterprise's achievements count under: the one of the union above it (regionally first)."""
    for quota in quotas:
        if enterprise.path.startswith(quota.org.path):
            return quota
    for quota in quotas:
        if enterprise.industry_path and enterprise.industry_path.startswith(quota.org.path):
            return quota
    return None


def used_quota(call: Call, org: Org) -> int:
    """How many achievements a lower union has in the call (returned ones do not count)."""
    return Achievement.objects.filter(call=call, state=AchievementState.SUBMITTED).filter(
        Q(enterprise__path__startswith=org.path) | Q(enterprise__industry_path__startswith=org.path)).count()


# ---------------------------------------------------------------------------------------------
# Calls


def calls_for(user: Actor) -> QuerySet[Call]:
    """The calls a user deals with: those of the unions in their scope (they organise or oversee them) and those
    organised above them that are open or past (they submit to them, read their results)."""
    scope = scope_for(user, "view")
    if scope.is_empty:
        return Call.objects.none()
    above: set[str] = set()
    for path in scope.paths:
        above.update(ancestors(path))
    qs = Call.objects.for_user(user, "view")
    if not scope.everything:
        qs = Call.objects.filter(Q(pk__in=qs.values("pk")) | Q(org__path__in=above) & ~Q(state=CallState.DRAFT))
    return qs.select_related("org").order_by("-year", "-id")


@dataclass(frozen=True)
class Board:
    """What the organiser sees of a call at a glance."""

    submitted: int
    returned: int
    assigned: int
    reviewed: int
    abstained: int
    disputed: int
    by_field: list[tuple[str, int]]
    quotas: list[tuple[CallQuota, int]]


def board(call: Call) -> Board:
    states = dict(Achievement.objects.filter(call=call).values_list("state").order_by().annotate(n=Count("pk")))
    reviews = dict(Review.objects.filter(call=call, round=1).values_list("state").order_by()
                   .annotate(n=Count("pk")))
    fields = list(Achievement.objects.filter(call=call, state=AchievementState.SUBMITTED).values_list("field")
                  .order_by("field").annotate(n=Count("pk")))
    quotas = list(CallQuota.objects.filter(call=call).select_related("org").order_by("org__path"))
    used = _used_by_quota(call, quotas)
    return Board(
        submitted=states.get(AchievementState.SUBMITTED, 0), returned=states.get(AchievementState.RETURNED, 0),
        assigned=sum(n for state, n in reviews.items() if state != ReviewState.ABSTAINED),
        reviewed=reviews.get(ReviewState.SUBMITTED, 0),
        abstained=reviews.get(ReviewState.ABSTAINED, 0),
        disputed=Achievement.objects.filter(call=call, disputed=True).count(),
        by_field=fields, quotas=[(q, used.get(q.pk, 0)) for q in quotas])


def _used_by_quota(call: Call, quotas: Sequence[CallQuota]) -> dict[int, int]:
    """Achievements per quota row in one query."""
    if not quotas:
        return {}
    rows = Achievement.objects.filter(call=call, state=AchievementState.SUBMITTED).values_list(
        "enterprise__path", "enterprise__industry_path")
    out: dict[int, int] = defaultdict(int)
    for path, industry_path in rows:
        holder = next((q for q in quotas if path.startswith(q.org.path)), None) or next(
            (q for q in quotas if industry_path and industry_path.startswith(q.org.path)), None)
        if holder is not None:
            out[holder.pk] += 1
    return out


def entries(call: Call, user: Actor) -> QuerySet[Achievement]:
    """The call's achievements the user may see (the organiser all, a lower union its own), with their enterprise,
    city and authors, ranked first."""
    return (Achievement.objects.for_user(user, "view").filter(call=call)
            .select_related("enterprise", "city", "call")
            .prefetch_related(Prefetch("authors", AchievementAuthor.objects.select_related("person")))
            .order_by("state", "rank", "id"))


def authors_line(achievement: Achievement) -> str:
    return "、".join(a.person.name for a in achievement.authors.all())


# ---------------------------------------------------------------------------------------------
# The expert pool and the assignment's input


def pool(call: Call) -> QuerySet[Expert]:
    """The active experts a call draws on: of its organiser's pool and of the pools above it."""
    return (Expert.objects.filter(org__path__in=ancestors(call.org.path), active=True)
            .select_related("enterprise", "org").order_by("id"))


def expert_for(user: Actor, call: Call) -> Expert | None:
    """The user's entry in the call's pool (None: not an expert of this call)."""
    if not user.is_authenticated:
        return None
    return pool(call).filter(user_id=user.pk).first()


def rule_input(call: Call) -> dict[str, Any]:
    """The assignment rule's input for the call's submitted achievements and its pool: achievements with
    enterprise, city, field and authors; reviewers with person, enterprise, city, specialities and load; the
    declarations; the round-1 reviews to keep (started or pinned) and the pins."""
    achievements = list(Achievement.objects.filter(call=call, state=AchievementState.SUBMITTED).order_by("id"))
    authors: dict[int, set[int]] = defaultdict(set)
    for aid, pid in AchievementAuthor.objects.filter(achievement__call=call).values_list("achievement_id",
                                                                                       "person_id"):
        authors[aid].add(pid)
    experts = list(pool(call))
    cities = _cities({e.enterprise for e in experts if e.enterprise is not None})
    rule_achievements = [assignment_rules.Achievement(
        id=a.pk, enterprise_id=a.enterprise_id, city_id=a.city_id, category=a.field,
        authors=frozenset(authors[a.pk])) for a in achievements]
    reviewers = [assignment_rules.Reviewer(
        id=e.pk, person_id=e.person_id, enterprise_id=e.enterprise_id,
        city_id=cities.get(e.enterprise_id) if e.enterprise_id else None,
        specialities=frozenset(e.specialities), max_load=e.max_load) for e in experts]
    declared = [assignment_rules.Declared(reviewer_id=d.expert_id, achievement_id=d.achievement_id,
                                          person_id=d.person_id)
                for d in Declaration.objects.filter(call=call)]
    existing = list(Review.objects.filter(call=call, round=1).exclude(state=ReviewState.ABSTAINED))
    pins = [assignment_rules.Pin(r.expert_id, r.achievement_id, r.pin_reason) for r in existing
            if r.source == assignment_rules.PINNED]
    keep = [(r.achievement_id, r.expert_id) for r in existing if r.source != assignment_rules.PINNED]
    return {"achievements": rule_achievements, "reviewers": reviewers, "declared": declared, "pins": pins,
            "keep": keep, "experts": {e.pk: e for e in experts}}


def _cities(enterprises: Iterable[Org]) -> dict[int, int]:
    """{enterprise id: city id} in one query."""
    found = list(enterprises)
    paths = {p for e in found for p in ancestors(e.path)}
    cities = list(Org.objects.filter(path__in=paths, kind=OrgKind.CITY).values_list("path", "pk"))
    out = {}
    for e in found:
        for path, pk in cities:
            if e.path.startswith(path):
                out[e.pk] = pk
    return out


# ---------------------------------------------------------------------------------------------
# An expert's blind queue


def my_reviews(user: Actor) -> QuerySet[Review]:
    """The reviews assigned to the user's expert accounts in calls under review, to do first. The achievement is
    read for its number, title, field and texts only (the pages show nothing else: blind review)."""
    if not user.is_authenticated:
        return Review.objects.none()
    return (Review.objects.filter(expert__user_id=user.pk, call__state=CallState.REVIEWING)
            .select_related("call", "achievement")
            .order_by("state", "call__review_until", "achievement_id", "round"))


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Round:
    number: int
    reviews: list[Review]
    totals: list[Decimal]


def rounds_of(achievement: Achievement) -> list[Round]:
    """The achievement's reviews by round, with the experts (the organiser's view)."""
    by_round: dict[int, list[Review]] = defaultdict(list)
    for r in achievement.reviews.select_related("expert").order_by("round", "id"):
        by_round[r.round].append(r)
    return [Round(n, rows, [r.total for r in rows if r.total is not None and r.state == ReviewState.SUBMITTED])
            for n, rows in sorted(by_round.items())]


def chain(achievement: Achievement) -> dict[str, Any]:
    """Where an achievement comes from and where it went: the proposal and project it ends, the lower call's
    achievement it was recommended from, the upper one it was recommended to, and the exhibitions it was offered at."""
    upper = list(Achievement.objects.filter(source=achievement).select_related("call"))
    from ..models import Offer

    offers = list(Offer.objects.filter(achievement=achievement).select_related("exhibition").order_by("pk"))
    return {"proposal": achievement.proposal, "project": achievement.project, "source": achievement.source,
            "upper": upper, "offers": offers}


# ---------------------------------------------------------------------------------------------
# Similar achievements (beside the similar proposals)


@dataclass(frozen=True)
class SimilarAchievement:
    """An achievement like a proposal being written or valued: its title, enterprise, call and prize (what a
    published result shows anyway), and a link for those who may open it."""

    pk: int
    title: str
    unit: str
    year: int
    label: str
    score: float
    url: str


def under_blind_review(user: Actor) -> set[int]:
    """The achievements the user reviews blind now (calls under review) and those they were recommended from: a
    search of the user's must never lead from the text they review to the published original with its enterprise
    (and, on the public results, its authors)."""
    found: set[int] = set()
    if not user.is_authenticated or user.pk is None:
        return found
    for pk, source in Review.objects.filter(expert__user_id=user.pk, call__state=CallState.REVIEWING).values_list(
            "achievement_id", "achievement__source_id"):
        found.add(pk)
        if source is not None:
            found.add(source)
    return found


def similar_achievements(user: Actor, title: str, body: str = "", *, limit: int = 3,
                         candidates: int = 400) -> list[SimilarAchievement]:
    """The achievements most similar to a title and text (character bigrams, rules.similarity) among those the user
    may see and the prize-winners of published results (on notice or final): a proposal that repeats an awarded
    achievement is no new idea. Candidates share one of the title's distinctive bigrams (`title LIKE`); an
    achievement table holds thousands, not millions, so no index of its own is needed."""
    from ..rules import similarity

    grams = similarity.probe_grams(f"{title} {body}" if len(title) < 6 else title, 6)
    if not grams or not user.is_authenticated:
        return []
    like = Q()
    for g in grams:
        like |= Q(title__contains=g)
    published = Q(call__state__in=[CallState.NOTICE, CallState.FINAL], award__gt=0)
    visible = Achievement.objects.for_user(user, "view").values("pk")
    rows = list(Achievement.objects.filter(like, published | Q(pk__in=visible), state=AchievementState.SUBMITTED)
                .exclude(pk__in=under_blind_review(user)).select_related("enterprise", "call")
                .order_by("-pk")[:candidates])
    ranked = similarity.rank(title, body, ((a, a.title, a.summary) for a in rows), limit=limit)
    openable = set(Achievement.objects.for_user(user, "view").filter(pk__in=[a.pk for a, _s in ranked])
                   .values_list("pk", flat=True))
    return [SimilarAchievement(a.pk, a.title, a.enterprise.display_name, a.call.year,
                               f"{a.call.title} · {a.get_award_display()}" if a.award else a.call.title, round(s, 2),
                               a.get_absolute_url() if a.pk in openable else "") for a, s in ranked]
