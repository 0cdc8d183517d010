"""The fact store's one index keyed (org, period, start, metric): an org's metrics of one period are adjacent, so a
reader asking for several orgs' metrics descends the index once per org (PostgreSQL 15 descends it once per org
and metric when the metric comes before the period), and on PostgreSQL it holds the value too (INCLUDE: the
dashboard's reads are index-only scans, no heap fetch; docs/BENCHMARKS.md §15). SQLite has no INCLUDE: there the
index is the four columns. `facts._upsert`'s ON CONFLICT names the same four columns (in any order)."""

from django.db import migrations, models

NEW = models.UniqueConstraint(fields=("org", "period", "start", "metric"), name="orgs_fact_once")
COLUMNS = '"org_id", "period", "start", "metric"'


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER TABLE "orgs_fact" ADD CONSTRAINT "orgs_fact_once" UNIQUE ({COLUMNS}) '
                              'INCLUDE ("value")')
    else:  # what Django makes of NEW on SQLite (its sql_create_unique)
        schema_editor.execute(f'CREATE UNIQUE INDEX "orgs_fact_once" ON "orgs_fact" ({COLUMNS})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "orgs_fact" DROP CONSTRAINT "orgs_fact_once"')
    else:
        schema_editor.execute('DROP INDEX "orgs_fact_once"')


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0007_fact_store"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="fact", name="orgs_fact_once"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddConstraint(model_name="fact", constraint=NEW)],
            database_operations=[migrations.RunPython(add, drop)],
        ),
    ]
