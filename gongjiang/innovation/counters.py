"""The proposals' fold, and the rebuild of the innovation figures (the fact store's `innovation.*` metrics,
declared with their source in `metrics.py`; the verbs add to them with `facts.add`)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from gongjiang.orgs import facts
from gongjiang.orgs.models import Org

from . import metrics
from .models import Proposal


def fold(limit: int = 20000) -> int:
    """Settle the proposals workers submitted since the last fold (`Proposal.folded` False), up to `limit` of them:
    count them into the fact store (`innovation.proposals_submitted`, on their day of submission) and write their
    titles into the similarity index; returns how many. The store's rows are written here, once per unit and day,
    rather than in every submission (where eight workers of one enterprise, or every worker of a province, would
    queue on the same rows), and a submission writes no index rows; the figures and the look-up of similar
    proposals read the proposals not folded meanwhile (`queries.figures`, `queries.similar`), so neither is ever
    behind. Run every minute by the task worker's timer (`manage.py fold_innovation`) and before a rebuild; two
    folds at once take different proposals (SKIP LOCKED on PostgreSQL)."""
    from django.db import transaction

    from .models import index_titles

    with transaction.atomic():
        waiting = list(Proposal.objects.select_for_update(skip_locked=True).filter(folded=False)
                       .order_by("pk").values_list("pk", "unit_id", "submitted_at", "enterprise_id", "title")[:limit])
        if not waiting:
            return 0
        per: dict[tuple[int, datetime.date], int] = defaultdict(int)
        for _pk, unit_id, submitted_at, _e, _t in waiting:
            per[(unit_id, timezone.localdate(submitted_at))] += 1
        units = Org.objects.only("pk", "path", "industry_path").in_bulk({u for u, _d in per})
        facts.add_many((units[unit_id], day, metrics.SUBMITTED, n) for (unit_id, day), n in per.items())
        index_titles((pk, enterprise_id, title) for pk, _u, _s, enterprise_id, title in waiting)
        Proposal.objects.filter(pk__in=[row[0] for row in waiting]).update(folded=True)
    return len(waiting)


def rebuild() -> int:
    """Fold every proposal waiting, then make the fact store's innovation figures (the technical associations'
    included) and the associations' counters agree with the rows; returns the number of rows written."""
    while fold():  # every proposal indexed (and counted below)
        pass
    from . import techassoc_counters  # the technical associations' counters (their figures are in the store)

    return facts.rebuild(["innovation"]) + techassoc_counters.rebuild_counts()
