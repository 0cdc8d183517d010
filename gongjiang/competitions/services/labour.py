"""Labour competitions (劳动竞赛/立功竞赛, issue 3 §5), the set-up: the competition and its indicators, the
competing units, the periods of the year and the evaluators. Entering the evaluations, closing a period, the
year's results, merit awards and the split of the competition fund ("以赛绩定收入") are in `evaluation`.
The arithmetic is in `rules.labour`; these modules feed it from the database and store what it returns.

- The organiser (change rights on the organising org) sets the indicators (weights adding up to 100; one
  indicator flagged `is_safety` turns on the safety veto, 一票否决), adds the competing units (an org of its
  subtree — a 项目部/enterprise/班组 — or a named unit), opens the periods of the year (months or quarters),
  appoints the evaluators, closes each period and sets the fund.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import verb
from gongjiang.orgs import scoping
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User

from ..choices import CompetitionKind, CompetitionState, Level, PeriodKind
from ..models import CompetingUnit, Competition, Evaluation, Evaluator, Indicator, Period, PeriodResult
from ..queries.labour import UNIT_KINDS, indicator_set
from ..rules import labour as rules
from .common import _require_organiser
from .structure import create_competition, update_competition

# The level a labour competition takes from the kind of its organiser.
LEVEL_OF_KIND: dict[str, Level] = {
    OrgKind.PROVINCE: Level.PROVINCE, OrgKind.INDUSTRY: Level.PROVINCE, OrgKind.CITY: Level.CITY,
    OrgKind.COUNTY: Level.COUNTY, OrgKind.GRASSROOTS: Level.ENTERPRISE}
QUARTERS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


def _require_labour(competition: Competition) -> None:
    if competition.kind != CompetitionKind.LABOUR:
        raise DomainError(_("%(competition)s is not a labour competition.") % {"competition": competition.name},
                          code="kind")


def _require_not_finished(competition: Competition) -> None:
    if competition.state == CompetitionState.FINISHED:
        raise DomainError(_("A finished competition can no longer be changed."), code="state")


def _lock(competition: Competition) -> Competition:
    return Competition.objects.select_for_update(of=("self",)).select_related("organiser").get(pk=competition.pk)


# ---------------------------------------------------------------------------------------------
# The competition and its indicators


@verb
def create_labour_competition(*, actor: User, organiser: Org, name: str, year: int | None = None,
                              fund_amount: Decimal = Decimal(0), description: str = "", co_organisers: str = "",
                              indicators: list[dict[str, Any]] | None = None) -> Competition:
    """A new labour competition in preparation, organised by `organiser`, with the standard indicators
    unless others are given (the organiser adjusts them until the first evaluation)."""
    level = LEVEL_OF_KIND.get(organiser.kind, Level.ENTERPRISE)
    data: dict[str, Any] = {"name": name, "kind": CompetitionKind.LABOUR, "level": level, "fund_amount": fund_amount,
                            "description": description, "co_organisers": co_organisers, "exclusive": False}
    if year is not None:
        data["year"] = year
    _check_fund(fund_amount)
    competition = create_competition(actor=actor, organiser=organiser, **data)
    set_indicators(actor=actor, competition=competition,
                   indicators=indicators if indicators is not None else rules.standard_indicators())
    return competition


def _clean_weight(code: str, weight: Any) -> int:
    try:
        number = Decimal(str(weight).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise DomainError(_("The weight of indicator %(code)s must be a whole number; got %(weight)s.")
                          % {"code": code, "weight": weight}, field="indicators")
    if not 0 < number <= 100:
        raise DomainError(_("The weight of indicator %(code)s must be positive; got %(weight)s.")
                          % {"code": code, "weight": weight}, field="indicators")
    return int(number)


@verb
def set_indicators(*, actor: User, competition: Competition, indicators: list[dict[str, Any]]) -> list[Indicator]:
    """Replace the indicators: dicts with code, name, weight (whole points) and is_safety. The weights must
    add up to exactly 100 (the refusal shows the sum). Refused once an evaluation has been entered."""
    competition = _lock(competition)
    _require_organiser(competition, actor)
    _require_labour(competition)
    _require_not_finished(competition)
    if Evaluation.objects.filter(period__competition=competition).exists():
        raise DomainError(_("Evaluations have been entered: the indicators can no longer be changed."),
                          field="indicators", code="state")
    rows = []
    for item in indicators:
        code = str(item.get("code") or "").strip()
        name = str(item.get("name") or "").strip()
        if len(code) > 16:
            raise DomainError(_("The code %(code)s is longer than 16 characters.") % {"code": code},
                              field="indicators")
        if len(name) > 40:
            raise DomainError(_("The name %(name)s is longer than 40 characters.") % {"name": name},
                              field="indicators")
        rows.append(Indicator(competition=competition, code=code, name=name,
                              weight=_clean_weight(code, item.get("weight")), is_safety=bool(item.get("is_safety"))))
    indicator_set(rows)  # codes, names, duplicates, the sum of 100: refused with the rules' message
    before = [[i.code, i.name, i.weight, i.is_safety] for i in competition.indicators.all()]
    competition.indicators.all().delete()
    Indicator.objects.bulk_create(rows)
    audit.record(actor, "competitions.labour.indicators_set", competition, before={"indicators": before},
                 after={"indicators": [[i.code, i.name, i.weight, i.is_safety] for i in rows]})
    return list(competition.indicators.all())


def _check_fund(amount: object) -> Decimal:
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise DomainError(_("The fund must be an amount in yuan."), field="fund_amount") from None
    if not amount.is_finite() or amount < 0:
        raise DomainError(_("The fund cannot be negative."), field="fund_amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("The fund %(total)s is not a whole number of fen.") % {"total": amount},
                          field="fund_amount")
    if amount >= Decimal("1e12"):
        raise DomainError(_("The fund is too large."), field="fund_amount")
    return amount


@verb
def set_fund(*, actor: User, competition: Competition, amount: Decimal) -> Competition:
    """The competition fund (yuan, to the fen) split among the units by their year scores."""
    _require_labour(competition)
    return update_competition(actor=actor, competition=competition, fund_amount=_check_fund(amount))


# ---------------------------------------------------------------------------------------------
# Competing units


def _in_subtree(org: Org, root: Org) -> bool:
    return scoping.within(org, root)


@verb
def add_unit(*, actor: User, competition: Competition, org: Org | None = None, name: str = "") -> CompetingUnit:
    """A competing unit: an active enterprise, 项目部/workshop or 班组 of the organiser's subtree (named after
    it unless a name is given), or a named unit outside the tree (a person or a group)."""
    competition = _lock(competition)
    _require_organiser(competition, actor)
    _require_labour(competition)
    _require_not_finished(competition)
    name = (name or "").strip()
    if org is None and not name:
        raise DomainError(_("Choose a unit of the organisation tree or enter a name."), field="name")
    if org is not None:
        if not _in_subtree(org, competition.organiser):
            raise DomainError(_("%(org)s is outside %(organiser)s.") % {
                "org": org.name, "organiser": competition.organiser.name}, field="org")
        if org.kind not in UNIT_KINDS:
            raise DomainError(_("A %(kind)s does not compete: choose an enterprise, a project department or "
                                "workshop, or a team.") % {"kind": org.get_kind_display()}, field="org")
        if not org.is_active:
            raise DomainError(_("%(org)s is no longer active.") % {"org": org.name}, field="org")
        if CompetingUnit.objects.filter(competition=competition, org=org).exists():
            raise DomainError(_("%(org)s is already competing.") % {"org": org.name}, field="org")
        name = name or org.name
    name = name[:80]
    if CompetingUnit.objects.filter(competition=competition, name=name).exists():
        raise DomainError(_("A unit named %(name)s is already competing.") % {"name": name}, field="name")
    unit = CompetingUnit.objects.create(competition=competition, org=org, name=name)
    audit.record(actor, "competitions.labour.unit_added", competition,
                 after={"unit": unit.name, "org": org.pk if org else None})
    return unit


@verb
def remove_unit(*, actor: User, unit: CompetingUnit) -> None:
    """Take back a unit added by mistake; refused once it has been evaluated."""
    competition = _lock(unit.competition)
    _require_organiser(competition, actor)
    _require_not_finished(competition)
    if Evaluation.objects.filter(unit=unit).exists() or PeriodResult.objects.filter(unit=unit).exists():
        raise DomainError(_("%(unit)s has been evaluated and can no longer be removed.") % {"unit": unit.name},
                          code="state")
    name = unit.name
    unit.delete()
    audit.record(actor, "competitions.labour.unit_removed", competition, before={"unit": name})


# ---------------------------------------------------------------------------------------------
# Periods


def _period_plan(kind: str, year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """The periods of a year: 12 months or 4 quarters, as (label, first day, last day)."""
    if kind == PeriodKind.MONTH:
        return [(pgettext("labour period", "%(month)s/%(year)s") % {"year": year, "month": m},
                 datetime.date(year, m, 1), datetime.date(year, m, calendar.monthrange(year, m)[1]))
                for m in range(1, 13)]
    return [(pgettext("labour period", "Q%(quarter)s %(year)s") % {"year": year, "quarter": q},
             datetime.date(year, first, 1), datetime.date(year, last, calendar.monthrange(year, last)[1]))
            for q, (first, last) in QUARTERS.items()]


@verb
def open_periods(*, actor: User, competition: Competition, kind: str, year: int | None = None) -> list[Period]:
    """Generate the evaluation periods of the competition's year (months or quarters), all open; the
    competition goes from preparation to 比赛中. Refused when periods exist already or no indicator is set."""
    competition = _lock(competition)
    _require_organiser(competition, actor)
    _require_labour(competition)
    _require_not_finished(competition)
    if kind not in PeriodKind.values:
        raise DomainError(_("Choose months or quarters."), field="kind")
    if competition.periods.exists():
        raise DomainError(_("The periods of this competition have been opened already."), field="kind",
                          code="state")
    if not competition.indicators.exists():
        raise DomainError(_("Set the indicators before opening the periods."), field="kind")
    year = year or competition.year
    periods = [Period(competition=competition, kind=kind, label=label, starts_on=first, ends_on=last)
               for label, first, last in _period_plan(kind, year)]
    Period.objects.bulk_create(periods)
    audit.record(actor, "competitions.labour.periods_opened", competition,
                 after={"kind": kind, "year": year, "periods": len(periods)})
    if competition.state == CompetitionState.PREPARING:
        competition.state = CompetitionState.RUNNING
        competition.save(update_fields=["state", "updated_at"])
        audit.record(actor, "competitions.competition.state_changed", competition,
                     before={"state": CompetitionState.PREPARING}, after={"state": CompetitionState.RUNNING})
    return list(competition.periods.all())


# ---------------------------------------------------------------------------------------------
# Evaluators


@verb
def appoint_evaluator(*, actor: User, competition: Competition, user: User) -> Evaluator:
    """Appoint an active account as an evaluator (考评员) of the competition."""
    competition = _lock(competition)
    _require_organiser(competition, actor)
    _require_labour(competition)
    _require_not_finished(competition)
    if not user.is_active:
        raise DomainError(_("The account %(name)s is disabled.") % {"name": user}, field="user")
    if Evaluator.objects.filter(competition=competition, user=user).exists():
        raise DomainError(_("%(name)s is already an evaluator of this competition.") % {"name": user}, field="user")
    evaluator = Evaluator.objects.create(competition=competition, user=user,
                                         appointed_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor, "competitions.labour.evaluator_appointed", competition,
                 after={"evaluator": str(user), "user": user.pk})
    return evaluator


@verb
def withdraw_evaluator(*, actor: User, evaluator: Evaluator) -> None:
    """End an appointment: the evaluator enters nothing more; what they entered stays and counts."""
    competition = _lock(evaluator.competition)
    _require_organiser(competition, actor)
    name = str(evaluator.user)
    evaluator.delete()
    audit.record(actor, "competitions.labour.evaluator_withdrawn", competition, before={"evaluator": name})
