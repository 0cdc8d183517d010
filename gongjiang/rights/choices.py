"""Closed vocabularies of democratic management and collective contracts (codes in English, labels via gettext)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CongressForm(models.TextChoices):
    """职代会 in a company-form enterprise; 职工大会 in a small one (fewer than 100 employees); a 区域/行业职代会
    held by a town or industry union for the small firms of an area or a trade."""

    CONGRESS = "congress", _("Workers' congress")
    ASSEMBLY = "assembly", _("General assembly of workers")
    REGIONAL = "regional", _("Regional workers' congress")
    INDUSTRY = "industry", _("Industry workers' congress")


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Regular session")
    INTERIM = "interim", _("Interim session")


class MotionState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted as a motion")
    CONVERTED = "converted", _("Handled as an opinion")
    HANDLED = "handled", _("Handled and answered")


class MatterKind(models.TextChoices):
    """What the congress must review (审议) or adopt (通过) by law and by the provincial regulations."""

    RESTRUCTURING = "restructuring", _("Restructuring or reorganisation plan")
    WAGES = "wages", _("Wage scheme")
    WELFARE = "welfare", _("Welfare fund and housing scheme")
    RULES = "rules", _("Rules affecting workers' vital interests")
    REDUNDANCY = "redundancy", _("Redundancy plan")
    CONTRACT = "contract", _("Draft collective contract")
    REPORT = "report", _("Management's work report")
    OTHER = "other", _("Other matter")


class Resolution(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")
    DEFERRED = "deferred", _("Deferred for revision")


class OpennessTopic(models.TextChoices):
    """厂务公开的内容."""

    STRATEGY = "strategy", _("Business plan and major decisions")
    WAGES = "wages", _("Wages, bonuses and social insurance")
    SAFETY = "safety", _("Work safety and labour protection")
    HIRING = "hiring", _("Hiring, contracts and dismissals")
    WELFARE = "welfare", _("Welfare and housing fund")
    INTEGRITY = "integrity", _("Business hospitality and integrity")
    OTHER = "other", _("Other item")


class Channel(models.TextChoices):
    BOARD = "board", _("Notice board")
    CONGRESS = "congress", _("Workers' congress")
    MEETING = "meeting", _("Workers' meeting")
    INTRANET = "intranet", _("Intranet or app")
    WECHAT = "wechat", _("WeChat group")


class Seat(models.TextChoices):
    DIRECTOR = "director", _("Employee director")
    SUPERVISOR = "supervisor", _("Employee supervisor")


class ContractKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive collective contract")
    WAGES = "wages", _("Special wage agreement")
    WOMEN = "women", _("Special agreement on women workers' rights")
    SAFETY = "safety", _("Special agreement on work safety")


class ContractState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    FILED = "filed", _("Filed with the labour authority")
    TERMINATED = "terminated", _("Terminated")


class OfferState(models.TextChoices):
    """The 要约 of the 工资集体协商要约行动: sent by the union, answered by the employer, negotiated, signed — or
    refused by the employer (the union may send it again next year)."""

    SENT = "sent", _("Offer sent")
    ANSWERED = "answered", _("Answered by the employer")
    NEGOTIATING = "negotiating", _("In negotiation")
    SIGNED = "signed", _("Signed")
    REFUSED = "refused", _("Refused by the employer")


WOMEN_ITEMS = {
    "pregnancy": _("No night shifts or heavy work in pregnancy"),
    "maternity": _("Maternity leave beyond the legal minimum"),
    "nursing": _("Nursing breaks and a nursing room"),
    "screening": _("Yearly gynaecological and two-cancer screening"),
    "menstrual": _("Menstrual-period protection"),
    "harassment": _("Prevention of sexual harassment"),
}
