"""The learning app's fixed vocabularies: the kinds of question, their difficulty, what an attempt is for and its
state."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    SINGLE = "single", _("Single choice")  # 单选题
    MULTIPLE = "multiple", _("Multiple choice")  # 多选题
    TRUE_FALSE = "truefalse", _("True or false")  # 判断题
    FILL = "fill", _("Fill in the blanks")  # 填空题


class Difficulty(models.IntegerChoices):
    EASY = 1, _("Easy")  # 易
    FAIRLY_EASY = 2, _("Fairly easy")  # 较易
    MEDIUM = 3, _("Medium")  # 中等
    FAIRLY_HARD = 4, _("Fairly hard")  # 较难
    HARD = 5, _("Hard")  # 难


class Purpose(models.TextChoices):
    """What an attempt is for: a level of a challenge (闯关), a knowledge contest (竞赛), daily practice (每日一练),
    the practice of one's wrong answers (错题重练) or the theory exam of a competition round (理论考试)."""

    LEVEL = "level", _("Challenge level")
    CONTEST = "contest", _("Knowledge contest")
    PRACTICE = "practice", _("Daily practice")
    MISTAKES = "mistakes", _("Wrong-answer practice")
    THEORY = "theory", _("Theory exam")


class AttemptState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("attempt", "In progress")  # 答题中
    SUBMITTED = "submitted", pgettext_lazy("attempt", "Submitted")  # 已交卷
    EXPIRED = "expired", pgettext_lazy("attempt", "Timed out")  # 超时自动交卷


class BoardKind(models.TextChoices):
    """The kinds of leaderboard (排行榜): a challenge's (levels cleared, points) and a contest's (score, time)."""

    CHALLENGE = "challenge", _("Challenge")
    CONTEST = "contest", _("Contest")


class TheoryState(models.TextChoices):
    """A competition round's online theory exam: set up, open to the round's contestants, scores sent to the round."""

    DRAFT = "draft", pgettext_lazy("theory exam", "Being set up")  # 准备中
    OPEN = "open", pgettext_lazy("theory exam", "Open")  # 已开放
    SENT = "sent", pgettext_lazy("theory exam", "Scores sent")  # 成绩已报送
