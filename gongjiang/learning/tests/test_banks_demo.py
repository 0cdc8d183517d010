"""The question banks' menu entry and demo: the province's seven shared banks and one city bank, a few thousand
generated questions of all four types that the bank rules accept, their counts kept, and a wipe that leaves none."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from gongjiang.core import registry
from gongjiang.learning import demo_banks
from gongjiang.learning.models import Bank, Question
from gongjiang.learning.rules.banks import Draft, problems

from .chinese import _english_messages, client  # noqa: F401  (this module reads the Chinese messages)


def test_the_menu_shows_the_banks_to_cadres_only(sd):
    nav = registry.navigation(sd.county_cadre, "learning:bank_list")
    section = next(s for s in nav if s["key"] == "learning")
    assert section["items"][0]["url"] == reverse("learning:bank_list") and section["items"][0]["current"]
    assert all(i["url_name"] != "learning:bank_list" for s in registry.navigation(sd.worker, "orgs:home")
               for i in s["items"])
    loader = next(x for x in registry.demo_loaders(["learning.banks"]) if x.key == "learning.banks")
    assert loader.after == ("orgs",)


def test_the_demo_banks(sd):
    figures = demo_banks.load()
    assert figures["banks"] == 8 and figures["questions"] >= 2000
    shared = Bank.objects.filter(shared=True)
    assert set(shared.values_list("org", flat=True)) == {sd.province.pk} and shared.count() == 7
    assert Bank.objects.get(shared=False).org == sd.jinan
    assert set(Question.objects.values_list("kind", flat=True)) == {"single", "multiple", "truefalse", "fill"}
    for bank in Bank.objects.annotate(n=Count("questions")):
        assert bank.question_count == bank.n > 0
    for q in Question.objects.all()[:3000:7]:
        assert problems(Draft(kind=q.kind, stem=q.stem, options=q.options, answer=q.answer, blanks=q.blanks,
                              explanation=q.explanation, difficulty=q.difficulty, score=q.score)) == []
        assert q.explanation
    demo_banks.wipe()
    assert not Bank.objects.exists() and not Question.objects.exists()
