"""The studios' fixed vocabularies (劳模创新工作室 and its kin): the kind of a studio, the level it was recognised at,
its status, a member's role, the states and results of a yearly assessment."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StudioKind(models.TextChoices):
    MODEL_WORKER = "model", _("Model worker innovation studio")  # 劳模创新工作室
    SKILLED = "skilled", _("Highly skilled talent innovation studio")  # 高技能人才创新工作室
    WORKER = "worker", _("Workers' innovation studio")  # 职工创新工作室
    TEAM = "team", _("Innovative team")  # 创新型班组


class StudioLevel(models.TextChoices):
    NATIONAL = "national", _("National level")
    PROVINCE = "province", _("Provincial level")
    CITY = "city", _("City level")


class StudioStatus(models.TextChoices):
    ACTIVE = "active", _("On the register")  # 在册
    SUSPENDED = "suspended", _("Suspended")  # 暂停
    REVOKED = "revoked", pgettext_lazy("studio", "Revoked")  # 取消资格


class MemberRole(models.TextChoices):
    CORE = "core", pgettext_lazy("studio", "Core member")
    MEMBER = "member", pgettext_lazy("studio", "Member")
    APPRENTICE = "apprentice", _("Apprentice")


class AssessmentState(models.TextChoices):
    SELF = "self", _("Self-assessed")  # the host union has filled it, waiting for the assessing union
    CONFIRMED = "confirmed", _("Confirmed")


class Result(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")  # 优秀
    PASS = "pass", _("Pass")  # 合格
    FAIL = "fail", _("Fail")  # 不合格
