"""Chinese number formats for a union's figures: digits grouped by thousands with a comma (50,000; 1,200,000.00),
as the federation's reports print them. Django's own zh_Hans format has no thousand separator; everything not set
here (dates, times) stays Django's."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
