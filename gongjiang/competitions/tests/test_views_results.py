"""The results pages as a specification: who reads a round's ranking and when, the public notice (公示) open to
anybody, appeals within the window and an upheld appeal changing a place, promotions, certificates with their
QR verification page, theory scores, the analysis and participation charts — and constant query counts."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongjiang.competitions import queries, services
from gongjiang.competitions.choices import AppealState, EntrySource, EntryStatus, PromotionState, RoundState
from gongjiang.competitions.models import Appeal, Certificate, Entry, Mark, Promotion, Round, Sheet
from gongjiang.competitions.services.scoring import _rank_round
from gongjiang.competitions.tests.factories import end_notice as end_round_notice
from gongjiang.competitions.tests.factories import season, to_marking, worker
from gongjiang.competitions.tests.test_services import graded, lock_all, mark_all, register_many
from gongjiang.core import certificates as core_certificates
from gongjiang.orgs.tests.factories import user

PASSWORD = "Gongjiang-2026"


@pytest.fixture
def client(client):
    """Pages in English, so that messages can be matched (the suite's language is zh-hans)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def decrypt(found: dict[str, Any], rnd: Round) -> None:
    services.decrypt(actor=found["chief"].user, rnd=rnd, supervisor_username=found["supervisor"].user.username,
                     supervisor_password=PASSWORD)


def end_notice(rnd: Round) -> None:
    """The public notice ended yesterday."""
    end_round_notice(rnd)
    rnd.refresh_from_db()


@pytest.fixture
def decrypted(sd):
    """The Jinan round of the city qualifier, marked, locked and decrypted: 济钢0 25, 济钢1 22, 李强 20 (B1.1)."""
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s, n_jinan=3, n_qingdao=1)
    found = to_marking(sd, s.jinan_round)
    mark_all(s.jinan_round, graded({"李强": "20", "济钢0": "25", "济钢1": "22"}))
    lock_all(s.jinan_round, found["chief"])
    decrypt(found, s.jinan_round)
    s.jinan_round.refresh_from_db()
    return s


@pytest.fixture
def published(sd, decrypted):
    services.publish_results(actor=sd.province_admin, rnd=decrypted.jinan_round,
                             publicity_until=timezone.localdate() + datetime.timedelta(days=5))
    decrypted.jinan_round.refresh_from_db()
    return decrypted


@pytest.fixture
def final(sd):
    """A final Jinan round in which 李强 came first (and won a certificate)."""
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s, n_jinan=3, n_qingdao=1)
    found = to_marking(sd, s.jinan_round)
    mark_all(s.jinan_round, graded({"李强": "30", "济钢0": "25", "济钢1": "22"}))
    lock_all(s.jinan_round, found["chief"])
    decrypt(found, s.jinan_round)
    services.publish_results(actor=sd.province_admin, rnd=s.jinan_round, publicity_until=timezone.localdate())
    end_notice(s.jinan_round)
    services.finalise_round(actor=sd.province_admin, rnd=s.jinan_round)
    s.jinan_round.refresh_from_db()
    return s


def li(s: Any, sd: Any) -> Entry:
    return Entry.objects.get(round=s.jinan_round, person=sd.worker_person)


# ---------------------------------------------------------------------------------------------
# Who reads the ranking


def test_before_publication_only_the_organisers_read_the_ranking(client, sd, decrypted):
    url = reverse("competitions:round_results", args=[decrypted.jinan_round.pk])
    assert client.get(url).status_code == 302  # anonymous: log in first
    for persona, status in [("province_admin", 200), ("jinan_cadre", 200), ("qingdao_cadre", 404),
                            ("enterprise_cadre", 403), ("jinan_viewer", 403), ("worker", 403)]:
        client.force_login(getattr(sd, persona))
        assert client.get(url).status_code == status, persona
    client.force_login(sd.jinan_cadre)
    page = client.get(url)
    assert [e.person.name for e in page.context["rows"]] == ["济钢0", "济钢1", "李强"]
    assert page.context["publish_form"] is not None  # the button of the next step
    assert reverse("competitions:round_publish", args=[decrypted.jinan_round.pk]) in page.content.decode()


def test_after_publication_the_units_and_contestants_read_it_too(client, sd, published):
    url = reverse("competitions:round_results", args=[published.jinan_round.pk])
    client.force_login(sd.qingdao_cadre)
    assert client.get(url).status_code == 404  # another city's round: the public notice is for them
    for persona in ("enterprise_cadre", "worker", "jinan_viewer", "county_cadre"):
        client.force_login(getattr(sd, persona))
        response = client.get(url)
        assert response.status_code == 200, persona
        assert not response.context["organiser"]
        assert reverse("competitions:round_finalise", args=[published.jinan_round.pk]) not in response.content.decode()
    page = response.content.decode()
    assert "李强" in page and "济南钢铁集团有限公司工会" in page
    assert sd.worker_person.id_masked not in page


def test_a_round_of_another_subtree_is_not_found(client, sd):
    from gongjiang.competitions import services

    competition = services.create_competition(actor=sd.qingdao_cadre, organiser=sd.qingdao, name="青岛市职工技能大赛",
                                              year=2026, level="city")
    stage = services.add_stage(actor=sd.qingdao_cadre, competition=competition, name="市级决赛", level="city",
                               direct_registration=True)
    services.add_event(actor=sd.qingdao_cadre, competition=competition, name="焊工")
    [rnd] = services.open_rounds(actor=sd.qingdao_cadre, stage=stage)
    Round.objects.filter(pk=rnd.pk).update(state=RoundState.PUBLICITY)
    client.force_login(sd.jinan_cadre)
    assert client.get(reverse("competitions:round_results", args=[rnd.pk])).status_code == 404
    assert client.get(reverse("competitions:round_analysis", args=[rnd.pk])).status_code == 404
    assert client.get(reverse("competitions:competition_participation", args=[competition.pk])).status_code == 404
    client.force_login(sd.qingdao_cadre)
    assert client.get(reverse("competitions:round_results", args=[rnd.pk])).status_code == 200


def test_before_decryption_the_ranking_shows_codes_only(client, sd):
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s, n_jinan=3, n_qingdao=1)
    found = to_marking(sd, s.jinan_round)
    mark_all(s.jinan_round)
    lock_all(s.jinan_round, found["chief"])
    client.force_login(sd.province_admin)
    response = client.get(reverse("competitions:round_results", args=[s.jinan_round.pk]))
    page = response.content.decode()
    codes = list(Entry.objects.filter(round=s.jinan_round).values_list("code", flat=True))
    assert all(c in page for c in codes)
    assert "李强" not in page and "济钢0" not in page
    assert not response.context["decrypted"]


def test_the_ranking_exports_every_row_with_ties_and_certificates(client, sd, final):
    client.force_login(sd.province_admin)
    response = client.get(reverse("competitions:round_results", args=[final.jinan_round.pk]), {"export": "xlsx"})
    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4  # header + three contestants
    header = rows[0]
    li_row = next(r for r in rows[1:] if "李强" in r)
    number = Certificate.objects.get(entry__person=sd.worker_person).number
    assert li_row[header.index("Place")] == 1 and number in li_row


def test_tied_places_are_marked(client, sd):
    s = season(sd, theory_weight=0, practical_weight=100)
    for i, total in enumerate([9000, 9000, 8000]):
        Entry.objects.create(round=s.jinan_round, person=worker(sd.workshop, f"并{i}"), unit=sd.steel,
                             status=EntryStatus.CHECKED_IN, total=total, practical=total)
    _rank_round(s.jinan_round)
    Round.objects.filter(pk=s.jinan_round.pk).update(state=RoundState.PUBLICITY, decrypted_at=timezone.now())
    client.force_login(sd.province_admin)
    rows = client.get(reverse("competitions:round_results", args=[s.jinan_round.pk])).context["rows"]
    assert [(e.place, e.tied) for e in rows] == [(1, True), (1, True), (3, False)]


def add_ranked(sd: Any, rnd: Round, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        Entry.objects.create(round=rnd, person=worker(sd.workshop, f"加{i}"), unit=sd.steel,
                             status=EntryStatus.CHECKED_IN, total=9000 - i * 10, practical=9000 - i * 10,
                             contestant_no=f"{100 + i}", code=f"Z{i:05d}", time_used=600 + i)
    _rank_round(rnd)


def test_the_results_page_and_the_public_notice_take_the_same_queries_whatever_the_size(client, sd, final):
    rnd = final.jinan_round
    results_url = reverse("competitions:round_results", args=[rnd.pk])
    notice_url = reverse("competitions:public_notice", args=[rnd.pk])
    add_ranked(sd, rnd, 2)
    client.force_login(sd.province_admin)
    client.get(results_url)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(results_url).status_code == 200
    client.logout()
    with CaptureQueriesContext(connection) as small_public:
        assert client.get(notice_url).status_code == 200
    add_ranked(sd, rnd, 30, start=2)
    more = list(Entry.objects.filter(round=rnd, certificate__isnull=True).select_related("person", "unit")[:20])
    docs = core_certificates.issue(actor=None, kind="competitions.prize", issuer_path=rnd.organiser.path,
                                   issuer_name=rnd.organiser.name, year=2026, statements=[
                                       core_certificates.Statement(owner=e, holder_name=e.person.name,
                                                                   title="Honourable mention") for e in more])
    Certificate.objects.bulk_create([Certificate(entry=e, document=d, prize="merit")
                                     for e, d in zip(more, docs, strict=True)])
    client.force_login(sd.province_admin)
    with CaptureQueriesContext(connection) as big:
        response = client.get(results_url)
    assert len(response.context["rows"]) == 35
    assert len(big.captured_queries) == len(small.captured_queries)
    client.logout()
    with CaptureQueriesContext(connection) as big_public:
        response = client.get(notice_url)
    assert len(response.context["rows"]) == 35
    assert len(big_public.captured_queries) == len(small_public.captured_queries)


# ---------------------------------------------------------------------------------------------
# Publishing and finalising through the page


def test_the_organiser_publishes_and_a_refused_finalisation_is_shown(client, sd, decrypted):
    rnd = decrypted.jinan_round
    client.force_login(sd.jinan_viewer)
    assert (
        client.post(reverse("competitions:round_publish", args=[rnd.pk]), {"publicity_until": "2099-01-01"}).status_code
        == 403
    )
    client.force_login(sd.province_admin)
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("competitions:round_publish", args=[rnd.pk]), {"publicity_until": past}, follow=True)
    assert "cannot end in the past" in response.content.decode()
    assert Round.objects.get(pk=rnd.pk).state == RoundState.DECRYPTED
    until = timezone.localdate() + datetime.timedelta(days=3)
    client.post(reverse("competitions:round_publish", args=[rnd.pk]), {"publicity_until": until.isoformat()})
    rnd.refresh_from_db()
    assert (rnd.state, rnd.publicity_until) == (RoundState.PUBLICITY, until)
    response = client.post(reverse("competitions:round_finalise", args=[rnd.pk]), follow=True)
    assert "public notice runs until" in response.content.decode()
    assert Round.objects.get(pk=rnd.pk).state == RoundState.PUBLICITY
    end_notice(rnd)
    response = client.post(reverse("competitions:round_finalise", args=[rnd.pk]), follow=True)
    assert "The results are final" in response.content.decode()
    assert Round.objects.get(pk=rnd.pk).state == RoundState.FINAL
    assert Certificate.objects.filter(entry__round=rnd).count() == 3


# ---------------------------------------------------------------------------------------------
# The public notice (公示)


def test_the_public_notice_is_open_to_anybody_only_in_publicity_or_final(client, sd, decrypted):
    rnd = decrypted.jinan_round
    url = reverse("competitions:public_notice", args=[rnd.pk])
    assert client.get(url).status_code == 404  # decrypted, not yet published
    assert rnd.pk not in [r.pk for r in client.get(reverse("competitions:public_notices")).context["rows"]]
    services.publish_results(actor=sd.province_admin, rnd=rnd, publicity_until=timezone.localdate())
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "山东省第十届职工职业技能大赛" in page and "市级选拔赛" in page and "How to object" in page
    assert [(e.place, e.person.name) for e in response.context["rows"]] == [(1, "济钢0"), (2, "济钢1"), (3, "李强")]
    assert "济南钢铁集团有限公司工会" in page
    for p in Entry.objects.filter(round=rnd).select_related("person"):
        assert p.person.id_masked not in page
    assert [r.pk for r in client.get(reverse("competitions:public_notices")).context["rows"]] == [rnd.pk]
    end_notice(rnd)
    services.finalise_round(actor=sd.province_admin, rnd=rnd)
    response = client.get(url)
    assert response.status_code == 200 and "How to object" not in response.content.decode()
    assert client.get(reverse("competitions:public_notice", args=[decrypted.qingdao_round.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# Appeals


def test_the_contestant_appeals_while_the_notice_runs_and_not_after(client, sd, published):
    rnd = published.jinan_round
    entry = li(published, sd)
    url = reverse("competitions:appeal_file", args=[entry.pk])
    client.force_login(sd.qingdao_cadre)  # another city's cadre: not their entry
    assert client.get(url).status_code == 404
    client.force_login(sd.worker)
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and not Appeal.objects.exists()
    assert client.post(url, {"reason": "表面质量评分偏低"}).status_code == 302
    appeal = Appeal.objects.get(entry=entry)
    assert appeal.state == AppealState.FILED and appeal.filed_by == sd.worker
    response = client.post(url, {"reason": "再次申诉"})
    assert response.status_code == 400 and "already being decided" in response.content.decode()
    # After the window: refused, nothing written, and the form is no longer offered.
    Appeal.objects.all().delete()
    end_notice(rnd)
    page = client.get(url)
    assert not page.context["window_open"] and 'name="reason"' not in page.content.decode()
    response = client.post(url, {"reason": "过期申诉"})
    assert response.status_code == 400
    assert "only while the results are on public notice" in response.content.decode()
    assert not Appeal.objects.exists()


def test_the_unit_appeals_for_its_contestant_but_another_worker_cannot(client, sd, published):
    entry = Entry.objects.get(round=published.jinan_round, person__name="济钢0")
    client.force_login(sd.enterprise_cadre)
    assert client.post(reverse("competitions:appeal_file", args=[entry.pk]), {"reason": "计时有误"}).status_code == 302
    other = user("colleague", person=Entry.objects.get(round=published.jinan_round, person__name="济钢1").person)
    client.force_login(other)
    assert client.get(reverse("competitions:appeal_file", args=[entry.pk])).status_code == 404


def test_an_upheld_appeal_changes_the_place_end_to_end(client, sd, published):
    rnd = published.jinan_round
    entry = li(published, sd)
    assert entry.place == 3
    client.force_login(sd.worker)
    client.post(reverse("competitions:appeal_file", args=[entry.pk]), {"reason": "B1.1 表面质量评分有误"})
    appeal = Appeal.objects.get(entry=entry)

    # Only the organisers list and decide appeals.
    for persona, status in (("worker", 403), ("enterprise_cadre", 403), ("qingdao_cadre", 404)):
        client.force_login(getattr(sd, persona))
        assert client.get(reverse("competitions:appeal_list", args=[rnd.pk])).status_code == status, persona
        assert client.get(reverse("competitions:appeal_decide", args=[appeal.pk])).status_code == status, persona

    client.force_login(sd.jinan_cadre)
    listing = client.get(reverse("competitions:appeal_list", args=[rnd.pk]))
    assert [a.pk for a in listing.context["rows"]] == [appeal.pk]
    page = client.get(reverse("competitions:appeal_decide", args=[appeal.pk]))
    grid = {row.aspect.code: row for row in page.context["grid"]}
    assert len(grid["B1.1"].cells) == 3 and grid["A1.1"].measurement
    b11 = grid["B1.1"]

    # A mark above the maximum: refused with the aspect's message, nothing changed.
    bad = {"outcome": "upheld", "decision": "经仲裁，B1.1 应予改判", "reason": "仲裁决定",
           **{c.name: "31" for c in b11.cells}}
    response = client.post(reverse("competitions:appeal_decide", args=[appeal.pk]), bad)
    assert response.status_code == 400 and "above its maximum 30" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == AppealState.FILED
    assert set(Mark.objects.filter(sheet__entry=entry, aspect=b11.aspect).values_list("value", flat=True)) == {2000}

    good = {**bad, **{c.name: "30" for c in b11.cells}}
    response = client.post(reverse("competitions:appeal_decide", args=[appeal.pk]), good, follow=True)
    assert "Place: 3 → 1" in response.content.decode()
    appeal.refresh_from_db()
    entry.refresh_from_db()
    assert appeal.state == AppealState.UPHELD and entry.place == 1 and entry.total == 10000
    listing = client.get(reverse("competitions:appeal_list", args=[rnd.pk]))
    row = listing.context["rows"][0]
    assert (row.place_before, row.place_after, row.place_changed) == (3, 1, True)
    # The public notice follows at once.
    client.logout()
    notice = client.get(reverse("competitions:public_notice", args=[rnd.pk]))
    assert notice.context["rows"][0].person.name == "李强"
    # A decided appeal is decided once.
    client.force_login(sd.jinan_cadre)
    client.post(reverse("competitions:appeal_decide", args=[appeal.pk]), {**good, "outcome": "dismissed"})
    assert Appeal.objects.get(pk=appeal.pk).state == AppealState.UPHELD


def test_a_dismissed_appeal_changes_nothing_and_cannot_carry_marks(client, sd, published):
    entry = li(published, sd)
    appeal = services.file_appeal(actor=sd.worker, entry=entry, reason="不服")
    client.force_login(sd.province_admin)
    page = client.get(reverse("competitions:appeal_decide", args=[appeal.pk]))
    b11 = next(r for r in page.context["grid"] if r.aspect.code == "B1.1")
    response = client.post(reverse("competitions:appeal_decide", args=[appeal.pk]), {
        "outcome": "dismissed", "decision": "维持原成绩", b11.cells[0].name: "30"})
    assert response.status_code == 400 and "only when the appeal is upheld" in response.content.decode()
    response = client.post(reverse("competitions:appeal_decide", args=[appeal.pk]), {"outcome": "dismissed",
                                                                         "decision": "维持原成绩"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert Appeal.objects.get(pk=appeal.pk).state == AppealState.DISMISSED and entry.place == 3


# ---------------------------------------------------------------------------------------------
# Certificates


def test_the_certificate_pdf_is_for_the_winner_their_unit_and_the_organiser(client, sd, final):
    cert = Certificate.objects.get(entry__person=sd.worker_person)
    url = reverse("competitions:certificate_pdf", args=[cert.pk])
    assert client.get(url).status_code == 302  # anonymous
    other = user("other_worker", person=Entry.objects.get(round=final.jinan_round, person__name="济钢1").person)
    for account, status in [(sd.worker, 200), (sd.enterprise_cadre, 200), (sd.province_admin, 200),
                            (sd.jinan_cadre, 200), (other, 404), (sd.qingdao_cadre, 404)]:
        client.force_login(account)
        response = client.get(url)
        assert response.status_code == status, account
    client.force_login(sd.worker)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_the_qr_code_leads_to_a_verification_page_for_valid_revoked_and_unknown_certificates(client, sd, final):
    cert = Certificate.objects.get(entry__person=sd.worker_person)
    client.force_login(sd.worker)
    pdf_context = client.get(reverse("competitions:certificate_pdf", args=[cert.pk]))
    assert pdf_context.status_code == 200
    verify = reverse("core:certificate_verify", args=[cert.token])
    client.logout()
    response = client.get(verify)
    page = response.content.decode()
    assert response.status_code == 200 and "This certificate is valid." in page
    assert cert.number in page and "李强" in page and "山东省第十届职工职业技能大赛" in page and "First prize" in page

    client.force_login(sd.enterprise_cadre)  # a unit cannot revoke
    assert client.post(reverse("competitions:certificate_revoke", args=[cert.pk]), {"reason": "x"}).status_code == 404
    client.force_login(sd.province_admin)
    response = client.post(reverse("competitions:certificate_revoke", args=[cert.pk]), {"reason": ""})
    assert response.status_code == 400
    assert (
        client.post(reverse("competitions:certificate_revoke", args=[cert.pk]), {"reason": "成绩作废"}).status_code
        == 302
    )
    client.logout()
    response = client.get(verify)
    assert response.status_code == 200 and "has been revoked" in response.content.decode()
    assert "is valid" not in response.content.decode()

    response = client.get(reverse("core:certificate_verify", args=["no-such-token"]))
    assert response.status_code == 404 and "No certificate matches" in response.content.decode()


def test_the_organiser_prints_every_certificate_of_a_round_in_one_pdf(client, sd, final, monkeypatch):
    from gongjiang.competitions.views import awards as views

    rendered = []
    real = views.render_pdf

    def spy(template, context, request=None):
        rendered.append([c["cert"].number for c in context["certificates"]])
        return real(template, context, request=request)

    monkeypatch.setattr(views, "render_pdf", spy)
    url = reverse("competitions:round_certificates_pdf", args=[final.jinan_round.pk])
    client.force_login(sd.enterprise_cadre)
    assert client.get(url).status_code == 403
    client.force_login(sd.province_admin)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert rendered == [list(Certificate.objects.filter(entry__round=final.jinan_round).order_by(
        "entry__place").values_list("document__number", flat=True))]  # one page per winner, best first
    assert client.get(url, {"part": "2"}).status_code == 404


def test_a_city_rounds_certificate_is_issued_by_the_city_and_names_the_competitions_organiser(client, sd, final,
                                                                                             monkeypatch):
    """The union that ran the round awards and signs the certificate (济南市总工会 for the Jinan round of the city
    qualifier); the competition's organiser (the province) is named with the competition."""
    from django.template.loader import render_to_string

    from gongjiang.competitions.views import awards as views

    rnd = final.jinan_round
    city, province = rnd.organiser, rnd.event.competition.organiser
    assert city != province
    cert = Certificate.objects.select_related("entry__round__organiser").get(entry__person=sd.worker_person)
    assert queries.certificate_issuer(cert) == city
    printed = []
    real = views.render_pdf

    def spy(template, context, request=None):
        printed.append(render_to_string(template, context))
        return real(template, context, request=request)

    monkeypatch.setattr(views, "render_pdf", spy)
    client.force_login(sd.worker)
    assert client.get(reverse("competitions:certificate_pdf", args=[cert.pk])).status_code == 200
    [html] = printed
    signature = html.split('<div class="issuer">')[1].split("</div>")[0]
    assert signature.startswith(city.name) and province.name not in signature
    assert f"organised by {province.name}" in html
    client.logout()
    page = client.get(reverse("core:certificate_verify", args=[cert.token])).content.decode()
    assert f"Issued by</dt><dd>{city.name}</dd>" in page and f"Organiser</dt><dd>{province.name}</dd>" in page


# ---------------------------------------------------------------------------------------------
# Promotions


@pytest.fixture
def promoted(sd):
    """李强 first of the provincial final (class I): a promotion to 高级技师 is proposed."""
    s = season(sd, theory_weight=0, practical_weight=100)
    Entry.objects.create(round=s.final_round, person=sd.worker_person, unit=sd.steel, status=EntryStatus.REGISTERED,
                         source=EntrySource.ADVANCED)
    Entry.objects.create(round=s.final_round, person=sd.qd_person, unit=sd.qd_enterprise,
                         status=EntryStatus.REGISTERED, source=EntrySource.ADVANCED)
    found = to_marking(sd, s.final_round)
    mark_all(s.final_round, graded({"王芳": "20"}))
    lock_all(s.final_round, found["chief"])
    decrypt(found, s.final_round)
    services.publish_results(actor=sd.province_admin, rnd=s.final_round, publicity_until=timezone.localdate())
    end_notice(s.final_round)
    services.finalise_round(actor=sd.province_admin, rnd=s.final_round)
    return s


def test_the_organiser_approves_and_rejects_promotions(client, sd, promoted):
    url = reverse("competitions:promotion_list", args=[promoted.competition.pk])
    for persona in ("worker", "enterprise_cadre", "jinan_viewer"):
        client.force_login(getattr(sd, persona))
        assert client.get(url).status_code == 403, persona
    client.force_login(sd.jinan_cadre)  # organises a qualifier round: sees its promotions (none)
    assert list(client.get(url).context["rows"]) == []
    client.force_login(sd.province_admin)
    page = client.get(url)
    rows = {p.entry.person.name: p for p in page.context["rows"]}
    assert set(rows) == {"李强", "王芳"} and rows["李强"].can_decide
    assert rows["李强"].proposed_grade == 1
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(sd.jinan_cadre)
    assert (
        client.post(reverse("competitions:promotion_decide", args=[rows["李强"].pk]), {"approve": "1"}).status_code
        == 404
    )
    client.force_login(sd.province_admin)
    client.post(reverse("competitions:promotion_decide", args=[rows["李强"].pk]), {"approve": "1"})
    client.post(reverse("competitions:promotion_decide", args=[rows["王芳"].pk]), {"approve": "0", "state": "proposed"})
    assert dict(Promotion.objects.values_list("entry__person__name", "state")) == {
        "李强": PromotionState.APPROVED, "王芳": PromotionState.REJECTED}
    sd.worker_person.refresh_from_db()
    assert sd.worker_person.skill_grade == 1
    response = client.post(
        reverse("competitions:promotion_decide", args=[rows["李强"].pk]), {"approve": "0"}, follow=True
    )
    assert "already been decided" in response.content.decode()
    assert [p.entry.person.name for p in client.get(url, {"state": "approved"}).context["rows"]] == ["李强"]


# ---------------------------------------------------------------------------------------------
# Theory scores


@pytest.fixture
def theory_round(sd):
    """A 30:70 event, decrypted, without theory scores."""
    s = season(sd)
    register_many(sd, s, n_jinan=3, n_qingdao=1)
    found = to_marking(sd, s.jinan_round)
    mark_all(s.jinan_round)
    lock_all(s.jinan_round, found["chief"])
    decrypt(found, s.jinan_round)
    return s


def workbook(rows: list[list[Any]], headers: tuple[str, ...] = ("参赛号", "理论成绩")) -> io.BytesIO:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "theory.xlsx"
    return out


def test_theory_scores_import_is_checked_whole_and_then_ranks(client, sd, theory_round):
    rnd = theory_round.jinan_round
    url = reverse("competitions:round_theory", args=[rnd.pk])
    client.force_login(sd.enterprise_cadre)
    assert client.get(url).status_code == 403
    client.force_login(sd.jinan_cadre)
    template = client.get(url, {"template": "1"})
    assert template.status_code == 200 and template.content.startswith(b"PK")
    numbers = list(Entry.objects.filter(round=rnd).order_by("contestant_no").values_list("contestant_no", flat=True))
    response = client.post(url, {"file": workbook([[numbers[0], 80], [numbers[1], 101], ["999", 70],
                                                   [numbers[2], "abc"]])})
    assert response.status_code == 400
    errors = [(e.row, e.column) for e in response.context["import_errors"]]
    assert errors == [(3, "理论成绩"), (4, "参赛号"), (5, "理论成绩")]
    assert not Entry.objects.filter(round=rnd, theory__isnull=False).exists()
    response = client.post(url, {"file": workbook([[1, 80]], headers=("编号", "理论成绩"))})
    assert response.status_code == 400 and "does not match the template" in response.content.decode()
    # 参赛号 as Excel keeps it (7 for "007") is matched.
    rows = [[int(n), 90 - i * 10] for i, n in enumerate(numbers)]
    response = client.post(url, {"file": workbook(rows)})
    assert response.status_code == 302
    theory = dict(Entry.objects.filter(round=rnd).values_list("contestant_no", "theory"))
    assert theory == {n: (90 - i * 10) * 100 for i, n in enumerate(numbers)}
    first = Entry.objects.get(round=rnd, contestant_no=numbers[0])
    assert first.place == 1 and first.total == 9700  # 30 % of 90 + 70 % of 100


def test_theory_scores_typed_by_hand_are_validated(client, sd, theory_round):
    rnd = theory_round.jinan_round
    url = reverse("competitions:round_theory", args=[rnd.pk])
    client.force_login(sd.province_admin)
    page = client.get(url)
    entries = page.context["rows"]
    bad = {f"t{entries[0].pk}": "85", f"t{entries[1].pk}": "120"}
    response = client.post(url, bad)
    assert response.status_code == 400 and "between 0 and 100" in response.content.decode()
    assert not Entry.objects.filter(round=rnd, theory__isnull=False).exists()
    response = client.post(url, {f"t{entries[0].pk}": "85.5"})
    assert response.status_code == 302
    assert Entry.objects.get(pk=entries[0].pk).theory == 8550


# ---------------------------------------------------------------------------------------------
# Analysis and participation


def test_the_analysis_ranks_aspects_by_their_mean_lowest_first(client, sd, published):
    url = reverse("competitions:round_analysis", args=[published.jinan_round.pk])
    client.force_login(sd.province_admin)
    response = client.get(url)
    assert response.status_code == 200
    weakest = response.context["weakest"]
    assert weakest[0].code == "B1.1"  # 20, 22, 25 of 30
    assert weakest[0].mean_percent == Decimal("74.4")
    page = response.content.decode()
    assert 'id="analysis-data"' in page and "competitions/results.js" in page and "echarts" in page
    data = response.context["data"]
    assert len(data["bins"]) == 10 and [s["title"] for s in data["sections"]] == ["A 尺寸精度", "B 工艺评价"]
    b11 = next(a for s in data["sections"] for a in s["aspects"] if a["code"] == "B1.1")
    assert sum(b11["counts"]) == 3
    assert "<script>" not in page.replace('<script src=', '')  # no inline script
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200
    client.force_login(sd.worker)  # published: readable by the contestant
    assert client.get(url).status_code == 200


def test_the_analysis_before_publication_is_for_the_organisers(client, sd, decrypted):
    url = reverse("competitions:round_analysis", args=[decrypted.jinan_round.pk])
    client.force_login(sd.enterprise_cadre)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_participation_rolls_up_the_tree(client, sd, published):
    competition = published.competition
    url = reverse("competitions:competition_participation", args=[competition.pk])
    client.force_login(sd.province_admin)
    response = client.get(url)
    rows = {r.org.name: r.entries for r in response.context["rows"]}
    assert rows == {"济南市总工会": 3, "青岛市总工会": 1}
    assert 'id="participation-data"' in response.content.decode()
    drill = client.get(url, {"org": sd.jinan.pk})
    assert {r.org.name: r.entries for r in drill.context["rows"]} == {"历下区总工会": 3}
    # A city cadre starts from their own city and cannot look into another.
    client.force_login(sd.jinan_cadre)
    response = client.get(url)
    assert response.context["base"] == sd.jinan
    assert client.get(url, {"org": sd.qingdao.pk}).status_code == 404
    client.force_login(sd.worker)
    assert client.get(url).status_code == 403
    client.force_login(sd.province_admin)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(20):
        Entry.objects.create(round=published.qingdao_round, person=worker(sd.qd_enterprise, f"港{i}"),
                             unit=sd.qd_enterprise, status=EntryStatus.REGISTERED)
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert {r.org.name: r.entries for r in response.context["rows"]}["青岛市总工会"] == 21
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_decision_grid_holds_only_the_appealed_entrys_sheets(client, sd, published):
    """The decision grid holds the appealed entry's sheets only."""
    entry = li(published, sd)
    appeal = services.file_appeal(actor=sd.worker, entry=entry, reason="不服")
    client.force_login(sd.province_admin)
    page = client.get(reverse("competitions:appeal_decide", args=[appeal.pk]))
    assert {s.pk for s in page.context["sheets"]} == set(Sheet.objects.filter(entry=entry).values_list("pk",
                                                                                                     flat=True))


def test_a_team_event_shows_the_teams_ranking_too(client, sd, published):
    from gongjiang.competitions.models import Event, Team

    Event.objects.filter(pk=published.event.pk).update(is_team=True, team_size=3)
    Team.objects.create(round=published.jinan_round, unit=sd.steel, name="济钢代表队", total=28700, place=1,
                        prize="first")
    client.force_login(sd.enterprise_cadre)
    response = client.get(reverse("competitions:round_results", args=[published.jinan_round.pk]))
    assert [t.name for t in response.context["teams"]] == ["济钢代表队"]
    assert "287.00" in response.content.decode()
    client.logout()
    assert (
        "济钢代表队"
        in client.get(reverse("competitions:public_notice", args=[published.jinan_round.pk])).content.decode()
    )


def test_the_appeal_list_takes_the_same_queries_whatever_the_number_of_appeals(client, sd, published):
    rnd = published.jinan_round
    services.file_appeal(actor=sd.worker, entry=li(published, sd), reason="不服")
    url = reverse("competitions:appeal_list", args=[rnd.pk])
    client.force_login(sd.province_admin)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add_ranked(sd, rnd, 12)
    for e in Entry.objects.filter(round=rnd, appeals__isnull=True)[:10]:
        appeal = Appeal.objects.create(entry=e, filed_by=sd.enterprise_cadre, reason="计分有误")
        if e.pk % 2:
            services.decide_appeal(actor=sd.province_admin, appeal=appeal, upheld=False, decision="维持")
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert len(response.context["rows"]) == 11
    assert len(big.captured_queries) == len(small.captured_queries) + 1  # + the audit events of decided appeals
