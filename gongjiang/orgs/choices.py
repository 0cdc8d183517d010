"""Closed vocabularies of the org tree and of people (codes in English, labels in Chinese via gettext)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrgKind(models.TextChoices):
    PROVINCE = "province", _("Provincial federation")
    CITY = "city", _("City federation")
    INDUSTRY = "industry", _("Industry union")
    COUNTY = "county", _("County federation")
    TOWN = "town", _("Town/street union")
    GRASSROOTS = "grassroots", _("Grassroots union")
    DEPARTMENT = "department", _("Workshop/department")
    TEAM = "team", _("Team")


class Ownership(models.TextChoices):
    STATE = "state", _("State-owned")
    COLLECTIVE = "collective", _("Collective")
    PRIVATE = "private", _("Private")
    FOREIGN = "foreign", _("Foreign-invested")
    HMT = "hmt", _("Hong Kong, Macao, Taiwan")
    PUBLIC_INSTITUTION = "institution", _("Public institution")
    GOVERNMENT = "government", _("Government agency")
    SOCIAL = "social", _("Social organisation")


class Industry(models.TextChoices):
    """国民经济行业分类 (GB/T 4754-2017) sections."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail")
    G = "G", _("Transport, storage and post")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water conservancy, environment and public facilities")
    O = "O", _("Residential and other services")  # noqa: E741
    P = "P", pgettext_lazy("industry", "Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration and social organisations")
    T = "T", _("International organisations")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    DOCTOR = "doctor", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("College (dazhuan)")
    VOCATIONAL = "vocational", _("Secondary vocational/technical school")
    HIGH = "high", _("Senior high school")
    JUNIOR = "junior", _("Junior high school or below")


class Political(models.TextChoices):
    CPC = "cpc", _("CPC member")
    CPC_PROBATION = "cpc_probation", _("CPC probationary member")
    CYL = "cyl", _("Communist Youth League member")
    DEMOCRATIC = "democratic", _("Member of a democratic party")
    MASSES = "masses", _("Ordinary citizen")


class SkillGrade(models.IntegerChoices):
    """职业技能等级: level 5 is the lowest (初级工), level 1 the highest (高级技师)."""

    NONE = 0, _("No grade")
    GRADE5 = 5, _("Level 5 / junior worker")
    GRADE4 = 4, _("Level 4 / intermediate worker")
    GRADE3 = 3, _("Level 3 / senior worker")
    GRADE2 = 2, _("Level 2 / technician")
    GRADE1 = 1, _("Level 1 / senior technician")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Member")
    TRANSFERRED = "transferred", _("Transferred out")
    LEFT = "left", _("Left the union")
    SUSPENDED = "suspended", _("Membership stopped")


class TransferState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Withdrawn")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    STAFF = "staff", _("Staff")
    VIEWER = "viewer", _("Viewer")


ETHNICITIES = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族",
    "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族",
    "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族",
    "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族",
    "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族",
    "门巴族", "珞巴族", "基诺族",
]
assert len(ETHNICITIES) == 56
