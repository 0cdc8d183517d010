"""Labour protection: supervision checks (recorded with their hazards, hazards added and closed with evidence, the
check closed once no hazard is open) and the 安康杯 (a union's year opened with its rules and quotas, enterprises and
teams entered, their indicators recorded, the year evaluated and ranked, the awards conferred within the quotas)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, notifications
from gongjiang.core.rubrics.rubric import RubricError, dump
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User
from gongjiang.orgs.scoping import within

from .. import protection_figures as figures
from ..models import AnkangAward, AnkangCampaign, AnkangEntry, Hazard, SafetyCheck
from ..models.protection import AwardKind, CheckKind, Severity
from ..rules import ankang as rules
from .common import _not_future as not_future
from .common import _refuse as refuse
from .common import _refuse_all as refuse_all
from .common import _require_change as require_change
from .common import _require_enterprise as require_enterprise
from .common import _text as text


def _union_accounts(*orgs: Org) -> list[int]:
    return list(User.objects.filter(is_active=True, grants__org__in=orgs, grants__role__in=("admin", "staff"))
                .values_list("pk", flat=True).distinct())


def _in_reach(org: Org, unit: Org) -> bool:
    return unit.pk == org.pk or within(unit, org)


# ---------------------------------------------------------------------------------------------
# Checks


def _hazards(raw: Sequence[Mapping[str, Any]], found_on: datetime.date) -> list[Hazard]:
    """Hazard rows from what was sent ({description, severity, deadline}), refused with the row named: a
    description, a known severity, a deadline not in the past (today or later) and not before the day found."""
    today = timezone.localdate()
    out: list[Hazard] = []
    for n, item in enumerate(raw, 1):
        where = _("Hazard %(n)d") % {"n": n}
        description = text(item.get("description"), "hazards", where, 300)
        severity = item.get("severity") or Severity.GENERAL
        if severity not in Severity.values:
            refuse("hazards", _("%(where)s: choose the severity.") % {"where": where})
        deadline = item.get("deadline")
        if not isinstance(deadline, datetime.date):
            refuse("hazards", _("%(where)s: give the follow-up deadline.") % {"where": where})
        if deadline < today:
            refuse("hazards", _("%(where)s: the follow-up deadline %(day)s is in the past; give today or a later "
                                "day.") % {"where": where, "day": deadline.isoformat()})
        if deadline < found_on:
            refuse("hazards", _("%(where)s: the follow-up deadline comes before the day found.") % {"where": where})
        out.append(Hazard(description=description, severity=severity, found_on=found_on, deadline=deadline))
    return out


def _tell_enterprise(check: SafetyCheck, hazards: Sequence[Hazard]) -> None:
    if not hazards:
        return
    notifications.notify(_union_accounts(check.enterprise), "rights.hazards.found", check,
                         title=gettext_lazy("Hazards to put right: %(org)s"),
                         body=gettext_lazy("%(n)s hazards were found in the check of %(day)s; the first follow-up "
                                           "deadline is %(deadline)s. Record each one closed with its evidence."),
                         params={"org": check.enterprise.display_name, "n": len(hazards),
                                 "day": check.checked_on.isoformat(),
                                 "deadline": min(h.deadline for h in hazards).isoformat()},
                         url=reverse("rights:check_detail", args=[check.pk]))


@verb
def record_check(*, actor: User, org: Org, enterprise: Org, kind: str, checked_on: datetime.date, inspectors: str,
                 findings: str = "", hazards: Sequence[Mapping[str, Any]] = ()) -> SafetyCheck:
    """Record a check of an enterprise within the union's reach, with the hazards found (each with its follow-up
    deadline: today or later); the enterprise's union is told of the hazards."""
    require_change(actor, org)
    require_enterprise(enterprise)
    if not _in_reach(org, enterprise):
        refuse("enterprise", _("%(org)s is not within %(union)s.") % {"org": enterprise.display_name,
                                                                   "union": org.display_name})
    if kind not in CheckKind.values:
        refuse("kind", _("Choose the kind of check."))
    not_future(checked_on, "checked_on", _("The day checked"))
    inspectors = text(inspectors, "inspectors", _("The inspectors"), 200)
    findings = text(findings, "findings", _("The findings"), 4000, required=False)
    rows = _hazards(hazards, checked_on)
    check = SafetyCheck.objects.create(org=org, enterprise=enterprise, kind=kind, checked_on=checked_on,
                                       inspectors=inspectors, findings=findings, created_by=actor)
    for h in rows:
        h.safety_check = check
    Hazard.objects.bulk_create(rows)
    facts.add(enterprise, checked_on, {figures.CHECKS: 1})
    facts.add(enterprise, checked_on, {figures.HAZARDS_FOUND: len(rows)})
    audit.record(actor, "rights.check.recorded", check, after={
        "check_kind": kind, "checked_on": checked_on.isoformat(), "inspectors": inspectors, "hazards": len(rows)})
    _tell_enterprise(check, rows)
    return check


@verb
def add_hazards(*, actor: User, check: SafetyCheck, hazards: Sequence[Mapping[str, Any]],
                found_on: datetime.date | None = None) -> list[Hazard]:
    """Add hazards found later (a re-inspection) to an open check."""
    check = SafetyCheck.objects.select_for_update(of=("self",)).select_related("org", "enterprise").get(pk=check.pk)
    require_change(actor, check.org)
    if check.is_closed:
        refuse("state", _("This check is closed."))
    found_on = found_on or timezone.localdate()
    not_future(found_on, "found_on", _("The day found"))
    if found_on < check.checked_on:
        refuse("found_on", _("A hazard is found on or after the day of the check."))
    if not hazards:
        refuse("hazards", _("Give at least one hazard."))
    rows = _hazards(hazards, found_on)
    for h in rows:
        h.safety_check = check
    Hazard.objects.bulk_create(rows)
    facts.add(check.enterprise, found_on, {figures.HAZARDS_FOUND: len(rows)})
    audit.record(actor, "rights.hazards.added", check, after={"hazards": [h.description for h in rows],
                                                              "found_on": found_on.isoformat()})
    _tell_enterprise(check, rows)
    return rows


@verb
def close_hazard(*, actor: User, hazard: Hazard, closed_on: datetime.date, evidence: str) -> Hazard:
    """A hazard put right, on a day (not before it was found, not in the future), with a note of the evidence.
    The checking union or the enterprise's own union may record it."""
    hazard = (Hazard.objects.select_for_update(of=("self",))
              .select_related("safety_check__org", "safety_check__enterprise").get(pk=hazard.pk))
    check = hazard.safety_check
    if not (check.org.in_scope(actor, "change") or check.enterprise.in_scope(actor, "change")):
        require_change(actor, check.org)
    if hazard.is_closed:
        refuse("state", _("This hazard is already closed."))
    evidence = text(evidence, "evidence", _("The evidence"), 300)
    not_future(closed_on, "closed_on", _("The day closed"))
    if closed_on < hazard.found_on:
        refuse("closed_on", _("A hazard is closed on or after the day it was found (%(day)s).") % {
            "day": hazard.found_on.isoformat()})
    hazard.closed_on, hazard.evidence = closed_on, evidence
    hazard.save(update_fields=["closed_on", "evidence"])
    facts.add(check.enterprise, closed_on, {figures.HAZARDS_CLOSED: 1})
    audit.record(actor, "rights.hazard.closed", hazard, after={"closed_on": closed_on.isoformat(),
                                                               "evidence": evidence})
    return hazard


@verb
def close_check(*, actor: User, check: SafetyCheck, closed_on: datetime.date) -> SafetyCheck:
    """Close a check: refused while one of its hazards is open; not before the last hazard was closed."""
    check = SafetyCheck.objects.select_for_update(of=("self",)).select_related("org", "enterprise").get(pk=check.pk)
    require_change(actor, check.org)
    if check.is_closed:
        refuse("state", _("This check is already closed."))
    open_ = list(check.hazards.filter(closed_on=None).values_list("description", flat=True))
    if open_:
        refuse("state", _("%(n)d hazards are still open: %(list)s. Close each one first.") % {
            "n": len(open_), "list": "、".join(open_[:5])})
    not_future(closed_on, "closed_on", _("The day closed"))
    last = max([check.checked_on, *(d for d in check.hazards.values_list("closed_on", flat=True) if d)])
    if closed_on < last:
        refuse("closed_on", _("A check is closed on or after %(day)s (the check or its last hazard closed).") % {
            "day": last.isoformat()})
    check.closed_on = closed_on
    check.save(update_fields=["closed_on"])
    audit.record(actor, "rights.check.closed", check, after={"closed_on": closed_on.isoformat()})
    return check


# ---------------------------------------------------------------------------------------------
# The 安康杯


def _quota(value: Any, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 1000:
        refuse(field, _("%(label)s: a whole number from 0 to 1000.") % {"label": label})
    return int(value)


@verb
def open_ankang(*, actor: User, org: Org, year: int, title: str, quota_enterprises: int, quota_teams: int,
                quota_organisers: int, rubric: Any = None) -> AnkangCampaign:
    """Open a union's 安康杯 of a year with the quotas of its awards and its scoring rules (the standard ones by
    default; weights as data, core's rubric format)."""
    require_change(actor, org)
    if org.kind in (OrgKind.TEAM, OrgKind.DEPARTMENT):
        refuse("org", _("%(org)s is not a union that can organise a competition.") % {"org": org.display_name})
    if not 2000 <= year <= datetime.date.today().year + 1:
        refuse("year", _("The year must be between 2000 and next year."))
    title = text(title, "title", _("The title"), 120)
    quotas = {"quota_enterprises": _quota(quota_enterprises, "quota_enterprises", _("Quota of winning enterprises")),
              "quota_teams": _quota(quota_teams, "quota_teams", _("Quota of winning teams")),
              "quota_organisers": _quota(quota_organisers, "quota_organisers",
                                         _("Quota of outstanding organising units"))}
    try:
        parsed = rules.rubric(rubric)
    except RubricError as e:
        refuse("rubric", "；".join(e.problems))
    if AnkangCampaign.objects.filter(org=org, year=year).exists():
        refuse("year", _("%(org)s already runs the Ankang Cup of %(year)d.") % {"org": org.display_name,
                                                                               "year": year})
    campaign = AnkangCampaign.objects.create(org=org, year=year, title=title, rubric=dump(parsed), **quotas)
    audit.record(actor, "rights.ankang.opened", campaign, after={"year": year, "title": title, **quotas})
    return campaign


@verb
def enter_ankang(*, actor: User, campaign: AnkangCampaign, units: Sequence[Org],
                 registered_on: datetime.date) -> list[AnkangEntry]:
    """Enter enterprises or teams (班组) of the organiser's reach in its 安康杯 (by the organiser, or by the union of
    the units); their unions are told."""
    campaign = AnkangCampaign.objects.select_related("org").get(pk=campaign.pk)
    if not units:
        refuse("units", _("Choose the enterprises or teams."))
    for u in units:
        if u.kind not in (OrgKind.GRASSROOTS, OrgKind.TEAM):
            refuse("units", _("%(org)s is neither an enterprise nor a team.") % {"org": u.display_name})
        if not _in_reach(campaign.org, u):
            refuse("units", _("%(org)s is outside %(union)s, the organiser of this competition.") % {
                "org": u.display_name, "union": campaign.org.display_name})
    for u in units:
        require_change(actor, u)
    if campaign.evaluated_on:
        refuse("campaign", _("The competition has been evaluated: no more entries."))
    not_future(registered_on, "registered_on", _("The day registered"))
    already = set(campaign.entries.filter(unit__in=units).values_list("unit__name", flat=True))
    if already:
        refuse("units", _("Already entered: %(names)s.") % {"names": "、".join(sorted(already))})
    entries = AnkangEntry.objects.bulk_create([
        AnkangEntry(campaign=campaign, unit=u, is_team=u.kind == OrgKind.TEAM, registered_on=registered_on)
        for u in units])
    day = figures.year_day(campaign.year)
    facts.add_many([(u, day, figures.ANKANG_ENTRIES, 1) for u in units])
    audit.record(actor, "rights.ankang.entered", campaign, after={"units": [u.name for u in units],
                                                                  "registered_on": registered_on.isoformat()})
    notifications.notify(_union_accounts(*units), "rights.ankang.entered", campaign,
                         title=gettext_lazy("Entered in the Ankang Cup: %(title)s"),
                         body=gettext_lazy("Your unit takes part in %(title)s. Keep the year's indicators: "
                                           "accidents, hazards found and fixed, training held."),
                         params={"title": campaign.title}, url=campaign.get_absolute_url())
    return entries


@verb
def record_indicators(*, actor: User, entry: AnkangEntry, **values: Any) -> AnkangEntry:
    """The year's indicators of an entry (workers, accidents, serious accidents, deaths, hazards found and fixed,
    training sessions held, people trained): every problem refused at once. Once awards are conferred they are
    final; recorded after an evaluation, the year must be evaluated again."""
    entry = AnkangEntry.objects.select_for_update(of=("self",)).select_related("campaign", "unit").get(pk=entry.pk)
    require_change(actor, entry.unit)
    unknown = set(values) - set(rules.Indicators.names())
    if unknown:
        refuse(sorted(unknown)[0], _("Unknown indicator %(code)s.") % {"code": sorted(unknown)[0]})
    refuse_all(rules.problems(values))
    if entry.campaign.awards.exists():
        refuse("campaign", _("The awards of this competition are conferred: its indicators are final."))
    before = {n: getattr(entry, n) for n in rules.Indicators.names()}
    old_workers = entry.workers or 0
    for n in rules.Indicators.names():
        setattr(entry, n, values[n])
    entry.score, entry.place, entry.disqualified, entry.reasons = None, None, False, []
    entry.save()
    AnkangCampaign.objects.filter(pk=entry.campaign_id).update(evaluated_on=None)
    facts.add(entry.unit, figures.year_day(entry.campaign.year),
              {figures.ANKANG_WORKERS: values["workers"] - old_workers})
    audit.record(actor, "rights.ankang.indicators", entry, before=before, after=dict(values))
    return entry


@verb
def evaluate_ankang(*, actor: User, campaign: AnkangCampaign, evaluated_on: datetime.date) -> AnkangCampaign:
    """Score every entry by the competition's rules, with the reasons, and rank the enterprises and the teams
    (each among their kind). Refused while an entry has no indicators, or once the awards are conferred."""
    campaign = AnkangCampaign.objects.select_for_update(of=("self",)).select_related("org").get(pk=campaign.pk)
    require_change(actor, campaign.org)
    entries = list(campaign.entries.select_related("unit"))
    if not entries:
        refuse("entries", _("No enterprise or team is entered yet."))
    missing = [e.unit.display_name for e in entries if not e.recorded]
    if missing:
        refuse("entries", _("Record the indicators of every entry first; missing: %(names)s.") % {
            "names": "、".join(missing[:10]) + ("…" if len(missing) > 10 else "")})
    if campaign.awards.exists():
        refuse("campaign", _("The awards of this competition are conferred: its evaluation is final."))
    not_future(evaluated_on, "evaluated_on", _("The day evaluated"))
    r = rules.rubric(campaign.rubric)
    results = {e.pk: rules.evaluate(rules.Indicators(**{n: getattr(e, n) for n in rules.Indicators.names()}), r)
               for e in entries}
    places: dict[Any, int | None] = {}
    for team in (False, True):
        places.update(rules.ranking({e.pk: results[e.pk] for e in entries if e.is_team == team}))
    for e in entries:
        res = results[e.pk]
        e.score, e.disqualified, e.reasons, e.place = res.score, res.disqualified, list(res.reasons), places[e.pk]
    AnkangEntry.objects.bulk_update(entries, ["score", "disqualified", "reasons", "place"])
    campaign.evaluated_on = evaluated_on
    campaign.save(update_fields=["evaluated_on"])
    audit.record(actor, "rights.ankang.evaluated", campaign, after={
        "evaluated_on": evaluated_on.isoformat(), "entries": len(entries),
        "disqualified": sum(1 for e in entries if e.disqualified)})
    return campaign


@verb
def confer_ankang_awards(*, actor: User, campaign: AnkangCampaign, kind: str, orgs: Sequence[Org],
                         conferred_on: datetime.date) -> list[AnkangAward]:
    """Confer an award of the year on units: 优胜企业/优胜班组 on ranked entries of that kind (not disqualified),
    优秀组织单位 on unions within the organiser under which units took part; never more than the award's quota (counting
    those conferred already). The units' unions are told."""
    campaign = AnkangCampaign.objects.select_for_update(of=("self",)).select_related("org").get(pk=campaign.pk)
    require_change(actor, campaign.org)
    if kind not in AwardKind.values:
        refuse("kind", _("Choose the award."))
    if not campaign.evaluated_on:
        refuse("campaign", _("Evaluate the competition before conferring its awards."))
    if not orgs:
        refuse("orgs", _("Choose the units to award."))
    not_future(conferred_on, "conferred_on", _("The day conferred"))
    if conferred_on < campaign.evaluated_on:
        refuse("conferred_on", _("Awards are conferred on or after the day evaluated (%(day)s).") % {
            "day": campaign.evaluated_on.isoformat()})
    quota = campaign.quota(kind)
    already = campaign.awards.filter(kind=kind)
    if rules.over_quota(orgs, already.count(), quota):
        refuse("orgs", _("%(award)s: the quota is %(quota)d, %(already)d conferred already; %(n)d more is too "
                         "many.") % {"award": AwardKind(kind).label, "quota": quota, "already": already.count(),
                                     "n": len(orgs)})
    twice = set(already.filter(org__in=orgs).values_list("org__name", flat=True))
    if twice:
        refuse("orgs", _("Already awarded: %(names)s.") % {"names": "、".join(sorted(twice))})
    awards: list[AnkangAward] = []
    if kind == AwardKind.ORGANISER:
        units = list(campaign.entries.values_list("unit__path", flat=True))
        for o in orgs:
            if o.pk == campaign.org_id or not within(o, campaign.org):
                refuse("orgs", _("%(org)s is not a union within %(union)s.") % {"org": o.display_name,
                                                                             "union": campaign.org.display_name})
            if not any(p.startswith(o.path) for p in units):
                refuse("orgs", _("No unit of %(org)s took part.") % {"org": o.display_name})
            awards.append(AnkangAward(campaign=campaign, kind=kind, org=o, conferred_on=conferred_on))
    else:
        team = kind == AwardKind.TEAM
        by_unit = {e.unit_id: e for e in campaign.entries.filter(unit__in=orgs)}
        for o in orgs:
            e = by_unit.get(o.pk)
            if e is None or e.is_team != team:
                refuse("orgs", (_("%(org)s is not a team entered in this competition.") if team else
                                _("%(org)s is not an enterprise entered in this competition.")) % {
                    "org": o.display_name})
            if e.disqualified or e.place is None:
                refuse("orgs", _("%(org)s is disqualified and cannot be awarded.") % {"org": o.display_name})
            awards.append(AnkangAward(campaign=campaign, kind=kind, org=o, entry=e, conferred_on=conferred_on))
    made = AnkangAward.objects.bulk_create(awards)
    audit.record(actor, "rights.ankang.awarded", campaign, after={"award": kind, "orgs": [o.name for o in orgs],
                                                                  "conferred_on": conferred_on.isoformat()})
    notifications.notify(_union_accounts(*orgs), "rights.ankang.awarded", campaign,
                         title=gettext_lazy("Ankang Cup award: %(award)s"),
                         body=gettext_lazy("%(title)s: your unit was awarded %(award)s on %(day)s."),
                         params={"title": campaign.title, "award": str(AwardKind(kind).label),
                                 "day": conferred_on.isoformat()}, url=campaign.get_absolute_url())
    return made
