"""Every question bank verb once, on the factory province: what tests/test_timelines.py adds to its world so that
each bank audit verb is shown in Chinese words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gongjiang.learning import banks_imports, services
from gongjiang.learning.models import Question

from .banks_factories import GOOD_ROWS, BankWorld, bank_world, draft, xlsx

GIFT = "::电话::火警电话是{=119 =幺幺九}。\n\n::方针::我国安全生产方针是安全第一、预防为主、综合治理。{T}\n"


def everything(sd: Any) -> BankWorld:
    """Create and change banks, add, edit (in place and as a new version) and retire questions, import an Excel
    file and a GIFT file."""
    bw = bank_world(sd)
    services.update_bank(actor=sd.jinan_cadre, bank=bw.jinan_bank, name="济南市电工技能题库", description="电工",
                         shared=True)
    q = bw.question(tags=["电工"])
    q = services.edit_question(actor=sd.jinan_cadre, question=q, draft=draft(explanation="见GB/T 3805。",
                                                                             score=Decimal("2")))
    Question.objects.filter(pk=q.pk).update(drawn=True)
    q.refresh_from_db()
    q = services.edit_question(actor=sd.jinan_cadre, question=q, draft=draft(
        kind="multiple", answer="AB", weights=[50, 50, 0, -100], feedback=["对", "对", "错", "错"], tags=["安全电压"]))
    services.retire_question(actor=sd.jinan_cadre, question=q)
    banks_imports.start_excel_import(actor=sd.jinan_cadre, bank=bw.jinan_bank, upload=xlsx(GOOD_ROWS))
    banks_imports.import_text(actor=sd.province_admin, bank=bw.province_bank, fmt="gift", data=GIFT.encode())
    return bw
