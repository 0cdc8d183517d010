# Step 2 of 3: every existing certificate becomes a core IssuedCertificate with the SAME number and token (the QR
# codes already printed keep opening its verification page), its issue and revocation dates, and the revocation
# reason from the audit trail; serials are given per issuing union and year in issue order, and each series'
# counter continues after them. Every round on public notice (or final) gets its core notice, with the period it
# had; a final round's notice is closed. Separate from the schema steps: PostgreSQL refuses to alter a table
# with pending foreign-key checks in the same transaction.

from django.db import migrations
from django.utils import timezone

PRIZES = {"first": "First prize", "second": "Second prize", "third": "Third prize", "merit": "Honourable mention"}


def forward(apps, schema_editor):
    Certificate = apps.get_model("competitions", "Certificate")
    Round = apps.get_model("competitions", "Round")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    IssuedCertificate = apps.get_model("core", "IssuedCertificate")
    CertificateSeries = apps.get_model("core", "CertificateSeries")
    PublicNotice = apps.get_model("core", "PublicNotice")
    entry_type, _ = ContentType.objects.get_or_create(app_label="competitions", model="entry")
    round_type, _ = ContentType.objects.get_or_create(app_label="competitions", model="round")
    certificate_type, _ = ContentType.objects.get_or_create(app_label="competitions", model="certificate")

    reasons = dict(AuditEvent.objects.filter(verb="competitions.certificate.revoked", content_type=certificate_type)
                   .order_by("created_at").values_list("object_id", "note"))
    serials = {}
    certs = (Certificate.objects.select_related(
        "entry__person", "entry__unit", "entry__round__organiser", "entry__round__stage", "entry__round__event",
        "entry__round__event__competition__organiser").order_by("issued_at", "pk"))
    for cert in certs.iterator(chunk_size=500):
        rnd = cert.entry.round
        competition = rnd.event.competition
        key = (rnd.organiser.path, competition.year)
        serials[key] = serials.get(key, 0) + 1
        doc = IssuedCertificate.objects.create(
            kind="competitions.prize", owner_type=entry_type, owner_id=cert.entry_id,
            issuer_path=rnd.organiser.path, issuer_name=rnd.organiser.name[:120], year=competition.year,
            serial=serials[key], number=cert.number, token=cert.token,
            holder_name=cert.entry.person.name[:60], holder_unit=cert.entry.unit.name[:120],
            title=PRIZES.get(cert.prize, cert.prize),
            lines=[{"label": "Competition", "value": competition.name, "translate": False},
                   {"label": "Organiser", "value": competition.organiser.name, "translate": False},
                   {"label": "Event", "value": f"{rnd.event.name} · {rnd.stage.name}", "translate": False}],
            issued_at=cert.issued_at, revoked_at=cert.revoked_at,
            revocation_reason=(reasons.get(str(cert.pk)) or "")[:500] if cert.revoked_at else "")
        Certificate.objects.filter(pk=cert.pk).update(document=doc)
    for (path, year), last in serials.items():
        CertificateSeries.objects.create(issuer_path=path, year=year, last_serial=last)

    today = timezone.localdate()
    rounds = Round.objects.filter(state__in=["publicity", "final"], notice__isnull=True).select_related(
        "organiser", "stage", "event__competition")
    for rnd in rounds:
        published = (AuditEvent.objects.filter(verb="competitions.round.published", content_type=round_type,
                                               object_id=str(rnd.pk)).order_by("-created_at").first())
        ends_on = rnd.publicity_until or today
        starts_on = timezone.localtime(published.created_at).date() if published else ends_on
        notice = PublicNotice.objects.create(
            kind="competitions.round_results", owner_type=round_type, owner_id=rnd.pk, org_path=rnd.organiser.path,
            publisher_name=rnd.organiser.name[:120],
            title=(f"{rnd.event.competition.name} {rnd.event.name}（{rnd.stage.name}）成绩公示")[:200],
            starts_on=min(starts_on, ends_on), ends_on=ends_on,
            published_at=published.created_at if published else timezone.now(),
            published_by_id=published.actor_id if published else None,
            closed_at=timezone.now() if rnd.state == "final" else None)
        Round.objects.filter(pk=rnd.pk).update(notice=notice, publicity_until=ends_on)


class Migration(migrations.Migration):

    dependencies = [
        ("competitions", "0003_core_notices_certificates"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Irreversible: the certificates' numbers and tokens now live in core only.
    operations = [migrations.RunPython(forward)]

