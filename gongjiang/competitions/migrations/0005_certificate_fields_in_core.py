# Step 3 of 3: the certificate's number, token and dates are core's now.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("competitions", "0004_move_notices_certificates"),
    ]

    operations = [
        migrations.RemoveField(model_name="certificate", name="number"),
        migrations.RemoveField(model_name="certificate", name="token"),
        migrations.RemoveField(model_name="certificate", name="issued_at"),
        migrations.RemoveField(model_name="certificate", name="revoked_at"),
        migrations.AlterField(
            model_name="certificate",
            name="document",
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                       to="core.issuedcertificate"),
        ),
    ]
