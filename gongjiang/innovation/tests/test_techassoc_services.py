"""The technical association verbs as a specification: the unions found their associations (the network follows the
union tree), 济钢's union registers 李强 with his honours, a council takes office with its chair, seats are given,
activities are planned, held and — a four-technical-services contract — closed with the outcome, a member moves to
another association by a transfer and another leaves; every step audited and counted in the figures of the year, the
association's own and its union's whole reach, equal to a rebuild. Then every bad input of the issue: a clear
message naming the field, and nothing changed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.core.models import AuditEvent
from gongjiang.innovation import counters, queries, services
from gongjiang.innovation.choices import ActivityKind, ActivityState, AssociationState, Honour, Post
from gongjiang.innovation.models import Council, MemberHonour, Seat, TechAssociation, TechMember
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact

from .factories import year_facts
from .techassoc_factories import JOINED, Tech
from .test_services import refused

D = Decimal
TODAY = timezone.localdate


def counts() -> list[Any]:
    return sorted(TechAssociation.objects.values_list("pk", "member_count", "activity_count"))


def assert_rebuild_agrees() -> None:
    """What the verbs kept equals what the rows say: the figures (the fact store) and the associations' counters."""
    assert facts.differences(["innovation"]) == {}
    association_counts = counts()
    counters.rebuild()
    assert counts() == association_counts


def reach(org: Any, year: int) -> dict[str, Any]:
    """The technical associations' figures of `org`'s reach for `year` in the fact store (zeros left out)."""
    return {k.removeprefix("tech_"): v for k, v in year_facts(org, year).items() if k.startswith("tech_")}


def test_the_network_follows_the_union_tree(ta: Tech):
    sd = ta.sd
    assert queries.network_parent(ta.steel) == ta.jinan  # no association at 历下区: 济钢's parent is Jinan's
    assert queries.network_parent(ta.jinan) == ta.province
    assert queries.network_parent(ta.province) is None
    lixia = services.found_association(actor=sd.county_cadre, org=sd.lixia, name="历下区职工技术协会",
                                       founded_on=datetime.date(2018, 1, 1))
    assert queries.network_parent(ta.steel) == lixia  # founded in between: the network re-draws itself
    rows = queries.network(sd.province_admin)
    assert [(r.association.name, r.level) for r in rows] == [
        ("山东省职工技术协会", 0), ("济南市职工技术协会", 1), ("历下区职工技术协会", 2), ("济钢职工技术协会", 3),
        ("青岛市职工技术协会", 1)]
    assert [(r.association.name, r.level) for r in queries.network(sd.jinan_cadre)] == [
        ("济南市职工技术协会", 0), ("历下区职工技术协会", 1), ("济钢职工技术协会", 2)]
    assert queries.network(ta.officer)[0].association == ta.jinan
    assert [r.association for r in queries.network(sd.qingdao_cadre)] == [ta.qingdao]
    assert queries.network_children(sd.province_admin, ta.province) == [ta.jinan, ta.qingdao]


def test_a_member_joins_serves_on_the_council_and_the_figures_follow(ta: Tech):
    sd = ta.sd
    li = ta.join()
    assert li.association == ta.steel and li.is_active
    assert list(li.honours.values_list("honour", "year", "conferred_by")) == [
        (Honour.TECH_EXPERT, 2022, "济南市总工会")]
    welder = ta.join(ta.welder, trade="焊工", honours=[(Honour.GOLD_WORKER, 2023, "山东省总工会"),
                                                      (Honour.SENIOR_TECHNICIAN, 2020, "山东省人社厅")])
    council = ta.council(li)
    assert council.current and council.seats.get().post == Post.CHAIR
    services.set_seat(actor=sd.enterprise_cadre, council=council, member=welder, post=Post.SECRETARY)
    # the chair changes hands: the present chair is given another post at the same time
    services.set_seat(actor=sd.enterprise_cadre, council=council, member=welder, post=Post.CHAIR,
                      former_post=Post.VICE_CHAIR)
    assert dict(council.seats.values_list("member__person__name", "post")) == {
        "李强": Post.VICE_CHAIR, "王焊": Post.CHAIR}
    services.add_honour(actor=sd.enterprise_cadre, member=li, honour=Honour.CRAFTSMAN, year=2025,
                        conferred_by="济南市人民政府")
    steel = ta.steel
    steel.refresh_from_db()
    assert steel.member_count == 2
    own = queries.techassoc_this_and_last(steel, JOINED.year)
    assert (own["own"][0].joined, own["own"][0].active) == (2, 2)
    for org in (sd.steel, sd.town, sd.lixia, sd.jinan, sd.province, sd.metallurgy):
        assert reach(org, JOINED.year)["joined"] == 2, org
    assert reach(sd.qingdao, JOINED.year) == {}
    assert set(AuditEvent.objects.filter(verb__startswith="innovation.techassoc.").values_list("verb", flat=True)) >= {
        "innovation.techassoc.founded", "innovation.techassoc.member_joined", "innovation.techassoc.council_started",
        "innovation.techassoc.seat_set", "innovation.techassoc.honour_added"}
    assert_rebuild_agrees()


def test_activities_are_planned_held_and_a_contract_closed_with_its_outcome(ta: Tech):
    sd = ta.sd
    li = ta.join()
    done = ta.service(members=[li])
    assert done.state == ActivityState.HELD and done.value_wan == D("12.00")
    assert list(done.involved.values_list("member__person__name", flat=True)) == ["李强"]
    later = TODAY() + datetime.timedelta(days=20)
    drill = services.record_activity(actor=ta.officer, association=ta.steel, kind=ActivityKind.DRILL,
                                     title="转炉炼钢岗位练兵", held_on=later, unit=sd.workshop, participants=0)
    assert drill.state == ActivityState.PLANNED
    steel_own = queries.figure_years(sd.steel, own=True, years=[2025])[0]
    assert (steel_own.kinds["service"], steel_own.contracts, steel_own.contract_value) == (1, 1, D("120000.00"))
    assert (reach(sd.steel, 2025)["service"], reach(sd.steel, 2025)["contracts"]) == (1, 1)
    assert not Fact.objects.filter(metric="innovation.tech_drill").exists()  # planned: not counted
    services.hold_activity(actor=ta.officer, activity=drill, held_on=TODAY(), participants=48)
    assert reach(sd.jinan, TODAY().year)["drill"] == 1
    assert Fact.objects.get(org=sd.jinan, metric="innovation.tech_drill", period="D", start=TODAY()).value == 1
    services.close_activity(actor=sd.enterprise_cadre, activity=done, outcome="振动值下降60%，客户验收合格")
    done.refresh_from_db()
    assert done.state == ActivityState.CLOSED and done.outcome.startswith("振动值")
    ta.steel.refresh_from_db()
    assert ta.steel.activity_count == 2
    assert_rebuild_agrees()


def test_a_transfer_moves_the_member_with_the_honours_and_a_leaving_member_gives_a_reason(ta: Tech):
    sd = ta.sd
    li = ta.join()
    new = services.transfer_member(actor=sd.jinan_cadre, member=li, to=ta.jinan,
                                   transferred_on=datetime.date(2025, 7, 1))
    li.refresh_from_db()
    assert (li.left_on, li.transferred_to) == (datetime.date(2025, 7, 1), ta.jinan)
    assert new.association == ta.jinan and new.transferred_from == li and new.trade == "炼钢工"
    assert list(new.honours.values_list("honour", flat=True)) == [Honour.TECH_EXPERT]
    assert queries.active_member_of(sd.worker_person) == new
    ta.steel.refresh_from_db()
    ta.jinan.refresh_from_db()
    assert (ta.steel.member_count, ta.jinan.member_count) == (0, 1)
    jinan_reach = reach(sd.jinan, 2025)
    assert (jinan_reach["joined"], jinan_reach["left"]) == (1, 1)  # a move within Jinan's reach: out and in
    july = Fact.objects.get(org=sd.jinan, metric="innovation.tech_left", period="M", start=datetime.date(2025, 7, 1))
    assert july.value == 1  # on the day of the transfer
    services.leave_association(actor=ta.officer, member=new, left_on=datetime.date(2025, 12, 31), reason="退休")
    assert queries.active_member_of(sd.worker_person) is None
    assert queries.techassoc_this_and_last(ta.jinan, 2025)["own"][0].active == 0
    again = ta.join()  # a former member may join again
    assert again.is_active
    assert_rebuild_agrees()


def test_a_new_term_closes_the_current_one(ta: Tech):
    li = ta.join()
    first = ta.council(li, starts_on=datetime.date(2019, 6, 1), ends_on=datetime.date(2024, 5, 31))
    second = ta.council(li, number=2, starts_on=datetime.date(2024, 3, 1), ends_on=datetime.date(2029, 2, 28))
    first.refresh_from_db()
    assert not first.current and first.ends_on == datetime.date(2024, 2, 29)  # closed early, the day before
    assert second.current
    assert [c.number for c, _seats in queries.councils(ta.steel)] == [2, 1]


def test_the_union_dissolves_its_association_and_every_membership_ends(ta: Tech):
    sd = ta.sd
    ta.join()
    ta.join(ta.welder)
    refused(lambda: services.dissolve_association(actor=sd.enterprise_cadre, association=ta.steel,
                                                  dissolved_on=TODAY(), reason=" "), "reason")
    services.dissolve_association(actor=sd.enterprise_cadre, association=ta.steel, dissolved_on=TODAY(),
                                  reason="企业改制，技协并入市技协")
    ta.steel.refresh_from_db()
    assert ta.steel.state == AssociationState.DISSOLVED and ta.steel.member_count == 0
    assert not TechMember.objects.filter(association=ta.steel, left_on__isnull=True).exists()
    refused(lambda: ta.join(ta.inn.colleague), "association")
    assert_rebuild_agrees()


# ---------------------------------------------------------------------------------------------
# Bad input: a clear message naming the field, nothing changed


def test_a_member_of_another_association_joins_only_by_a_transfer(ta: Tech):
    ta.join()
    e = refused(lambda: ta.join(association=ta.jinan, actor=ta.sd.jinan_cadre), "person")
    assert e.code == "member_elsewhere" and "济钢职工技术协会" in e.message and "transfer" in e.message
    e = refused(lambda: ta.join(), "person")
    assert e.code == "member_already"


def test_a_worker_outside_the_union_and_other_bad_members_are_refused(ta: Tech):
    sd = ta.sd
    e = refused(lambda: ta.join(sd.qd_person), "person")
    assert e.code == "outside"
    refused(lambda: ta.join(trade=" "), "trade")
    refused(lambda: ta.join(joined_on=TODAY() + datetime.timedelta(days=1)), "joined_on")
    refused(lambda: ta.join(honours=[("nobel", 2020, "")]), "honours")
    refused(lambda: ta.join(honours=[(Honour.MODEL_WORKER, 1900, "")]), "honours")
    refused(lambda: ta.join(honours=[(Honour.MODEL_WORKER, 2020, ""), (Honour.MODEL_WORKER, 2021, "")]), "honours")
    li = ta.join()
    refused(lambda: services.leave_association(actor=sd.enterprise_cadre, member=li, left_on=TODAY(), reason=""),
            "reason")
    refused(lambda: services.leave_association(actor=sd.enterprise_cadre, member=li,
                                               left_on=JOINED - datetime.timedelta(days=1), reason="调离"), "left_on")
    refused(lambda: services.transfer_member(actor=sd.enterprise_cadre, member=li, to=ta.steel,
                                             transferred_on=TODAY()), "to")
    refused(lambda: services.transfer_member(actor=sd.qingdao_cadre, member=li, to=ta.qingdao,
                                             transferred_on=TODAY()), "member")  # 李强 works outside Qingdao
    refused(lambda: services.add_honour(actor=sd.enterprise_cadre, member=li, honour=Honour.TECH_EXPERT, year=2023),
            "honour")


def test_a_second_chair_is_refused_and_the_chair_stays(ta: Tech):
    sd = ta.sd
    li, welder = ta.join(), ta.join(ta.welder)
    council = ta.council(li)
    e = refused(lambda: services.set_seat(actor=sd.enterprise_cadre, council=council, member=welder,
                                          post=Post.CHAIR), "post")
    assert e.code == "second_chair" and "李强" in e.message
    refused(lambda: services.set_seat(actor=sd.enterprise_cadre, council=council, member=li, post=Post.DIRECTOR),
            "post")  # the chair cannot step down to leave the council without one
    refused(lambda: services.remove_seat(actor=sd.enterprise_cadre, seat=council.seats.get()), "seat")
    refused(lambda: services.leave_association(actor=sd.enterprise_cadre, member=li, left_on=TODAY(),
                                               reason="调离"), "member")  # a seated member gives the seat up first


def test_a_council_term_overlapping_the_current_one_is_refused(ta: Tech):
    li = ta.join()
    ta.council(li, starts_on=datetime.date(2024, 6, 1), ends_on=datetime.date(2029, 5, 31))
    e = refused(lambda: ta.council(li, number=2, starts_on=datetime.date(2024, 6, 1)), "starts_on")
    assert e.code == "overlap"
    refused(lambda: ta.council(li, number=2, starts_on=datetime.date(2023, 1, 1)), "starts_on")
    refused(lambda: ta.council(li, number=1, starts_on=datetime.date(2026, 1, 1)), "number")
    refused(lambda: ta.council(li, number=2, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2025, 1, 1)),
            "ends_on")


def test_a_seat_for_a_non_member_is_refused(ta: Tech):
    sd = ta.sd
    li = ta.join()
    council = ta.council(li)
    elsewhere = ta.join(ta.welder, association=ta.jinan, actor=sd.jinan_cadre)  # a member of Jinan's, not 济钢's
    e = refused(lambda: services.set_seat(actor=sd.enterprise_cadre, council=council, member=elsewhere,
                                          post=Post.DIRECTOR), "member")
    assert e.code == "not_member"
    refused(lambda: ta.council(elsewhere, number=2, starts_on=datetime.date(2026, 1, 1)), "chair")
    assert Seat.objects.count() == 1 and Council.objects.count() == 1


def test_a_four_services_contract_needs_its_client_and_a_value_of_zero_or_more(ta: Tech):
    e = refused(lambda: ta.service(client=" "), "client")
    assert "client" in e.message
    e = refused(lambda: ta.service(value=D(-1)), "value")
    assert "0 or more" in e.message
    refused(lambda: ta.service(value=None), "value")
    refused(lambda: ta.service(value=D("1.001")), "value")
    refused(lambda: ta.service(participants=-3), "participants")
    refused(lambda: ta.service(kind="party"), "kind")
    refused(lambda: ta.service(title=""), "title")
    exchange = ta.service(kind=ActivityKind.EXCHANGE, title="炼钢技术交流会", client="", value=None)
    assert exchange.client == "" and exchange.value is None
    refused(lambda: services.close_activity(actor=ta.sd.enterprise_cadre, activity=exchange, outcome="很好"), "kind")
    contract = ta.service()
    refused(lambda: services.close_activity(actor=ta.sd.enterprise_cadre, activity=contract, outcome=" "), "outcome")
    refused(lambda: services.hold_activity(actor=ta.sd.enterprise_cadre, activity=contract, held_on=TODAY(),
                                           participants=3), "state")


def test_an_activity_outside_the_associations_scope_is_refused(ta: Tech):
    sd = ta.sd
    e = refused(lambda: ta.service(unit=sd.qd_enterprise), "unit")
    assert "青岛港" in e.message
    refused(lambda: ta.service(unit=sd.jinan), "unit")  # above 济钢: not its association's ground
    li = ta.join(ta.welder, association=ta.jinan, actor=sd.jinan_cadre)
    refused(lambda: ta.service(members=[li]), "members")  # a member of another association


def test_founding_twice_or_at_a_town_union_is_refused(ta: Tech):
    sd = ta.sd
    e = refused(lambda: services.found_association(actor=sd.enterprise_cadre, org=sd.steel, name="济钢技协二",
                                                   founded_on=datetime.date(2020, 1, 1)), "org")
    assert e.code == "exists"
    refused(lambda: services.found_association(actor=sd.county_cadre, org=sd.town, name="街道技协",
                                               founded_on=datetime.date(2020, 1, 1)), "org")
    refused(lambda: services.found_association(actor=sd.county_cadre, org=sd.lixia, name=" ",
                                               founded_on=datetime.date(2020, 1, 1)), "name")
    refused(lambda: services.found_association(actor=sd.county_cadre, org=sd.lixia, name="历下区技协",
                                               founded_on=TODAY() + datetime.timedelta(days=3)), "founded_on")
    refused(lambda: services.update_association(actor=ta.officer, association=ta.steel, name="济钢技协",
                                                founded_on=datetime.date(2015, 1, 1), phone="abc"), "phone")


def test_honours_follow_the_vocabulary(ta: Tech):
    li = ta.join()
    h = services.add_honour(actor=ta.officer, member=li, honour=Honour.CHIEF_EMPLOYEE, year=2024)
    services.remove_honour(actor=ta.officer, honour=h)
    assert not MemberHonour.objects.filter(honour=Honour.CHIEF_EMPLOYEE).exists()
