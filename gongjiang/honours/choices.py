"""The honours' fixed vocabularies: the level of an honour, who receives it, the kinds of material a campaign asks
for, the reserved shares of a quota and the states of a nomination."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class Subject(models.TextChoices):
    PERSON = "person", _("A person")
    COLLECTIVE = "collective", _("A collective (team, workshop)")
    ORG = "org", _("An organisation")


class Material(models.TextChoices):
    """What a nomination carries (推荐材料): the campaign names the kinds it requires."""

    FORM = "form", _("Nomination form")
    DEEDS = "deeds", _("Account of deeds")
    LETTER = "letter", _("Letter of recommendation")
    PHOTO = "photo", _("Photo")
    OPINION = "opinion", _("Opinions of the authorities")
    OTHER = "other", _("Other material")


class Reserve(models.TextChoices):
    """The shares of a quota kept for a kind of nominee (e.g. 100 of 500 工人先锋号 for 非公企业)."""

    NON_PUBLIC = "non_public", _("Non-public enterprises")
    FRONT_LINE = "front_line", _("Front-line workers")
    WOMEN = "women", _("Women")


class NominationState(models.TextChoices):
    """A nomination's way up (逐级审核): a draft, submitted and decided level by level (its `at` the share whose
    union decides), returned to the unit to correct, not recommended at some level, shortlisted by the organiser,
    then conferred or — an objection to the public notice upheld — not conferred."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    REJECTED = "rejected", _("Not recommended")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    CONFERRED = "conferred", _("Conferred")
    NOT_CONFERRED = "not_conferred", _("Not conferred")


class HolderStatus(models.TextChoices):
    """Where a holder of an honour stands (荣誉获得者状态): a revoked title stays on the roster, marked."""

    ACTIVE = "active", pgettext_lazy("honour holder", "Active")
    MOVED = "moved", pgettext_lazy("honour holder", "Moved")
    RETIRED = "retired", pgettext_lazy("honour holder", "Retired")
    DECEASED = "deceased", pgettext_lazy("honour holder", "Deceased")
    REVOKED = "revoked", pgettext_lazy("honour holder", "Revoked")
