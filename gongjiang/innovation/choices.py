"""Closed vocabularies of the innovation app (codes in English, labels through gettext)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class Stage(models.TextChoices):
    """An innovation project's stage: 问题查找 → 课题立项 → 项目攻关 → 应用试验 → 改进提升 → 鉴定评价 →
    推广转化, or 中止 (closed with a reason). rules.projects has the order and the transitions."""

    FINDING = "finding", _("Problem finding")
    APPROVED = "approved", _("Project approval")
    TACKLING = "tackling", _("Tackling")
    TRIAL = "trial", _("Application trial")
    IMPROVING = "improving", _("Improvement")
    APPRAISED = "appraised", _("Appraisal")
    TRANSFERRED = "transferred", _("Promotion and transfer")
    STOPPED = "stopped", _("Stopped")


class Holder(models.TextChoices):
    """Who runs a project: an enterprise (its grassroots union), a studio (劳模创新工作室, hosted by an enterprise
    or one of its departments) or a team (班组)."""

    ENTERPRISE = "enterprise", _("The enterprise")
    STUDIO = "studio", _("An innovation studio")
    TEAM = "team", _("A team")


class ProjectRole(models.TextChoices):
    """A project member's role: exactly one leader (负责人), core members (骨干) and members."""

    LEADER = "leader", _("Leader")
    CORE = "core", _("Core member")
    MEMBER = "member", _("Ordinary member")


class ExpoState(models.TextChoices):
    """An exhibition's state (6·18 展洽会): 筹备 → 征集 (offers and needs entered) → 已举办 → 已结束."""

    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for entries")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


class TransferMode(models.TextChoices):
    """How an achievement is offered: 技术转让, 许可使用, 合作开发, 技术服务."""

    TRANSFER = "transfer", _("Technology transfer")
    LICENCE = "licence", _("Licensed use")
    COOPERATION = "cooperation", _("Joint development")
    SERVICE = "service", _("Technical service")


class EntryState(models.TextChoices):
    """An offer's or a need's check by the organiser."""

    SUBMITTED = "submitted", _("Waiting for the check")
    ACCEPTED = "accepted", _("In the catalogue")
    RETURNED = "returned", _("Returned")


class MatchState(models.TextChoices):
    """A match's outcome: 已配对 → 已对接 → 已签约 → 已落地, or 未达成 (closed without agreement, with a reason)."""

    MATCHED = "matched", _("Matched")
    MET = "met", _("Met")
    SIGNED = "signed", _("Signed")
    IMPLEMENTED = "implemented", _("Implemented")
    CLOSED = "closed", _("Closed without agreement")


class MatchOrigin(models.TextChoices):
    """Who made a match: the organiser confirming a suggestion, or the union of either side asking for it."""

    SUGGESTED = "suggested", _("Suggested match confirmed by the organiser")
    OFFER_SIDE = "offer_side", _("Requested by the offering union")
    NEED_SIDE = "need_side", _("Requested by the union with the need")


class MeetingState(models.TextChoices):
    """A meeting asked for a slot at the exhibition: the other side accepts or declines it."""

    REQUESTED = "requested", pgettext_lazy("meeting", "Requested")
    ACCEPTED = "accepted", pgettext_lazy("meeting", "Accepted")
    DECLINED = "declined", pgettext_lazy("meeting", "Declined")
