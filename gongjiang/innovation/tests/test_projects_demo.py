"""The demo's innovation projects: in the tiny demo province, at every stage (some stopped), a part started from
adopted proposals, each consistent (its last stage decision is its stage, one leader, spent within the grant), the
figures equal to a rebuild, the 济钢 cadre seeing them — and the same projects when the demo is loaded again."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse

from gongjiang.innovation.choices import ProjectRole, Stage
from gongjiang.innovation.models import Milestone, Project, StageDecision
from gongjiang.innovation.rules import projects as rules
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact


class _Null:
    def write(self, *_a: object) -> None:
        pass

    def flush(self) -> None:
        pass


def _load(reset: bool = False) -> None:
    call_command("load_demo", scale="tiny", include=["innovation"], reset=reset, stdout=_Null())


def _signature() -> list[tuple]:
    return list(Project.objects.order_by("pk").values_list("title", "stage", "holder", "org__code", "progress",
                                                            "requested", "granted", "spent"))


@pytest.fixture
def tiny(db):
    _load()


def test_the_demo_has_projects_at_every_stage_and_they_are_consistent(tiny, client):
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    started = Project.objects.filter(proposal__isnull=False).select_related("proposal__benefit")
    assert started.exists()
    assert all(rules.proposal_startable(p.proposal.state, p.proposal.benefit is not None) for p in started)
    for p in Project.objects.annotate(leaders=Count("members", filter=Q(members__role=ProjectRole.LEADER))):
        assert p.leaders == 1
        assert p.granted is None or p.spent <= p.granted
        assert StageDecision.objects.filter(project=p).order_by("decided_at", "id").last().stage == p.stage
    assert Milestone.objects.filter(done_on__isnull=True).exists()
    assert facts.differences(["innovation"]) == {}
    assert sum(Fact.objects.filter(org__depth=1, metric="innovation.projects_transferred", period="Y")
               .values_list("value", flat=True)) >= 1
    assert client.login(username="jigang", password="Gongjiang-2026")
    page = client.get(reverse("innovation:project_list"))
    assert page.status_code == 200 and "KT20" in page.content.decode()


def test_the_demo_projects_are_the_same_when_loaded_again(tiny):
    first = _signature()
    _load(reset=True)
    assert _signature() == first and first
