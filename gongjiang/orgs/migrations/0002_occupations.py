from django.db import migrations


def load(apps, schema_editor):
    from gongjiang.orgs.occupations import load as load_rows

    load_rows(apps.get_model("orgs", "Occupation"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
