"""The learning endpoints (mounted by gongjiang/api.py from LearningConfig.api_router): banks and questions,
challenges and levels, contests and theory exams, attempts (read, answer, submit), leaderboards, training and
mentorship, figures — one module per part, each adding its router here. Same verbs and scopes as the pages: out of
scope is a 404; a refusal is a 400 naming its field."""

from __future__ import annotations

from ninja import Router

from .attempts import router as _attempts_router
from .banks import router as _banks_router
from .challenges import router as _challenges_router
from .contests import router as _contests_router
from .figures import router as _figures_router
from .training import router as _training_router

router = Router(tags=["learning"])
for _part in (_attempts_router, _banks_router, _challenges_router, _contests_router, _figures_router,
              _training_router):
    router.add_router("", _part)
