"""The training part's vocabularies: a mentor pair's state and the kinds of learning material."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PairState(models.TextChoices):
    """A mentor pair (师徒结对): in progress, finished as agreed (出师), or ended early (with its reason)."""

    ACTIVE = "active", pgettext_lazy("mentor pair", "In progress")  # 结对中
    FINISHED = "finished", pgettext_lazy("mentor pair", "Finished")  # 已出师
    ENDED = "ended", pgettext_lazy("mentor pair", "Ended early")  # 提前解除


class MaterialKind(models.TextChoices):
    DOCUMENT = "document", _("Document")  # 文档
    LINK = "link", _("Link")  # 链接
    VIDEO = "video", _("Video")  # 视频（外部地址）
