"""The care menu and demo: thresholds, household files across the province graded by the rules, yearly reviews,
exits with their reasons, requests waiting in the queues, the caseworker persona who sees her union's clear IDs;
the fact store agrees with the files."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongjiang.care.demo import CASEWORKER
from gongjiang.care.models import CareRequest, CareSetting, HouseholdFile, Member
from gongjiang.core import registry
from gongjiang.orgs import facts


class _Null:
    def write(self, *_a: object) -> None: ...

    def flush(self) -> None: ...


def test_the_menu_is_for_cadres(sd):
    nav = registry.navigation(sd.jinan_cadre, "care:file_list")
    section = next(s for s in nav if s["key"] == "care")
    assert [i["url"] for i in section["items"]] == [reverse("care:file_list"), reverse("care:queue"),
                                                    reverse("care:threshold"), reverse("care:programme_list"),
                                                    reverse("care:job_list")]
    assert not any(s["key"] == "care" for s in registry.navigation(sd.worker, "orgs:home"))


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["care"], stdout=_Null())


def test_the_demo_archive(tiny, client):
    from gongjiang.orgs.models import User

    assert CareSetting.objects.count() >= 2
    files = HouseholdFile.objects.all()
    assert files.count() >= 20 and Member.objects.count() > files.count()
    assert set(files.values_list("grade", flat=True)) <= {"deep", "relative", "sudden"}
    assert files.filter(status="exited").exclude(exit_reason="").count() == files.filter(status="exited").count()
    assert files.filter(reviewed_on__isnull=False).exists()
    assert CareRequest.objects.filter(state__in=("submitted", "checked")).exists()
    assert facts.differences(["care"]) == {}
    caseworker = User.objects.get(username=CASEWORKER)
    own = files.filter(caseworker=caseworker).first()
    if own is not None:
        client.force_login(caseworker)
        assert client.get(own.get_absolute_url() + "?ids=clear").status_code == 200
    admin = User.objects.get(username="province_admin")
    client.force_login(admin)
    assert client.get(reverse("care:file_list")).status_code == 200
    assert client.get(reverse("care:file_list") + "?due=1").status_code == 200
    assert any(p.username == CASEWORKER for p in registry.personas())
