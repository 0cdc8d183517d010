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
    TECHASSOC = "techassoc", _("Technical association officer")


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


class CallLevel(models.TextChoices):
    """The level of an achievement call (成果征集): a city union's or the provincial federation's. A province's
    best go on to the national federation by recommendation (recorded, outside this system)."""

    CITY = "city", _("City call")
    PROVINCE = "province", _("Provincial call")


class CallState(models.TextChoices):
    """草拟 → 征集中 → 评审中 → 评定 (ranked, awards proposed) → 公示中 → 已发布 (final)."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Collecting")
    REVIEWING = "reviewing", _("Under review")
    RANKED = "ranked", _("Ranked")
    NOTICE = "notice", _("On public notice")
    FINAL = "final", pgettext_lazy("call state", "Results confirmed")


class Field(models.TextChoices):
    """What an achievement is about — also the experts' specialities, matched when reviewers are assigned."""

    INVENTION = "invention", _("Invention and creation")
    RENOVATION = "renovation", _("Technical renovation")
    PROCESS = "process", _("Process improvement")
    EQUIPMENT = "equipment", _("Equipment modification")
    ENERGY = "energy", _("Energy saving and environment")
    SAFETY = "safety", _("Production safety")
    DIGITAL = "digital", _("Digitalisation")
    MANAGEMENT = "management", _("Management innovation")


class AchievementState(models.TextChoices):
    """An achievement in a call: submitted (in the review), or returned by the organiser with the reason (not
    eligible, materials missing)."""

    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")


class Award(models.IntegerChoices):
    NONE = 0, _("No award")
    FIRST = 1, _("First prize")
    SECOND = 2, _("Second prize")
    THIRD = 3, _("Third prize")


class AwardMode(models.TextChoices):
    """How award levels follow from the ranking: by shares of the ranked achievements (e.g. 10 % first, 20 %
    second, 30 % third), or by score bands (a mean of at least 90 first…)."""

    SHARE = "share", _("By share of the ranking")
    BANDS = "bands", _("By score bands")


class ReviewState(models.TextChoices):
    ASSIGNED = "assigned", _("To review")
    SUBMITTED = "submitted", _("Reviewed")
    ABSTAINED = "abstained", _("Abstained (conflict of interest)")


# ---------------------------------------------------------------------------------------------
# Workers' technical associations (职工技协, part 5 of issue 10)


class AssociationState(models.TextChoices):
    """A technical association is active, or dissolved (注销) with a reason."""

    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


class Honour(models.TextChoices):
    """The honours and titles that qualify a worker for a technical association (a closed vocabulary; the honours
    app will feed it through a registry)."""

    GOLD_WORKER = "gold_worker", _("Gold-medal worker")
    CRAFTSMAN = "craftsman", _("Skilled craftsman")
    CHIEF_EMPLOYEE = "chief_employee", _("Chief employee")
    TECH_EXPERT = "tech_expert", _("Technical expert")
    MODEL_WORKER = "model_worker", _("Model worker")
    SENIOR_TECHNICIAN = "senior_technician", _("Senior technician")
    TECHNICIAN = "technician", _("Technician")
    MAY_DAY_MEDAL = "may_day_medal", _("May Day labour medal")
    INNOVATION_EXPERT = "innovation_expert", _("Innovation expert")


class Post(models.TextChoices):
    """A seat on a council (理事会): exactly one chair (理事长) per council; vice chairs, the
    secretary-general, standing directors and directors."""

    CHAIR = "chair", _("Chair of the council")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    SECRETARY = "secretary", _("Secretary-general")
    STANDING = "standing", _("Standing director")
    DIRECTOR = "director", _("Director")


class ActivityKind(models.TextChoices):
    """What a technical association does: technical exchange, on-the-job drills, and the four technical services
    for enterprises (四技服务: service, consulting, development, transfer), which have a client and a contract."""

    EXCHANGE = "exchange", _("Technical exchange")
    DRILL = "drill", _("On-the-job drill")
    SERVICE = "service", _("Technical service")
    CONSULTING = "consulting", _("Technical consulting")
    DEVELOPMENT = "development", _("Technical development")
    TRANSFER = "transfer", _("Technology transfer")


class ActivityState(models.TextChoices):
    """planned → held; a four-technical-services contract is then closed with its outcome."""

    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed with its outcome")

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
    """A meeting asked for a slot at the exhibition: the other side accepts or declines it; either side may cancel an
    accepted one (the slot is free again)."""

    REQUESTED = "requested", pgettext_lazy("meeting", "Requested")
    ACCEPTED = "accepted", pgettext_lazy("meeting", "Accepted")
    DECLINED = "declined", pgettext_lazy("meeting", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")
