"""Migration 0008: the weighted form becomes the rubric engine's definitions (max_points × weight → 打分 items, the two
thresholds → the grades, a deduction, a bonus and two vetoes added) and an existing assessment keeps its total,
recomputable from its answers by the engine."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongjiang.core.rubrics import rubric as engine
from gongjiang.core.rubrics import scoring
from gongjiang.honours.models import Assessment, AssessmentFile, AssessmentScore, Rubric

D = Decimal
BEFORE = ("honours", "0007_holder_conferred_on_facts")


@pytest.mark.django_db(transaction=True)
def test_the_weighted_form_and_its_scores_become_the_engines(sd):
    Rubric.objects.all().delete()
    call_command("migrate", "honours", BEFORE[1], verbosity=0)
    try:
        apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        old_rubric, item = apps.get_model("honours", "Rubric"), apps.get_model("honours", "RubricItem")
        studio, assessment = apps.get_model("honours", "Studio"), apps.get_model("honours", "Assessment")
        score, file = apps.get_model("honours", "AssessmentScore"), apps.get_model("honours", "AssessmentFile")
        r = old_rubric.objects.create(kind="model", name="旧考核表", excellent=D(80), passing=D(60))
        a = item.objects.create(rubric=r, code="a", name="组织管理", guidance="有制度", max_points=D(10), weight=D(2),
                                evidence=["innovation.projects"], order=0)
        b = item.objects.create(rubric=r, code="b", name="创新成果", max_points=D(50), weight=D(1), order=1)
        s = studio.objects.create(name="旧工作室", kind="model", lead_id=sd.worker_person.pk, host_id=sd.steel.pk,
                                  level="province", year=2020, recognised_by_id=sd.province.pk)
        done = assessment.objects.create(studio=s, year=2024, rubric=r, assessing_id=sd.province.pk,
                                         state="confirmed", self_total=D(56), total=D(54), result="fail")
        score.objects.create(assessment=done, item=a, self_points=D(8), points=D(7), reason="台账不全", note="说明")
        score.objects.create(assessment=done, item=b, self_points=D(40), points=D(40))
        file.objects.create(assessment=done, item=a, name="a.pdf", size=1, content_type="application/pdf",
                            file="honours/studios/x/a.pdf")
    finally:
        call_command("migrate", "honours", verbosity=0)
    converted = Rubric.objects.get(kind="model")
    parsed = converted.rules
    assert parsed.maximum == 70 and parsed.grades == {"excellent": 80, "pass": 60} and parsed.bonus_cap == 10
    assert parsed.item("a").mode == engine.POINTS and parsed.item("a").points == 20
    assert parsed.item("a").evidence == ("innovation.projects",) and parsed.item("a").guide == "有制度"
    assert {"funds_misused", "national_honour", "fraud", "safety"} <= {i.key for i in parsed.leaves()}
    kept = Assessment.objects.get(year=2024)
    assert kept.definition == converted.definition
    rows = {x.key: x for x in AssessmentScore.objects.filter(assessment=kept)}
    assert set(rows) == {i.key for i in parsed.leaves()}
    assert (rows["a"].self_answer, rows["a"].answer, rows["a"].points, rows["a"].reason) == ("16.0", "14.0", 14,
                                                                                             "台账不全")
    assert rows["fraud"].answer is False and rows["national_honour"].points == 0
    answers = {k: scoring.decode(parsed.item(k), x.answer) for k, x in rows.items()}
    assert scoring.score(parsed, answers).total == kept.total == 54
    assert AssessmentFile.objects.get().key == "a"
