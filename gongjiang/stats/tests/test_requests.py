"""Data requests (报表): the rules of a figure and a form, completeness, and the verbs — issuing (prefilled from the
fact store, notifications), filling, reporting, sending back, reminding (also the daily reminder), closing — with
their bad input refused in Chinese and nothing changed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.stats import rules, services
from gongjiang.stats.choices import RequestState, ReturnState
from gongjiang.stats.models import DataRequest, DataReturn
from gongjiang.stats.queries import requests as q
from gongjiang.stats.reminders import remind_due

D = datetime.date
COUNT = rules.Indicator("c1", "培训期数", "期")
MONEY = rules.Indicator("c2", "资金投入", "万元", places=2)
CHANGE = rules.Indicator("c3", "比上年增减", "人", negative=True)
FORM = [{"metric": "alpha.held"}, {"metric": "beta.benefit"}, {"label": "培训期数", "unit": "期"}]


def zh(fn, *a, **kw):
    from django.utils import translation

    with translation.override("zh-hans"):
        return fn(*a, **kw)


# ------------------------------------------------------------------ rules


@pytest.mark.parametrize(("raw", "value"), [("12", Decimal(12)), (" 1,234 ", Decimal(1234)), ("1，200", Decimal(1200)),
                                            ("0", Decimal(0)), ("", None), (None, None)])
def test_a_figure_is_read_with_its_thousands_separators(raw, value):
    assert rules.read_figure(COUNT, raw, 1) == (value, "")


@pytest.mark.parametrize(("ind", "raw", "words"), [
    (COUNT, "十二", "请填写数字"), (COUNT, "12a", "请填写数字"), (COUNT, "NaN", "请填写数字"),
    (COUNT, "Infinity", "请填写数字"), (COUNT, "-3", "不能为负数"), (COUNT, "1.5", "应为整数"),
    (MONEY, "1.234", "最多保留 2 位小数"), (COUNT, "1e30", "过大"),
])
def test_a_bad_figure_is_refused_naming_its_item(ind, raw, words):
    value, message = zh(rules.read_figure, ind, raw, 3)
    assert value is None
    assert words in message and f"第3项「{ind.label}」" in message


def test_a_change_may_be_negative():
    assert rules.read_figure(CHANGE, "-12", 1) == (Decimal(-12), "")


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_every_figure_with_two_decimals_reads_back_as_written(value):
    read, message = rules.read_figure(MONEY, str(value), 1)
    assert message == "" and read == value


def test_reporting_needs_every_figure_and_tells_every_problem():
    values, problems = zh(rules.read_figures, [COUNT, MONEY, CHANGE], {"c1": "x", "c3": "-1"}, complete=True)
    assert values == {"c3": "-1"}
    assert [k for k, _m in problems] == ["c1", "c2"]
    assert "填写" in problems[1][1]
    assert rules.read_figures([COUNT, MONEY], {"c1": "2"}, complete=False) == ({"c1": "2"}, [])


def test_a_form_takes_its_metrics_words_and_numbers_its_own_indicators():
    metrics = {"alpha.held": ("举办次数", "次", 0), "beta.benefit": ("经济效益", "万元", 2)}
    form, problems = rules.check_form([*FORM, {"label": "资金", "unit": "万元", "places": 2, "negative": True}],
                                      metrics)
    assert problems == []
    assert [(i.key, i.label, i.unit, i.places, i.metric) for i in form] == [
        ("alpha.held", "举办次数", "次", 0, "alpha.held"), ("beta.benefit", "经济效益", "万元", 2, "beta.benefit"),
        ("c1", "培训期数", "期", 0, ""), ("c2", "资金", "万元", 2, "")]
    assert form[3].negative
    assert rules.Indicator.from_json(form[3].as_json()) == form[3]


def test_a_bad_form_tells_every_problem():
    metrics = {"alpha.held": ("举办次数", "次", 0)}
    assert zh(rules.check_form, [], metrics)[1] == ["请至少选择一项指标。"]
    _form, problems = zh(rules.check_form, [{"metric": "nope.x"}, {"label": ""}, {"label": "甲", "places": 9},
                                            {"metric": "alpha.held"}, {"label": "举办次数"}], metrics)
    assert len(problems) == 4
    assert "nope.x" in problems[0] and "第2项" in problems[1] and "小数" in problems[2] and "重复" in problems[3]


def test_completeness_counts_reported_and_on_time():
    due = D(2026, 12, 10)
    c = rules.completeness([("submitted", D(2026, 12, 10)), ("submitted", D(2026, 12, 11)), ("draft", None),
                            ("returned", None)], due)
    assert (c.expected, c.reported, c.on_time, c.returned, c.missing) == (4, 2, 1, 1, 2)
    assert c.rate == Decimal("50.0") and c.on_time_rate == Decimal("25.0")
    assert rules.completeness([], due).rate == 0


# ------------------------------------------------------------------ verbs


def issue(sd, **kw):
    args = {"actor": sd.province_admin, "org": sd.province, "title": "2026年经济技术工作主要指标",
            "period": "2026", "due": timezone.localdate() + datetime.timedelta(days=10), "indicators": FORM,
            "recipients": [sd.jinan, sd.qingdao, sd.metallurgy], "note": "请核对平台数据后上报"}
    args.update(kw)
    return services.issue_request(**args)


def test_a_request_reaches_each_union_prefilled_from_the_fact_store(filled):
    sd = filled
    request = issue(sd)
    returns = {r.org_id: r for r in request.returns.all()}
    assert set(returns) == {sd.jinan.pk, sd.qingdao.pk, sd.metallurgy.pk}
    # Jinan 2026: the team's 2 and Lixia's 1; Qingdao: 3 and 123.46 万元; the metallurgy union: the team's 2
    assert returns[sd.jinan.pk].values == {"alpha.held": "3", "beta.benefit": "0.00"}
    assert returns[sd.qingdao.pk].values == {"alpha.held": "3", "beta.benefit": "123.46"}
    assert returns[sd.metallurgy.pk].values["alpha.held"] == "2"
    assert all(r.state == ReturnState.PENDING for r in returns.values())
    told = Notification.objects.filter(verb="stats.request.issued")
    assert set(told.values_list("recipient__username", flat=True)) == {"jinan_cadre", "qingdao_cadre",
                                                                       "industry_cadre"}
    assert AuditEvent.objects.filter(verb="stats.request.issued").count() == 1


def test_a_bad_request_tells_every_problem_and_stores_nothing(sd):
    with pytest.raises(DomainError) as e:
        zh(issue, sd, title="", period="2026-13", due=timezone.localdate() - datetime.timedelta(days=1),
           indicators=[{"metric": "nope"}], recipients=[sd.province, sd.lixia])
    assert set(e.value.errors) == {"title", "period", "due", "indicators", "recipients"}
    assert "不是月份" in e.value.errors["period"]
    assert DataRequest.objects.count() == 0 and DataReturn.objects.count() == 0
    with pytest.raises(DomainError) as e:
        zh(issue, sd, recipients=[sd.province])
    assert "recipients" in e.value.errors and "省总工会不是" in e.value.errors["recipients"]
    issue(sd)
    with pytest.raises(DomainError, match="已有"):
        zh(issue, sd)
    with pytest.raises(PermissionDeniedError):
        issue(sd, actor=sd.jinan_cadre)


def test_a_union_fills_saves_and_reports_its_return(filled):
    sd = filled
    request = issue(sd)
    ret = request.returns.get(org=sd.jinan)
    services.save_return(actor=sd.jinan_cadre, ret=ret, values={"alpha.held": "4", "c1": "12"})
    ret.refresh_from_db()
    assert ret.state == ReturnState.DRAFT and ret.values == {"alpha.held": "4", "c1": "12"}
    with pytest.raises(DomainError) as e:
        zh(services.save_return, actor=sd.jinan_cadre, ret=ret, values={"alpha.held": "4", "c1": "12"},
           report=True)
    assert e.value.errors == {"beta.benefit": "第2项「经济效益」：请填写数字（没有请填 0）。"}
    services.save_return(actor=sd.jinan_cadre, ret=ret, values={"alpha.held": "4", "beta.benefit": "0",
                                                                 "c1": "12"}, report=True)
    ret.refresh_from_db()
    assert ret.state == ReturnState.SUBMITTED and ret.submitted_by == sd.jinan_cadre and ret.on_time
    assert ret.platform == {"alpha.held": "3", "beta.benefit": "0.00"}
    with pytest.raises(DomainError, match="已上报"):
        zh(services.save_return, actor=sd.jinan_cadre, ret=ret, values={"c1": "13"})
    assert AuditEvent.objects.filter(verb__in=["stats.return.saved", "stats.return.submitted"]).count() == 2


def test_bad_figures_change_nothing(filled):
    sd = filled
    ret = issue(sd).returns.get(org=sd.qingdao)
    before = dict(ret.values)
    full = {"alpha.held": "3", "beta.benefit": "1", "c1": "2"}
    for values, field, words in [({"alpha.held": "abc"}, "alpha.held", "请填写数字"),
                                 ({"alpha.held": "-2"}, "alpha.held", "不能为负数"),
                                 ({"c1": "2.5"}, "c1", "整数"), ({"zz": "1"}, "zz", "没有指标")]:
        with pytest.raises(DomainError) as e:
            zh(services.save_return, actor=sd.qingdao_cadre, ret=ret, values={**full, **values}, report=True)
        assert field in e.value.errors and words in e.value.errors[field]
    ret.refresh_from_db()
    assert ret.values == before and ret.state == ReturnState.PENDING


def test_only_the_reporting_union_fills_its_return(filled):
    sd = filled
    ret = issue(sd).returns.get(org=sd.jinan)
    for actor in (sd.province_admin, sd.qingdao_cadre, sd.county_cadre, sd.jinan_viewer):
        with pytest.raises(PermissionDeniedError):
            services.save_return(actor=actor, ret=ret, values={"c1": "1"})


def test_the_requesting_union_sends_back_reminds_and_closes(filled):
    sd = filled
    request = issue(sd)
    jinan = request.returns.get(org=sd.jinan)
    services.save_return(actor=sd.jinan_cadre, ret=jinan, values={"alpha.held": "3", "beta.benefit": "0",
                                                                   "c1": "2"}, report=True)
    with pytest.raises(DomainError, match="理由"):
        zh(services.send_back, actor=sd.province_admin, ret=jinan, reason=" ")
    with pytest.raises(PermissionDeniedError):
        services.send_back(actor=sd.jinan_cadre, ret=jinan, reason="数字有误请核对")
    services.send_back(actor=sd.province_admin, ret=jinan, reason="培训期数与台账不符，请核对")
    jinan.refresh_from_db()
    assert jinan.state == ReturnState.RETURNED and "台账" in jinan.reason
    assert Notification.objects.filter(verb="stats.return.returned", recipient=sd.jinan_cadre).exists()
    # the reminder reaches the three unions that have not reported (Jinan's return is back with it)
    assert services.remind(actor=sd.province_admin, request=request) == 3
    assert Notification.objects.filter(verb="stats.request.reminded").count() == 3
    with pytest.raises(PermissionDeniedError):
        services.remind(actor=sd.qingdao_cadre, request=request)
    services.close_request(actor=sd.province_admin, request=request)
    request.refresh_from_db()
    assert request.state == RequestState.CLOSED
    for call in (lambda: services.remind(actor=sd.province_admin, request=request),
                 lambda: services.save_return(actor=sd.jinan_cadre, ret=jinan, values={"c1": "2"}),
                 lambda: services.close_request(actor=sd.province_admin, request=request)):
        with pytest.raises(DomainError, match="已结束"):
            zh(call)


def test_completeness_reaches_100_percent_and_the_requester_is_told(filled):
    sd = filled
    request = issue(sd, recipients=[sd.jinan, sd.qingdao])
    view = q.overview(request, sd.province_admin)
    assert view.completeness.rate == 0 and view.requesting
    for ret, who in ((request.returns.get(org=sd.jinan), sd.jinan_cadre),
                     (request.returns.get(org=sd.qingdao), sd.qingdao_cadre)):
        services.save_return(actor=who, ret=ret, values={**ret.values, "c1": "5"}, report=True)
    view = q.overview(request, sd.province_admin)
    assert view.completeness.rate == Decimal(100) and view.completeness.on_time == 2
    assert view.totals == {"alpha.held": Decimal(6), "beta.benefit": Decimal("123.46"), "c1": Decimal(10)}
    assert Notification.objects.filter(verb="stats.request.complete", recipient=sd.province_admin).count() == 1
    with pytest.raises(DomainError, match="均已上报"):
        zh(services.remind, actor=sd.province_admin, request=request)
    # a reporting union sees its own return only, and no totals
    own = q.overview(request, sd.jinan_cadre)
    assert [r.org_id for r in own.returns] == [sd.jinan.pk] and not own.requesting and own.totals == {}


def test_the_daily_reminder_reaches_requests_due_within_three_days_once_a_day(filled):
    sd = filled
    today = timezone.localdate()
    soon = issue(sd, title="甲", due=today + datetime.timedelta(days=2))
    issue(sd, title="乙", due=today + datetime.timedelta(days=20))
    assert remind_due(today) == 1
    assert remind_due(today) == 0  # once a day
    assert Notification.objects.filter(verb="stats.request.reminded").count() == 3
    soon.refresh_from_db()
    assert soon.reminded_at is not None


def test_the_waiting_returns_and_the_requests_a_user_sees(filled):
    sd = filled
    request = issue(sd)
    assert q.returns_to_fill(sd.jinan_cadre).count() == 1
    assert q.returns_to_fill(sd.province_admin).count() == 0
    assert q.returns_to_fill(sd.county_cadre).count() == 0
    assert list(q.requests_for(sd.qingdao_cadre)) == [request]
    assert list(q.requests_for(sd.county_cadre)) == []


def test_the_daily_command_reminds(filled):
    from io import StringIO

    from django.core.management import call_command

    issue(filled, due=timezone.localdate())
    out = StringIO()
    call_command("remind_data_requests", stdout=out)
    assert out.getvalue().strip() == "1 data request(s) reminded"
