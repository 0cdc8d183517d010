"""Masked ID numbers keep only their last four characters (3701**********1234 → **************1234): the region
digits beside a birth date let the whole number be rebuilt. The stored mask already holds the last four."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Right


def mask_last_four(apps, schema_editor):
    Person = apps.get_model("orgs", "Person")
    Person.objects.update(id_masked=Concat(Value("*" * 14), Right("id_masked", 4)))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_login_attempts")]

    operations = [migrations.RunPython(mask_last_four, migrations.RunPython.noop, elidable=True)]
