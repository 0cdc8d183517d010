"""The case pages in Chinese: the generic msgids "step", "result" and "filed on" are translated elsewhere as a
competition's 分值步长 and 抽签结果 and a contract's 备案日期, so a worker's phone page read “分值步长：已结案” and
“抽签结果：全部解决”. The case pages, forms and export take them in the context "rights case"."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from .case_factories import closed, phone_case

WRONG = ("分值步长", "抽签结果", "备案日期", "履历")


def _zh(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(user)
    return c


def test_the_worker_s_phone_page_says_step_and_result_in_the_case_s_words(sd):
    case = closed(sd, phone_case(sd, ask_county=True))
    page = _zh(sd.worker).get(reverse("rights:my_case", args=[case.pk])).content.decode()
    assert "办理环节" in page and "办理结果" in page and "登记日期" in page and "办理经过" in page
    assert not [w for w in WRONG if w in page]


def test_the_county_s_pages_and_export_say_step_and_result_in_the_case_s_words(sd):
    case = phone_case(sd, ask_county=True)
    cadre = _zh(sd.county_cadre)
    page = cadre.get(reverse("rights:case_detail", args=[case.pk])).content.decode()
    assert "办理环节" in page and "办理经过" in page
    assert not [w for w in WRONG if w in page]
    closed(sd, case)
    page = cadre.get(reverse("rights:case_detail", args=[case.pk])).content.decode()
    assert "办理结果" in page and not [w for w in WRONG if w in page]
    listed = cadre.get(reverse("rights:case_list")).content.decode()
    assert "办理环节" in listed and not [w for w in WRONG if w in listed]
    export = cadre.get(reverse("rights:case_list") + f"?org={sd.lixia.pk}&export=xlsx")
    assert export.status_code == 200, export.status_code
    header = [v for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(max_row=3, values_only=True)
              for v in row]
    assert "办理环节" in header and "办理结果" in header and not [w for w in WRONG if w in header]
