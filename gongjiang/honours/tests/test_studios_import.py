"""The Excel import of studios, as specifications: the province imports the studios it recognised (the host by its
code or its name, the lead by ID number); each becomes a registered studio through the verb (audited, counted).
Every bad input is refused on its row and column in Chinese and nothing is written; only a province or a city union,
by its cadres, starts it; the shared import page offers it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.honours import studio_imports
from gongjiang.honours.models import Studio
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.tests.factories import id_number, org, person, xlsx_upload

from .studio_factories import figure
from .test_services import rows

HEADERS = [c.header for c in studio_imports.studio_import.columns]
YEAR = timezone.localdate().year


def line(name: str = "周明劳模创新工作室", kind: str = "劳模创新工作室", level: str = "省级", year: Any = "2022",
         host: str = "E0001", lead: str = "", specialty: str = "电气自动化") -> list[Any]:
    return [name, kind, level, year, host, lead, specialty]


def worker(sd: Any, name: str = "周明", employer: Any = None) -> tuple[Any, str]:
    number = id_number()
    return person(employer or sd.team, name, id_number=number), number


def upload(sd: Any, lines: list[list[Any]], actor: Any = None, union: Any = None) -> ImportJob:
    return studio_imports.start_studio_import(actor=actor or sd.province_admin, union=union or sd.province,
                                              upload=xlsx_upload(HEADERS, lines, "工作室名单.xlsx"))


def refused(sd: Any, lines: list[list[Any]], **kw: Any) -> list[dict[str, Any]]:
    before = rows()
    with translation.override("zh-hans"):
        job = upload(sd, lines, **kw)
    assert job.state == ImportJob.State.INVALID, (job.state, job.message, job.errors)
    assert rows() == before
    return job.errors


def test_the_province_imports_its_studios(sd):
    zhou, zhou_id = worker(sd)
    _wang, wang_id = worker(sd, "王芳芳", sd.qd_enterprise)
    job = upload(sd, [line(lead=zhou_id),
                      line(name="港口装卸技能工作室", kind="高技能人才创新工作室", level="国家级", year="2020年",
                           host="青岛港集团有限公司工会", lead=wang_id, specialty="")])
    assert job.state == ImportJob.State.DONE, (job.message, job.errors)
    assert job.summary == {"created": 2}
    made = {s.name: s for s in Studio.objects.select_related("host", "lead")}
    assert (made["周明劳模创新工作室"].host, made["周明劳模创新工作室"].lead) == (sd.steel, zhou)
    assert (made["周明劳模创新工作室"].kind, made["周明劳模创新工作室"].level) == ("model", "province")
    assert made["港口装卸技能工作室"].host == sd.qd_enterprise and made["港口装卸技能工作室"].year == 2020
    assert made["港口装卸技能工作室"].level == "national"
    assert all(s.recognised_by == sd.province for s in made.values())
    assert AuditEvent.objects.filter(verb="honours.studio.registered").count() == 2
    assert AuditEvent.objects.filter(verb="import.honour_studios").count() == 1
    assert figure(sd.province, 2022, "province", "recognised") == 1


def test_a_city_imports_city_studios_but_not_provincial_ones(sd):
    _zhou, zhou_id = worker(sd)
    errors = refused(sd, [line(lead=zhou_id)], actor=sd.jinan_cadre, union=sd.jinan)
    assert [(e["row"], e["column"]) for e in errors] == [(2, "级别")]
    assert "济南市总工会" in errors[0]["message"]
    job = upload(sd, [line(level="市级", lead=zhou_id)], actor=sd.jinan_cadre, union=sd.jinan)
    assert job.state == ImportJob.State.DONE and Studio.objects.get().recognised_by == sd.jinan


def test_every_bad_cell_is_named_in_chinese_and_nothing_is_written(sd):
    _zhou, zhou_id = worker(sd)
    _other, other_id = worker(sd, "韩梅", sd.qd_enterprise)
    same = org(sd.qingdao, "济南钢铁集团有限公司工会", OrgKind.GRASSROOTS, "E0077")  # a second union of that name
    assert same
    errors = refused(sd, [
        line(lead=zhou_id),
        line(lead=zhou_id),  # the same studio twice in the file
        line(name="甲", kind="研究院", lead=zhou_id),
        line(name="乙", level="区级", lead=zhou_id),
        line(name="丙", year="二〇二二", lead=zhou_id),
        line(name="丁", year=str(YEAR + 1), lead=zhou_id),
        line(name="戊", host="E9999", lead=zhou_id),
        line(name="己", host="3701", lead=zhou_id),  # a city union, not an enterprise's
        line(name="庚", lead="370102199003071235"),  # a bad check digit
        line(name="辛", lead=other_id),  # works in Qingdao, not at 济钢
        line(name="壬", host="济南钢铁集团有限公司工会", lead=zhou_id),  # the name of two unions
        line(name="", lead=zhou_id),
    ])
    found = {(e["row"], e["column"]) for e in errors}
    assert found == {(3, "工作室名称"), (4, "类别"), (5, "级别"), (6, "命名年度"), (7, "命名年度"), (8, "依托单位"),
                     (9, "依托单位"), (10, "领办人身份证号"), (11, "领办人身份证号"), (12, "依托单位"),
                     (13, "工作室名称")}, errors
    text = {(e["row"], e["column"]): e["message"] for e in errors}
    assert "第2行" in text[(3, "工作室名称")] or "2" in text[(3, "工作室名称")]
    assert "E9999" in text[(8, "依托单位")] and "代码" in text[(12, "依托单位")]
    assert "名册" in text[(11, "领办人身份证号")]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e["message"]) for e in errors)  # Chinese, every one


def test_a_studio_already_registered_is_refused(sd):
    _zhou, zhou_id = worker(sd)
    assert upload(sd, [line(lead=zhou_id)]).state == ImportJob.State.DONE
    errors = refused(sd, [line(lead=zhou_id)])
    assert [(e["row"], e["column"]) for e in errors] == [(2, "工作室名称")]


@pytest.mark.parametrize("persona", ["jinan_cadre", "enterprise_cadre", "qingdao_cadre", "worker"])
def test_only_the_unions_cadres_start_it(sd, persona):
    before = rows()
    with pytest.raises(PermissionDeniedError):
        upload(sd, [line()], actor=getattr(sd, persona))  # into the province
    with pytest.raises(PermissionDeniedError):  # an enterprise does not recognise studios
        upload(sd, [line()], actor=sd.enterprise_cadre, union=sd.steel)
    assert rows() == before and not ImportJob.objects.exists()


def test_the_registry_links_the_shared_import_page(client, sd):
    client.force_login(sd.province_admin)
    page = client.get(reverse("honours:studio_list")).content.decode()
    url = f"{reverse('core:import_list')}?kind={studio_imports.KIND}&amp;org={sd.province.pk}"
    assert url in page
    form = client.get(f"{reverse('core:import_list')}?kind={studio_imports.KIND}&org={sd.province.pk}")
    assert form.status_code == 200 and "工作室名称" in form.content.decode()
    template = client.get(reverse("core:import_template", args=[studio_imports.KIND]))
    assert template.status_code == 200
    client.force_login(sd.enterprise_cadre)
    assert "kind=honour_studios" not in client.get(reverse("honours:studio_list")).content.decode()
