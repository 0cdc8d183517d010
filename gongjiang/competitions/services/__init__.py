"""The verbs of the competitions app (the only writers), split by topic:

- `structure`: competitions, stages, events, rounds, marking schemes, state transitions;
- `registration`: registration by workers and units, eligibility, approval, waiting list, teams;
- `draws`: witnessed draws, check-in, two-stage anonymisation (参赛号 → 赛位号 → 加密号);
- `judging`: judge pool, assignments, conflicts, mark sheets, marks, sign-off, lock, decryption, re-check;
- `results`: totals, rankings, prizes, public notice, appeals, advancement, promotions, certificates;
- `labour`: labour competitions (indicators, periods, evaluations, fund split).
"""
