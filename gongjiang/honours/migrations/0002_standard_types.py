"""The standard honour types (gongjiang/honours/standard.py)."""

from django.db import migrations


def add(apps, schema_editor):
    from gongjiang.honours.standard import load

    load(apps.get_model("honours", "HonourType"))


def remove(apps, schema_editor):
    from gongjiang.honours.standard import TYPES

    apps.get_model("honours", "HonourType").objects.filter(code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("honours", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
