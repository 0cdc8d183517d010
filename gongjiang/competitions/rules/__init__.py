"""Pure calculations of the competitions app: numbers in, numbers out, no ORM.

Split by topic: `marking` (marking schemes, aspect types, judge aggregation, rounding, totals),
`draws` (reproducible witnessed draws), `ranking` (rankings, tie-breaks, prize bands, re-check
selection, advancement, grade promotion), `eligibility` (registration rules and quotas), `conflicts`
(judge conflicts of interest), `labour` (labour-competition period scores and fund split)."""
