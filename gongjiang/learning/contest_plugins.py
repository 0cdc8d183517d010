"""What the contests part contributes through core's registries (called from LearningConfig.ready): its audit verbs'
labels, the prize certificates' kind (core certificates with a QR code), the menu entries (cadres: contests and
theory exams; workers: knowledge contests) and the back links of contest and theory attempts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from gongjiang.core import certificates, registry
from gongjiang.core.registry import NavItem, NavSection
from gongjiang.orgs.plugins import is_cadre, is_worker


def _can_manage_certificate(user: Any, doc: Any) -> bool:
    from .models import ContestAward

    award = ContestAward.objects.filter(pk=doc.owner_id).select_related("contest__org").first()
    return award is not None and award.contest.can_change(user)


def _contest_return(attempt: Any) -> str:
    from django.urls import reverse

    return reverse("learning:contest_mine", args=[attempt.contest_id])


def _theory_return(attempt: Any) -> str:
    from django.urls import reverse

    if attempt.theory_exam_id:
        return reverse("learning:theory_take", args=[attempt.theory_exam_id])
    return reverse("learning:contest_open")


def register() -> None:
    from gongjiang.core.verbs import register_verbs

    from .contest_verbs import KEYS, VERBS
    from .services.contests import CONTEST_CERTIFICATE

    register_verbs(VERBS, keys=KEYS)
    certificates.register_kind(CONTEST_CERTIFICATE, title=gettext_lazy("Certificate of a knowledge contest prize"),
                               title_label=gettext_lazy("Prize"), prefix="ZS", can_manage=_can_manage_certificate)
    registry.register_nav(
        NavSection("learning", gettext_lazy("Learning"), 45),
        NavItem("learning", gettext_lazy("Knowledge contests"), "learning:contest_list", 30, visible=is_cadre,
                active=("learning:contest_list", "learning:contest_create", "learning:contest_detail",
                        "learning:contest_edit", "learning:contest_ranking", "learning:contest_units",
                        "learning:contest_suspicious", "learning:contest_certificates")),
        NavItem("learning", gettext_lazy("Online theory exams"), "learning:theory_list", 35, visible=is_cadre,
                active=("learning:theory_*",)),
        NavItem("learning", gettext_lazy("Knowledge contests"), "learning:contest_open", 31, visible=is_worker,
                active=("learning:contest_open", "learning:contest_mine", "learning:theory_take")),
    )
    from . import links
    from .choices import Purpose

    links.register_return(Purpose.CONTEST, _contest_return)
    links.register_return(Purpose.THEORY, _theory_return)
