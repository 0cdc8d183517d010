"""The studios' yearly counters (`StudioFigure`) kept by the studio verbs: each adds its difference, with F(), to the
rows of the host enterprise and of every union above it — regionally and along its industry union's tree — for the
year and the studio's level, so the figures page of a province or a city reads a few rows, never counts studios
(DESIGN §5, as innovation's counters). Rows missing are made first (`ignore_conflicts`), touched in path order.
`rebuild()` recomputes every row from the studios, their confirmed assessments and status changes (the demo, and the
test proving it equal to what the verbs kept)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F

from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import ancestors

from .models import Assessment, Studio, StudioFigure, StudioStatusChange
from .studio_choices import AssessmentState, Result, StudioStatus

FIELDS = ("recognised", "excellent", "passed", "failed", "suspended", "revoked")
RESULT_FIELD = {Result.EXCELLENT: "excellent", Result.PASS: "passed", Result.FAIL: "failed"}
STATUS_FIELD = {StudioStatus.SUSPENDED: "suspended", StudioStatus.REVOKED: "revoked"}


def _paths(path: str, industry_path: str) -> set[str]:
    return set(ancestors(path)) | (set(ancestors(industry_path)) if industry_path else set())


def reach_ids(host: Org) -> list[int]:
    """The host and every union above it, regionally and through its industry union (one query)."""
    return list(Org.objects.filter(path__in=_paths(host.path, host.industry_path)).order_by("path")
                .values_list("pk", flat=True))


def add(host: Org, year: int, level: str, **deltas: int) -> None:
    unknown = set(deltas) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown figures: {sorted(unknown)}")
    changes = {k: v for k, v in deltas.items() if v}
    if not changes:
        return
    ids = reach_ids(host)
    StudioFigure.objects.bulk_create([StudioFigure(org_id=pk, year=year, level=level) for pk in ids],
                                     ignore_conflicts=True)
    StudioFigure.objects.filter(org_id__in=ids, year=year, level=level).update(
        **{k: F(k) + v for k, v in changes.items()})


def counted_by(studio: Studio) -> dict[tuple[int, str], int]:
    """What one studio counts beside its recognition: (year, figure) → n, from its confirmed assessments and its
    status changes (the correction of its host, level or year moves them: `services.studio_registry`)."""
    out: dict[tuple[int, str], int] = defaultdict(int)
    for year, res in studio.assessments.filter(state=AssessmentState.CONFIRMED).values_list("year", "result"):
        out[(year, RESULT_FIELD[Result(res)])] += 1
    for on, after in studio.status_changes.filter(after__in=list(STATUS_FIELD)).values_list("on", "after"):
        out[(on.year, STATUS_FIELD[StudioStatus(after)])] += 1
    return dict(out)


def computed() -> dict[tuple[int, int, str], dict[str, int]]:
    """Every row's figures recomputed from the studios, their confirmed assessments and their status changes."""
    own: dict[tuple[int, int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for host_id, year, level, n in (Studio.objects.values_list("host_id", "year", "level").order_by()
                                    .annotate(n=Count("pk"))):
        own[(host_id, year, level)]["recognised"] += n
    for host_id, year, level, res, n in (Assessment.objects.filter(state=AssessmentState.CONFIRMED)
                                         .values_list("studio__host_id", "year", "studio__level", "result")
                                         .order_by().annotate(n=Count("pk"))):
        own[(host_id, year, level)][RESULT_FIELD[Result(res)]] += n
    for host_id, on, level, after in (StudioStatusChange.objects.filter(after__in=list(STATUS_FIELD))
                                      .values_list("studio__host_id", "on", "studio__level", "after")):
        own[(host_id, on.year, level)][STATUS_FIELD[StudioStatus(after)]] += 1
    hosts = Org.objects.in_bulk({h for h, _y, _l in own})
    rows: dict[tuple[int, int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    reach: dict[int, list[int]] = {}
    paths = {h.pk: _paths(h.path, h.industry_path) for h in hosts.values()}
    ids = dict(Org.objects.filter(path__in=set().union(*paths.values()) if paths else set())
               .values_list("path", "pk"))
    for host_id in hosts:
        reach[host_id] = [ids[p] for p in paths[host_id] if p in ids]
    for (host_id, year, level), figures in own.items():
        for org_id in reach[host_id]:
            row = rows[(org_id, year, level)]
            for k, v in figures.items():
                row[k] += v
    return dict(rows)


def rebuild() -> int:
    """Replace every row by the recomputed figures; returns the number of rows."""
    rows = computed()
    StudioFigure.objects.all().delete()
    StudioFigure.objects.bulk_create([StudioFigure(org_id=o, year=y, level=lv, **f) for (o, y, lv), f in rows.items()],
                                     batch_size=2000)
    return len(rows)
