"""API endpoints of skills competitions (mounted under /api/v1 by gongjiang/api.py as `router`), one module per
topic: structure (competitions, stages, events, schemes, rounds), registration, draws, judging and results;
`common` holds what they share. Labour competitions have pages (views/labour.py) but no endpoints yet.

Thin like the views: parse (schemas), fetch through `for_user` (out of scope is a 404), call a service (which
checks the role: not allowed is a 403), answer. Judges reach their rounds and sheets through their own
assignments (`Sheet.objects.for_judge`), never through an org scope, and only ever by 加密号.

Anonymity (二次加密) is kept by the answers, not only by the pages: before a round is decrypted no answer
links a 加密号 to a person — entries carry no code and no practical score or total, the ranking carries codes
and practical scores only, and the 加密号 draw is sealed (its seed and result are withheld).
"""

from ninja import Router

from . import draws, judging, registration, results, structure
from .common import fixed_paths

# Django tries the paths in this order and the first that matches answers, so `fixed_paths` come first.
router = Router()
for topic_router in (fixed_paths, structure.router, registration.router, draws.router, judging.router, results.router):
    router.add_router("", topic_router)
