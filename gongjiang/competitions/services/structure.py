"""Competitions, stages, events, rounds and marking schemes; the competition's guarded state transitions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import require, verb
from gongjiang.orgs import facts, scoping
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User

from .. import figures
from ..choices import COMPETITION_TRANSITIONS, CompetitionKind, CompetitionState, Level
from ..models import Aspect, Competition, Event, Round, Scheme, Stage
from ..queries.structure import LEVEL_KINDS, default_organisers, scheme_locked, scheme_of
from ..rules import marking, ranking
from .common import _require_organiser, _require_state

COMPETITION_FIELDS = ["name", "year", "kind", "organiser", "co_organisers", "level", "klass", "state", "description",
                      "registration_opens", "registration_closes", "exclusive", "fund_amount"]
EDITABLE_COMPETITION_FIELDS = set(COMPETITION_FIELDS) - {"organiser", "state", "kind"}
EVENT_FIELDS = ["name", "trade", "group", "is_team", "team_size", "team_drawn", "theory_weight", "practical_weight",
                "min_age", "max_age", "age_reference_date", "min_grade", "max_grade", "members_only",
                "front_line_only", "exclude_leaders", "unit_quota", "capacity", "waitlist", "requires_approval",
                "tie_breaks", "prize_rule", "recheck_top_percent", "recheck_sample_percent", "order"]
TIE_BREAK_KEYS = {"practical", "theory", "time_used"}


def _clean_competition_data(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = dict(data)
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            errors["name"] = _("Please enter the name of the competition.")
    if "year" in clean and not (2000 <= int(clean["year"] or 0) <= 2100):
        errors["year"] = _("The year %(year)s is not plausible.") % {"year": clean["year"]}
    opens, closes = clean.get("registration_opens"), clean.get("registration_closes")
    if opens and closes and closes < opens:
        errors["registration_closes"] = _("Registration cannot close (%(closes)s) before it opens (%(opens)s).") % {
            "closes": closes, "opens": opens}
    if clean.get("fund_amount") is not None and Decimal(clean["fund_amount"]) < 0:
        errors["fund_amount"] = _("The fund cannot be negative.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return clean


@verb
def create_competition(*, actor: User, organiser: Org, **data: Any) -> Competition:
    """A new competition in preparation, organised by `organiser` (the actor needs change rights there)."""
    require(organiser, actor)
    if organiser.kind not in {OrgKind.PROVINCE, OrgKind.CITY, OrgKind.INDUSTRY, OrgKind.COUNTY, OrgKind.GRASSROOTS}:
        raise DomainError(_("A %(kind)s does not organise competitions.") % {"kind": organiser.get_kind_display()},
                          field="organiser")
    data = _clean_competition_data({"year": datetime.date.today().year, **data})
    competition = Competition.objects.create(organiser=organiser, created_by=actor if actor.pk else None, **data)
    if competition.kind == CompetitionKind.LABOUR:
        facts.add(organiser, timezone.localdate(competition.created_at), {figures.LABOUR_STARTED: 1})
    audit.record(actor, "competitions.competition.created", competition,
                 after=audit.snapshot(competition, COMPETITION_FIELDS))
    return competition


@verb
def update_competition(*, actor: User, competition: Competition, **data: Any) -> Competition:
    unknown = set(data) - EDITABLE_COMPETITION_FIELDS
    if unknown:
        raise TypeError(f"update_competition() cannot change {', '.join(sorted(unknown))}")
    competition = Competition.objects.select_for_update(of=("self",)).get(pk=competition.pk)
    _require_organiser(competition, actor)
    if competition.state == CompetitionState.FINISHED:
        raise DomainError(_("A finished competition can no longer be changed."), code="state")
    data = _clean_competition_data(data)
    before = audit.snapshot(competition, COMPETITION_FIELDS)
    for k, v in data.items():
        setattr(competition, k, v)
    competition.save(update_fields=[*data, "updated_at"])
    b, a = audit.diff(before, audit.snapshot(competition, COMPETITION_FIELDS))
    if a:
        audit.record(actor, "competitions.competition.updated", competition, before=b, after=a)
    return competition


@verb
def change_state(*, actor: User, competition: Competition, state: str, note: str = "") -> Competition:
    """Move a competition along 筹备 → 报名中 → 报名截止 → 比赛中 → 成绩公示 → 已结束 (registration may be
    reopened from 报名截止). Any other move is refused, naming both states."""
    competition = Competition.objects.select_for_update(of=("self",)).select_related("organiser").get(pk=competition.pk)
    _require_organiser(competition, actor)
    if state not in COMPETITION_TRANSITIONS.get(competition.state, set()):
        raise DomainError(_("A competition cannot go from “%(from)s” to “%(to)s”.") % {
            "from": competition.get_state_display(), "to": CompetitionState(state).label}, code="state",
            field="state")
    if state == CompetitionState.REGISTRATION and competition.kind == CompetitionKind.SKILLS:
        if not competition.events.exists() or not competition.stages.exists():
            raise DomainError(_("Add at least one stage and one event before opening registration."), field="state")
    before = competition.state
    competition.state = state
    competition.save(update_fields=["state", "updated_at"])
    audit.record(actor, "competitions.competition.state_changed", competition, before={"state": before},
                 after={"state": state}, note=note)
    return competition


# ---------------------------------------------------------------------------------------------
# Stages and events


@verb
def add_stage(*, actor: User, competition: Competition, name: str, level: str, direct_registration: bool = False,
              advancement: dict[str, Any] | None = None) -> Stage:
    """Append a stage; its entries come from direct registration or from the previous stage."""
    competition = Competition.objects.select_for_update(of=("self",)).get(pk=competition.pk)
    _require_organiser(competition, actor)
    _require_state(competition, CompetitionState.PREPARING, CompetitionState.REGISTRATION, CompetitionState.CLOSED)
    if not (name or "").strip():
        raise DomainError(_("Please name the stage."), field="name")
    if level not in Level.values:
        raise DomainError(_("Unknown level %(level)s.") % {"level": level}, field="level")
    last = competition.stages.order_by("-order").first()
    if last is None and not direct_registration:
        raise DomainError(_("The first stage takes its entries by registration: open it to direct registration."),
                          field="direct_registration")
    stage = Stage.objects.create(competition=competition, order=(last.order + 1) if last else 1, name=name.strip(),
                                 level=level, direct_registration=direct_registration,
                                 advancement=_clean_advancement(advancement or {}))
    audit.record(actor, "competitions.stage.added", competition,
                 after={"stage": stage.name, "level": level, "advancement": stage.advancement})
    return stage


def _clean_advancement(rule: dict[str, Any]) -> dict[str, Any]:
    """{"mode": "top_n"|"percent", "n"|"percent": …, "ties": "include"|"strict", "city_quotas": {org_id: n}}."""
    if not rule:
        return {}
    mode = rule.get("mode")
    if mode not in {"top_n", "percent"}:
        raise DomainError(_("Choose how contestants advance: the top N of each round, or a percentage."),
                          field="advancement")
    key = "n" if mode == "top_n" else "percent"
    raw: Any = rule.get(key)  # anything: the form's or the API's value
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if value <= 0 or (mode == "percent" and value > 100):
        raise DomainError(_("The number advancing must be a whole number above zero (a percentage at most 100)."),
                          field="advancement")
    quotas = {str(k): int(v) for k, v in (rule.get("city_quotas") or {}).items()}
    if any(v < 0 for v in quotas.values()):
        raise DomainError(_("A city quota cannot be negative."), field="advancement")
    ties = rule.get("ties", "include")
    if ties not in {"include", "strict"}:
        raise DomainError(_("Unknown tie rule %(ties)s.") % {"ties": ties}, field="advancement")
    return {"mode": mode, key: value, "ties": ties, "city_quotas": quotas}


def _clean_event_data(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = dict(data)
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            errors["name"] = _("Please name the event.")
    theory, practical = clean.get("theory_weight"), clean.get("practical_weight")
    if theory is not None and practical is not None:
        if theory < 0 or practical < 0 or theory + practical != 100:
            errors["theory_weight"] = _("The theory and practical weights must add up to 100 (now %(t)s + %(p)s).") % {
                "t": theory, "p": practical}
    lo, hi = clean.get("min_age"), clean.get("max_age")
    if lo is not None and hi is not None and lo > hi:
        errors["max_age"] = _("The maximum age %(hi)s is below the minimum age %(lo)s.") % {"hi": hi, "lo": lo}
    low, high = clean.get("min_grade"), clean.get("max_grade")
    for f in ("min_grade", "max_grade"):
        if clean.get(f) is not None and clean[f] not in {1, 2, 3, 4, 5}:
            errors[f] = _("A skill grade is a level from 1 to 5.")
    # grades: 5 is the lowest, 1 the highest; the lowest grade admitted cannot be above the highest
    if low and high and low < high:
        errors["max_grade"] = _("The highest grade admitted is below the lowest grade admitted.")
    if clean.get("is_team"):
        size, drawn = clean.get("team_size") or 0, clean.get("team_drawn") or 0
        if size < 2:
            errors["team_size"] = _("A team has at least two members.")
        elif drawn >= size:
            errors["team_drawn"] = _("At least one team member must be selected by the unit (%(drawn)s of %(size)s"
                                     " are drawn).") % {"drawn": drawn, "size": size}
    bad = [k for k in clean.get("tie_breaks") or [] if str(k).lstrip("-") not in TIE_BREAK_KEYS]
    if bad:
        errors["tie_breaks"] = _("Unknown tie-break %(keys)s; use practical, theory or time_used.") % {
            "keys": "、".join(map(str, bad))}
    elif len({str(k).lstrip("-") for k in clean.get("tie_breaks") or []}) < len(clean.get("tie_breaks") or []):
        errors["tie_breaks"] = _("Each tie-break may be used once.")
    for f in ("recheck_top_percent", "recheck_sample_percent"):
        if clean.get(f) is not None and not 0 <= clean[f] <= 100:
            errors[f] = _("A percentage is between 0 and 100.")
    if clean.get("prize_rule"):
        try:
            _prize_rule_of(clean["prize_rule"])
        except DomainError as e:
            errors["prize_rule"] = e.message
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return clean


def _prize_rule_of(data: dict[str, Any]) -> ranking.PrizeRule:
    """The rules' prize rule of an event's `prize_rule` JSON ({"bands": [{"prize", "percent"|"count"}…],
    "merit_from", "min_total"}); refuses bands that overlap, exceed 100 % or give one prize twice."""
    if not isinstance(data, dict):
        raise DomainError(_("The prize bands are not readable."), field="prize_rule")

    def number(value: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            return Decimal(str(value))
        except ArithmeticError:
            raise DomainError(_("%(value)s is not a number.") % {"value": value}, field="prize_rule") from None

    bands = []
    for band in data.get("bands") or []:
        if band.get("prize") not in ranking.PRIZE_LABELS:
            raise DomainError(_("Unknown prize %(prize)s.") % {"prize": band.get("prize")}, field="prize_rule")
        percent = number(band.get("percent"))
        bands.append(ranking.Band(band["prize"], percent=percent,
                                  count=None if band.get("count") in (None, "") else band.get("count")))
    return ranking.PrizeRule(bands=tuple(bands), merit_from=number(data.get("merit_from")),
                             min_total=number(data.get("min_total")))


@verb
def add_event(*, actor: User, competition: Competition, **data: Any) -> Event:
    """Add an event (a trade and group) with its rules; rounds are opened per stage afterwards."""
    competition = Competition.objects.select_for_update(of=("self",)).get(pk=competition.pk)
    _require_organiser(competition, actor)
    _require_state(competition, CompetitionState.PREPARING, CompetitionState.REGISTRATION, CompetitionState.CLOSED)
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"add_event() does not take {', '.join(sorted(unknown))}")
    data = _clean_event_data({"theory_weight": 30, "practical_weight": 70, "tie_breaks": ["practical", "time_used"],
                             **data})
    event = Event.objects.create(competition=competition, **data)
    audit.record(actor, "competitions.event.added", event, after=audit.snapshot(event, EVENT_FIELDS))
    return event


@verb
def update_event(*, actor: User, event: Event, **data: Any) -> Event:
    event = Event.objects.select_for_update(of=("self",)).select_related("competition__organiser").get(pk=event.pk)
    _require_organiser(event.competition, actor)
    if event.competition.state not in {CompetitionState.PREPARING, CompetitionState.REGISTRATION,
                                       CompetitionState.CLOSED}:
        raise DomainError(_("Events cannot be changed once the competition is under way."), code="state")
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"update_event() cannot change {', '.join(sorted(unknown))}")
    merged = {f: getattr(event, f) for f in ("theory_weight", "practical_weight", "min_age", "max_age", "min_grade",
                                              "max_grade", "is_team", "team_size", "team_drawn")} | data
    _clean_event_data(merged)
    before = audit.snapshot(event, EVENT_FIELDS)
    for k, v in data.items():
        setattr(event, k, v)
    event.save(update_fields=list(data))
    b, a = audit.diff(before, audit.snapshot(event, EVENT_FIELDS))
    if a:
        audit.record(actor, "competitions.event.updated", event, before=b, after=a)
    return event


# ---------------------------------------------------------------------------------------------
# Rounds


@verb
def open_rounds(*, actor: User, stage: Stage, organisers: list[Org] | None = None,
                events: list[Event] | None = None) -> list[Round]:
    """Create the rounds of `stage`: one per event and organising org (the default organisers of its level
    unless given). Rounds that exist already are kept."""
    competition = stage.competition
    _require_organiser(competition, actor)
    organisers = organisers if organisers is not None else default_organisers(competition, stage)
    if not organisers:
        raise DomainError(_("Name the units that run %(stage)s.") % {"stage": stage.name}, field="organisers")
    kinds = LEVEL_KINDS[Level(stage.level)]
    for org in organisers:
        if not scoping.covers(competition.organiser.path, org.path):
            raise DomainError(_("%(org)s is outside %(organiser)s.") % {"org": org.name,
                                                                         "organiser": competition.organiser.name},
                              field="organisers")
        if org.kind not in kinds:
            raise DomainError(_("A %(kind)s does not run a %(level)s stage.") % {
                "kind": org.get_kind_display(), "level": stage.get_level_display()}, field="organisers")
    events = events if events is not None else list(competition.events.all())
    existing = set(Round.objects.filter(stage=stage).values_list("event_id", "organiser_id"))
    new = [Round(event=e, stage=stage, organiser=o) for e in events for o in organisers
           if (e.pk, o.pk) not in existing]
    Round.objects.bulk_create(new)
    if new:
        audit.record(actor, "competitions.rounds.opened", competition, after={
            "stage": stage.name, "rounds": len(new), "organisers": [o.name for o in organisers]})
    return list(Round.objects.filter(stage=stage, event__in=events, organiser__in=organisers))


@verb
def set_round_details(*, actor: User, rnd: Round, venue: str | None = None, starts_on: datetime.date | None = None,
                      publicity_until: datetime.date | None = None) -> Round:
    from .common import _require_round_organiser

    rnd = Round.objects.select_for_update(of=("self",)).select_related(
        "event__competition__organiser", "organiser").get(pk=rnd.pk)
    _require_round_organiser(rnd, actor)
    before = audit.snapshot(rnd, ["venue", "starts_on", "publicity_until"])
    if venue is not None:
        rnd.venue = venue.strip()
    if starts_on is not None:
        rnd.starts_on = starts_on
    if publicity_until is not None:
        if rnd.starts_on and publicity_until < rnd.starts_on:
            raise DomainError(_("The public notice cannot end before the contest."), field="publicity_until")
        rnd.publicity_until = publicity_until
    rnd.save(update_fields=["venue", "starts_on", "publicity_until"])
    b, a = audit.diff(before, audit.snapshot(rnd, ["venue", "starts_on", "publicity_until"]))
    if a:
        audit.record(actor, "competitions.round.updated", rnd, before=b, after=a)
    return rnd


# ---------------------------------------------------------------------------------------------
# Marking schemes


@verb
def set_scheme(*, actor: User, event: Event, aspects: list[dict[str, Any]], expected_total: Decimal = Decimal(100),
               judgement_method: str = "mean", trim: int = 0, rounding_mode: str = "half_up",
               rounding_places: int = 2, rounding_level: str = "aspect", judges_per_entry: int = 3) -> Scheme:
    """Replace the marking scheme of an event (before marking starts). `aspects` are dicts with section_code,
    section_name, criterion_code, criterion_name, code, description, kind, max_mark (Decimal), step,
    bands [[upto, mark]…], deductions [[item, amount, description]…]. Validated whole by the rules: duplicate
    codes, bad steps or bands, and weights that do not add up to `expected_total` are refused."""
    event = Event.objects.select_for_update(of=("self",)).select_related("competition__organiser").get(pk=event.pk)
    _require_organiser(event.competition, actor)
    if scheme_locked(event):
        raise DomainError(_("Marking has started: the scheme can no longer be changed."), code="state")
    _check_scheme_settings(judgement_method=judgement_method, trim=trim, rounding_mode=rounding_mode,
                          rounding_places=rounding_places, rounding_level=rounding_level,
                          judges_per_entry=judges_per_entry)
    rows = []
    for i, a in enumerate(aspects):
        try:
            max_mark = marking.to_hundredths(Decimal(str(a["max_mark"])))
            step = marking.to_hundredths(Decimal(str(a.get("step") or "0.5")))
        except (ArithmeticError, ValueError, KeyError) as e:
            raise DomainError(_("Aspect %(code)s: the maximum mark and the step must be numbers.") % {
                "code": a.get("code", i + 1)}, field="aspects") from e
        rows.append(Aspect(section_code=str(a["section_code"]).strip(), section_name=str(a.get("section_name", "")),
                           criterion_code=str(a["criterion_code"]).strip(),
                           criterion_name=str(a.get("criterion_name", "")), code=str(a["code"]).strip(),
                           description=str(a.get("description", ""))[:200], kind=a.get("kind", "direct"),
                           max_mark=max_mark, step=step,
                           bands=[[str(u), str(m)] for u, m in a.get("bands") or []],
                           deductions=[[str(x) for x in d] for d in a.get("deductions") or []], order=i))
    scheme, _created = Scheme.objects.get_or_create(event=event)
    scheme.expected_total = marking.to_hundredths(Decimal(str(expected_total)))
    scheme.judgement_method, scheme.trim = judgement_method, trim
    scheme.rounding_mode, scheme.rounding_places, scheme.rounding_level = rounding_mode, rounding_places, rounding_level
    scheme.judges_per_entry = judges_per_entry
    marking.validate_scheme(scheme_of(scheme, rows), Decimal(str(expected_total)))
    scheme.save()
    scheme.aspects.all().delete()
    for r in rows:
        r.scheme = scheme
    Aspect.objects.bulk_create(rows)
    audit.record(actor, "competitions.scheme.set", event, after={
        "aspects": len(rows), "total": str(expected_total), "method": judgement_method, "trim": trim,
        "rounding": f"{rounding_mode}/{rounding_places}/{rounding_level}"})
    return scheme


def _check_scheme_settings(*, judgement_method: str, trim: int, rounding_mode: str, rounding_places: int,
                          rounding_level: str, judges_per_entry: int) -> None:
    """Refuse settings a scheme cannot be marked with, whatever its aspects (one message per field)."""
    errors: dict[str, str] = {}
    for name, setting in (("rounding_mode", {"mode": rounding_mode}), ("rounding_places", {"places": rounding_places}),
                          ("rounding_level", {"level": rounding_level})):
        try:
            marking.Rounding(**setting)
        except DomainError as e:
            errors[name] = e.message
    # The method's own rules (trim 0 for a mean, ≥ 1 for a trimmed mean…), checked on a one-aspect scheme so that
    # only the settings are judged here.
    probe = marking.Scheme(sections=(marking.Section("S", "", (marking.Criterion("C", "", (
        marking.Aspect("A", "", Decimal(1), step=Decimal(1)),)),)),), judgement_method=judgement_method, trim=trim)
    problems = [m for code, m in marking.scheme_problems(probe) if code == "scheme"]
    if problems:
        errors["trim" if judgement_method in marking.JUDGEMENT_METHODS else "judgement_method"] = problems[0]
    if judges_per_entry < 1:
        errors["judges_per_entry"] = _("At least one judge marks each entry.")
    elif judgement_method == marking.WORLDSKILLS and judges_per_entry != marking.WORLDSKILLS_JUDGES:
        errors["judges_per_entry"] = _("WorldSkills judgement takes exactly three judges per entry, not "
                                       "%(n)s.") % {"n": judges_per_entry}
    elif judgement_method == marking.TRIMMED_MEAN and judges_per_entry <= 2 * trim:
        errors["judges_per_entry"] = _("Dropping %(trim)s highest and %(trim)s lowest marks needs more than "
                                       "%(min)s judges per entry.") % {"trim": trim, "min": 2 * trim}
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)


@verb
def update_scheme_settings(*, actor: User, event: Event, expected_total: Decimal, judgement_method: str, trim: int,
                           rounding_mode: str, rounding_places: int, rounding_level: str,
                           judges_per_entry: int) -> Scheme:
    """Change how an event's scheme is marked (total, judgement method, rounding, judges per entry) and keep its
    aspects. A scheme without aspects yet is created with these settings; one with aspects is validated whole
    (its maximum marks must still add up to the total)."""
    event = Event.objects.select_for_update(of=("self",)).select_related("competition__organiser").get(pk=event.pk)
    _require_organiser(event.competition, actor)
    if scheme_locked(event):
        raise DomainError(_("Marking has started: the scheme can no longer be changed."), code="state")
    _check_scheme_settings(judgement_method=judgement_method, trim=trim, rounding_mode=rounding_mode,
                          rounding_places=rounding_places, rounding_level=rounding_level,
                          judges_per_entry=judges_per_entry)
    try:
        total = marking.to_hundredths(Decimal(str(expected_total)))
    except (ArithmeticError, ValueError, DomainError):
        total = 0
    if total <= 0:
        raise DomainError(_("The total marks must be a number above zero with at most two decimals."),
                          field="expected_total")
    scheme = Scheme.objects.filter(event=event).first() or Scheme(event=event)
    fields = ["expected_total", "judgement_method", "trim", "rounding_mode", "rounding_places", "rounding_level",
              "judges_per_entry"]
    before = audit.snapshot(scheme, fields) if scheme.pk else {}
    scheme.expected_total, scheme.judgement_method, scheme.trim = total, judgement_method, trim
    scheme.rounding_mode, scheme.rounding_places = rounding_mode, rounding_places
    scheme.rounding_level, scheme.judges_per_entry = rounding_level, judges_per_entry
    aspects = list(scheme.aspects.all()) if scheme.pk else []
    if aspects:
        problems = marking.scheme_problems(scheme_of(scheme, aspects), marking.from_hundredths(total))
        if problems:
            raise DomainError(problems[0][1], field="expected_total" if problems[0][0] == "scheme" else None)
    scheme.save()
    b, a = audit.diff(before, audit.snapshot(scheme, fields))
    if a:
        audit.record(actor, "competitions.scheme.settings_changed", event, before=b, after=a)
    return scheme


