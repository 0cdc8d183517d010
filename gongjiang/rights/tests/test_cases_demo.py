"""The rights cases of the demo at the tiny scale: every step and result present, cases waiting and overdue in 历下区
for its rights officer, the worker persona's own cases (handled by the county through the verbs, he is told), the
fact store right."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongjiang.core.models import Notification
from gongjiang.orgs import facts
from gongjiang.orgs.models import User
from gongjiang.rights.models import Case
from gongjiang.rights.queries import cases as queries


class _Null:
    def write(self, *_a: object) -> None: ...

    def flush(self) -> None: ...


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["rights"], stdout=_Null())


def test_the_cases_demo(tiny, client):
    assert facts.differences(["rights"]) == {}
    assert Case.objects.count() >= 60
    assert set(Case.objects.values_list("step", flat=True)) >= {"filed", "accepted", "closed"}
    assert Case.objects.filter(employer=None).exists() and Case.objects.filter(ask_county=True).exists()
    officer = User.objects.get(username="lixia_rights")
    waiting, overdue = queries.waiting(officer)
    assert waiting + overdue > 0
    client.force_login(officer)
    page = client.get(reverse("rights:case_list"))
    assert page.status_code == 200 and page.context["page"].object_list
    worker = User.objects.get(username="worker")
    mine = list(Case.objects.own(worker))
    assert len(mine) == 2 and {c.step for c in mine} == {"investigating", "closed"}
    assert Notification.objects.filter(recipient=worker, verb="rights.case.closed").exists()
    client.force_login(worker)
    assert client.get(reverse("rights:my_case", args=[mine[0].pk])).status_code == 200
