"""Suggestions (推荐建议) as specifications: the competitions suggest the top three of a provincial final for the
provincial honours of persons; the innovation app the authors of awarded achievements and the leaders of appraised
projects (persons), the teams holding those projects (collectives) and the achievements' enterprises
(organisations). Honours imports neither app: it reads core's registry. A union sees only its subtree's
suggestions; those nominated already are left out; those the honour's conditions rule out are shown with the
reasons; the 推荐 button opens the nomination form filled in, and nothing is nominated until it is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from gongjiang.competitions import honour_suggestions as competition_suggestions
from gongjiang.competitions.choices import Prize, RoundState
from gongjiang.competitions.models import Entry
from gongjiang.competitions.tests.factories import season
from gongjiang.core.registry import SuggestionQuery
from gongjiang.honours.models import Holder, HonourType, Nomination
from gongjiang.honours.queries.suggestions import suggestions
from gongjiang.innovation import honour_suggestions as innovation_suggestions
from gongjiang.innovation.choices import Award, CallState, Stage
from gongjiang.innovation.models import Achievement, Project
from gongjiang.innovation.tests.call_factories import provincial_call
from gongjiang.innovation.tests.factories import innovation
from gongjiang.innovation.tests.project_factories import bring, project
from gongjiang.orgs.tests.factories import person
from gongjiang.orgs.tests.test_api import Api

from .test_services import rows


def final_results(hw: Any, places: list[tuple[Any, int]]) -> Any:
    """The provincial final of 车工 with its results made final: `places` as (person, place)."""
    s = season(hw.sd)
    s.competition.year = hw.medal.year
    s.competition.save(update_fields=["year"])
    prizes = {1: Prize.FIRST, 2: Prize.SECOND, 3: Prize.THIRD}
    for who, place in places:
        Entry.objects.create(round=s.final_round, person=who, unit=who.employer.grassroots_union() or who.employer,
                             place=place, prize=prizes.get(place, ""))
    type(s.final_round).objects.filter(pk=s.final_round.pk).update(state=RoundState.FINAL)
    return s


def query(hw: Any, org: Any, code: str = "province_may_day_medal") -> SuggestionQuery:
    honour = HonourType.objects.get(code=code)
    return SuggestionQuery(org_path=org.path, honour_code=code, subject=honour.subject, level=honour.level,
                           year=hw.medal.year)


@pytest.fixture
def winners(hw):
    """李强 (济钢) first, 周明 (济钢) fourth, 王芳 (青岛港) second in the provincial final."""
    zhou = person(hw.sd.team, "周明")
    final_results(hw, [(hw.sd.worker_person, 1), (zhou, 4), (hw.sd.qd_person, 2)])
    return zhou


# ---------------------------------------------------------------------------------------------
# The providers


def test_a_provincial_final_suggests_its_top_three_for_a_provincial_honour(hw, winners):
    found = competition_suggestions.suggest(hw.sd.province_admin, query(hw, hw.sd.province))
    assert [(s.name, s.person_id) for s in found] == [("李强", hw.sd.worker_person.pk), ("王芳", hw.sd.qd_person.pk)]
    assert "Place 1 in 车工, 省级决赛 of 山东省第十届职工职业技能大赛" in found[0].reason
    assert found[0].source == "Skills competition" and "/results/" in found[0].url
    assert competition_suggestions.suggest(hw.sd.province_admin, query(hw, hw.sd.province, "province_pioneer")) == []
    assert competition_suggestions.suggest(hw.sd.province_admin, query(hw, hw.sd.province, "city_pioneer")) == []


def test_results_not_yet_final_suggest_nobody(hw):
    s = final_results(hw, [(hw.sd.worker_person, 1)])
    type(s.final_round).objects.filter(pk=s.final_round.pk).update(state=RoundState.PUBLICITY)
    assert competition_suggestions.suggest(hw.sd.province_admin, query(hw, hw.sd.province)) == []


@pytest.fixture
def achievements(hw):
    """济钢's achievement by 李强 and 赵磊 awarded first prize, Qingdao's without an award, the call's results final."""
    calls = provincial_call(hw.sd)
    zhao = person(hw.sd.team, "赵磊")
    won = calls.submit(authors=[hw.sd.worker_person, zhao])
    calls.submit("港口起重机节能改造", enterprise=hw.sd.qd_enterprise)
    Achievement.objects.filter(pk=won.pk).update(award=Award.FIRST)
    type(calls.call).objects.filter(pk=calls.call.pk).update(state=CallState.FINAL)
    return won


def test_an_awarded_achievement_suggests_its_authors_and_its_enterprise(hw, achievements):
    found = innovation_suggestions.suggest(hw.sd.province_admin, query(hw, hw.sd.province))
    assert [s.name for s in found] == ["李强", "赵磊"]
    assert "First prize of" in found[0].reason and "(author no. 1)" in found[0].reason
    orgs = innovation_suggestions.suggest(hw.sd.province_admin,
                                          query(hw, hw.sd.province, "demonstration_enterprise"))
    assert [(s.name, s.org_id) for s in orgs] == [("济南钢铁集团有限公司工会", hw.sd.steel.pk)]


def test_an_appraised_project_suggests_its_leader_and_its_team(hw):
    inn = innovation(hw.sd)
    p = project(inn)
    bring(inn, p, Stage.APPRAISED)
    found = innovation_suggestions.suggest(hw.sd.jinan_cadre, query(hw, hw.sd.jinan))
    assert [(s.name, s.source) for s in found] == [("李强", "Innovation project")]
    teams = innovation_suggestions.suggest(hw.sd.jinan_cadre, query(hw, hw.sd.jinan, "innovative_team"))
    assert [(s.name, s.org_id) for s in teams] == [("炼钢一班", hw.sd.team.pk)]
    Project.objects.filter(pk=p.pk).update(stage=Stage.TACKLING)
    assert innovation_suggestions.suggest(hw.sd.jinan_cadre, query(hw, hw.sd.jinan)) == []


# ---------------------------------------------------------------------------------------------
# The honours' list: scoping, already nominated, eligibility


def test_a_union_sees_only_its_subtrees_suggestions(hw, winners):
    assert {r.name for r in suggestions(hw.sd.province_admin, hw.medal, hw.sd.province)} == {"李强", "王芳"}
    assert {r.name for r in suggestions(hw.sd.jinan_cadre, hw.medal, hw.sd.jinan)} == {"李强"}
    assert {r.name for r in suggestions(hw.sd.county_cadre, hw.medal, hw.sd.lixia)} == {"李强"}
    assert suggestions(hw.sd.qingdao_cadre, hw.medal, hw.sd.qingdao)[0].name == "王芳"
    assert suggestions(hw.private_cadre, hw.medal, hw.private) == []


def test_a_provider_answering_outside_the_subtree_is_not_trusted(hw, winners, monkeypatch):
    """Honours checks the subtree again: a provider's row for a Qingdao worker is dropped from Jinan's list."""
    from gongjiang.core import registry

    monkeypatch.setattr(registry, "honour_suggestions", lambda user, q: competition_suggestions.suggest(
        hw.sd.province_admin, SuggestionQuery(hw.sd.province.path, q.honour_code, q.subject, q.level, q.year)))
    assert {r.name for r in suggestions(hw.sd.jinan_cadre, hw.medal, hw.sd.jinan)} == {"李强"}


def test_those_nominated_are_left_out_and_the_ineligible_shown_with_reasons(hw, winners, achievements):
    zhao = achievements.authors.get(order=2).person
    Holder.objects.create(honour_type=HonourType.objects.get(code="province_may_day_medal"), year=2024,
                          person=zhao, name=zhao.name, unit=hw.sd.team)
    found = {r.name: r for r in suggestions(hw.sd.enterprise_cadre, hw.medal, hw.sd.steel)}
    assert set(found) == {"李强", "赵磊"}  # 周明 came fourth
    assert [s.source for s in found["李强"].reasons] == ["Skills competition", "Innovation achievement"]
    assert found["李强"].eligible
    assert found["赵磊"].problems == ["The nominee already holds 省五一劳动奖章, which excludes this honour."]
    hw.person_nomination(hw.sd.worker_person)
    assert [r.name for r in suggestions(hw.sd.enterprise_cadre, hw.medal, hw.sd.steel)] == ["赵磊"]


def test_the_list_costs_the_same_for_one_suggestion_or_many(hw, django_assert_max_num_queries):
    final_results(hw, [(person(hw.sd.team, f"职工{i}"), i % 3 + 1) for i in range(30)])
    with django_assert_max_num_queries(8):
        found = suggestions(hw.sd.enterprise_cadre, hw.medal, hw.sd.steel)
    assert len(found) == 30


# ---------------------------------------------------------------------------------------------
# The page, the prefilled form, the API


def test_the_page_lists_the_suggestions_and_nominate_opens_the_form_filled_in(hw, winners, client):
    client.force_login(hw.sd.enterprise_cadre)
    campaign_page = client.get(reverse("honours:campaign_detail", args=[hw.medal.pk])).content.decode()
    url = reverse("honours:campaign_suggestions", args=[hw.medal.pk])
    assert url in campaign_page
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "李强" in body and "王芳" not in body and "周明" not in body
    row = next(r for r in page.context["rows"] if r.name == "李强")
    before = rows()
    form = client.get(row.nominate_url)
    assert form.status_code == 200 and rows() == before  # nothing nominated by opening it
    html = form.content.decode()
    assert "李强" in html and hw.sd.worker_person.id_masked in html and "Place 1 in 车工" in html
    saved = client.post(row.nominate_url, {"person_id": hw.sd.worker_person.pk, "years_in_trade": 10,
                                           "deeds": form.context["form"].initial["deeds"]})
    assert saved.status_code == 302
    n = Nomination.objects.get()
    assert (n.person, n.unit, n.years_in_trade) == (hw.sd.worker_person, hw.sd.steel, 10)
    assert "Place 1 in 车工" in n.deeds


def test_the_prefilled_form_refuses_a_person_outside_the_union(hw, client):
    client.force_login(hw.sd.enterprise_cadre)
    url = reverse("honours:nomination_create", args=[hw.medal.pk]) + f"?unit={hw.sd.steel.pk}"
    before = rows()
    r = client.post(url, {"person_id": hw.sd.qd_person.pk, "years_in_trade": 10, "deeds": "x"})
    assert r.status_code == 400 and rows() == before
    assert "No one with this ID number is on the roster" in r.content.decode()


def test_another_city_sees_none_of_jinans_suggestions(hw, winners, client):
    client.force_login(hw.sd.qingdao_cadre)
    url = reverse("honours:campaign_suggestions", args=[hw.medal.pk])
    assert client.get(url + f"?unit={hw.sd.steel.pk}").status_code == 404
    body = client.get(url).content.decode()
    assert "王芳" in body and "李强" not in body
    api = Api(hw.sd.qingdao_cadre)
    assert api.get(f"/honours/campaigns/{hw.medal.pk}/suggestions", unit_id=hw.sd.steel.pk).status_code == 404
    listed = api.get(f"/honours/campaigns/{hw.medal.pk}/suggestions", unit_id=hw.sd.qingdao.pk).json()
    assert [(r["name"], r["eligible"]) for r in listed] == [("王芳", True)]
    assert listed[0]["reasons"][0]["source"] == "职业技能竞赛"

