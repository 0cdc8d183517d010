"""The Chinese words of the honours rules' problems (eligibility, quotas, forwarding): one sentence per problem, for
the verbs' refusals and for the pages that show reasons without refusing (the suggestions' eligibility)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from .choices import Reserve, Subject
from .models import HonourType
from .rules.eligibility import Problem


def _names(codes: Sequence[str]) -> str:
    known = dict(HonourType.objects.filter(code__in=codes).values_list("code", "name"))
    return "、".join(known.get(c, c) for c in codes)


def _kind(kind: object) -> str:
    return str(Reserve(kind).label) if kind in Reserve.values else str(kind)


def message(p: Problem) -> str:
    """The Chinese-ready sentence of one problem of `rules.eligibility` or `rules.quotas`."""
    a = p.params
    texts = {
        # eligibility of a nominee
        "subject": lambda: _("This honour is conferred on %(subject)s.") % {
            "subject": str(Subject(a["subject"]).label) if a["subject"] in Subject.values else a["subject"]},
        "age_unknown": lambda: _("The nominee's age is not known: the roster has no birth date."),
        "too_young": lambda: _("The nominee is %(age)s: this honour takes nominees of at least %(min)s.") % a,
        "too_old": lambda: _("The nominee is %(age)s: this honour takes nominees of at most %(max)s.") % a,
        "years": lambda: _("%(years)s years in the trade: this honour asks for at least %(min)s.") % a,
        "record": lambda: _("A nominee with a disciplinary record cannot be nominated for this honour."),
        "requires": lambda: _("The nominee must already hold one of: %(names)s.") % {
            "names": _names(list(a["codes"]))},
        "excluded": lambda: _("The nominee already holds %(names)s, which excludes this honour.") % {
            "names": _names(list(a["codes"]))},
        # honour type criteria
        "age_range": lambda: _("An age limit lies between 16 and 80."),
        "age_order": lambda: _("The maximum age is below the minimum age."),
        "years_range": lambda: _("Years in the trade lie between 0 and 50."),
        "unknown_honour": lambda: _("Unknown honour: %(codes)s.") % {
            "codes": "、".join(a["codes"])},
        "both": lambda: _("An honour cannot be both required and excluding: %(names)s.") % {
            "names": _names(list(a["codes"]))},
        # quotas
        "negative": lambda: _("A quota or a reserve cannot be negative."),
        "reserve_over_quota": lambda: _("%(org)s: %(reserve)s places reserved for %(kind)s, more than its quota "
                                        "of %(quota)s.") % {**a, "org": a.get("org", ""), "kind": _kind(a["kind"])},
        "below_used": lambda: _("%(org)s has already nominated %(used)s: its quota cannot be %(quota)s.") % a,
        "reserve_taken": lambda: _("%(org)s has already nominated too many others to keep that reserve for "
                                   "%(kind)s.") % {**a, "kind": _kind(a["kind"])},
        "over_parent": lambda: _("The quotas given add up to %(given)s, more than the %(quota)s to share.") % a,
        "reserve_short": lambda: (_("%(org)s: ") % a if a.get("org") else "") + _(
            "%(reserve)s places are reserved for %(kind)s, but the unions below reserve %(passed)s and %(kept)s "
            "places are kept: reserve the rest below.") % {**a, "kind": _kind(a["kind"])},
        "over_quota": lambda: _("%(org)s has nominated %(used)s of its quota of %(quota)s: no place is left.") % a,
        "reserved": lambda: _("%(org)s keeps %(reserve)s of its %(quota)s places for %(kind)s: the other places "
                              "are taken.") % {**a, "kind": _kind(a["kind"])},
        # forwarding at a level of the review (推荐上报)
        "forward_over_quota": lambda: _("%(org)s has forwarded %(used)s of its quota of %(quota)s: no place is left "
                                        "to forward.") % a,
        "forward_reserved": lambda: _("%(org)s keeps %(reserve)s of its %(quota)s places for %(kind)s and has "
                                      "forwarded %(others)s others: only such nominees can be forwarded now.") % {
            **a, "kind": _kind(a["kind"])},
        "leader_cap": lambda: _("At most %(cap)s leaders or managers may be nominated in this campaign: the cap is "
                                "reached.") % a,
    }
    return texts[p.code]()
