"""The learning figures move from learning.DayFigure (one row per org and day) to the fact store (orgs.Fact: the
`learning.*` metrics per org × day, month and year): the rows kept are carried over (each org's day row is already
its reach's total, so it is added to the org's day, month and year), then the table goes. `manage.py rebuild_facts
--check --app learning` compares them with the rows afterwards."""

from collections import defaultdict
from decimal import Decimal

from django.db import migrations

FIELDS = ("learners", "attempts", "passes", "contest_takers", "trainings", "training_hours", "mentor_pairs")


def carry_over(apps, schema_editor):
    DayFigure = apps.get_model("learning", "DayFigure")
    Fact = apps.get_model("orgs", "Fact")
    totals = defaultdict(Decimal)
    for row in DayFigure.objects.values("org_id", "day", *FIELDS).iterator(chunk_size=10000):
        day = row["day"]
        for period, start in (("D", day), ("M", day.replace(day=1)), ("Y", day.replace(month=1, day=1))):
            for f in FIELDS:
                if row[f]:
                    totals[(row["org_id"], f"learning.{f}", period, start)] += Decimal(row[f])
    Fact.objects.filter(metric__in=[f"learning.{f}" for f in FIELDS]).delete()
    Fact.objects.bulk_create([Fact(org_id=o, metric=m, period=p, start=s, value=v)
                              for (o, m, p, s), v in sorted(totals.items()) if v], batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ("learning", "0005_contest_prizes_in_order"),
        ("orgs", "0007_fact_store"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="DayFigure"),
    ]
