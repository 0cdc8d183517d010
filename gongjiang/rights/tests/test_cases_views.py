"""The rights-case pages: a worker files on the phone page and follows the steps; the county accepts, mediates and
closes on the case page (a refusal shown beside its field, nothing changed); the list's filters and figures; the
to-do."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongjiang.core import registry
from gongjiang.rights.models import Case

from .case_factories import PDF, accepted, closed, hotline_case


def test_a_worker_files_on_the_phone_and_follows_the_case(sd, client):
    client.force_login(sd.worker)
    page = client.get(reverse("rights:case_file"))
    assert page.status_code == 200 and "ask_county" in page.content.decode()
    r = client.post(reverse("rights:case_file"), {
        "kind": "wages", "summary": "三个月未发工资", "own_employer": "on", "people": 3, "migrants": 3,
        "claimed": "15000", "ask_county": "on", "files": [SimpleUploadedFile("工资条.pdf", PDF)]})
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("rights:my_case", args=[case.pk])
    assert case.handler == sd.lixia and case.documents.count() == 1 and case.channel == "phone"
    mine = client.get(reverse("rights:my_case", args=[case.pk])).content.decode()
    assert case.number in mine and 'id="case-steps"' in mine
    client.force_login(sd.county_cadre)
    detail = reverse("rights:case_detail", args=[case.pk])
    assert 'id="step-form"' in client.get(detail).content.decode()
    step = reverse("rights:case_action", args=[case.pk, "step"])
    assert client.post(step, {"step": "accepted"}).status_code == 302
    assert client.post(step, {"step": "mediating", "note": "约谈企业"}).status_code == 302
    close = reverse("rights:case_action", args=[case.pk, "close"])
    refused = client.post(close, {"result": "resolved", "recovered": "16000", "helped": 3})
    assert refused.status_code == 400 and "reason" in refused.context["form"].errors
    assert Case.objects.get().step == "mediating"
    empty = client.post(close, {})
    assert empty.status_code == 400 and "result" in empty.context["form"].errors
    assert client.post(close, {"result": "resolved", "recovered": "16000", "helped": 3,
                               "reason": "含经济补偿金"}).status_code == 302
    case.refresh_from_db()
    assert case.step == "closed" and case.recovered == Decimal("16000")
    client.force_login(sd.worker)
    assert "16000" in client.get(reverse("rights:my_case", args=[case.pk])).content.decode()


def test_a_refused_upload_files_nothing(sd, client):
    client.force_login(sd.worker)
    r = client.post(reverse("rights:case_file"), {
        "kind": "wages", "summary": "欠薪", "own_employer": "on", "people": 1, "migrants": 0,
        "files": [SimpleUploadedFile("工资条.pdf", b"MZ\x90\x00")]})
    assert r.status_code == 400 and not Case.objects.exists()


def test_the_list_filters_figures_and_to_do(sd, client):
    late = accepted(sd, hotline_case(sd))
    Case.objects.filter(pk=late.pk).update(due_on=datetime.date.today() - datetime.timedelta(days=2))
    closed(sd, hotline_case(sd, kind="injury", claimed=None), recovered=Decimal("50000"), helped=1)
    waiting = hotline_case(sd, kind="contract", migrants=0)
    client.force_login(sd.county_cadre)
    url = reverse("rights:case_list") + f"?org={sd.lixia.pk}"
    assert [c.pk for c, _seen in client.get(url + "&overdue=1").context["rows"]] == [late.pk]
    assert [c.pk for c, _seen in client.get(url + "&kind=contract").context["rows"]] == [waiting.pk]
    assert [c.pk for c, _seen in client.get(url + "&step=filed").context["rows"]] == [waiting.pk]
    assert waiting.pk not in [c.pk for c, _seen in client.get(url + "&migrant=1").context["rows"]]
    fig = client.get(url).context["figures"]
    assert fig.recovered == Decimal("50000") and fig.closed == 1 and fig.median_days == 0
    todo = {t.url: t.count for t in registry.todo_items(sd.county_cadre) if t.app == "rights"}
    assert todo[reverse("rights:case_list") + "?step=filed"] == 1
    assert todo[reverse("rights:case_list") + "?overdue=1"] == 1
