"""Closed vocabularies of the innovation app (codes in English, labels through gettext)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a proposal improves (the categories the enterprises' 合理化建议 forms use)."""

    QUALITY = "quality", _("Quality")
    COST = "cost", _("Cost")
    EFFICIENCY = "efficiency", _("Efficiency")
    SAFETY = "safety", _("Safety")
    ENERGY = "energy", _("Energy saving and emissions")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    """A rationalization proposal, a golden idea, or one of the five-small innovations (五小)."""

    PROPOSAL = "proposal", _("Rationalization proposal")
    GOLDEN_IDEA = "golden_idea", _("Golden idea")
    INVENTION = "invention", _("Small invention")
    CREATION = "creation", _("Small creation")
    INNOVATION = "innovation", _("Small innovation")
    DESIGN = "design", _("Small design")
    SUGGESTION = "suggestion", _("Small suggestion")


class State(models.TextChoices):
    """提交 → 受理 → 评估 → 采纳 / 不采纳 → 实施 → 效益核算 → 奖励 → 归档 (rules.workflow has the transitions)."""

    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted for valuation")
    EVALUATING = "evaluating", _("Under evaluation")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not adopted")
    IMPLEMENTING = "implementing", _("Being implemented")
    ACCOUNTED = "accounted", _("Benefit accounted")
    REWARDED = "rewarded", _("Rewarded")
    ARCHIVED = "archived", _("Archived")


class Opinion(models.TextChoices):
    """A valuator's recommendation."""

    ADOPT = "adopt", _("Recommend adoption")
    REJECT = "reject", _("Recommend not adopting")


class Grade(models.IntegerChoices):
    """Reward grade (一、二、三等); 0: an encouragement without a grade."""

    NONE = 0, _("Encouragement")
    FIRST = 1, _("First grade")
    SECOND = 2, _("Second grade")
    THIRD = 3, _("Third grade")


class RewardMode(models.TextChoices):
    SHARE = "share", _("Share of the net benefit")
    POINTS = "points", _("Points × amount")


class AttachmentKind(models.TextChoices):
    MATERIAL = "material", _("Proposal material")
    EVIDENCE = "evidence", _("Benefit evidence")


class Duty(models.TextChoices):
    """What an appointed account does in a union's innovation work (beside the union roles of orgs)."""

    VALUATOR = "valuator", _("Valuator")
    FINANCE = "finance", _("Finance officer")
