"""Reads of a competition's structure: which unions run a stage (by default, or to choose from), and a stored
marking scheme as the rules see it (`scheme_of`, `aspect_of`), whether it may still change, and its rows as an
export writes them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org

from ..choices import Level, RoundState
from ..models import Aspect, Competition, Event, Round, Scheme, Stage
from ..rules import marking

# The org kinds that run a stage of each level (an enterprise stage is run by grassroots unions).
LEVEL_KINDS = {Level.PROVINCE: {OrgKind.PROVINCE, OrgKind.INDUSTRY}, Level.CITY: {OrgKind.CITY, OrgKind.INDUSTRY},
               Level.COUNTY: {OrgKind.COUNTY, OrgKind.INDUSTRY}, Level.ENTERPRISE: {OrgKind.GRASSROOTS}}


def default_organisers_by_stage(competition: Competition, stages: list[Stage]) -> dict[int, list[Org]]:
    """`default_organisers` of several stages in at most one query (for the competition page)."""
    kinds = {Level.CITY: OrgKind.CITY, Level.COUNTY: OrgKind.COUNTY}
    wanted = {kinds[Level(s.level)] for s in stages if s.level != competition.level and s.level in kinds}
    found: dict[str, list[Org]] = {}
    if wanted:
        for org in Org.objects.filter(path__startswith=competition.organiser.path, kind__in=wanted,
                                      is_active=True).order_by("path"):
            found.setdefault(org.kind, []).append(org)
    out: dict[int, list[Org]] = {}
    for s in stages:
        if s.level == competition.level:
            out[s.pk] = [competition.organiser]
        else:
            kind = kinds.get(Level(s.level))
            out[s.pk] = found.get(kind, []) if kind else []
    return out


def candidate_organisers(competition: Competition, level: str, limit: int = 300) -> list[Org]:
    """The active orgs inside the competition's organiser that may run a stage of `level` (for choosing them by
    hand), regional ones first. Grassroots unions are too many to list: they are named by code instead."""
    kinds = LEVEL_KINDS[Level(level)] - {OrgKind.GRASSROOTS}
    if not kinds:
        return []
    return list(Org.objects.filter(path__startswith=competition.organiser.path, kind__in=kinds, is_active=True)
                .order_by("depth", "path")[:limit])


def default_organisers(competition: Competition, stage: Stage) -> list[Org]:
    """The orgs that run `stage` by default: the competition's organiser for a stage of its own level, else
    the active orgs of the stage's level (cities, counties) inside the organiser's subtree."""
    if stage.level == competition.level:
        return [competition.organiser]
    kinds: dict[str, OrgKind] = {Level.CITY: OrgKind.CITY, Level.COUNTY: OrgKind.COUNTY}
    kind = kinds.get(stage.level)
    if kind is None:
        return []
    return list(Org.objects.filter(path__startswith=competition.organiser.path, kind=kind, is_active=True))


# ---------------------------------------------------------------------------------------------
# Marking schemes


def scheme_of(scheme: Scheme, aspects: list[Aspect] | None = None) -> marking.Scheme:
    """The rules' view of a stored scheme (Decimal marks), aspects in order."""
    aspects = aspects if aspects is not None else list(scheme.aspects.all())
    sections: dict[str, dict[str, Any]] = {}
    for a in aspects:
        sec = sections.setdefault(a.section_code, {"name": a.section_name, "criteria": {}})
        crit = sec["criteria"].setdefault(a.criterion_code, {"name": a.criterion_name, "aspects": []})
        crit["aspects"].append(aspect_of(a))
    return marking.Scheme(
        sections=tuple(marking.Section(code, s["name"], tuple(
            marking.Criterion(ccode, c["name"], tuple(c["aspects"])) for ccode, c in s["criteria"].items()))
            for code, s in sections.items()),
        rounding=marking.Rounding(mode=scheme.rounding_mode, places=scheme.rounding_places,
                                  level=scheme.rounding_level),
        judgement_method=scheme.judgement_method, trim=scheme.trim)


def aspect_of(a: Aspect) -> marking.Aspect:
    return marking.Aspect(
        code=a.code, description=a.description, max_mark=marking.from_hundredths(a.max_mark), kind=a.kind,
        step=marking.from_hundredths(a.step),
        bands=tuple(marking.Band(Decimal(str(u)), Decimal(str(m))) for u, m in a.bands),
        deductions=tuple(marking.Deduction(str(c), Decimal(str(v)), str(d) if d else "")
                         for c, v, *rest in a.deductions for d in [rest[0] if rest else ""]))


def scheme_locked(event: Event) -> bool:
    """Whether marking has started in a round of the event (the scheme can then no longer change)."""
    return Round.objects.filter(event=event).exclude(state__in=[RoundState.REGISTRATION, RoundState.CHECKIN]).exists()


def aspect_rows(aspects: list[Aspect]) -> list[dict[str, Any]]:
    """Stored aspects as the dicts `set_scheme` takes (Decimal marks): what an export writes and an import reads."""
    return [{"section_code": a.section_code, "section_name": a.section_name, "criterion_code": a.criterion_code,
             "criterion_name": a.criterion_name, "code": a.code, "description": a.description, "kind": a.kind,
             "max_mark": marking.from_hundredths(a.max_mark), "step": marking.from_hundredths(a.step),
             "bands": [[str(u), str(m)] for u, m in a.bands],
             "deductions": [[str(x) for x in d] for d in a.deductions]} for a in aspects]
