"""What the innovation app counts for another app's assessment (core's evidence registry): the proposals, the
innovation projects and the achievements of a group of people in a year — a studio's lead and members, whose yearly
assessment (honours) shows them beside its items — or, without people, of an enterprise. One query each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy

from gongjiang.core.registry import Evidence, register_evidence


def proposals(org: Any, person_ids: Sequence[int], year: int) -> int:
    """Proposals (合理化建议, 五小) of the year put forward by the people (or made in the enterprise)."""
    from .models import Proposal

    qs = Proposal.objects.filter(year=year)
    qs = qs.filter(proposer_id__in=person_ids) if person_ids else qs.filter(enterprise=org)
    return qs.count()


def projects(org: Any, person_ids: Sequence[int], year: int) -> int:
    """Innovation projects (攻关课题) of the year the people work on (or the enterprise holds)."""
    from .models import Project

    qs = Project.objects.filter(year=year)
    qs = qs.filter(members__person_id__in=person_ids).distinct() if person_ids else qs.filter(enterprise=org)
    return qs.count()


def achievements(org: Any, person_ids: Sequence[int], year: int) -> int:
    """Achievements (创新成果) submitted that year of which the people are authors (or of the enterprise)."""
    from .models import Achievement

    qs = Achievement.objects.filter(submitted_at__year=year)
    qs = qs.filter(authors__person_id__in=person_ids).distinct() if person_ids else qs.filter(enterprise=org)
    return qs.count()


def register() -> None:
    register_evidence(
        Evidence("innovation.proposals", gettext_lazy("Proposals"), proposals, 10),
        Evidence("innovation.projects", gettext_lazy("Innovation projects"), projects, 20),
        Evidence("innovation.achievements", gettext_lazy("Innovation achievements"), achievements, 30),
    )
