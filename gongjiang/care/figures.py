"""The archive's figures in the fact store (orgs.facts): entries by grade and exits per enterprise union and day —
counts only, no personal data. The source recomputes them from the files (`rebuild_facts --check`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts
from gongjiang.orgs.facts import Number

ENTERED = "care.entered"
EXITED = "care.exited"
BY_GRADE = {"deep": "care.entered_deep", "relative": "care.entered_relative", "sudden": "care.entered_sudden"}

METRICS: tuple[facts.Metric, ...] = (
    facts.Metric(ENTERED, _("Households entered into the needy-worker archive"), _("households"),
                 _("Household files approved into the archive (建档), by the day of the approval."), order=10),
    facts.Metric(BY_GRADE["deep"], _("Households entered in deep hardship"), _("households"),
                 _("Files entered with the grade 深度困难."), order=11),
    facts.Metric(BY_GRADE["relative"], _("Households entered in relative hardship"), _("households"),
                 _("Files entered with the grade 相对困难."), order=12),
    facts.Metric(BY_GRADE["sudden"], _("Households entered in hardship from a sudden event"), _("households"),
                 _("Files entered with the grade 意外致困."), order=13),
    facts.Metric(EXITED, _("Households out of hardship (exits)"), _("households"),
                 _("Household files closed by an approved exit (解困退出), by the day of the approval."), order=14),
)


def entered(union_id: int, day: datetime.date, grade: str) -> dict[str, int]:
    deltas = {ENTERED: 1}
    if grade in BY_GRADE:
        deltas[BY_GRADE[grade]] = 1
    return deltas


def rows() -> Iterator[facts.Row]:
    from .models import HouseholdFile

    for union_id, entered_on, grade, exited_on in HouseholdFile.objects.filter(
            entered_on__isnull=False).values_list("union_id", "entered_on", "entry_grade", "exited_on").iterator(
            chunk_size=5000):
        for key, value in entered(union_id, entered_on, grade).items():
            yield union_id, entered_on, key, value
        if exited_on is not None:
            yield union_id, exited_on, EXITED, 1


# Aid paid per programme kind (元, and 人次: one per household paid in a cycle), by the day of the payment, at the
# household's enterprise union; people helped by job help (employed or trained), by the day of the outcome.
PROGRAMME_KINDS = ("warmth", "schooling", "medical", "living", "jobs", "screening", "other")
PAID = {k: f"care.aid_paid_{k}" for k in PROGRAMME_KINDS}
PEOPLE = {k: f"care.aid_people_{k}" for k in PROGRAMME_KINDS}
JOB_HELPED = "care.job_helped"


def _aid_metrics() -> tuple[facts.Metric, ...]:
    from .choices import ProgrammeKind

    out: list[facts.Metric] = []
    for i, kind in enumerate(PROGRAMME_KINDS):
        label = ProgrammeKind(kind).label
        out.append(facts.Metric(PAID[kind], format_lazy(_("Aid paid: {}"), label), _("yuan"),
                                _("Aid paid to households of the archive in the programme's cycles, by the day of "
                                  "the payment (bank transfers when the bank confirms them)."),
                                places=2, wan=True, order=20 + 2 * i))
        out.append(facts.Metric(PEOPLE[kind], format_lazy(_("Households paid: {}"), label), _("person-times"),
                                _("Households paid in the programme's cycles: one per household and cycle."),
                                order=21 + 2 * i))
    out.append(facts.Metric(JOB_HELPED, _("Laid-off workers helped into a job or training"), _("people"),
                            _("Workers of the archive matched to a job offer or training place with the outcome "
                              "employed or trained, by the day of the outcome."), order=40))
    return tuple(out)


METRICS = METRICS + _aid_metrics()


def paid(kind: str, amount: Decimal) -> dict[str, Number]:
    kind = kind if kind in PAID else "other"
    return {PAID[kind]: amount, PEOPLE[kind]: 1}


def aid_rows() -> Iterator[facts.Row]:
    from .models import JobMatch, Payment

    for union_id, day, kind, amount in Payment.objects.filter(state="paid").values_list(
            "union_id", "paid_on", "cycle__programme__kind", "amount").iterator(chunk_size=5000):
        for key, value in paid(kind, amount).items():
            yield union_id, day, key, value
    for union_id, day in JobMatch.objects.filter(outcome__in=("employed", "trained")).values_list(
            "union_id", "outcome_on").iterator(chunk_size=5000):
        yield union_id, day, JOB_HELPED, 1


def all_rows() -> Iterator[facts.Row]:
    yield from rows()
    yield from aid_rows()


SOURCE = facts.Source("care", tuple(m.key for m in METRICS), all_rows)
