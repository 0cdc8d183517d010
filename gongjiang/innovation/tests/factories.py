"""Builders for the innovation tests: the factory province (`sd`) with a valuator and a finance officer appointed
at 济钢 (the worker persona 李强's enterprise), a colleague of 李强, and proposals brought to any state through the
verbs themselves."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.innovation import services
from gongjiang.innovation.choices import Category, Duty, Opinion, State
from gongjiang.innovation.models import Appointment, Assignment, Proposal
from gongjiang.orgs.models import Person, User
from gongjiang.orgs.tests.factories import person, user

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# The order in which the verbs bring a proposal forward.
LINE = (State.SUBMITTED, State.ACCEPTED, State.EVALUATING, State.ADOPTED, State.IMPLEMENTING, State.ACCOUNTED,
        State.REWARDED, State.ARCHIVED)


def pdf(name: str = "图纸.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@dataclass
class Innovation:
    """`sd` and the innovation people of 济钢."""

    sd: Any
    valuator: User
    second_valuator: User
    finance: User
    colleague: Person
    colleague_user: User

    def submit(self, title: str = "转炉氧枪喷头改进延长使用寿命", **kw: Any) -> Proposal:
        data = {"problem": "氧枪喷头平均寿命只有80炉，更换频繁，影响生产节奏。",
                "solution": "喷头改用铸造紫铜并优化冷却水道，寿命预计提高到150炉。",
                "category": Category.COST, "expected_benefit": "每年节约备件费用约20万元", **kw}
        return services.submit_proposal(actor=self.sd.worker, title=title, **data)

    def bring(self, proposal: Proposal, state: str, *, forecast: Decimal = Decimal(200000),
              gross: Decimal = Decimal(260000), cost: Decimal = Decimal(40000)) -> Proposal:
        """Move `proposal` forward through the verbs to `state` (on the main line, or 不采纳 after evaluation)."""
        cadre = self.sd.enterprise_cadre
        target = State.EVALUATING if state == State.REJECTED else state
        for nxt in LINE[LINE.index(proposal.state) + 1: LINE.index(target) + 1]:
            proposal.refresh_from_db()
            if nxt == State.ACCEPTED:
                services.accept_proposal(actor=cadre, proposal=proposal, department=self.sd.workshop)
            elif nxt == State.EVALUATING:
                services.assign_valuators(actor=cadre, proposals=[proposal], valuators=[self.valuator])
            elif nxt == State.ADOPTED:
                a = Assignment.objects.get(proposal=proposal, valuator=self.valuator, active=True)
                services.submit_valuation(actor=self.valuator, assignment=a, opinion=Opinion.ADOPT, score=86,
                                          comment="方案可行")
                services.adopt_proposal(actor=cadre, proposal=proposal, forecast=forecast,
                                        forecast_soft="减少停炉换枪时间")
            elif nxt == State.IMPLEMENTING:
                services.start_implementation(actor=cadre, proposal=proposal)
            elif nxt == State.ACCOUNTED:
                services.record_benefit(actor=cadre, proposal=proposal, gross=gross, cost=cost, soft="减少停炉时间",
                                        evidence=[pdf("财务核算表.pdf")])
                services.sign_off_benefit(actor=self.finance, proposal=proposal)
            elif nxt == State.REWARDED:
                services.pay_reward(actor=cadre, proposal=proposal, voucher="JL-2026-001")
            elif nxt == State.ARCHIVED:
                services.archive_proposal(actor=cadre, proposal=proposal)
        if state == State.REJECTED:
            a = Assignment.objects.get(proposal=proposal, valuator=self.valuator, active=True)
            services.submit_valuation(actor=self.valuator, assignment=a, opinion=Opinion.REJECT, score=40,
                                      comment="现场条件不具备")
            services.reject_proposal(actor=cadre, proposal=proposal, reason="现场条件不具备")
        proposal.refresh_from_db()
        return proposal


def innovation(sd: Any) -> Innovation:
    valuator, second, finance = user("valuator"), user("valuator2"), user("finance")
    for u, name in ((valuator, "评估员赵工"), (second, "评估员钱工"), (finance, "财务孙会计")):
        u.full_name = name
        u.save(update_fields=["full_name"])
    for u, duty in ((valuator, Duty.VALUATOR), (second, Duty.VALUATOR), (finance, Duty.FINANCE)):
        Appointment.objects.create(org=sd.steel, user=u, duty=duty)
    colleague = person(sd.workshop, "周明", mobile="13912340001")
    colleague_user = user("zhouming", person=colleague)
    return Innovation(sd, valuator, second, finance, colleague, colleague_user)


def year_facts(org: Any, year: int) -> dict[str, Decimal]:
    """The fact store's innovation figures of `org`'s reach for `year`: {name without "innovation.": value}, zeros
    left out."""
    import datetime

    from gongjiang.innovation import metrics
    from gongjiang.orgs import facts

    found = facts.values([org.pk], metrics.KEYS, "Y", datetime.date(year, 1, 1))
    return {key.removeprefix("innovation."): v for (_o, key), v in found.items() if v}


def facts_agree() -> None:
    """The kept innovation figures are what the rows say (after the proposals waiting were folded)."""
    from gongjiang.innovation import counters
    from gongjiang.orgs import facts

    while counters.fold():
        pass
    assert facts.differences(["innovation"]) == {}
