"""The reads of the analysis pages: where contestants are weak (each aspect's marks as % of its max, from
`Entry.aspect_marks`) and participation rolled up the org tree (one GROUP BY over the prefixes of the units'
paths)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from gongjiang.orgs import scoping
from gongjiang.orgs.models import Org

from ..choices import EntryStatus
from ..models import Aspect, Competition, Entry, Round, Stage
from ..rules import aspect_marks, marking


@dataclass
class AspectStats:
    code: str
    description: str
    section: str
    max_mark: int  # hundredths
    marked: int
    mean_percent: Decimal | None
    histogram: tuple[aspect_marks.HistogramBin, ...]


def aspect_analysis(rnd: Round, bins: int = 10) -> list[AspectStats]:
    """Per aspect of the event's scheme, the distribution of the entrants' marks as % of its max
    (`Entry.aspect_marks`, one query), in the scheme's order."""
    aspects = list(Aspect.objects.filter(scheme__event=rnd.event_id).order_by("order", "pk"))
    values: dict[str, list[int]] = defaultdict(list)
    marks = Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).exclude(aspect_marks={}).values_list(
        "aspect_marks", flat=True)
    for row in marks.iterator(chunk_size=2000):
        for code, value in (row or {}).items():
            if value is not None:
                values[code].append(value)
    stats = []
    for a in aspects:
        vs = [min(max(v, 0), a.max_mark) for v in values.get(a.code, [])]  # a scheme changed since: stay in range
        top = marking.from_hundredths(a.max_mark)
        histogram = aspect_marks.percent_of_max_histogram([marking.from_hundredths(v) for v in vs], top, bins) \
            if a.max_mark > 0 else ()
        mean = (aspect_marks.percent_of_max(Decimal(sum(vs)) / len(vs), a.max_mark).quantize(Decimal("0.1"))
                if vs and a.max_mark > 0 else None)
        stats.append(AspectStats(a.code, a.description, f"{a.section_code} {a.section_name}".strip(), a.max_mark,
                                 len(vs), mean, histogram))
    return stats


@dataclass
class ParticipationRow:
    org: Org
    entries: int
    checked_in: int
    winners: int


def participation(competition: Competition, base: Org, stage: Stage | None = None) -> list[ParticipationRow]:
    """Entries of the competition by the children of `base` (cities under the province, counties under a
    city...): ONE GROUP BY over the prefix of the entries' unit paths one level below `base`, then one query
    for the children's names. Refused and withdrawn registrations are not counted."""
    from django.db.models import Count, Q
    from django.db.models.functions import Substr

    length = len(base.path) + scoping.STEP
    qs = Entry.objects.filter(round__event__competition=competition, unit__path__startswith=base.path).exclude(
        status__in=[EntryStatus.REFUSED, EntryStatus.WITHDRAWN])
    if stage is not None:
        qs = qs.filter(round__stage=stage)
    grouped = (qs.annotate(prefix=Substr("unit__path", 1, length)).values("prefix").order_by("prefix")
               .annotate(entries=Count("pk"), checked_in=Count("pk", filter=Q(status=EntryStatus.CHECKED_IN)),
                         winners=Count("pk", filter=~Q(prize=""))))
    counts = {g["prefix"]: g for g in grouped}
    children = Org.objects.filter(path__in=[p for p in counts if len(p) == length]).order_by("path")
    rows = [ParticipationRow(o, counts[o.path]["entries"], counts[o.path]["checked_in"], counts[o.path]["winners"])
            for o in children]
    if base.path in counts:  # entered by the base org itself (a unit directly under it)
        own = counts[base.path]
        rows.insert(0, ParticipationRow(base, own["entries"], own["checked_in"], own["winners"]))
    return sorted(rows, key=lambda r: (-r.entries, r.org.path))
