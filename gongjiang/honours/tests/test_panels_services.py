"""The review panels' verbs as specifications: every bad input refused with a Chinese message naming its field and
nothing changed (no honours row, no audit event)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.honours import services
from gongjiang.honours.models import Nomination, PanelConflict, PanelMember, PanelScore
from gongjiang.honours.queries import panels as reads

from .panel_factories import CRITERIA, FULL, Panels, expert, panels
from .test_services import rows


@pytest.fixture
def pn(hw) -> Panels:
    return panels(hw)


def refused_zh(call, field: str, *, permission: bool = False) -> str:
    """Run `call` in Chinese: refused on `field`, nothing changed; the message."""
    before = rows()
    with translation.override("zh-hans"), pytest.raises(PermissionDeniedError if permission else DomainError) as e:
        call()
    assert field in e.value.errors, e.value.errors
    assert rows() == before, "a refused verb changed something"
    return e.value.message


def test_the_province_sets_up_a_scoring_panel_with_its_criteria(pn):
    assert pn.panel.criteria == [{"key": "c1", "name": "先进事迹", "weight": 40, "max": 40},
                                 {"key": "c2", "name": "创新成果", "weight": 35, "max": 50},
                                 {"key": "c3", "name": "示范作用", "weight": 25, "max": 10}]
    assert AuditEvent.objects.filter(verb="honours.panel.created").count() == 2


def test_the_panel_reviews_the_submitted_nominations_of_its_levels_subtree(pn):
    draft = pn.hw.team_nomination(team=pn.sd.workshop, complete=False)
    assert set(reads.panel_nominations(pn.panel)) == {pn.steel_n, pn.private_n, pn.qingdao_n}
    assert set(reads.panel_nominations(pn.vote_panel)) == {pn.steel_n, pn.private_n}
    assert draft not in reads.panel_nominations(pn.panel)


def test_weights_not_adding_up_to_100_are_refused(pn):
    bad = [{**CRITERIA[0], "weight": 50}, CRITERIA[1], {**CRITERIA[2], "max": 0}]
    message = refused_zh(lambda: services.create_panel(
        actor=pn.sd.province_admin, campaign=pn.hw.pioneer, allocation=pn.hw.root(), name="第二评审组",
        mode="score", criteria=bad), "criteria")
    assert "权重" in message and "110" in message and "100" in message
    assert "满分" in message  # the maximum of 0, in the same refusal


def test_a_panel_name_is_given_once_per_level(pn):
    assert "省工人先锋号评审组" in refused_zh(lambda: services.create_panel(
        actor=pn.sd.province_admin, campaign=pn.hw.pioneer, allocation=pn.hw.root(), name="省工人先锋号评审组",
        mode="vote"), "name")


def test_only_the_levels_cadres_set_up_its_panel(pn):
    with pytest.raises(PermissionDeniedError):
        services.create_panel(actor=pn.sd.jinan_cadre, campaign=pn.hw.pioneer, allocation=pn.hw.root(),
                              name="越级评审组", mode="vote")
    with pytest.raises(PermissionDeniedError):  # a sibling city
        services.create_panel(actor=pn.sd.qingdao_cadre, campaign=pn.hw.pioneer, allocation=pn.hw.share(pn.sd.jinan),
                              name="青岛越权", mode="vote")


def test_a_level_of_another_campaign_is_refused(pn):
    other = pn.hw.root(pn.hw.medal)
    refused_zh(lambda: services.create_panel(actor=pn.sd.province_admin, campaign=pn.hw.pioneer, allocation=other,
                                             name="错配评审组", mode="vote"), "allocation")


def test_a_member_must_be_an_account_of_the_levels_reach(pn):
    outsider = expert(pn.sd.qd_enterprise, "qd_worker", "青岛职工")
    message = refused_zh(lambda: services.add_panel_member(actor=pn.sd.jinan_cadre, panel=pn.vote_panel,
                                                           user=outsider), "user")
    assert "济南市总工会" in message
    refused_zh(lambda: services.add_panel_member(actor=pn.sd.province_admin, panel=pn.panel, user=pn.expert),
               "user")  # twice


def test_a_new_chair_replaces_the_old_one(pn):
    services.add_panel_member(actor=pn.sd.province_admin, panel=pn.panel, user=pn.others[0], chair=True)
    assert list(PanelMember.objects.filter(panel=pn.panel, is_chair=True).values_list("user", flat=True)) == [
        pn.others[0].pk]


def test_a_member_scores_and_scores_again(pn):
    s = services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.steel_n,
                                points={"c1": "30", "c2": 25, "c3": 10})
    assert (s.points, s.total_cents) == ({"c1": 30, "c2": 25, "c3": 10}, 7250)
    services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.steel_n, points=FULL)
    assert PanelScore.objects.get().total_cents == 10000


def test_a_score_over_the_maximum_is_refused_on_its_criterion(pn):
    message = refused_zh(lambda: services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.steel_n,
                                                         points={"c1": 41, "c2": 50, "c3": 11}), "c1")
    assert "先进事迹" in message and "40" in message and "示范作用" in message  # both at once


def test_a_non_member_cannot_score(pn):
    message = refused_zh(lambda: services.score_in_panel(actor=pn.jinan_member, panel=pn.panel,
                                                         nomination=pn.steel_n, points=FULL), "member",
                         permission=True)
    assert "省工人先锋号评审组" in message


def test_a_member_who_declared_a_conflict_cannot_score_and_their_score_is_withdrawn(pn):
    services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.qingdao_n, points=FULL)
    services.declare_panel_conflict(actor=pn.expert, panel=pn.panel, nomination=pn.qingdao_n, reason="本人单位")
    assert not PanelScore.objects.exists()
    message = refused_zh(lambda: services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.qingdao_n,
                                                         points=FULL), "nomination", permission=True)
    assert "回避" in message or "利益冲突" in message
    refused_zh(lambda: services.declare_panel_conflict(actor=pn.expert, panel=pn.panel, nomination=pn.qingdao_n,
                                                       reason="再次"), "nomination")


def test_a_member_working_in_the_nominating_union_is_conflicted_without_declaring(pn):
    services.add_panel_member(actor=pn.sd.province_admin, panel=pn.panel, user=pn.sd.worker)  # 李强 of 济钢
    refused_zh(lambda: services.score_in_panel(actor=pn.sd.worker, panel=pn.panel, nomination=pn.steel_n,
                                               points=FULL), "nomination", permission=True)
    services.score_in_panel(actor=pn.sd.worker, panel=pn.panel, nomination=pn.private_n, points=FULL)


def test_a_conflict_needs_a_reason(pn):
    refused_zh(lambda: services.declare_panel_conflict(actor=pn.expert, panel=pn.panel, nomination=pn.steel_n,
                                                       reason="  "), "reason")


def test_a_closed_panel_takes_no_score(pn):
    services.close_panel(actor=pn.sd.province_admin, panel=pn.panel)
    message = refused_zh(lambda: services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.steel_n,
                                                         points=FULL), "panel")
    assert "已结束" in message or "关闭" in message
    refused_zh(lambda: services.close_panel(actor=pn.sd.province_admin, panel=pn.panel), "panel")
    refused_zh(lambda: services.add_panel_member(actor=pn.sd.province_admin, panel=pn.panel, user=pn.others[0]),
               "panel")


def test_a_nomination_outside_the_panels_set_is_refused(pn):
    draft = pn.hw.team_nomination(team=pn.sd.workshop, complete=False)
    refused_zh(lambda: services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=draft, points=FULL),
               "nomination")
    message = refused_zh(lambda: services.vote_in_panel(actor=pn.jinan_member, panel=pn.vote_panel,
                                                        nomination=pn.qingdao_n, choice="yes"), "nomination")
    assert "装卸一班" in message


def test_a_scoring_panel_takes_no_votes_and_a_vote_is_one_of_three(pn):
    refused_zh(lambda: services.vote_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.steel_n,
                                              choice="yes"), "panel")
    refused_zh(lambda: services.vote_in_panel(actor=pn.jinan_member, panel=pn.vote_panel, nomination=pn.private_n,
                                              choice="maybe"), "choice")


def test_removing_a_member_drops_their_scores(pn):
    services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.steel_n, points=FULL)
    services.remove_panel_member(actor=pn.sd.province_admin, member=pn.seat(pn.expert))
    assert not PanelScore.objects.exists()
    event = AuditEvent.objects.filter(verb="honours.panel.member_removed").get()
    assert event.after["scores"] == 1


def test_results_trim_from_five_members_and_leave_the_conflicted_out(pn):
    for u in pn.others:
        services.add_panel_member(actor=pn.sd.province_admin, panel=pn.panel, user=u)
    sheets = {pn.chair: {"c1": 40, "c2": 50, "c3": 10}, pn.expert: {"c1": 20, "c2": 25, "c3": 5},
              pn.others[0]: {"c1": 30, "c2": 30, "c3": 6}, pn.others[1]: {"c1": 32, "c2": 40, "c3": 8},
              pn.others[2]: {"c1": 0, "c2": 0, "c3": 0}}
    for who, pts in sheets.items():
        services.score_in_panel(actor=who, panel=pn.panel, nomination=pn.steel_n, points=pts)
    services.score_in_panel(actor=pn.chair, panel=pn.panel, nomination=pn.private_n, points=FULL)
    services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.private_n, points=FULL)
    services.declare_panel_conflict(actor=pn.expert, panel=pn.panel, nomination=pn.private_n, reason="曾在该单位任职")
    res = reads.results(pn.panel)
    by = {row.nomination.pk: row for row in res.rows}
    steel = by[pn.steel_n.pk]
    # totals 100, 50, 66, 80, 0: the highest and lowest dropped → mean of 50, 66, 80
    assert (steel.result.mean, steel.result.count, steel.result.trimmed) == (Decimal("65.33"), 5, True)
    assert steel.means["c1"] == Decimal("24.40")
    assert (by[pn.private_n.pk].result.mean, by[pn.private_n.pk].result.count) == (Decimal("100.00"), 1)
    assert [row.rank for row in res.rows] == [1, 2, None]
    assert res.conflicts == [{"member": "钱专家", "nomination": "装配一班", "reason": "曾在该单位任职",
                              "automatic": False}]
    assert by[pn.private_n.pk].conflicted == 1


def test_a_vote_tally_counts_only_the_members_entitled(pn):
    others = [expert(pn.sd.lixia, f"jn_{i}", f"济南专家{i}") for i in range(3)]
    for u in others:
        services.add_panel_member(actor=pn.sd.jinan_cadre, panel=pn.vote_panel, user=u)
    for u, choice in zip(others, ("yes", "yes", "no"), strict=True):
        services.vote_in_panel(actor=u, panel=pn.vote_panel, nomination=pn.steel_n, choice=choice)
    res = reads.results(pn.vote_panel)
    steel = next(r for r in res.rows if r.nomination.pk == pn.steel_n.pk)
    # 郑专家 works at 济钢: 3 entitled, all voted, 2 of 3 in favour
    assert (steel.tally.entitled, steel.tally.yes, steel.tally.quorum, steel.tally.passed) == (3, 2, True, True)
    assert res.conflicts[0]["automatic"] is True


def test_a_members_list_shows_conflicts_and_what_is_done(pn):
    services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.steel_n, points=FULL)
    services.declare_panel_conflict(actor=pn.expert, panel=pn.panel, nomination=pn.qingdao_n, reason="同一集团")
    listed = {a.nomination.pk: a for a in reads.assignments(pn.seat(pn.expert))}
    assert listed[pn.steel_n.pk].done and listed[pn.steel_n.pk].total == Decimal(100)
    assert listed[pn.qingdao_n.pk].conflict == "同一集团"
    assert reads.pending(pn.expert) == [(pn.panel, 1)]
    assert PanelConflict.objects.count() == 1
    assert Nomination.objects.count() == 3
