"""The review's pages: the level's review list (its quota and what it forwarded per reserve, the filters, bulk
forward all or nothing) in a constant number of queries, the decision on a nomination's page (only for the level it
waits at), the organiser's shortlist page (publish, decide an objection, confer) and the certificate; the to-do."""

from __future__ import annotations

from django.urls import reverse

from gongjiang.core import notices, registry
from gongjiang.honours import services
from gongjiang.honours.choices import NominationState
from gongjiang.honours.models import Allocation, Nomination

from .test_review_services import end_notice, fresh, objection, shortlisted, submitted
from .test_services import rows


def test_the_county_reviews_its_list_and_forwards_the_selected(client, hw):
    a, b = submitted(hw), submitted(hw, team=hw.sd.workshop)
    client.force_login(hw.sd.county_cadre)
    url = reverse("honours:campaign_review", args=[hw.pioneer.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["level"] == hw.share(hw.sd.lixia)
    body = page.content.decode()
    assert a.name in body and b.name in body and "Places left to forward" in body
    Allocation.objects.filter(pk=hw.share(hw.sd.lixia).pk).update(reserve_non_public=2)
    before = rows()
    refused = client.post(url, {"ids": [a.pk, b.pk]}, follow=True)
    assert "Nothing was forwarded." in refused.content.decode() and rows() == before
    Allocation.objects.filter(pk=hw.share(hw.sd.lixia).pk).update(reserve_non_public=1)
    done = client.post(url, {"ids": [a.pk, b.pk]})
    assert done.status_code == 302 and fresh(a).at.org == hw.sd.jinan and fresh(b).at.org == hw.sd.jinan
    forwarded = client.get(url, {"state": "forwarded"})
    assert list(forwarded.context["rows"].object_list) == [a, b]
    assert list(client.get(url).context["rows"].object_list) == []


def test_a_union_without_a_share_has_no_review_and_others_do_not_see_the_list(client, hw):
    client.force_login(hw.sd.enterprise_cadre)
    assert client.get(reverse("honours:campaign_review", args=[hw.pioneer.pk])).status_code == 403
    client.force_login(hw.sd.worker)
    assert client.get(reverse("honours:campaign_review", args=[hw.pioneer.pk])).status_code == 404


def test_the_review_list_costs_the_same_for_one_or_many_nominations(client, hw, django_assert_max_num_queries):
    submitted(hw)
    client.force_login(hw.sd.county_cadre)
    url = reverse("honours:campaign_review", args=[hw.pioneer.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    submitted(hw, team=hw.sd.workshop)
    submitted(hw, team=hw.private_team, unit=hw.private, actor=hw.private_cadre)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_decision_form_is_shown_to_the_level_only_and_a_return_needs_a_reason(client, hw):
    n = submitted(hw)
    page = reverse("honours:nomination_detail", args=[n.pk])
    client.force_login(hw.sd.jinan_cadre)
    assert client.get(page).context["can_decide"] is False
    assert client.post(reverse("honours:nomination_decide", args=[n.pk]), {"decision": "forward"}).status_code == 403
    client.force_login(hw.sd.county_cadre)
    shown = client.get(page)
    assert shown.context["can_decide"] is True and 'id="decide-form"' in shown.content.decode()
    before = rows()
    bad = client.post(reverse("honours:nomination_decide", args=[n.pk]), {"decision": "return", "reason": ""},
                      follow=True)
    assert "Give the reason for returning the nomination." in bad.content.decode() and rows() == before
    client.post(reverse("honours:nomination_decide", args=[n.pk]), {"decision": "return", "reason": "缺少盖章"})
    assert fresh(n).state == NominationState.RETURNED
    client.force_login(hw.sd.enterprise_cadre)
    body = client.get(page).content.decode()
    assert "Returned for correction" in body and "缺少盖章" in body and 'id="submit"' in body


def test_the_quota_table_shows_forwarded_and_shortlisted(client, hw):
    shortlisted(hw)
    client.force_login(hw.sd.province_admin)
    page = client.get(reverse("honours:campaign_detail", args=[hw.pioneer.pk]))
    jinan = next(a for a in page.context["rows"] if a.org == hw.sd.jinan)
    assert (jinan.nominated, jinan.forwarded, jinan.shortlisted) == (1, 1, 1)
    assert 'id="review-link"' in page.content.decode() and 'id="shortlist-link"' in page.content.decode()


def test_the_organiser_publishes_decides_and_confers_on_the_shortlist_page(client, hw):
    n = shortlisted(hw)
    url = reverse("honours:campaign_shortlist", args=[hw.pioneer.pk])
    client.force_login(hw.sd.jinan_cadre)
    assert client.get(url).status_code == 403
    client.force_login(hw.sd.province_admin)
    assert client.post(url, {"step": "publish", "working_days": 5}).status_code == 302
    notice = notices.notice_of("honours.shortlist", hw.pioneer)
    public = client.get(reverse("core:public_notice", args=[notice.pk])).content.decode()
    assert n.name in public and "炼钢" in public
    assert hw.sd.worker_person.name not in public
    o = objection(notice)
    before = rows()
    bad = client.post(url, {"step": "decide", "objection": o.pk, "outcome": "upheld", "reply": "属实"})
    assert bad.status_code == 400 and "Choose the nomination the upheld objection concerns." in bad.content.decode()
    assert rows() == before
    refused = client.post(url, {"step": "confer"}, follow=True)
    assert "The public notice runs until" in refused.content.decode()
    assert client.post(url, {"step": "decide", "objection": o.pk, "outcome": "dismissed",
                             "reply": "经核实异议不成立"}).status_code == 302
    end_notice(notice)
    client.post(url, {"step": "confer"})
    page = client.get(url)
    row = page.context["rows"][0]
    assert row.state == NominationState.CONFERRED and row.certificate is not None
    verify = client.get(reverse("core:certificate_verify", args=[row.certificate.token]))
    assert verify.status_code == 200 and n.name in verify.content.decode()
    client.force_login(hw.sd.enterprise_cadre)
    detail = client.get(reverse("honours:nomination_detail", args=[n.pk]))
    assert detail.context["certificate"] == row.certificate
    pdf = client.get(reverse("honours:nomination_certificate", args=[n.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_todo_counts_what_waits_at_the_users_level(hw):
    submitted(hw)
    assert [t.count for t in registry.todo_items(hw.sd.county_cadre) if t.label.endswith("review.")] == [1]
    assert [t for t in registry.todo_items(hw.sd.jinan_cadre) if t.label.endswith("review.")] == []
    n = Nomination.objects.get()
    services.forward_nomination(actor=hw.sd.county_cadre, nomination=n)
    assert [t.count for t in registry.todo_items(hw.sd.jinan_cadre) if t.label.endswith("review.")] == [1]


def test_the_review_home_lists_the_campaigns_waiting(client, hw):
    submitted(hw)
    client.force_login(hw.sd.county_cadre)
    page = client.get(reverse("honours:review_home"))
    assert [(c.pk, c.waiting) for c in page.context["rows"]] == [(hw.pioneer.pk, 1)]
