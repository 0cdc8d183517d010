"""The 6·18 exhibition's pages: the organiser's page and the lists in a constant number of queries whatever their
length, the catalogue, suggestions and matches exported to Excel, an enterprise union entering an offer (bad input
shown on the form naming the field, nothing changed), the organiser checking it, a match made from a suggestion, a
meeting requested and answered and the outcome recorded through the pages, and the menu."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.core import registry
from gongjiang.innovation import services
from gongjiang.innovation.choices import EntryState, MatchState
from gongjiang.innovation.models import Match, Offer

from .test_services import rows


def as_(client, user):
    client.force_login(user)
    return client


def _more(ex, n: int, start: int = 0) -> None:
    """n more accepted offers of 济钢 and needs of 济南重工, each pair matched."""
    for i in range(start, start + n):
        o = services.check_offer(actor=ex.organiser, accept=True, offer=ex.offer(f"余热回收技术{i}号"))
        nd = services.check_need(actor=ex.organiser, accept=True, need=ex.need(f"余热回收改造{i}号"))
        services.confirm_match(actor=ex.organiser, offer=o, need=nd)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q.captured_queries)


def test_the_organisers_pages_take_a_constant_number_of_queries(client, ex):
    _more(ex, 2)
    c = as_(client, ex.organiser)
    e = ex.exhibition
    urls = [reverse(f"innovation:{name}", args=[e.pk]) for name in (
        "exhibition_detail", "exhibition_offers", "exhibition_needs", "exhibition_matches", "exhibition_suggestions",
        "exhibition_slots")] + [reverse("innovation:exhibition_list")]
    before = {u: _count(c, u) for u in urls}
    _more(ex, 4, start=2)
    services.request_meeting(actor=ex.partner_cadre, match=Match.objects.first(), starts_at=e.slots()[0])
    after = {u: _count(c, u) for u in urls}
    assert after == before


def test_an_enterprise_unions_page_takes_a_constant_number_of_queries(client, ex):
    _more(ex, 2)
    c = as_(client, ex.sd.enterprise_cadre)
    url = reverse("innovation:exhibition_detail", args=[ex.exhibition.pk])
    before = _count(c, url)
    _more(ex, 4, start=2)
    assert _count(c, url) == before
    page = c.get(url).content.decode()
    assert "余热回收技术5号" in page and 'id="my-matches"' in page


def test_lists_export_what_they_show(client, ex):
    _more(ex, 2)
    c = as_(client, ex.organiser)
    e = ex.exhibition
    for name, header in (("exhibition_offers", "Achievement"), ("exhibition_needs", "Technical need"),
                         ("exhibition_matches", "Match state"), ("exhibition_suggestions", "Words in common")):
        r = c.get(reverse(f"innovation:{name}", args=[e.pk]), {"export": "xlsx"})
        assert r.status_code == 200, name
        sheet = load_workbook(io.BytesIO(r.content)).active
        assert header in [cell.value for cell in sheet[1]], name
    r = c.get(reverse("innovation:exhibition_offers", args=[e.pk]), {"export": "xlsx"})
    values = [row for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)]
    assert len(values) == 3 and ex.sd.worker_person.mobile in values[1]  # the organiser's export has the phone
    # a union's export: its own entries, no phone column
    r = as_(client, ex.partner_cadre).get(reverse("innovation:exhibition_needs", args=[e.pk]), {"export": "xlsx"})
    header = [cell.value for cell in load_workbook(io.BytesIO(r.content)).active[1]]
    assert "Contact's mobile" not in header


def test_a_union_enters_an_offer_and_bad_input_is_shown_on_the_form(client, ex):
    c = as_(client, ex.sd.enterprise_cadre)
    url = reverse("innovation:offer_create", args=[ex.exhibition.pk])
    assert c.get(url).status_code == 200
    before = rows()
    data = {"org": ex.sd.steel.pk, "title": "转炉煤气余热发电技术", "summary": "太短", "category": "energy",
            "mode": "licence", "price": "800000", "contact_name": "李强"}
    r = c.post(url, data)
    assert r.status_code == 400 and "at least 10 characters" in r.content.decode()
    r = c.post(url, {**data, "summary": "利用转炉煤气余热发电，吨钢回收电量提高30%。", "contact_name": "不存在的人"})
    assert r.status_code == 400 and "works in no unit" in r.content.decode()
    r = c.post(url, {**data, "summary": "利用转炉煤气余热发电，吨钢回收电量提高30%。", "price": "-5"})
    assert r.status_code == 400
    assert rows() == before
    r = c.post(url, {**data, "summary": "利用转炉煤气余热发电，吨钢回收电量提高30%。"})
    offer = Offer.objects.get()
    assert r.status_code == 302 and r["Location"] == offer.get_absolute_url()
    assert (offer.contact, offer.state) == (ex.sd.worker_person, EntryState.SUBMITTED)
    # the organiser returns it without a reason: refused, then accepts it
    c = as_(client, ex.organiser)
    check = reverse("innovation:offer_check", args=[offer.pk])
    r = c.post(check, {"decision": "return", "reason": ""}, follow=True)
    assert "Give the reason" in r.content.decode()
    c.post(check, {"decision": "accept"})
    offer.refresh_from_db()
    assert offer.state == EntryState.ACCEPTED


def test_a_returned_offer_is_corrected_on_its_prefilled_form_and_submitted_again(client, ex):
    offer = services.check_offer(actor=ex.organiser, offer=ex.offer("高炉煤气净化技术"), accept=False,
                                 reason="成果未经鉴定")
    edit = reverse("innovation:offer_edit", args=[offer.pk])
    c = as_(client, ex.sd.enterprise_cadre)
    page = c.get(offer.get_absolute_url()).content.decode()
    assert 'id="resubmit"' in page and edit in page
    r = c.get(edit)
    form = r.context["form"]
    assert r.status_code == 200 and "成果未经鉴定" in r.content.decode()
    assert (form["title"].value(), form["contact_name"].value(), form["mode"].value()) == (
        "高炉煤气净化技术", "李强", "licence")
    assert [o.pk for o in form.fields["org"].queryset] == [ex.sd.steel.pk]
    data = {"org": ex.sd.steel.pk, "title": "高炉煤气净化技术（已鉴定）", "summary": "短", "category": "energy",
            "mode": "cooperation", "contact_name": "李强"}
    before = rows()
    r = c.post(edit, data)
    assert r.status_code == 400 and "at least 10 characters" in r.content.decode() and rows() == before
    assert 'value="高炉煤气净化技术（已鉴定）"' in r.content.decode()
    r = c.post(edit, {**data, "summary": "高炉煤气干法除尘净化，2025年通过省级科技成果鉴定。"})
    offer.refresh_from_db()
    assert r.status_code == 302 and (offer.state, offer.title) == (EntryState.SUBMITTED, "高炉煤气净化技术（已鉴定）")
    # waiting for the check again: no longer editable — the page says why
    r = c.get(edit, follow=True)
    assert r.redirect_chain and any(m.level_tag == "error" for m in r.context["messages"])
    assert 'id="resubmit"' not in c.get(offer.get_absolute_url()).content.decode()
    # another enterprise's union never reaches it; a viewer above it may not correct it
    assert as_(client, ex.partner_cadre).get(edit).status_code == 404
    services.check_offer(actor=ex.organiser, offer=offer, accept=False, reason="仍需补充检测报告")
    assert as_(client, ex.sd.jinan_viewer).get(edit).status_code == 403


def test_an_offer_after_the_deadline_is_refused_on_the_page(client, ex):
    e = ex.exhibition
    e.registration_deadline = timezone.localdate() - timezone.timedelta(days=1)
    e.save(update_fields=["registration_deadline"])
    c = as_(client, ex.sd.enterprise_cadre)
    before = rows()
    r = c.post(reverse("innovation:offer_create", args=[e.pk]), {
        "org": ex.sd.steel.pk, "title": "转炉煤气余热发电技术",
        "summary": "利用转炉煤气余热发电，吨钢回收电量提高30%。", "category": "energy", "mode": "licence",
        "contact_name": "李强"})
    assert r.status_code == 400 and "closed on" in r.content.decode()
    assert rows() == before


def test_a_match_goes_from_suggestion_to_signature_through_the_pages(client, ex):
    offer, need = ex.pair()
    c = as_(client, ex.organiser)
    e = ex.exhibition
    page = c.get(reverse("innovation:exhibition_detail", args=[e.pk])).content.decode()
    assert offer.title in page and "余热发电" in page  # the suggestion with its words in common
    r = c.post(reverse("innovation:match_make", args=[e.pk]), {"offer": offer.pk, "need": need.pk})
    m = Match.objects.get()
    assert r["Location"] == m.get_absolute_url()
    partner = as_(client, ex.partner_cadre)
    slot = e.slots()[2]
    partner.post(reverse("innovation:meeting_request", args=[m.pk]), {"starts_at": slot.isoformat()})
    meeting = m.meetings.get()
    assert meeting.starts_at == slot
    steel = as_(client, ex.sd.enterprise_cadre)
    steel.post(reverse("innovation:meeting_answer", args=[m.pk, meeting.pk]), {"decision": "accept"})
    # signing before meeting: refused on the page, nothing changed
    before = rows()
    r = steel.post(reverse("innovation:match_sign", args=[m.pk]), {
        "contract_value": "650000", "signed_on": timezone.localdate().isoformat()}, follow=True)
    assert "no step can be skipped" in r.content.decode()
    assert rows() == before
    steel.post(reverse("innovation:match_met", args=[m.pk]), {"met_on": timezone.localdate().isoformat()})
    r = steel.post(reverse("innovation:match_sign", args=[m.pk]), {
        "contract_value": "", "signed_on": timezone.localdate().isoformat()}, follow=True)
    assert "Give the contract value" in r.content.decode()
    steel.post(reverse("innovation:match_sign", args=[m.pk]), {
        "contract_value": "650000", "signed_on": timezone.localdate().isoformat()})
    m.refresh_from_db()
    assert (m.state, m.contract_value) == (MatchState.SIGNED, Decimal(650000))
    figures = steel.get(reverse("innovation:figures"), {"org": ex.sd.steel.pk}).content.decode()
    assert 'id="expo-figures"' in figures and "65.00" in figures


def test_the_menu_has_the_exhibition_for_cadres_only(ex):
    items = [i for i in registry.nav_items() if i.url_name == "innovation:exhibition_list"]
    assert len(items) == 1
    assert items[0].visible(ex.sd.enterprise_cadre) and not items[0].visible(ex.inn.colleague_user)


def test_a_meeting_request_waits_on_the_other_unions_page(client, ex):
    m = ex.match()
    services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0])
    url = reverse("innovation:exhibition_detail", args=[ex.exhibition.pk])
    page = as_(client, ex.sd.enterprise_cadre).get(url).content.decode()
    assert 'id="meetings-asked"' in page and m.get_absolute_url() in page
    assert 'id="meetings-asked"' not in as_(client, ex.partner_cadre).get(url).content.decode()


def test_either_side_cancels_an_accepted_meeting_on_the_match_page(client, ex):
    m = ex.match()
    meeting = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0])
    services.accept_meeting(actor=ex.sd.enterprise_cadre, meeting=meeting)
    cancel = reverse("innovation:meeting_cancel", args=[m.pk, meeting.pk])
    c = as_(client, ex.sd.enterprise_cadre)
    assert cancel in c.get(m.get_absolute_url()).content.decode()
    before = rows()
    r = c.post(cancel, {"reason": ""}, follow=True)
    assert [str(x) for x in r.context["messages"] if x.level_tag == "error"] and rows() == before
    assert as_(client, ex.sd.jinan_viewer).post(cancel, {"reason": "不合适"}).status_code == 403
    assert rows() == before
    c = as_(client, ex.sd.enterprise_cadre)
    r = c.post(cancel, {"reason": "设备检修，改约时间"}, follow=True)
    meeting.refresh_from_db()
    assert meeting.state == "cancelled" and "设备检修，改约时间" in r.content.decode()
    assert cancel not in r.content.decode()  # no second cancel offered
    grid = c.get(reverse("innovation:exhibition_slots", args=[ex.exhibition.pk])).content.decode()
    assert "设备检修" not in grid  # a cancelled meeting holds no table


def test_suggestions_are_stored_by_the_verbs_and_no_page_scores_the_catalogue(client, ex, monkeypatch,
                                                                               django_assert_num_queries):
    """The suggestions are kept as rows by the verbs that change the catalogue (an entry accepted, a match made) —
    always what the rule gives now — and read by the pages in one query: a page view never scores the catalogue,
    and the suggestions page costs the same few queries for two entries or twenty."""
    from gongjiang.innovation import queries, suggestions
    from gongjiang.innovation.models import Suggestion
    from gongjiang.innovation.rules import matching

    def fresh() -> list[tuple[int, int, float]]:
        return [(x.offer_id, x.need_id, x.score) for x in suggestions.compute(ex.exhibition)]

    def stored() -> list[tuple[int, int, float]]:
        return list(Suggestion.objects.filter(exhibition=ex.exhibition).values_list("offer_id", "need_id", "score"))

    o, n = ex.pair()
    assert stored() == fresh() and (o.pk, n.pk) in [(a, b) for a, b, _s in stored()]
    services.confirm_match(actor=ex.organiser, offer=o, need=n)
    assert stored() == fresh() and (o.pk, n.pk) not in [(a, b) for a, b, _s in stored()]

    def scored(*_a, **_k):
        raise AssertionError("a page scored the catalogue")

    c = as_(client, ex.organiser)
    url = reverse("innovation:exhibition_suggestions", args=[ex.exhibition.pk])
    for i in range(3):
        services.check_offer(actor=ex.organiser, accept=True, offer=ex.offer(f"余热回收技术{i}号"))
        services.check_need(actor=ex.organiser, accept=True, need=ex.need(f"余热回收改造{i}号"))
    assert stored() == fresh() and len(stored()) >= 6
    with monkeypatch.context() as m:
        m.setattr(matching, "suggest", scored)
        connection.queries_log.clear()  # a full log (9,000 queries) would count nothing
        with CaptureQueriesContext(connection) as few:
            r = c.get(url)
        bound = len(few.captured_queries)
        assert r.status_code == 200 and bound > 0 and "余热回收技术2号" in r.content.decode()
        for name in ("exhibition_detail", "exhibition_suggestions"):
            assert c.get(reverse(f"innovation:{name}", args=[ex.exhibition.pk])).status_code == 200
        assert c.get(reverse("innovation:offer_detail", args=[o.pk])).status_code == 200
        as_(client, ex.sd.enterprise_cadre)
        assert client.get(reverse("innovation:exhibition_detail", args=[ex.exhibition.pk])).status_code == 200
        assert queries.suggestions(ex.organiser, ex.exhibition)
    for i in range(3, 12):
        services.check_offer(actor=ex.organiser, accept=True, offer=ex.offer(f"余热回收技术{i}号"))
        services.check_need(actor=ex.organiser, accept=True, need=ex.need(f"余热回收改造{i}号"))
    c = as_(client, ex.organiser)
    connection.queries_log.clear()
    with monkeypatch.context() as m:
        m.setattr(matching, "suggest", scored)
        with django_assert_num_queries(bound):
            assert "余热回收技术11号" in c.get(url).content.decode()
