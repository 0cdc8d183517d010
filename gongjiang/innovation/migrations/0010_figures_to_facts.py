"""The innovation figures move to the fact store (orgs.Fact, metrics `innovation.*`: innovation/metrics.py): the
tables YearFigure and TechFigure (the technical associations', now `innovation.tech_*`) go; calls keep the moment their results became final (`final_at`: the prizes count from that
day), filled here for the calls already final from their audit event. The store's innovation rows are then built
from the rows by `manage.py rebuild_facts --app innovation` (docs/deploy.md)."""

from django.db import migrations, models


def _final_at(apps, schema_editor):
    Call = apps.get_model("innovation", "Call")
    AuditEvent = apps.get_model("core", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="innovation", model="call").first()
    if kind is None:
        return
    for call in Call.objects.filter(state="final", final_at__isnull=True):
        event = (AuditEvent.objects.filter(content_type=kind, object_id=str(call.pk), verb="innovation.call.final")
                 .order_by("created_at").first())
        if event is not None:
            call.final_at = event.created_at
            call.save(update_fields=["final_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('innovation', '0009_proposal_folded'),
        ('core', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='call',
            name='final_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='results final at'),
        ),
        migrations.DeleteModel(
            name='YearFigure',
        ),
        migrations.DeleteModel(
            name='TechFigure',
        ),
        migrations.RunPython(_final_at, migrations.RunPython.noop),
    ]
