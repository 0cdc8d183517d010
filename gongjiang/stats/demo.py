"""The demo's data requests (报表) of the province to its 16 cities: last year's annual return, closed, every city
reported (three of them late); and this year's quick return, in progress — most cities reported (one corrected a
platform figure), one sent back for correction, two saved but not reported, the others (Jinan among them, so that
its demo account finds the work waiting) not yet begun.

The province's steps go through the verbs, audited; the cities' returns are written as rows (the demo has no account
per city), with their dates set where they fall."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import PROVINCE_CODE
from gongjiang.orgs.models import Org, Period, User

from . import services
from .choices import RequestState, ReturnState
from .models import DataRequest, DataReturn
from .queries import dashboard
from .queries.requests import indicators_of

SEED = 2026
EXTRA = [{"label": "职工技术培训班期数", "unit": "期"},
         {"label": "经济技术工作经费投入", "unit": "万元", "places": 2}]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _fill(rng: random.Random, request: DataRequest, ret: DataReturn, *, correct: bool = False) -> dict[str, str]:
    """A city's figures: the platform's as they are (one corrected by a few percent when `correct`), and its own
    figures for the indicators only it knows."""
    values = dict(ret.values)
    for ind in indicators_of(request):
        if not ind.metric:
            whole = rng.randint(20, 400) if ind.places == 0 else rng.randint(3000, 90000)
            values[ind.key] = str(Decimal(whole).scaleb(-ind.places))
    if correct:
        key = next((k for k, v in values.items() if Decimal(v) > 10), None)
        if key is not None:
            values[key] = str((Decimal(values[key]) * Decimal("1.04")).quantize(Decimal(values[key])))
    return values


def load(log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    rng = random.Random(SEED)
    today = timezone.localdate()
    year = today.year
    with transaction.atomic():
        province = Org.objects.get(code=PROVINCE_CODE)
        admin = User.objects.get(username="province_admin")
        cities = list(Org.objects.filter(path__startswith=province.path, depth=province.depth + 1,
                                         kind=OrgKind.CITY, is_active=True).order_by("path"))
        form = [{"metric": m.key} for m in dashboard.main_metrics()] + EXTRA
        # last year's annual return: issued on 5 January, due on the 20th, closed; three cities reported late
        annual = services.issue_request(
            actor=admin, org=province, title=f"{year - 1}年度全省经济技术工作主要指标年报", period=str(year - 1),
            due=today, indicators=form, recipients=cities, note="请各市总工会核对平台数据，补充平台外指标后上报。")
        issued, due = datetime.date(year, 1, 5), datetime.date(year, 1, 20)
        DataRequest.objects.filter(pk=annual.pk).update(due=due, created_at=_at(issued, 9))
        annual.refresh_from_db()
        late = set(rng.sample(range(len(cities)), min(3, len(cities))))
        rows = list(annual.returns.select_related("org").order_by("org__path"))
        for n, ret in enumerate(rows):
            day = due + datetime.timedelta(days=rng.randint(1, 6)) if n in late else (
                issued + datetime.timedelta(days=rng.randint(3, 15)))
            ret.values, ret.platform = _fill(rng, annual, ret), dict(ret.values)
            ret.state, ret.submitted_at = ReturnState.SUBMITTED, _at(day, rng.randint(9, 17))
        DataReturn.objects.bulk_update(rows, ["values", "platform", "state", "submitted_at"])
        DataRequest.objects.filter(pk=annual.pk).update(state=RequestState.CLOSED, closed_at=_at(due, 18) +
                                                        datetime.timedelta(days=7))
        log(f"stats: {annual.title} closed, {len(rows)} returns")
        # this year's quick return, in progress: due in ten days; the metrics the province has figures of so far
        start = datetime.date(year, 1, 1)
        so_far = facts.values([province.pk], [m["metric"] for m in form if "metric" in m], Period.YEAR, start)
        quick_form = [m for m in form if "metric" not in m or so_far.get((province.pk, m["metric"]))]
        quick = services.issue_request(
            actor=admin, org=province, title=f"{year}年经济技术工作主要指标快报", period=str(year),
            due=today + datetime.timedelta(days=10), indicators=quick_form, recipients=cities,
            note="平台已预填各项统计数据，请核对；平台外指标请按台账填写。")
        DataRequest.objects.filter(pk=quick.pk).update(created_at=timezone.now() - datetime.timedelta(days=6))
        rows = [r for r in quick.returns.select_related("org").order_by("org__path") if r.org.code != "3701"]
        reported = rows[: max(1, len(rows) - 4)]
        for n, ret in enumerate(reported):
            ret.values, ret.platform = _fill(rng, quick, ret, correct=n == 1), dict(ret.values)
            ret.state = ReturnState.SUBMITTED
            ret.submitted_at = timezone.now() - datetime.timedelta(days=rng.randint(0, 5), hours=rng.randint(0, 8))
        for ret in rows[len(reported):len(reported) + 2]:
            ret.values, ret.state = _fill(rng, quick, ret), ReturnState.DRAFT
        DataReturn.objects.bulk_update(rows, ["values", "platform", "state", "submitted_at"])
        if len(reported) > 1:
            services.send_back(actor=admin, ret=reported[-1],
                               reason="经济技术工作经费投入与财务台账不一致，请核对后重新上报")
        log(f"stats: {quick.title} in progress, {len(reported) - 1} of {len(cities)} reported")
    return {"requests": DataRequest.objects.count(),
            "reported": DataReturn.objects.filter(state=ReturnState.SUBMITTED).count()}
