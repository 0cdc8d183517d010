"""Campaigns: opening one (a sheet per assessed union, prefilled from the fact store), refreshing the figures,
ranking and grading once every sheet is confirmed, publishing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.rubrics import grades, scoring
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, Period, User
from gongjiang.orgs.scoping import covers

from ..choices import CampaignState, SheetState
from ..models import Answer, Campaign, Rubric, Sheet
from .common import _locked_campaign, _require_assessing, _require_change, _rescore


def _prefill(sheets: Sequence[Sheet], campaign: Campaign) -> int:
    """Fill the counted items that name a metric with the fact store's figure of the assessed union for the
    campaign's year, with its provenance — unless the union changed the figure by hand. Returns the answers whose
    figure changed."""
    rubric = campaign.rubric.rules
    wanted = {i.key: i.metric for i in rubric.leaves() if i.metric}
    known = {m.key: m for m in facts.metrics()}
    keys = sorted({m for m in wanted.values() if m in known})
    if not keys or not sheets:
        return 0
    start = datetime.date(campaign.year, 1, 1)
    figures = facts.values([s.org_id for s in sheets], keys, Period.YEAR, start)
    now = timezone.now().isoformat(timespec="seconds")
    changed = []
    answers = Answer.objects.filter(sheet__in=[s.pk for s in sheets], item__in=[k for k, m in wanted.items()
                                                                                 if m in known])
    org_of = {s.pk: s.org_id for s in sheets}
    for a in answers:
        if a.provenance.get("changed") or (a.value is not None and not a.provenance):
            continue
        metric = known[wanted[a.item]]
        figure = scoring.q(Decimal(figures.get((org_of[a.sheet_id], metric.key), 0)))
        if a.value == str(figure):
            continue
        a.value = str(figure)
        a.provenance = {"metric": metric.key, "label": str(metric.label), "unit": str(metric.unit),
                        "period": _("%(year)s (year)") % {"year": campaign.year}, "figure": str(figure),
                        "read_at": now}
        changed.append(a)
    Answer.objects.bulk_update(changed, ["value", "provenance"])
    return len(changed)


@verb
def open_campaign(*, actor: User, rubric: Rubric, org: Org, year: int, title: str, assessed: Sequence[Org],
                  self_until: datetime.date | None = None) -> Campaign:
    """Open an assessment of the unions `assessed` (below `org`) by `rubric` (owned by `org` or a union above it):
    a sheet per union with an answer per item, the counted items prefilled from the fact store. The rubric is frozen
    from now on."""
    _require_change(actor, org)
    title = (title or "").strip()
    errors: dict[str, str] = {}
    if not title or len(title) > 120:
        errors["title"] = _("Give the assessment a title of at most 120 characters.")
    if not Rubric.objects.for_user(actor, "view").filter(pk=rubric.pk).exists() or not covers(rubric.org.path,
                                                                                              org.path):
        errors["rubric"] = _("Choose a rubric of your union or of a union above it.")
    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        errors["year"] = _("The year must be between 2000 and this year.")
    if not assessed:
        errors["assessed"] = _("Choose the unions to assess.")
    else:
        outside = [o.display_name for o in assessed if o.pk == org.pk or not (
            covers(org.path, o.path) or (o.industry_path and covers(org.path, o.industry_path)))]
        if outside:
            errors["assessed"] = _("These unions are not below %(org)s: %(names)s.") % {
                "org": org.display_name, "names": "、".join(outside)}
    if not errors and Campaign.objects.filter(org=org, year=year, title=title).exists():
        errors["title"] = _("%(org)s already has an assessment of that title for %(year)s.") % {
            "org": org.display_name, "year": year}
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    campaign = Campaign.objects.create(rubric=rubric, org=org, year=year, title=title, self_until=self_until,
                                       created_by=actor)
    if not rubric.frozen:
        Rubric.objects.filter(pk=rubric.pk).update(frozen=True)
    keys = [i.key for i in rubric.rules.leaves()]
    unique = {o.pk: o for o in assessed}
    sheets = Sheet.objects.bulk_create([Sheet(campaign=campaign, org=o) for o in unique.values()])
    sheets = list(Sheet.objects.filter(campaign=campaign).select_related("org"))
    Answer.objects.bulk_create([Answer(sheet=s, item=k) for s in sheets for k in keys])
    _prefill(sheets, campaign)
    for s in sheets:
        _rescore(s)
    audit.record(actor, "assessments.campaign.opened", campaign, after={
        "title": title, "year": year, "rubric": str(rubric), "assessed": len(sheets)})
    return campaign


@verb
def refresh_figures(*, actor: User, campaign: Campaign) -> int:
    """Read the figures again for the sheets still being filled (the fact store moved on): returns the answers set."""
    campaign = _locked_campaign(campaign)
    mine = Sheet.objects.for_user(actor, "change").filter(campaign=campaign)
    if not mine.exists():
        raise PermissionDeniedError(_("No sheet of yours is being filled in this assessment."))
    sheets = list(mine.filter(state__in=[SheetState.DRAFT, SheetState.RETURNED]).select_related("org",
                                                                                                "campaign__rubric"))
    if not sheets:
        raise DomainError(_("Every sheet was submitted: the figures are those read before."), code="submitted")
    n = _prefill(sheets, campaign)
    for s in sheets:
        _rescore(s)
    audit.record(actor, "assessments.campaign.figures_read", campaign, after={"figures": n})
    return n


@verb
def rank_campaign(*, actor: User, campaign: Campaign) -> Campaign:
    """Once every sheet is confirmed: rank the sheets by total (ties share a rank), grade them and give their stars
    (valid from today for the rubric's years). May be run again until published."""
    campaign = _locked_campaign(campaign)
    _require_assessing(actor, campaign)
    if campaign.state == CampaignState.PUBLISHED:
        raise DomainError(_("This assessment is published; its results change only through an appeal."),
                          code="published")
    sheets = list(campaign.sheets.select_related("org"))
    waiting = [s.org.display_name for s in sheets if s.state != SheetState.CONFIRMED]
    if waiting:
        raise DomainError(_("These sheets are not confirmed yet: %(names)s.") % {"names": "、".join(waiting)},
                          code="not_confirmed")
    _grade(campaign, sheets)
    campaign.state = CampaignState.RANKED
    campaign.save(update_fields=["state"])
    audit.record(actor, "assessments.campaign.ranked", campaign, after={"assessed": len(sheets)})
    return campaign


def _grade(campaign: Campaign, sheets: Sequence[Sheet]) -> None:
    rubric = campaign.rubric.rules
    ranks = grades.rank({s.pk: s.total for s in sheets})
    today = timezone.localdate()
    for s in sheets:
        s.rank = ranks[s.pk]
        s.grade = grades.grade(s.total, rubric.grades, vetoed=s.vetoed)
        s.stars = grades.stars(s.total, rubric.stars, vetoed=s.vetoed) if rubric.stars else 0
        s.stars_until = grades.star_expiry(today, rubric.star_years) if s.stars else None
    Sheet.objects.bulk_update(list(sheets), ["rank", "grade", "stars", "stars_until"])


@verb
def publish_campaign(*, actor: User, campaign: Campaign) -> Campaign:
    """Publish the ranked results: the assessed unions see their rank, grade and the ranking."""
    campaign = _locked_campaign(campaign)
    _require_assessing(actor, campaign)
    if campaign.state != CampaignState.RANKED:
        raise DomainError(_("Rank the assessment before publishing it."), code="not_ranked")
    campaign.state, campaign.published_at = CampaignState.PUBLISHED, timezone.now()
    campaign.save(update_fields=["state", "published_at"])
    audit.record(actor, "assessments.campaign.published", campaign, after={"state": campaign.state})
    return campaign


def _regrade(campaign: Campaign) -> None:
    """Rank and grade again after an upheld appeal changed a total."""
    _grade(campaign, list(campaign.sheets.all()))
