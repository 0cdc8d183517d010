"""The rows of the labour-protection verbs and pages in the rights permission matrix (test_permission_matrix.py):
the state each verb is tried in, who succeeds, and each page's address."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongjiang.rights import services
from gongjiang.rights.models import AnkangCampaign, AnkangEntry

from .factories import Rights
from .journey_protection import INDICATORS, YEAR, ankang, check, hazard

D = datetime.date
COUNTY, STEEL = "county_cadre", "enterprise_cadre"
Row = Callable[[Rights], tuple[str, dict[str, Any]]]


def _entry(rw: Rights, recorded: bool = False) -> AnkangEntry:
    [e] = services.enter_ankang(actor=rw.sd.county_cadre, campaign=ankang(rw), units=[rw.sd.steel],
                                registered_on=D(YEAR, 3, 1))
    if recorded:
        e = services.record_indicators(actor=rw.sd.county_cadre, entry=e, **INDICATORS)
    return e


def _evaluated(rw: Rights) -> AnkangCampaign:
    e = _entry(rw, recorded=True)
    return services.evaluate_ankang(actor=rw.sd.county_cadre, campaign=e.campaign, evaluated_on=D(YEAR + 1, 1, 5))


def _closed_hazards(rw: Rights) -> Any:
    c = check(rw)
    for h in c.hazards.all():
        services.close_hazard(actor=rw.sd.county_cadre, hazard=h, closed_on=timezone.localdate(), evidence="照片")
    return c


MATRIX: dict[str, Row] = {
    "record_check": lambda rw: (COUNTY, {"org": rw.sd.lixia, "enterprise": rw.sd.steel, "kind": "heat",
                                         "checked_on": timezone.localdate(), "inspectors": "王建国",
                                         "hazards": [hazard()]}),
    "add_hazards": lambda rw: (COUNTY, {"check": check(rw), "hazards": [hazard("二")]}),
    "close_hazard": lambda rw: (STEEL, {"hazard": check(rw).hazards.first(), "closed_on": timezone.localdate(),
                                        "evidence": "整改照片"}),
    "close_check": lambda rw: (COUNTY, {"check": _closed_hazards(rw), "closed_on": timezone.localdate()}),
    "open_ankang": lambda rw: (COUNTY, {"org": rw.sd.lixia, "year": YEAR, "title": "安康杯", "quota_enterprises": 1,
                                        "quota_teams": 1, "quota_organisers": 1}),
    "enter_ankang": lambda rw: (COUNTY, {"campaign": ankang(rw), "units": [rw.sd.steel],
                                         "registered_on": D(YEAR, 3, 1)}),
    "record_indicators": lambda rw: (STEEL, {"entry": _entry(rw), **INDICATORS}),
    "evaluate_ankang": lambda rw: (COUNTY, {"campaign": _entry(rw, recorded=True).campaign,
                                            "evaluated_on": D(YEAR + 1, 1, 5)}),
    "confer_ankang_awards": lambda rw: (COUNTY, {"campaign": _evaluated(rw), "kind": "enterprise",
                                                 "orgs": [rw.sd.steel], "conferred_on": D(YEAR + 1, 1, 6)}),
}


def pages(rw: Rights) -> dict[str, str]:
    c = check(rw)
    e = _entry(rw)
    lixia = rw.sd.lixia.pk
    return {
        "checks": reverse("rights:checks") + f"?org={lixia}",
        "overdue": reverse("rights:overdue"),
        "check_new": reverse("rights:check_new", args=[lixia]),
        "check_detail": reverse("rights:check_detail", args=[c.pk]),
        "hazards_add": reverse("rights:hazards_add", args=[c.pk]),
        "check_close": reverse("rights:check_close", args=[c.pk]),
        "hazard_close": reverse("rights:hazard_close", args=[c.hazards.first().pk]),
        "ankang_list": reverse("rights:ankang_list") + f"?org={lixia}",
        "ankang_new": reverse("rights:ankang_new") + f"?org={lixia}",
        "ankang_detail": reverse("rights:ankang_detail", args=[e.campaign_id]),
        "ankang_enter": reverse("rights:ankang_enter", args=[e.campaign_id]),
        "ankang_evaluate": reverse("rights:ankang_evaluate", args=[e.campaign_id]),
        "ankang_award": reverse("rights:ankang_award", args=[e.campaign_id]),
        "entry_indicators": reverse("rights:entry_indicators", args=[e.pk]),
    }


READING = {"checks", "overdue", "check_detail", "ankang_list", "ankang_detail"}
OWN_SCOPE = {"overdue"}
