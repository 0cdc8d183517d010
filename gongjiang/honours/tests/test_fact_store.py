"""The honours' figures in the fact store: after the verbs the store agrees with the source
(`facts.differences(["honours"]) == {}`), and each figure lands at the right org and day; the studios' figures page
reads them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.honours import figures, services
from gongjiang.honours.models import Holder
from gongjiang.honours.queries import studios as studio_queries
from gongjiang.honours.studio_counters import studio_metric
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, Period

from .factories import holder
from .studio_factories import GOOD, POOR
from .test_review_services import end_notice, shortlisted, submitted

TODAY = timezone.localdate()
YEAR = TODAY.year


def value(org: Any, key: str, period: str = Period.DAY, day: datetime.date | None = None) -> Decimal:
    start = facts.period_start(period, day or TODAY)
    row = Fact.objects.filter(org=org, metric=key, period=period, start=start).first()
    return row.value if row else Decimal(0)


def agree() -> None:
    assert facts.differences(["honours"]) == {}


def test_a_submitted_nomination_counts_at_the_nominating_union_until_withdrawn(hw):
    n = submitted(hw)
    assert value(n.unit, figures.NOMINATIONS) == 1
    assert value(hw.sd.jinan, figures.NOMINATIONS, Period.MONTH) == 1
    assert value(hw.sd.province, figures.NOMINATIONS, Period.YEAR) == 1
    agree()
    services.withdraw_nomination(actor=hw.sd.enterprise_cadre, nomination=n)
    assert value(hw.sd.province, figures.NOMINATIONS) == 0
    agree()
    services.submit_nomination(actor=hw.sd.enterprise_cadre, nomination=n)  # again: once
    assert value(hw.sd.province, figures.NOMINATIONS) == 1
    agree()


def test_a_returned_nomination_submitted_again_counts_once(hw):
    n = submitted(hw)
    services.return_nomination(actor=hw.sd.county_cadre, nomination=n, reason="事迹材料不完整，请补充")
    agree()
    services.submit_nomination(actor=hw.sd.enterprise_cadre, nomination=n)
    assert value(hw.sd.province, figures.NOMINATIONS, Period.YEAR) == 1
    agree()


def test_conferred_honours_count_at_the_holders_unit_on_the_day_by_level(hw):
    n = shortlisted(hw)
    notice = services.publish_shortlist(actor=hw.sd.province_admin, campaign=hw.pioneer)
    end_notice(notice)
    services.confer_honours(actor=hw.sd.province_admin, campaign=hw.pioneer)
    h = Holder.objects.get(honour_type=hw.pioneer.honour_type, year=hw.pioneer.year)
    assert h.conferred_on == TODAY and h.unit == hw.sd.team
    level = hw.pioneer.honour_type.level
    for org in (hw.sd.team, hw.sd.steel, hw.sd.jinan, hw.sd.province, hw.sd.metallurgy):
        assert value(org, figures.CONFERRED) == 1
        assert value(org, figures.conferred_at(level), Period.YEAR) == 1
    assert value(hw.sd.qingdao, figures.CONFERRED) == 0
    assert n.unit == hw.sd.steel and value(hw.sd.province, figures.NOMINATIONS) == 1  # still a nomination made
    agree()


def test_a_revocation_counts_on_its_day_and_holders_without_a_date_on_the_first_of_their_year(sd):
    h = holder("province_may_day_medal", person=sd.worker_person, year=2020)
    agree()  # a holder of a past year without a conferral day: on the first day of its year
    assert value(sd.province, figures.CONFERRED, Period.DAY, datetime.date(2020, 1, 1)) == 1
    assert value(sd.province, figures.conferred_at("province"), Period.YEAR, datetime.date(2020, 1, 1)) == 1
    on = TODAY - datetime.timedelta(days=3)
    services.revoke_honour(actor=sd.province_admin, holder=h, reason="申报材料弄虚作假", document="鲁工发〔2026〕12号",
                           body=sd.province, on=on)
    assert value(h.unit, figures.REVOKED, Period.DAY, on) == 1
    assert value(sd.province, figures.REVOKED, Period.YEAR, on) == 1
    assert value(sd.province, figures.CONFERRED, Period.YEAR, datetime.date(2020, 1, 1)) == 1  # a flow: stays
    agree()


def test_the_studios_figures_follow_the_verbs_and_the_figures_page_reads_them(st):
    sd = st.sd
    recognised = studio_metric("recognised", "province")
    assert value(sd.province, recognised, Period.YEAR, datetime.date(YEAR - 3, 1, 1)) == 1
    assert value(sd.steel, recognised, Period.DAY, datetime.date(YEAR - 3, 1, 1)) == 1
    st.confirm(st.assess(YEAR, GOOD, studio=st.city_studio), actor=sd.jinan_cadre)
    studio = st.fail_two_years()
    services.revoke_studio(actor=sd.province_admin, studio=studio, reason="连续两年考核不合格，整改无效",
                           decision="鲁工发〔2026〕12号")
    assert value(sd.steel, studio_metric("suspended", "province")) == 1  # on the day of the decisions
    assert value(sd.province, studio_metric("revoked", "province"), Period.MONTH) == 1
    agree()
    [jinan] = studio_queries.figures([sd.jinan], YEAR)
    province_level = next(lv for lv in jinan.levels if lv.level == "province")
    assert (province_level.failed, province_level.suspended, province_level.revoked) == (1, 1, 1)
    assert jinan.total("excellent") + jinan.total("passed") == 1  # the city studio's GOOD assessment
    trend = {r["year"]: r for r in studio_queries.years(sd.province, YEAR)}
    assert trend[YEAR - 3]["recognised"] >= 1 and trend[YEAR - 1]["failed"] == 1 and trend[YEAR]["revoked"] == 1
    assert POOR  # the fails above are POOR self-assessments confirmed as they are
