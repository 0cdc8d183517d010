"""The innovation figures in the fact store (orgs/facts.py): the metrics (`innovation.*`) and the one source that
computes them from the rows, registered by the AppConfig.

Every figure is added by the verb on the day of its event, and the source dates it the same way (local dates):
- proposals submitted: the submission day (`Proposal.submitted_at`), added by the minute's fold (`counters.fold`)
  rather than the submission — the source counts the folded proposals, the readers add the others;
- adopted: the adoption decision (`Benefit.forecast_locked_at`); benefits accounted and their net benefit: the
  finance sign-off (`signed_off_at`); rewarded and the rewards: the payment (`RewardPayment.paid_at`);
- projects reaching each stage: the stage decision (`StageDecision.decided_at`, registration included);
- achievements: the submission to the call, prizes: the day the call's results became final (`Call.final_at`) —
  both counted in the call's year as they always were: a day outside it is taken as the call year's first or last
  day (`in_call_year`);
- the 6·18 exhibition's matches signed and their value: the signature (`Match.signed_on`), once in the reach of
  both unions (`facts.add_pair`, the source's `pairs`);
- the technical associations' (`innovation.tech_*`, kept by `techassoc_counters.add` under the association's union):
  members joined and left on `joined_on` / `left_on`, activities held on `held_on`."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjiang.orgs import facts

from .rules import projects as project_rules

P = "innovation."
SUBMITTED = P + "proposals_submitted"
ADOPTED = P + "proposals_adopted"
ACCOUNTED = P + "benefits_accounted"
BENEFIT = P + "benefit"
REWARDED = P + "proposals_rewarded"
REWARDS = P + "rewards"
ACHIEVEMENTS = P + "achievements"
AWARDS = (P + "awards_first", P + "awards_second", P + "awards_third")
MATCHES_SIGNED = P + "matches_signed"
SIGNED_VALUE = P + "signed_value"
STAGES = (*project_rules.ORDER, project_rules.STOPPED)  # 问题查找 … 推广转化, then 中止
# The workers' technical associations (职工技协) of a reach: members joined and left (the members at a year's end are
# the flows up to it), activities held by kind, four-technical-services contracts and their value.
TECH_JOINED = P + "tech_joined"
TECH_LEFT = P + "tech_left"
TECH_KINDS = ("exchange", "drill", "service", "consulting", "development", "transfer")  # choices.ActivityKind
TECH_CONTRACTS = P + "tech_contracts"
TECH_CONTRACT_VALUE = P + "tech_contract_value"


def tech_key(name: str) -> str:
    """The metric of a technical-association figure: joined, left, an activity kind, contracts, contract_value."""
    return f"{P}tech_{name}"


TECH = (TECH_JOINED, TECH_LEFT, *(tech_key(k) for k in TECH_KINDS), TECH_CONTRACTS, TECH_CONTRACT_VALUE)


def stage_key(stage: str) -> str:
    """The metric counting the projects that reached `stage` (innovation.projects_finding … _stopped)."""
    return f"{P}projects_{stage}"


def award_key(award: int) -> str:
    """The metric counting the achievements given prize `award` (1, 2, 3)."""
    return AWARDS[award - 1]


PROJECTS = tuple(stage_key(s) for s in STAGES)

_STAGE_LABELS = {
    "finding": (_("Projects registered"), _("Innovation projects registered (at the stage of problem finding) on "
                                            "the day of their registration.")),
    "approved": (_("Projects approved"), _("Innovation projects decided into the stage of project approval.")),
    "tackling": (_("Projects entering tackling"), _("Innovation projects decided into the stage of tackling.")),
    "trial": (_("Projects entering application trial"),
              _("Innovation projects decided into the stage of application trial.")),
    "improving": (_("Projects entering improvement"), _("Innovation projects decided into the stage of "
                                                        "improvement.")),
    "appraised": (_("Projects entering appraisal"), _("Innovation projects decided into the stage of appraisal.")),
    "transferred": (_("Projects promoted and transferred"),
                    _("Innovation projects decided into the stage of promotion and transfer.")),
    "stopped": (_("Projects stopped"), _("Innovation projects stopped with a reason.")),
}


def _metrics() -> list[facts.Metric]:
    piece, item, yuan = pgettext_lazy("unit", "piece"), pgettext_lazy("unit", "item"), pgettext_lazy("unit", "yuan")
    found = [
        facts.Metric(SUBMITTED, _("Proposals submitted"), piece,
                     _("Rationalisation proposals submitted by workers, counted on the day of submission."), order=1),
        facts.Metric(ADOPTED, _("Proposals adopted"), piece,
                     _("Proposals adopted after valuation, counted on the day of the adoption decision."), order=2),
        facts.Metric(ACCOUNTED, _("Benefits accounted"), piece,
                     _("Adopted proposals whose benefit the finance officer signed off."), order=3),
        facts.Metric(BENEFIT, _("Net benefit accounted"), yuan,
                     _("Net hard benefit (gross benefit less cost) of the proposals signed off by finance."),
                     places=2, wan=True, order=4),
        facts.Metric(REWARDED, _("Proposals rewarded"), piece,
                     _("Proposals whose reward was paid to their proposers."), order=5),
        facts.Metric(REWARDS, _("Rewards paid"), yuan,
                     _("Rewards paid to the proposers of adopted proposals, by the day of payment."),
                     places=2, wan=True, order=6),
    ]
    for i, stage in enumerate(STAGES):
        label, definition = _STAGE_LABELS[stage]
        found.append(facts.Metric(stage_key(stage), label, item, definition, order=10 + i))
    found += [
        facts.Metric(ACHIEVEMENTS, _("Achievements submitted"), item,
                     _("Innovation achievements submitted to the calls of the year (an achievement recommended "
                       "upward counts again in the upper call)."), order=20),
        facts.Metric(AWARDS[0], _("First prizes"), item,
                     _("Achievements given a first prize when their call's results became final."), order=21),
        facts.Metric(AWARDS[1], _("Second prizes"), item,
                     _("Achievements given a second prize when their call's results became final."), order=22),
        facts.Metric(AWARDS[2], _("Third prizes"), item,
                     _("Achievements given a third prize when their call's results became final."), order=23),
        facts.Metric(MATCHES_SIGNED, _("Matches signed"), piece,
                     _("Matches of the 6·18 exhibition signed as contracts, counted once above both unions."),
                     order=30),
        facts.Metric(SIGNED_VALUE, _("Contract value signed"), yuan,
                     _("Contract value of the exhibition's matches signed, counted once above both unions."),
                     places=2, wan=True, order=31),
    ]
    person, times = pgettext_lazy("unit", "person"), pgettext_lazy("unit", "times")
    found += [
        facts.Metric(TECH_JOINED, _("Members joined"), person,
                     _("Workers who joined a technical association, on the day they joined (a transfer counts too)."),
                     order=40),
        facts.Metric(TECH_LEFT, _("Members left"), person,
                     _("Members who left a technical association (a transfer or dissolution included)."), order=41),
    ]
    for i, kind in enumerate(TECH_KINDS):
        label, definition = _TECH_KIND_LABELS[kind]
        found.append(facts.Metric(tech_key(kind), label, times, definition, order=42 + i))
    found += [
        facts.Metric(TECH_CONTRACTS, _("Four-services contracts"), item,
                     _("Four-technical-services activities held (development, transfer, consulting, service), one "
                       "contract each."), order=48),
        facts.Metric(TECH_CONTRACT_VALUE, _("Four-services contract value"), yuan,
                     _("Contract value of the four-technical-services activities held."), places=2, wan=True,
                     order=49),
    ]
    return found


_TECH_KIND_LABELS = {
    "exchange": (_("Technical exchanges"), _("Technical exchange activities held by technical associations.")),
    "drill": (_("On-the-job drills"), _("On-the-job skill drills held by technical associations.")),
    "service": (_("Technical services"), _("Technical services delivered by technical associations.")),
    "consulting": (_("Technical consultings"), _("Technical consultings given by technical associations.")),
    "development": (_("Technical developments"), _("Technical developments carried out by technical "
                                                   "associations.")),
    "transfer": (_("Technology transfers"), _("Technology transfers made by technical associations.")),
}

KEYS: tuple[str, ...] = (SUBMITTED, ADOPTED, ACCOUNTED, BENEFIT, REWARDED, REWARDS, *PROJECTS, ACHIEVEMENTS, *AWARDS,
                         MATCHES_SIGNED, SIGNED_VALUE, *TECH)


def in_call_year(day: datetime.date, year: int) -> datetime.date:
    """The day an achievement or a prize of a call of `year` counts on: the event's own day, or, for one outside
    the call's year (a submission after New Year to last year's call), the nearest day of that year."""
    if day.year < year:
        return datetime.date(year, 1, 1)
    if day.year > year:
        return datetime.date(year, 12, 31)
    return day


# ---------------------------------------------------------------------------------------------
# The source: what the rows say (GROUP BY unit and local day)

def rows() -> Iterator[facts.Row]:
    from .choices import AchievementState, CallState
    from .models import Achievement, Proposal, RewardPayment, StageDecision

    submitted = (Proposal.objects.filter(folded=True).annotate(day=TruncDate("submitted_at"))
                 .values_list("unit_id", "day").order_by().annotate(n=Count("pk")))
    for unit_id, day, n in submitted:
        yield unit_id, day, SUBMITTED, n
    adopted = (Proposal.objects.filter(benefit__forecast_locked_at__isnull=False)
               .annotate(day=TruncDate("benefit__forecast_locked_at")).values_list("unit_id", "day").order_by()
               .annotate(n=Count("pk")))
    for unit_id, day, n in adopted:
        yield unit_id, day, ADOPTED, n
    accounted = (Proposal.objects.filter(benefit__signed_off_at__isnull=False)
                 .annotate(day=TruncDate("benefit__signed_off_at")).values_list("unit_id", "day").order_by()
                 .annotate(n=Count("pk"), gross=Sum("benefit__gross"), cost=Sum("benefit__cost")))
    for unit_id, day, n, gross, cost in accounted:
        yield unit_id, day, ACCOUNTED, n
        yield unit_id, day, BENEFIT, (gross or Decimal(0)) - (cost or Decimal(0))
    paid = (RewardPayment.objects.annotate(day=TruncDate("paid_at")).values_list("proposal__unit_id", "day")
            .order_by().annotate(n=Count("proposal", distinct=True), amount=Sum("amount")))
    for unit_id, day, n, amount in paid:
        yield unit_id, day, REWARDED, n
        yield unit_id, day, REWARDS, amount or Decimal(0)
    decisions = (StageDecision.objects.annotate(day=TruncDate("decided_at"))
                 .values_list("project__org_id", "day", "stage").order_by().annotate(n=Count("pk")))
    for org_id, day, stage, n in decisions:
        yield org_id, day, stage_key(stage), n
    entered = (Achievement.objects.filter(state=AchievementState.SUBMITTED).annotate(day=TruncDate("submitted_at"))
               .values_list("enterprise_id", "call__year", "day").order_by().annotate(n=Count("pk")))
    for enterprise_id, year, day, n in entered:
        yield enterprise_id, in_call_year(day, year), ACHIEVEMENTS, n
    awarded = (Achievement.objects.filter(state=AchievementState.SUBMITTED, call__state=CallState.FINAL, award__gt=0)
               .annotate(day=TruncDate("call__final_at"))
               .values_list("enterprise_id", "call__year", "day", "award").order_by().annotate(n=Count("pk")))
    for enterprise_id, year, day, award, n in awarded:
        # a call made final before its day was kept counts on its year's last day
        yield enterprise_id, in_call_year(day or datetime.date(year, 12, 31), year), award_key(award), n
    yield from tech_rows()


def tech_rows() -> Iterator[facts.Row]:
    """The technical associations' figures by their union and day: joined (`joined_on`), left (`left_on`), and the
    activities held (planned ones not) on `held_on` by kind, with the four services' contracts and value."""
    from .models import Activity, TechMember
    from .rules import techassoc as tech_rules

    joined = (TechMember.objects.values_list("association__org_id", "joined_on").order_by()
              .annotate(n=Count("pk")))
    for org_id, day, n in joined:
        yield org_id, day, TECH_JOINED, n
    left = (TechMember.objects.filter(left_on__isnull=False).values_list("association__org_id", "left_on")
            .order_by().annotate(n=Count("pk")))
    for org_id, day, n in left:
        yield org_id, day, TECH_LEFT, n
    held = (Activity.objects.filter(state__in=[tech_rules.HELD, tech_rules.CLOSED])
            .values_list("association__org_id", "held_on", "kind").order_by().annotate(n=Count("pk"), v=Sum("value")))
    for org_id, day, kind, n, value in held:
        yield org_id, day, tech_key(kind), n
        if tech_rules.is_four_services(kind):
            yield org_id, day, TECH_CONTRACTS, n
            yield org_id, day, TECH_CONTRACT_VALUE, value or Decimal(0)


def pairs() -> Iterator[facts.PairRow]:
    """The exhibition's signed matches (signed or implemented), each once in the reach of both its unions."""
    from .models import Match
    from .rules import exhibition as expo_rules

    signed = (Match.objects.filter(state__in=expo_rules.COUNTED, signed_on__isnull=False)
              .values_list("offer__org_id", "need__org_id", "signed_on", "contract_value"))
    for offer_org, need_org, signed_on, value in signed:
        if signed_on is None:  # filtered out above; the checker cannot see it
            continue
        yield offer_org, need_org, signed_on, MATCHES_SIGNED, 1
        yield offer_org, need_org, signed_on, SIGNED_VALUE, value or Decimal(0)


def register() -> None:
    facts.register_metric(*_metrics())
    facts.register_source(facts.Source("innovation", KEYS, rows, pairs))
