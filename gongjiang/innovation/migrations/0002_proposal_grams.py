"""The title index of proposals (ProposalGram: one row per proposal and bigram of its title), filled for the
proposals already there."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from gongjiang.innovation.rules.similarity import title_codes

    Proposal = apps.get_model("innovation", "Proposal")
    ProposalGram = apps.get_model("innovation", "ProposalGram")
    last = 0
    while True:
        chunk = list(Proposal.objects.filter(pk__gt=last).order_by("pk")
                     .values_list("pk", "enterprise_id", "title")[:5000])
        if not chunk:
            return
        ProposalGram.objects.bulk_create(
            [ProposalGram(gram=c, proposal_id=pk, enterprise_id=e) for pk, e, title in chunk for c in title_codes(title)],
            batch_size=5000)
        last = chunk[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ("innovation", "0001_initial"),
        ("orgs", "0006_kind_counters"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProposalGram",
            fields=[
                ("pk", models.CompositePrimaryKey("gram", "proposal", blank=True, editable=False, primary_key=True,
                                                  serialize=False)),
                ("gram", models.BigIntegerField()),
                ("proposal", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                               to="innovation.proposal")),
                ("enterprise", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DO_NOTHING,
                                                 related_name="+", to="orgs.org")),
            ],
            options={
                "verbose_name": "proposal title index",
                "verbose_name_plural": "proposal title index",
                "indexes": [models.Index(fields=["gram", "enterprise", "proposal"], name="proposal_gram_enterprise")],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
