"""Every challenges verb once, on the factory province: what tests/test_timelines.py adds to its world so that each
challenges audit verb is shown in Chinese words."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gongjiang.learning.models import Challenge
from gongjiang.learning.services import challenges as services

from .challenge_factories import Challenges, challenges, take


def everything(sd: Any) -> Challenges:
    """Create, edit, add/change/remove levels, reorder, publish, withdraw and publish again; a worker enters a
    level (answered wrong), practises daily and practises the wrong answers."""
    ch = challenges(sd, published=False)
    admin = sd.province_admin
    c = services.create_challenge(actor=admin, org=sd.province, title="节能减排闯关", opens_on=timezone.localdate(),
                                  badge="节能达人")
    services.update_challenge(actor=admin, challenge=c, title="节能减排知识闯关", opens_on=timezone.localdate(),
                              badge="节能先锋")
    one = services.save_level(actor=admin, challenge=c, title="基础", banks=[ch.bank], draw=[{"count": 2}])
    two = services.save_level(actor=admin, challenge=c, title="进阶", banks=[ch.bank],
                              draw=[{"count": 2, "kinds": ["truefalse"]}])
    services.save_level(actor=admin, challenge=c, level=one, title="基础知识", banks=[ch.bank],
                        draw=[{"count": 3, "kinds": ["single"], "difficulty": [1, 2]}], pass_mark=80)
    services.reorder_levels(actor=admin, challenge=c, order=[two.pk, one.pk])
    services.remove_level(actor=admin, level=two)
    services.publish_challenge(actor=admin, challenge=ch.challenge)
    services.withdraw_challenge(actor=admin, challenge=ch.challenge)
    ch.challenge = services.publish_challenge(actor=admin, challenge=Challenge.objects.get(pk=ch.challenge.pk))
    take(services.enter_level(actor=sd.worker, level=ch.level1), sd.worker, right=0)
    take(services.start_practice(actor=sd.worker), sd.worker)
    take(services.start_mistake_practice(actor=sd.worker), sd.worker)
    return ch
