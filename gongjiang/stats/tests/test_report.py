"""The annual report: each area of work with its figures beside another year and their definitions, the unions
below, the union's own words (written by its cadres only, audited, bad input refused in Chinese and nothing
changed), the PDF and the workbook; scoped like every cadre page."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.stats import services
from gongjiang.stats.models import Narrative
from gongjiang.stats.queries import report as r

URL = reverse("stats:report")
SAVE = reverse("stats:report_narrative")


def chinese(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(user)
    return c


def test_the_report_sets_each_area_beside_the_year_before_with_the_unions_below(filled):
    rep = r.annual(filled.province, 2026)
    assert rep.compare == 2025 and [s.app for s in rep.sections] == ["alpha", "beta"]
    alpha, beta = rep.sections
    held = {line.metric.key: line for line in alpha.lines}["alpha.held"]
    assert (held.value, held.compared, held.change) == (7, 1, Decimal("600.0"))
    assert [line.metric.key for line in beta.lines] == ["beta.benefit"]
    assert beta.lines[0].value == Decimal("123.46") and beta.lines[0].unit == "万元"
    assert [c.org for c in alpha.children] == [filled.jinan, filled.qingdao]  # the regional tree
    assert [c.values for c in alpha.children] == [[3, 40], [3, 0]] and alpha.total == [7, 40]
    # compared with another year: 2024 had only the steel union's benefit
    old = r.annual(filled.province, 2026, compare=2024)
    assert old.sections[1].lines[0].compared == Decimal("5.00")
    # a city with nothing in either year names its metrics once instead of a table of zeros
    empty = r.annual(filled.qingdao, 2024, compare=2023)
    assert all(not s.lines for s in empty.sections) and [m.key for m in empty.sections[0].quiet] == [
        "alpha.held", "alpha.people"]


def test_the_page_pdf_and_workbook(filled):
    c = chinese(filled.province_admin)
    page = c.get(URL, {"org": filled.province.pk, "year": "2026"})
    text = page.content.decode()
    assert page.status_code == 200 and "年度经济技术工作统计报告" in text and "举办的活动次数" in text
    assert "济南市总工会" in text and 'name="text"' in text  # the unions below; the province's cadre may write
    pdf = c.get(URL, {"org": filled.province.pk, "year": "2026", "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    book = c.get(URL, {"org": filled.province.pk, "year": "2026", "compare": "2024", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[3:5] == ["2026", "2024"] and sheet.max_row == 1 + 3


def test_a_bad_year_is_answered_in_chinese(filled):
    c = chinese(filled.province_admin)
    for bad in ("2026-03", "1999", "二〇二六", "2099"):
        page = c.get(URL, {"org": filled.province.pk, "year": bad})
        assert page.status_code == 422 and 'class="alert alert-error"' in page.content.decode(), bad


def test_the_report_is_scoped(client, filled):
    assert client.get(URL, {"org": filled.province.pk}).status_code == 302  # to log in
    assert chinese(filled.jinan_cadre).get(URL, {"org": filled.qingdao.pk}).status_code == 404
    assert chinese(filled.worker).get(URL, {"org": filled.steel.pk}).status_code in (403, 404)
    viewer = chinese(filled.jinan_viewer).get(URL, {"org": filled.jinan.pk, "year": "2026"})
    assert viewer.status_code == 200 and 'name="text"' not in viewer.content.decode()  # reads, does not write


def test_a_cadre_writes_the_text_audited_and_it_is_printed(filled):
    c = chinese(filled.jinan_cadre)
    done = c.post(SAVE, {"org": filled.jinan.pk, "year": "2026", "section": "alpha",
                         "text": "全年围绕高质量发展开展劳动竞赛。"})
    assert done.status_code == 302 and "#section-alpha" in done["Location"]
    saved = Narrative.objects.get(org=filled.jinan, year=2026, section="alpha")
    assert saved.text == "全年围绕高质量发展开展劳动竞赛。"
    assert AuditEvent.objects.filter(verb="stats.narrative.saved").count() == 1
    rep = r.annual(filled.jinan, 2026)
    assert rep.sections[0].narrative == "全年围绕高质量发展开展劳动竞赛。"
    c.post(SAVE, {"org": filled.jinan.pk, "year": "2026", "section": "", "text": "总体情况"})
    assert r.annual(filled.jinan, 2026).overview == "总体情况"


@pytest.mark.parametrize(("persona", "target", "data", "message"), [
    ("jinan_viewer", "jinan", {"year": "2026", "section": ""}, None),  # a viewer may not write
    ("jinan_cadre", "jinan", {"year": "2026", "section": "gamma"}, "报告中没有"),
    ("jinan_cadre", "jinan", {"year": "1999", "section": ""}, None),
    ("jinan_cadre", "jinan", {"year": "2026", "section": "", "text": "字" * 5001}, "最多"),
])
def test_bad_writes_change_nothing(filled, persona, target, data, message):
    c = chinese(getattr(filled, persona))
    answer = c.post(SAVE, {"org": getattr(filled, target).pk, "text": "文字", **data}, follow=True)
    assert not Narrative.objects.exists() and not AuditEvent.objects.filter(verb="stats.narrative.saved").exists()
    if message:
        assert message in answer.content.decode()
    assert chinese(filled.jinan_cadre).post(SAVE, {"org": filled.qingdao.pk, "year": "2026", "section": "",
                                                   "text": "x"}).status_code == 404


def test_the_verb_refuses_out_of_scope_and_unknown_sections(filled):
    with pytest.raises(PermissionDeniedError):
        services.save_narrative(actor=filled.jinan_cadre, org=filled.qingdao, year=2026, section="", text="x")
    with pytest.raises(DomainError) as e:
        services.save_narrative(actor=filled.jinan_cadre, org=filled.jinan, year=2026, section="nope", text="x")
    assert e.value.field == "section" and not Narrative.objects.exists()
