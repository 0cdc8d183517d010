"""Certificates as a shared service, as a specification: numbering per issuer and year (also under concurrent
issuers), the public verification page showing exactly what the certificate states, revocation shown there, and who
may revoke."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongjiang.core import certificates
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, CertificateSeries, IssuedCertificate

KIND = "tests.honour"


@pytest.fixture(autouse=True)
def kind():
    certificates.register_kind(KIND, title="Certificate of award", title_label="Prize", prefix="RY")
    yield
    certificates.registry._KINDS.pop(KIND, None)


def statement(owner: Any, name: str = "李强", unit: str = "济南钢铁集团有限公司工会") -> certificates.Statement:
    return certificates.Statement(owner=owner, holder_name=name, holder_unit=unit, title="First prize", lines=(
        certificates.Line("Competition", "山东省第十届职工职业技能大赛"),
        certificates.Line("Event", "车工 · 市级选拔赛")))


def issue(sd: Any, issuer: Any, year: int, n: int = 1, actor: Any = None) -> list[IssuedCertificate]:
    return certificates.issue(actor=actor or sd.jinan_cadre, kind=KIND, issuer_path=issuer.path,
                              issuer_name=issuer.name, year=year, statements=[statement(sd.worker_person)] * n)


def test_each_issuer_numbers_its_certificates_per_year(sd):
    jinan = issue(sd, sd.jinan, 2026, 2)
    qingdao = issue(sd, sd.qingdao, 2026)
    jinan_next_year = issue(sd, sd.jinan, 2027)
    jinan_later = issue(sd, sd.jinan, 2026)
    assert [c.serial for c in jinan + jinan_later] == [1, 2, 3]
    assert [c.serial for c in qingdao + jinan_next_year] == [1, 1]
    series = CertificateSeries.objects.get(issuer_path=sd.jinan.path, year=2026)
    assert series.last_serial == 3
    assert jinan[0].number == f"RY2026-{series.pk:04d}-00001" and jinan_later[0].number.endswith("-00003")
    numbers = [c.number for c in jinan + qingdao + jinan_next_year + jinan_later]
    assert len(set(numbers)) == 5 and len({c.token for c in jinan + qingdao}) == 3
    first = jinan[0]
    assert (first.owner_id, first.issuer_name, first.holder_name) == (sd.worker_person.pk, "济南市总工会", "李强")
    assert AuditEvent.objects.filter(verb="core.certificate.issued", org_path=sd.jinan.path).count() == 4


def test_nothing_to_issue_takes_no_number(sd):
    assert certificates.issue(actor=sd.jinan_cadre, kind=KIND, issuer_path=sd.jinan.path, issuer_name="济南市总工会",
                              year=2026, statements=[]) == []
    assert not CertificateSeries.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent transactions need PostgreSQL (SQLite serialises writers)")
@pytest.mark.django_db(transaction=True)
def test_issuers_racing_for_the_same_series_never_share_a_serial(sd):
    """Four issuers at once, each taking five numbers of the Jinan 2026 series: twenty distinct serials 1–20. On
    SQLite the database serialises writers itself (and its in-memory test database is one connection), so the race
    is run where it can happen: PostgreSQL."""
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            issue(sd, sd.jinan, 2026, 5)
        except BaseException as e:  # reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    serials = sorted(IssuedCertificate.objects.filter(issuer_path=sd.jinan.path).values_list("serial", flat=True))
    assert serials == list(range(1, 21))
    assert CertificateSeries.objects.get(issuer_path=sd.jinan.path, year=2026).last_serial == 20


def test_the_verification_page_shows_what_the_certificate_states_and_nothing_more(sd):
    [cert] = issue(sd, sd.jinan, 2026)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("core:certificate_verify", args=[cert.token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate is valid." in html
    labels = re.findall(r"<dt>([^<]*)</dt>", html)
    assert labels == ["Certificate number", "Name", "Unit", "Competition", "Event", "Prize", "Date of issue",
                      "Issued by"]
    assert f"Certificate number</dt><dd class=\"mono\">{cert.number}</dd>" in html
    assert "Prize</dt><dd>First prize</dd>" in html and "Issued by</dt><dd>济南市总工会</dd>" in html
    person = sd.worker_person
    for private in (person.id_masked, person.id_masked[-4:], "13912345678", str(person.birth_date.year),
                    sd.steel.code, "炼钢一班"):
        assert private not in html, private
    # in Chinese, the labels and the prize are translated; the data is as issued
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(reverse("core:certificate_verify", args=[cert.token]))
    assert "一等奖" in zh.content.decode() and "山东省第十届职工职业技能大赛" in zh.content.decode()


def test_a_revoked_certificate_says_so_with_the_date_and_the_reason(sd):
    [cert] = issue(sd, sd.jinan, 2026)
    certificates.revoke(actor=sd.jinan_cadre, certificate=cert, reason="成绩经复核作废")
    cert.refresh_from_db()
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("core:certificate_verify", args=[cert.token])).content.decode()
    assert "has been revoked" in html and "is valid" not in html
    assert f"Revoked on {timezone.localtime(cert.revoked_at):%Y-%m-%d}" in html and "成绩经复核作废" in html
    event = AuditEvent.objects.get(verb="core.certificate.revoked")
    assert event.note == "成绩经复核作废" and event.org_path == sd.jinan.path and event.actor == sd.jinan_cadre


def test_an_unknown_or_overlong_token_is_not_found(sd):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(reverse("core:certificate_verify", args=["no-such-token"]))
    assert response.status_code == 404 and "No certificate matches" in response.content.decode()
    assert client.get(reverse("core:certificate_verify", args=["x" * 200])).status_code == 404


@pytest.mark.parametrize("reason,field", [("", "reason"), ("  ", "reason"), ("长" * 501, "reason")])
def test_a_revocation_needs_a_reason(sd, reason, field):
    [cert] = issue(sd, sd.jinan, 2026)
    with pytest.raises(DomainError) as refusal:
        certificates.revoke(actor=sd.jinan_cadre, certificate=cert, reason=reason)
    assert field in refusal.value.errors and IssuedCertificate.objects.get(pk=cert.pk).revoked_at is None


def test_a_certificate_is_revoked_once(sd):
    [cert] = issue(sd, sd.jinan, 2026)
    certificates.revoke(actor=sd.jinan_cadre, certificate=cert, reason="作废")
    with pytest.raises(DomainError) as refusal:
        certificates.revoke(actor=sd.province_admin, certificate=cert, reason="再次")
    assert refusal.value.code == "state"
    assert IssuedCertificate.objects.get(pk=cert.pk).revocation_reason == "作废"


@pytest.mark.parametrize("persona", ["qingdao_cadre", "enterprise_cadre", "county_cadre", "jinan_viewer", "worker"])
def test_only_the_issuer_and_those_above_it_revoke(sd, persona):
    [cert] = issue(sd, sd.jinan, 2026)
    with pytest.raises(PermissionDeniedError):
        certificates.revoke(actor=getattr(sd, persona), certificate=cert, reason="作废")
    assert IssuedCertificate.objects.get(pk=cert.pk).revoked_at is None
    certificates.revoke(actor=sd.province_admin, certificate=cert, reason="作废")


def test_the_pdf_template_prints_the_number_the_qr_code_and_the_issuer(sd):
    from gongjiang.core.pdf import render_pdf

    [cert] = issue(sd, sd.jinan, 2026)
    context = certificates.pdf_context(None, cert)
    assert context["verify_url"] == f"/public/certificates/{cert.token}/" and context["qr"].startswith("data:image")
    data = render_pdf(certificates.kind_of(KIND).pdf_template, {"certificates": [context]})
    assert data.startswith(b"%PDF")
