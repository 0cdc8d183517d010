"""Builders for the innovation project tests: on the factory province (`sd`, with the innovation people of 济钢),
a project registered by 济钢's union cadre and brought to any stage through the verbs themselves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gongjiang.innovation import services
from gongjiang.innovation.choices import Holder, Stage
from gongjiang.innovation.models import Project
from gongjiang.innovation.rules import projects as rules

from .factories import Innovation

REASON = "经研究同意"


def project(inn: Innovation, *, title: str = "转炉氧枪喷头寿命攻关", holder: str = Holder.TEAM, org: Any = None,
            **kw: Any) -> Project:
    """A project of 炼钢一班 (a team of 济钢) led by 李强, registered by 济钢's union cadre."""
    sd = inn.sd
    data: dict[str, Any] = {"problem": "氧枪喷头寿命只有80炉，更换频繁，影响生产节奏。", "leader": sd.worker_person,
                            "requested": Decimal(30000), **kw}
    return services.create_project(actor=sd.enterprise_cadre, org=org or sd.team, holder=holder, title=title,
                                   **data)


def bring(inn: Innovation, p: Project, stage: str) -> Project:
    """Move `p` forward stage by stage (the next one each time) to `stage` (or stop it where it is)."""
    actor = inn.sd.enterprise_cadre
    if stage == Stage.STOPPED:
        return services.stop_project(actor=actor, project=p, reason="技术路线不可行")
    for nxt in rules.ORDER[rules.ORDER.index(p.stage) + 1: rules.ORDER.index(stage) + 1]:
        p = services.advance_project(actor=actor, project=p, stage=nxt, reason=REASON)
    return p
