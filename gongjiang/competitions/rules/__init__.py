"""Pure calculations of the competitions app: numbers in, numbers out, no ORM.

Split by topic: `marking` (marking schemes, aspect kinds, rounding, validation, integer hundredths),
`aspect_marks` (the mark of one aspect, judge aggregation, calibration and distributions), `scoring` (a score
sheet's subtotals and totals), `draws` (reproducible witnessed draws), `ranking` (rankings, tie-breaks, prize
bands, re-check selection, advancement, grade promotion), `eligibility` (registration rules and quotas),
`conflicts` (judge conflicts of interest), `labour` (labour-competition period scores and fund split)."""
