"""ImportJob: the union the file went into as a snapshot (id, paths in both trees, name) instead of a foreign key to
orgs.Org (core knows no domain app; the job is scoped by its stored paths, as an audit event is), and the spec's
explicit start parameters in `params`.

The new columns are filled from the foreign key before it goes; `org_ref` takes the key's value and is then renamed
`org_id` (the key's column), so the final table has exactly the model's columns. Reversible: going back re-creates
the key from `org_id`. The parameters some apps kept in `summary` are moved by those apps' own migrations."""

from django.db import migrations, models


def fill_from_org(apps, schema_editor):
    ImportJob = apps.get_model("core", "ImportJob")
    jobs = list(ImportJob.objects.select_related("org"))
    for job in jobs:
        job.org_ref = job.org_id
        job.org_path = job.org.path
        job.industry_path = job.org.industry_path or ""
        job.org_name = job.org.name[:200]
    ImportJob.objects.bulk_update(jobs, ["org_ref", "org_path", "industry_path", "org_name"], batch_size=500)


def restore_org(apps, schema_editor):
    ImportJob = apps.get_model("core", "ImportJob")
    jobs = list(ImportJob.objects.all())
    for job in jobs:
        job.org_id = job.org_ref
    ImportJob.objects.bulk_update(jobs, ["org"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_notices_certificates'),
    ]

    operations = [
        migrations.AddField(
            model_name='importjob',
            name='industry_path',
            field=models.CharField(blank=True, db_index=True, default='', max_length=255),
        ),
        migrations.AddField(
            model_name='importjob',
            name='org_name',
            field=models.CharField(default='', max_length=200, verbose_name='organisation'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='importjob',
            name='org_path',
            field=models.CharField(db_index=True, default='', max_length=255),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='importjob',
            name='params',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='importjob',
            name='org_ref',
            field=models.BigIntegerField(null=True),
        ),
        # Nullable for the way back: the key is re-created empty, then filled from org_ref.
        migrations.AlterField(
            model_name='importjob',
            name='org',
            field=models.ForeignKey(null=True, on_delete=models.PROTECT, related_name='import_jobs', to='orgs.org',
                                    verbose_name='organisation'),
        ),
        migrations.RunPython(fill_from_org, restore_org),
        migrations.RemoveField(
            model_name='importjob',
            name='org',
        ),
        migrations.RenameField(
            model_name='importjob',
            old_name='org_ref',
            new_name='org_id',
        ),
        migrations.AlterField(
            model_name='importjob',
            name='org_id',
            field=models.BigIntegerField(verbose_name='organisation'),
        ),
    ]
