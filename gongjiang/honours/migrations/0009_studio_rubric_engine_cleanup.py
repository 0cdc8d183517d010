"""The second half of the studios' move onto the rubric engine (0008 wrote the definitions and the scores' keys): the
weighted form's columns and RubricItem go, the scores are unique per key, and every assessment gets a row per item
its definition gained (not happened, none counted). Its own migration: PostgreSQL alters no table whose rows were
changed earlier in the same transaction."""

from django.db import migrations, models

EXTRA_KEYS = {"funds_misused": "deduction", "national_honour": "bonus", "fraud": "veto", "safety": "veto"}


def extra_rows(apps, schema_editor):
    """The items every assessment's definition gained, answered: not happened, none counted (after the schema
    changes of the table: PostgreSQL alters no table with rows inserted before in the same transaction)."""
    Assessment = apps.get_model("honours", "Assessment")
    AssessmentScore = apps.get_model("honours", "AssessmentScore")
    for a in Assessment.objects.all():
        keys = set(AssessmentScore.objects.filter(assessment=a).values_list("key", flat=True))
        confirmed = a.total is not None
        AssessmentScore.objects.bulk_create([
            AssessmentScore(assessment=a, key=key, self_answer=False if mode == "veto" else "0",
                            self_points=0, answer=(False if mode == "veto" else "0") if confirmed else None,
                            points=0 if confirmed else None)
            for key, mode in EXTRA_KEYS.items() if key not in keys])


class Migration(migrations.Migration):

    dependencies = [
        ('honours', '0008_studio_rubric_engine'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='assessmentscore',
            name='assessment_item_once',
        ),
        migrations.AlterModelOptions(
            name='assessmentscore',
            options={'ordering': ['assessment', 'id'], 'verbose_name': 'assessment score',
                     'verbose_name_plural': 'assessment scores'},
        ),
        migrations.RemoveField(
            model_name='assessmentscore',
            name='item',
        ),
        migrations.RemoveField(
            model_name='assessmentfile',
            name='item',
        ),
        migrations.AddConstraint(
            model_name='assessmentscore',
            constraint=models.UniqueConstraint(fields=('assessment', 'key'), name='assessment_item_once'),
        ),
        migrations.RemoveField(
            model_name='rubric',
            name='excellent',
        ),
        migrations.RemoveField(
            model_name='rubric',
            name='passing',
        ),
        migrations.DeleteModel(
            name='RubricItem',
        ),
        migrations.RunPython(extra_rows, migrations.RunPython.noop, elidable=False),
    ]
