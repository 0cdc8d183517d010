"""The learning endpoints (mounted by gongjiang/api.py from LearningConfig.api_router): banks and questions,
challenges and levels, contests, attempts (start, answer, submit), leaderboards, training and mentorship. Same verbs
and scopes as the pages: out of scope is a 404; a refusal is a 400 naming its field."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["learning"])

from .challenges import router as challenges_router  # noqa: E402  (the challenges' endpoints, their own module)

router.add_router("", challenges_router)

from .banks import router as _banks_router  # noqa: E402  (the question banks' endpoints, api/banks.py)

router.add_router("", _banks_router)
from .training import router as _training_router  # noqa: E402  (sessions, mentor pairs, materials)

router.add_router("", _training_router)
from .contests import router as contests_router  # noqa: E402  (the contests' and theory exams' endpoints)

router.add_router("", contests_router)

from .figures import router as _figures_router  # noqa: E402  (the learning figures, api/figures.py)

router.add_router("", _figures_router)
