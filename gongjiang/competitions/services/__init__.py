"""The verbs of the competitions app (the only writers), split by topic:

- `structure`: competitions, stages, events, rounds, marking schemes, state transitions;
- `registration`: registration by workers and units, eligibility, approval, waiting list, teams;
- `planner`: many registrations at once (the pages' previews, the bulk import), decided as `registration` does;
- `draws`: witnessed draws, check-in, two-stage anonymisation (参赛号 → 赛位号 → 加密号);
- `judging`: judge pool, assignments, conflicts, mark sheets, marks, sign-off, the judging pages' reads;
- `chief`: the chief judge's side: returning and locking sheets, decryption, re-check and appeal changes;
- `results`: totals, theory scores, rankings, prizes, re-check selection, public notice, appeals;
- `awards`: finalising a round: advancement, grade promotions, certificates;
- `analysis`: the analysis pages' reads (weak aspects, participation up the tree);
- `labour`: labour competitions, the set-up (indicators, units, periods, evaluators);
- `evaluation`: labour competitions, the evaluation (entering, closing periods, the year, the fund split).
"""
