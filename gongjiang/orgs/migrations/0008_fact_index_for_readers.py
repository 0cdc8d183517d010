"""The fact store's one index keyed (org, period, start, metric): an org's metrics of one period are adjacent, so a
reader asking for several orgs' metrics descends the index once per org (PostgreSQL 15 descends it once per org
and metric when the metric comes before the period), and on PostgreSQL it holds the value too (INCLUDE: the
dashboard's reads are index-only scans, no heap fetch; docs/BENCHMARKS.md §15). SQLite has no INCLUDE: there the
index is the four columns. `facts._upsert`'s ON CONFLICT names the same four columns (in any order)."""

from django.db import migrations, models

OLD = models.UniqueConstraint(fields=("org", "metric", "period", "start"), name="orgs_fact_once")
NEW = models.UniqueConstraint(fields=("org", "period", "start", "metric"), name="orgs_fact_once")
COVERING = ('ALTER TABLE "orgs_fact" DROP CONSTRAINT "orgs_fact_once", ADD CONSTRAINT "orgs_fact_once" '
            'UNIQUE ("org_id", "period", "start", "metric") INCLUDE ("value")')
PLAIN = ('ALTER TABLE "orgs_fact" DROP CONSTRAINT "orgs_fact_once", ADD CONSTRAINT "orgs_fact_once" '
         'UNIQUE ("org_id", "metric", "period", "start")')


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COVERING)
    else:
        fact = apps.get_model("orgs", "Fact")
        schema_editor.remove_constraint(fact, OLD)
        schema_editor.add_constraint(fact, NEW)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PLAIN)
    else:
        fact = apps.get_model("orgs", "Fact")
        schema_editor.remove_constraint(fact, NEW)
        schema_editor.add_constraint(fact, OLD)


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0007_fact_store"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="fact", name="orgs_fact_once"),
                migrations.AddConstraint(model_name="fact", constraint=NEW),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
