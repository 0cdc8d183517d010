"""Request and response schemas of the competitions API, one module per topic of `..api`: structure (competitions,
stages, events, rounds), schemes, registration, draws, judging, results; `common` holds what they share.

Vocabularies travel as codes with a `*_label` in the request's language; marks and scores are decimals with
two places, sent as strings ("87.50") so no precision is lost; dates are ISO 8601.

Anonymity is part of the schemas: a judge's sheet carries the anonymous code (加密号) and never a name or an
entry id; an entry carries its code and its scores only once the round is decrypted (the endpoint decides
and sets `show_code` / `show_results` on the object; both default to hidden).
"""
