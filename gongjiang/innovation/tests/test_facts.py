"""The innovation figures in the fact store (metrics.py): every verb of the proposals, projects, calls and the
exhibition adds what the source computes from the rows (`facts.differences(["innovation"]) == {}`), on the day of
its event; the metrics are declared with their Chinese label, unit and definition."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import override

from gongjiang.innovation import counters, metrics, services
from gongjiang.innovation.choices import MatchState
from gongjiang.orgs import facts
from gongjiang.orgs.models import Period

from . import journey
from .factories import facts_agree, year_facts

D = datetime.date


def test_the_store_agrees_with_the_rows_after_the_proposal_project_call_and_exhibition_verbs(sd, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    done = journey.everything(sd)  # every innovation verb once: proposals, the import, projects, calls, exhibition
    assert done is not None
    while counters.fold():
        pass
    assert facts.differences(["innovation"]) == {}
    year = timezone.localdate().year
    province = year_facts(sd.province, year)
    for name in ("proposals_submitted", "proposals_adopted", "benefits_accounted", "benefit", "proposals_rewarded",
                 "rewards", "projects_finding", "projects_transferred", "projects_stopped", "achievements",
                 "matches_signed", "signed_value"):
        assert province.get(name), name
    # the reach: 济钢's figures reach the metallurgy union, not Qingdao (which had none of its own)
    assert year_facts(sd.metallurgy, year)["proposals_submitted"] == year_facts(sd.steel, year)["proposals_submitted"]
    # a rebuild changes nothing, and after losing rows it puts them back
    assert facts.rebuild(["innovation"]) == 0
    facts.add(sd.team, timezone.localdate(), {metrics.ADOPTED: 5})
    assert facts.differences(["innovation"]) != {}
    facts.rebuild(["innovation"])
    assert facts.differences(["innovation"]) == {}
    assert year_facts(sd.province, year) == province


def test_a_match_signed_on_an_earlier_day_counts_on_that_day_once_above_both_unions(ex):
    sd, today = ex.sd, timezone.localdate()
    day = max(today - datetime.timedelta(days=20), today.replace(month=1, day=1))
    o, n = ex.pair()
    m = services.confirm_match(actor=ex.organiser, offer=o, need=n)
    m = services.record_met(actor=ex.partner_cadre, match=m, met_on=day)
    m = services.sign_match(actor=ex.partner_cadre, match=m, contract_value=Decimal("300000.50"), signed_on=day)
    assert m.state == MatchState.SIGNED
    for org in (sd.province, sd.jinan, sd.steel, ex.partner):
        got = facts.values([org.pk], [metrics.MATCHES_SIGNED, metrics.SIGNED_VALUE], Period.DAY, day)
        assert got == {(org.pk, metrics.MATCHES_SIGNED): 1, (org.pk, metrics.SIGNED_VALUE): Decimal("300000.50")}
    if day != today:
        assert facts.values([sd.province.pk], [metrics.MATCHES_SIGNED], Period.DAY, today) == {}
    facts_agree()


def test_a_prize_counts_on_the_day_the_results_became_final_within_the_calls_year():
    assert metrics.in_call_year(D(2026, 6, 18), 2026) == D(2026, 6, 18)
    # a submission or a result after New Year to last year's call stays in that year, as the figures always had it
    assert metrics.in_call_year(D(2027, 1, 9), 2026) == D(2026, 12, 31)
    assert metrics.in_call_year(D(2025, 12, 30), 2026) == D(2026, 1, 1)


def test_every_metric_is_declared_with_a_chinese_label_unit_and_definition():
    declared = {m.key: m for m in facts.metrics() if m.app == "innovation"}
    assert set(declared) == set(metrics.KEYS) and len(metrics.KEYS) == 30
    assert all(len(k) <= 48 for k in declared)
    for key in (metrics.BENEFIT, metrics.REWARDS, metrics.SIGNED_VALUE):
        assert declared[key].wan and declared[key].places == 2
    with override("zh-hans"):
        for m in declared.values():
            for text in (m.label, m.unit, m.definition):
                assert any("\u4e00" <= c <= "\u9fff" for c in str(text)), (m.key, str(text))
        units = {k: str(declared[k].unit) for k in (metrics.SUBMITTED, metrics.ACHIEVEMENTS, metrics.BENEFIT,
                                                    metrics.TECH_JOINED, metrics.tech_key("drill"))}
        assert units == {metrics.SUBMITTED: "件", metrics.ACHIEVEMENTS: "项", metrics.BENEFIT: "元",
                         metrics.TECH_JOINED: "人", metrics.tech_key("drill"): "次"}
        assert str(declared[metrics.BENEFIT].label) == "核算净效益"
    source = next(s for s in facts.sources() if s.app == "innovation")
    assert set(source.metrics) == set(metrics.KEYS) and source.pairs is not None
