"""Read models of the studios, shared by the pages and the API: the registry a user sees with its filters, one
studio with its members, funding, assessments and status history (a constant number of queries), the work waiting
(assessments to confirm for the assessing union, self-assessments due for the host union) and the figures by level
and result of a union and year, read from the fact store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core.rubrics import rubric as engine
from gongjiang.core.rubrics import scoring
from gongjiang.core.scoping import scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Period

from ..models import Assessment, AssessmentScore, Rubric, Studio, StudioMember, StudioStatusChange
from ..studio_choices import AssessmentState, StudioLevel, StudioStatus
from ..studio_counters import studio_metric, year_day

FILTERS = ("kind", "level", "city", "status", "result", "q")


def studios_for(user: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Studio]:
    """The studios a user sees (hosted inside their scope), filtered by kind, level, city (an org id), status,
    the last result ("none": never assessed) and a part of the name; newest recognition first."""
    qs = Studio.objects.for_user(user, "view").select_related("host", "city", "lead", "recognised_by")
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("level"):
        qs = qs.filter(level=f["level"])
    if f.get("city"):
        qs = qs.filter(city_id=f["city"])
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("result") == "none":
        qs = qs.filter(last_result="")
    elif f.get("result"):
        qs = qs.filter(last_result=f["result"])
    if f.get("q"):
        qs = qs.filter(Q(name__contains=f["q"]) | Q(host__name__contains=f["q"]) | Q(lead__name__contains=f["q"]))
    return qs.order_by("-year", "name", "id")


def cities_for(user: Actor) -> list[Org]:
    """The cities a user may filter the registry by: those inside their scope, or the city they are in."""
    scope = scope_for(user, "view")
    inside = list(scope.apply(Org.objects.filter(kind=OrgKind.CITY), industry=False).order_by("path"))
    return inside


def level_counts(qs: QuerySet[Studio]) -> dict[str, dict[str, int]]:
    """{level: {status: n}} of a registry's studios (one grouped query)."""
    out: dict[str, dict[str, int]] = {lv: dict.fromkeys(StudioStatus.values, 0) for lv in StudioLevel.values}
    for level, status, n in qs.order_by().values_list("level", "status").annotate(n=Count("pk")):
        out[level][status] = n
    return out


def detail(user: Actor, pk: int) -> Studio | None:
    """One studio with its members, funding, assessments and status changes (five queries)."""
    prefetch: list[Any] = [
        Prefetch("members", StudioMember.objects.select_related("person").order_by("role", "id")), "funding",
        Prefetch("assessments", Assessment.objects.select_related("assessing").order_by("-year")),
        Prefetch("status_changes",
                 StudioStatusChange.objects.select_related("decided_by", "by").order_by("-on", "-id"))]
    return (Studio.objects.for_user(user, "view").select_related("host", "city", "lead__employer", "recognised_by")
            .prefetch_related(*prefetch).filter(pk=pk).first())


def funding_total(studio: Studio) -> Any:
    return sum((f.amount for f in studio.funding.all()), start=0)


def assessment(user: Actor, studio: Studio, year: int) -> Assessment | None:
    return (Assessment.objects.for_user(user, "view").filter(studio=studio, year=year)
            .select_related("assessing", "rubric", "self_by", "confirmed_by").first())


def rubric(kind: str) -> engine.Rubric | None:
    """The rubric a kind of studio is assessed by (the engine's), if installed."""
    found = Rubric.objects.filter(kind=kind).first()
    return found.rules if found else None


@dataclass(frozen=True)
class Line:
    """One item of an assessment as the page shows it: the rubric's item and the studio's answers to it."""

    item: engine.Item
    score: AssessmentScore | None

    @property
    def bounds(self) -> str:
        i = self.item
        if i.mode == engine.VETO:
            return str(_("veto: %(reason)s") % {"reason": i.reason})
        if i.mode == engine.DEDUCTION:
            return str(_("%(per)s points off each, at most %(cap)s") % {"per": i.per_unit, "cap": i.cap})
        if i.mode == engine.BONUS:
            return str(_("%(per)s points each, at most %(cap)s") % {"per": i.per_unit, "cap": i.cap})
        return str(_("at most %(points)s points") % {"points": i.points})

    def shown(self, raw: object) -> str:
        if raw is None:
            return "—"
        if isinstance(raw, bool):
            return str(_("yes") if raw else _("no"))
        return str(raw)

    @property
    def self_value(self) -> scoring.Answer:
        return scoring.decode(self.item, self.score.self_answer) if self.score else None

    @property
    def self_answer(self) -> str:
        return self.shown(self.score.self_answer) if self.score else "—"

    @property
    def answer(self) -> str:
        return self.shown(self.score.answer) if self.score else "—"


def lines(r: engine.Rubric, scores: list[AssessmentScore]) -> list[Line]:
    by_key = {s.key: s for s in scores}
    return [Line(i, by_key.get(i.key)) for i in r.leaves()]


def current_score(r: engine.Rubric, scores: list[AssessmentScore]) -> scoring.Score:
    """The score of an assessment's answers as they stand (the assessing union's once confirmed)."""
    answers: dict[str, scoring.Answer] = {}
    for s in scores:
        try:
            item = r.item(s.key)
        except KeyError:
            continue
        answers[s.key] = scoring.decode(item, s.answer if s.answer is not None else s.self_answer)
    return scoring.score(r, answers)


def waiting_to_confirm(user: Actor) -> QuerySet[Assessment]:
    """Self-assessments waiting for the user's union to confirm them (it is the assessing union)."""
    scope = scope_for(user, "change")
    return (scope.apply(Assessment.objects.filter(state=AssessmentState.SELF), "assessing__")
            .exclude(studio__status=StudioStatus.REVOKED)
            .select_related("studio__host", "assessing").order_by("year", "studio__name"))


def due_self_assessment(user: Actor, year: int | None = None) -> QuerySet[Studio]:
    """Studios hosted in the user's scope, not revoked, recognised before `year`, without an assessment of `year`."""
    year = year or timezone.localdate().year
    return (Studio.objects.for_user(user, "change").exclude(status=StudioStatus.REVOKED).filter(year__lt=year)
            .exclude(Exists(Assessment.objects.filter(studio=OuterRef("pk"), year=year)))
            .select_related("host", "recognised_by").order_by("host__path", "name"))


def todo_counts(user: Actor, year: int) -> tuple[int, int]:
    """(assessments to confirm, self-assessments due) in one query: the studios hosted in the user's change scope
    (an assessing union is above the host, so its studios are among them)."""
    scope = scope_for(user, "change")
    if scope.is_empty:
        return 0, 0
    waiting = Exists(Assessment.objects.filter(studio=OuterRef("pk"), year__lte=year, state=AssessmentState.SELF)
                     .filter(scope.q("assessing__")))
    done = Exists(Assessment.objects.filter(studio=OuterRef("pk"), year=year))
    found = (Studio.objects.for_user(user, "change").exclude(status=StudioStatus.REVOKED)
             .aggregate(waiting=Count("pk", filter=Q(waiting)), due=Count("pk", filter=Q(year__lt=year) & ~Q(done))))
    return found["waiting"] or 0, found["due"] or 0


@dataclass
class LevelFigures:
    """A union's figures of one year and level (from the fact store's year rows)."""

    level: str
    recognised: int = 0
    excellent: int = 0
    passed: int = 0
    failed: int = 0
    suspended: int = 0
    revoked: int = 0

    @property
    def assessed(self) -> int:
        return self.excellent + self.passed + self.failed


@dataclass
class OrgFigures:
    org: Org
    year: int
    levels: list[LevelFigures] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(lv, name) for lv in self.levels)


FIELDS = ("recognised", "excellent", "passed", "failed", "suspended", "revoked")


KEYS = {(k, lv): studio_metric(k, lv) for k in FIELDS for lv in StudioLevel.values}


def figures(orgs: list[Org], year: int) -> list[OrgFigures]:
    """Each org's figures of `year` per level, from the fact store's year rows (one query for all of them)."""
    found = facts.values([o.pk for o in orgs], KEYS.values(), Period.YEAR, year_day(year))
    out = []
    for org in orgs:
        levels = [LevelFigures(lv, **{k: int(found.get((org.pk, KEYS[(k, lv)]), 0)) for k in FIELDS})
                  for lv in StudioLevel.values]
        out.append(OrgFigures(org, year, levels))
    return out


def years(org: Org, last: int, n: int = 5) -> list[dict[str, int]]:
    """The org's totals over the last `n` years (all levels): [{year, recognised, excellent, …}] (one query)."""
    trend = facts.series(org.pk, KEYS.values(), Period.YEAR, year_day(last - n + 1), year_day(last))
    out = []
    for y in range(last - n + 1, last + 1):
        day = year_day(y)
        out.append({"year": y, **{k: sum(int(trend.get(KEYS[(k, lv)], {}).get(day, 0)) for lv in StudioLevel.values)
                                  for k in FIELDS}})
    return out


def children(org: Org) -> list[Org]:
    """The unions right below `org` (cities and industry unions under the province, counties under a city…)."""
    return list(Org.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
                .exclude(kind__in=[OrgKind.DEPARTMENT, OrgKind.TEAM]).order_by("path")[:200])
