"""The studios' yearly assessment moves onto the rubric engine (gongjiang.core.rubrics): each rubric's weighted items
become 打分 items of max_points × weight points, its two thresholds the grades 优秀 and 合格, and it gains a deduction
(经费违规使用), a capped bonus (国家级荣誉) and two vetoes (弄虚作假, 重大安全事故); each assessment keeps its rubric's
definition, each score its item's key and its answers (the points, times the weight). 0009 then drops what the
weighted form had (RubricItem, the thresholds, the scores' items) — a migration of its own, as PostgreSQL alters no
table whose rows were changed in the same transaction."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models

# Frozen copy of gongjiang.honours.studio_rubrics.EXTRA as of this migration.
EXTRA = (
    {"key": "funds_misused", "title": "经费违规使用", "mode": "deduction", "per_unit": 5, "cap": 10,
     "guide": "创新资金挪作他用，每发现一次扣5分，最多扣10分"},
    {"key": "national_honour", "title": "获国家级荣誉", "mode": "bonus", "per_unit": 5, "cap": 10,
     "guide": "工作室（班组）或其成员当年获全国五一劳动奖状（章）、全国工人先锋号等国家级荣誉，每项加5分，最多加10分"},
    {"key": "fraud", "title": "弄虚作假", "mode": "veto", "effect": "zero",
     "reason": "申报、考核材料弄虚作假的，考核结果为不合格"},
    {"key": "safety", "title": "发生重大安全事故", "mode": "veto", "effect": "zero",
     "reason": "工作室（班组）所在区域发生重大安全生产责任事故的，考核结果为不合格"},
)
BONUS_CAP = 10
TENTH = Decimal("0.1")


def _num(d):
    d = Decimal(d).normalize()
    return int(d) if d == d.to_integral_value() else str(d)


def to_engine(apps, schema_editor):
    Rubric = apps.get_model("honours", "Rubric")
    RubricItem = apps.get_model("honours", "RubricItem")
    Assessment = apps.get_model("honours", "Assessment")
    AssessmentScore = apps.get_model("honours", "AssessmentScore")
    AssessmentFile = apps.get_model("honours", "AssessmentFile")
    weights = {}
    for rubric in Rubric.objects.all():
        items = []
        for i in RubricItem.objects.filter(rubric=rubric).order_by("order", "id"):
            weights[i.pk] = i.weight
            item = {"key": i.code, "title": i.name, "mode": "points",
                    "points": _num((i.max_points * i.weight).quantize(TENTH, ROUND_HALF_UP))}
            if i.guidance:
                item["guide"] = i.guidance
            if i.evidence:
                item["evidence"] = list(i.evidence)
            items.append(item)
        maximum = sum((Decimal(str(i["points"])) for i in items), Decimal(0))
        keys = {i["key"] for i in items}
        items += [dict(e) for e in EXTRA if e["key"] not in keys]
        rubric.definition = {"maximum": _num(maximum), "base": 0, "bonus_cap": BONUS_CAP,
                             "grades": {"excellent": _num(rubric.excellent), "pass": _num(rubric.passing)},
                             "items": items}
        rubric.save(update_fields=["definition"])
    definitions = {r.pk: r.definition for r in Rubric.objects.all()}
    for a in Assessment.objects.all():
        a.definition = definitions[a.rubric_id]
        a.save(update_fields=["definition"])
    codes = dict(RubricItem.objects.values_list("pk", "code"))
    for s in AssessmentScore.objects.all():
        w = weights[s.item_id]
        s.key = codes[s.item_id]
        s.self_points = (s.self_points * w).quantize(TENTH, ROUND_HALF_UP)
        s.self_answer = str(s.self_points)
        if s.points is not None:
            s.points = (s.points * w).quantize(TENTH, ROUND_HALF_UP)
            s.answer = str(s.points)
        s.save(update_fields=["key", "self_points", "self_answer", "points", "answer"])
    for f in AssessmentFile.objects.all():
        f.key = codes[f.item_id]
        f.save(update_fields=["key"])


class Migration(migrations.Migration):

    dependencies = [
        ('honours', '0007_holder_conferred_on_facts'),
    ]

    operations = [
        migrations.AddField(
            model_name='rubric',
            name='definition',
            field=models.JSONField(default=dict, verbose_name='definition'),
        ),
        migrations.AddField(
            model_name='assessment',
            name='definition',
            field=models.JSONField(default=dict, verbose_name='definition'),
        ),
        migrations.AddField(
            model_name='assessmentscore',
            name='key',
            field=models.CharField(default='', max_length=30, verbose_name='item'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='assessmentscore',
            name='self_answer',
            field=models.JSONField(blank=True, null=True, verbose_name='self-assessment'),
        ),
        migrations.AddField(
            model_name='assessmentscore',
            name='answer',
            field=models.JSONField(blank=True, null=True, verbose_name='assessment'),
        ),
        migrations.AddField(
            model_name='assessmentfile',
            name='key',
            field=models.CharField(default='', max_length=30, verbose_name='item'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='assessment',
            name='self_total',
            field=models.DecimalField(decimal_places=2, max_digits=7, verbose_name='self-assessed total'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='total',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True,
                                      verbose_name='assessed total'),
        ),
        migrations.AlterField(
            model_name='assessmentscore',
            name='self_points',
            field=models.DecimalField(decimal_places=2, max_digits=6, verbose_name='self-assessed points'),
        ),
        migrations.AlterField(
            model_name='assessmentscore',
            name='points',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='points'),
        ),
        migrations.RunPython(to_engine, migrations.RunPython.noop, elidable=False),
    ]
