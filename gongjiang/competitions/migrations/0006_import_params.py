"""The registration and scheme imports kept their start arguments in the job's `summary` (the competition; the event
and the declared total); they are now the job's `params` (core 0005). Copy them over, so that a job queued before
the upgrade still finds its competition and the status page of an earlier import still names it. `summary` keeps
what it had (the result of a finished job)."""

from django.db import migrations

REGISTRATIONS = "competition_registrations"
SCHEME = "scheme"


def summary_to_params(apps, schema_editor):
    ImportJob = apps.get_model("core", "ImportJob")
    jobs = []
    for job in ImportJob.objects.filter(kind__in=[REGISTRATIONS, SCHEME]):
        summary = job.summary or {}
        key = "competition" if job.kind == REGISTRATIONS else "event"
        if summary.get(key) is not None and key not in (job.params or {}):
            job.params = {**(job.params or {}), key: int(summary[key])}
            jobs.append(job)
    ImportJob.objects.bulk_update(jobs, ["params"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("competitions", "0005_certificate_fields_in_core"),
        ("core", "0005_importjob_org_path_params"),
    ]

    operations = [
        migrations.RunPython(summary_to_params, migrations.RunPython.noop),
    ]
