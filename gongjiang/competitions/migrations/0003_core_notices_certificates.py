# The round's public notice and the prize certificates move onto the core services (schema, step 1 of 3).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("competitions", "0002_evaluators"),
        ("core", "0004_notices_certificates"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="notice",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="+", to="core.publicnotice"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="document",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                       to="core.issuedcertificate"),
        ),
    ]
