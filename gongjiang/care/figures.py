"""The archive's figures in the fact store (orgs.facts): entries by grade and exits per enterprise union and day —
counts only, no personal data. The source recomputes them from the files (`rebuild_facts --check`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts

ENTERED = "care.entered"
EXITED = "care.exited"
BY_GRADE = {"deep": "care.entered_deep", "relative": "care.entered_relative", "sudden": "care.entered_sudden"}

METRICS = (
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


SOURCE = facts.Source("care", tuple(m.key for m in METRICS), rows)
