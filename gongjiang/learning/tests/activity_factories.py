"""What the activity tests build on: a small set of banks owned by the province (the banks part's demo loader
"learning.banks" writes the real ones; these tests register `fallback_banks` in its place, never the product), and
daily figures added to the fact store directly (the fold's output) for the figures pages."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db.models import F

from gongjiang.orgs import facts
from gongjiang.orgs.models import Org

from ..choices import Kind
from ..facts_plugins import key
from ..models import Bank, Question

STEMS = {"安全": "安全生产", "节能": "节能减排"}


def make_bank(org: Org, name: str, n: int, seed: int = 1) -> Bank:
    """A bank of `n` questions of every kind and difficulty (plausible stems; the keys are what the tests mark)."""
    rng = random.Random(seed)
    bank = Bank.objects.create(org=org, name=name, question_count=n)
    topic = next((v for k, v in STEMS.items() if k in name), "职工知识")
    rows = []
    for i in range(n):
        kind = (Kind.SINGLE, Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE, Kind.FILL)[i % 5]
        options: list[str] = []
        answer, blanks = "", []
        if kind == Kind.SINGLE:
            options = [f"选项{c}" for c in "ABCD"]
            answer = rng.choice("ABCD")
        elif kind == Kind.MULTIPLE:
            options = [f"选项{c}" for c in "ABCDE"]
            answer = "".join(sorted(rng.sample("ABCDE", rng.randint(2, 3))))
        elif kind == Kind.TRUE_FALSE:
            answer = rng.choice("TF")
        else:
            blanks = [["二氧化碳", "CO2"]] if i % 2 else [["三"], ["四"]]
        rows.append(Question(bank=bank, kind=kind, stem=f"{topic}第{i + 1}题：下列说法正确的是？", options=options,
                             answer=answer, blanks=blanks, difficulty=1 + i % 5, score=Decimal(1 + i % 2),
                             fingerprint=f"{bank.pk}-{i}", version=1))
    Question.objects.bulk_create(rows, batch_size=2000)
    Question.objects.filter(bank=bank).update(family=F("id"))
    return bank


def fallback_banks(scale: str, log: Any, reset: bool) -> str:
    """The test stand-in of the banks' demo loader: two banks of the province (safety, energy saving)."""
    province = Org.objects.get(code="37", depth=1)
    n = 120 if scale == "tiny" else 1500
    make_bank(province, "安全生产知识题库", n, seed=1)
    make_bank(province, "节能减排知识题库", n // 2, seed=2)
    return "banks"


def day_figures(rows: list[tuple[Org, datetime.date, dict[str, Any]]]) -> None:
    """Daily figures as the fold and the training verbs add them: each (unit, day, {figure: value}) counted at the
    unit, the store carrying it to every org above (regionally and through an industry union)."""
    facts.add_many([(unit, day, key(f), v) for unit, day, values in rows for f, v in values.items()])
