"""The demo's review panel: the province's scoring panel of the 工人先锋号 campaign, five experts (one chairs) who
scored part of the submitted nominations, one conflict declared; the results page reads it for the province."""

from __future__ import annotations

from django.urls import reverse

from gongjiang.honours.models import Panel, PanelConflict, PanelScore
from gongjiang.honours.queries import panels as reads
from gongjiang.orgs.models import User

from .test_plugins_demo import tiny  # noqa: F401  (the fixture)


def test_the_demo_has_a_scoring_panel_of_five_with_part_scored_and_one_conflict(tiny, client):  # noqa: F811
    panel = Panel.objects.get()
    assert panel.scoring and sum(c["weight"] for c in panel.criteria) == 100
    assert panel.members.count() == 5 and panel.members.filter(is_chair=True).count() == 1
    assert PanelConflict.objects.count() == 1
    n = reads.panel_nominations(panel).count()
    scores = PanelScore.objects.count()
    assert 0 < scores < 5 * n  # part of them
    res = reads.results(panel)
    assert res.rows[0].rank == 1 and res.conflicts[0]["reason"] == "本人曾在该单位工作"
    client.force_login(User.objects.get(username="province_admin"))
    assert client.get(reverse("honours:panel_results", args=[panel.pk])).status_code == 200
    client.force_login(User.objects.get(username="pingshen5"))
    assert client.get(reverse("honours:panel_review", args=[panel.pk])).status_code == 200
