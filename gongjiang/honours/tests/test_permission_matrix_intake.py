"""The permission matrix of the intake (DESIGN §4.7), beside the verbs' matrix (test_permission_matrix.py): the
nominations import (started through core's framework: its `check_start`), its pages and endpoints, and the
suggestions' page and endpoint. Each row is tried by an anonymous visitor, a cadre of another city (Qingdao), a
viewer of Jinan, a worker of 济钢 and the private enterprise's cadre of 历下 (beside 济钢): each is refused (a login,
a 403 or a 404: nothing out of scope is shown) and nothing changes; the right actor succeeds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.models import ImportJob
from gongjiang.honours import imports
from gongjiang.orgs.tests.factories import id_number, xlsx_upload
from gongjiang.orgs.tests.test_api import Api

from .test_permission_matrix import actor
from .test_services import rows

HEADERS = [c.header for c in imports.nomination_import.columns]
OUTSIDERS = ("anonymous", "qingdao_cadre", "jinan_viewer", "worker", "private_cadre")


def _file() -> Any:
    return xlsx_upload(HEADERS, [["个人", id_number(), "无名", "", "", "", "否", "8", "无", ""]], "名单.xlsx")


def test_the_import_is_refused_to_every_outsider_and_nothing_changes(hw):
    before = rows()
    for persona in OUTSIDERS:
        with pytest.raises(PermissionDeniedError):
            imports.start_nomination_import(actor=actor(hw, persona), unit=hw.sd.steel, campaign=hw.medal,
                                            upload=_file())
    assert rows() == before and not ImportJob.objects.exists()
    job = imports.start_nomination_import(actor=hw.sd.enterprise_cadre, unit=hw.sd.steel, campaign=hw.medal,
                                          upload=_file())
    assert job.state == ImportJob.State.INVALID  # the right actor's file is read (its one row is unknown)


def test_a_county_cadre_imports_for_an_enterprise_below_and_a_city_for_none_of_another(hw):
    """Who changes a union imports for it: 历下's cadre for 济钢 (below), not Qingdao's."""
    job = imports.start_nomination_import(actor=hw.sd.county_cadre, unit=hw.sd.steel, campaign=hw.medal,
                                          upload=_file())
    assert job.org_id == hw.sd.steel.pk
    with pytest.raises(PermissionDeniedError):
        imports.start_nomination_import(actor=hw.sd.qingdao_cadre, unit=hw.sd.steel, campaign=hw.medal,
                                        upload=_file())


Page = Callable[[Any], tuple[str, set[str]]]  # hw -> (address, the outsiders that may see it)
PAGES: dict[str, Page] = {
    "import": lambda hw: (reverse("honours:campaign_import", args=[hw.medal.pk]) + f"?unit={hw.sd.steel.pk}",
                          set()),
    "import_template": lambda hw: (reverse("honours:import_template", args=[hw.medal.pk]),
                                   {"qingdao_cadre", "jinan_viewer", "private_cadre"}),
    "suggestions": lambda hw: (reverse("honours:campaign_suggestions", args=[hw.medal.pk])
                               + f"?unit={hw.sd.steel.pk}", {"jinan_viewer"}),
}


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_intake_pages_are_refused_to_outsiders(hw, name, persona, client):
    url, allowed = PAGES[name](hw)
    if persona != "anonymous":
        client.force_login(actor(hw, persona))
    status = client.get(url).status_code
    if persona == "anonymous":
        assert status == 302
    elif persona in allowed:
        assert status == 200  # the template holds no data; a viewer of Jinan reads its subtree's suggestions
    else:
        assert status in (403, 404), status


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_right_actor_opens_the_intake_pages(hw, name, client):
    url, _allowed = PAGES[name](hw)
    client.force_login(hw.sd.enterprise_cadre)
    assert client.get(url).status_code == 200


def test_an_import_job_is_seen_by_its_union_and_those_above_only(hw, client):
    job = imports.start_nomination_import(actor=hw.sd.enterprise_cadre, unit=hw.sd.steel, campaign=hw.medal,
                                          upload=_file())
    url = reverse("honours:import_status", args=[job.pk])
    for persona, status in (("jinan_cadre", 200), ("county_cadre", 200), ("qingdao_cadre", 404),
                            ("private_cadre", 404), ("worker", 404)):
        client.force_login(actor(hw, persona))
        assert client.get(url).status_code == status, persona


def test_the_intake_endpoints_are_refused_to_outsiders(hw):
    before = rows()
    for persona in ("qingdao_cadre", "private_cadre", "worker"):
        api = Api(actor(hw, persona))
        r = api.upload(f"/honours/campaigns/{hw.medal.pk}/imports", {"unit_id": hw.sd.steel.pk, "file": _file()})
        assert r.status_code in (403, 404), (persona, r.status_code)
        s = api.get(f"/honours/campaigns/{hw.medal.pk}/suggestions", unit_id=hw.sd.steel.pk)
        assert s.status_code in (403, 404), (persona, s.status_code)
    viewer = Api(hw.sd.jinan_viewer).upload(f"/honours/campaigns/{hw.medal.pk}/imports",
                                            {"unit_id": hw.sd.steel.pk, "file": _file()})
    assert viewer.status_code == 403
    assert Api().get(f"/honours/campaigns/{hw.medal.pk}/suggestions", unit_id=hw.sd.steel.pk).status_code == 401
    assert rows() == before and not ImportJob.objects.exists()
