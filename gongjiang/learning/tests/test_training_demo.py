"""The training part's registrations (menu, person panel, demo loader) and the demo's sessions, pairs and materials:
held by the demo province's unions, attendees and apprentices of each union's reach, the figures equal to their
rebuild, and the demo worker with something on their pages."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from gongjiang.core import registry
from gongjiang.core.scoping import Scope
from gongjiang.learning.models import Attendance, Material, MaterialCompletion, MentorPair, TrainingSession
from gongjiang.learning.training_choices import PairState
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, Org, User


@pytest.fixture(autouse=True)
def _english_messages():
    """This part's tests read the Chinese messages the users get (overrides the package's English switch)."""
    yield


class _Null:
    def write(self, *_a: object) -> None: ...

    def flush(self) -> None: ...


def test_the_menu_for_cadres_and_workers(sd):
    def urls(user):
        return {i["url"] for s in registry.navigation(user, "learning:session_list") for i in s["items"]}

    cadre = urls(sd.jinan_cadre)
    assert {reverse("learning:session_list"), reverse("learning:pair_list"), reverse("learning:material_list")} <= cadre
    worker = urls(sd.worker)
    assert reverse("learning:material_list") in worker
    assert reverse("learning:session_list") not in worker and reverse("learning:pair_list") not in worker
    assert "learning.training" in {d.key for d in registry.demo_loaders()}


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["learning.training"], stdout=_Null())


def test_the_demo_has_sessions_pairs_and_materials_within_each_unions_reach(tiny):
    from django.test import Client

    client = Client()
    sessions = TrainingSession.objects.count()
    assert 300 <= sessions <= 500
    for a in Attendance.objects.select_related("session__org", "person__employer").order_by("?")[:300]:
        org, employer = a.session.org, a.person.employer
        assert Scope.of([org.path]).covers(employer.path, employer.industry_path)
    assert TrainingSession.objects.aggregate(n=Sum("attendee_count"))["n"] == Attendance.objects.count()
    pairs = MentorPair.objects.select_related("org", "apprentice__employer")
    assert 250 <= pairs.count() <= 320
    assert {PairState.ACTIVE, PairState.FINISHED, PairState.ENDED} <= set(pairs.values_list("state", flat=True))
    for p in pairs[:100]:
        assert p.mentor_id != p.apprentice_id and p.apprentice.employer.path.startswith(p.org.path)
    assert 35 <= Material.objects.count() <= 45
    assert Material.objects.aggregate(n=Sum("completions"))["n"] == MaterialCompletion.objects.count() > 0
    # The figures are the rebuild's.
    assert facts.differences(["learning"]) == {}
    province = Org.objects.get(depth=1)
    years = Fact.objects.filter(org=province, period="Y")
    total = {m: years.filter(metric=f"learning.{m}").aggregate(n=Sum("value"))["n"] for m in ("trainings",
                                                                                             "mentor_pairs")}
    assert (total["trainings"], total["mentor_pairs"]) == (sessions, pairs.count())
    hours = TrainingSession.objects.aggregate(n=Sum("person_hours"))["n"]
    assert years.filter(metric="learning.training_hours").aggregate(n=Sum("value"))["n"] == hours
    # The demo worker has training hours, a mentor, materials to mark.
    worker = User.objects.get(username="worker")
    assert Attendance.objects.filter(person_id=worker.person_id).exists()
    assert MentorPair.objects.filter(apprentice_id=worker.person_id).exists()
    client.force_login(worker)
    page = client.get(reverse("learning:material_list")).content.decode()
    assert "标记为已学完" in page or "已学完" in page
    own = client.get(reverse("orgs:person_detail", args=[worker.person_id])).content.decode()
    assert 'id="training-hours"' in own and "我的培训" in own
    # Wiped for a reset.
    registry.demo_loaders(["learning.training"])[-1].wipe()
    assert not TrainingSession.objects.exists() and not Material.objects.exists()
