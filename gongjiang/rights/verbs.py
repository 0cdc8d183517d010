"""Labels of the rights verbs for timelines (履历), and of the keys of their data; registered when the app is
ready."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjiang.core.verbs import Key

from .choices import (
    Channel,
    CongressForm,
    ContractKind,
    ContractState,
    MatterKind,
    MotionState,
    OfferState,
    OpennessTopic,
    Resolution,
    Seat,
)
from .models.cases import CaseChannel, CaseKind, CaseResult, CaseStep

VERBS: dict[str, Any] = {
    "rights.congress.recorded": _("Workers' congress term recorded"),
    "rights.delegates.elected": _("Congress delegates elected"),
    "rights.delegate.removed": _("Congress delegate removed"),
    "rights.session.held": _("Congress session held"),
    "rights.motion.submitted": _("Motion submitted"),
    "rights.motion.handled": _("Motion handled"),
    "rights.matter.recorded": _("Matter reviewed by the congress"),
    "rights.openness.published": _("Enterprise affairs made public"),
    "rights.board_seat.elected": _("Employee director or supervisor elected"),
    "rights.board_seat.ended": _("Employee director's or supervisor's mandate ended"),
    "rights.contract.drafted": _("Collective contract drafted"),
    "rights.contract.signed": _("Collective contract signed"),
    "rights.contract.filed": _("Collective contract filed"),
    "rights.contract.terminated": _("Collective contract terminated"),
    "rights.campaign.opened": _("Bargaining campaign opened"),
    "rights.offers.sent": _("Bargaining offers sent"),
    "rights.offer.advanced": _("Bargaining offer moved on"),
    "rights.case.filed": _("Rights case filed"),
    "rights.case.accepted": _("Rights case accepted"),
    "rights.case.advanced": _("Rights case moved on"),
    "rights.case.noted": _("Note added to a rights case"),
    "rights.case.documents_added": _("Documents added to a rights case"),
    "rights.case.transferred": _("Rights case transferred"),
    "rights.case.closed": _("Rights case closed"),
    "rights.case.viewed": _("Rights case's personal data viewed"),
    "rights.cases.exported": _("Rights cases exported"),
}

KEYS: dict[str, dict[str, Any]] = {
    "rights": {
        "form": Key(_("Form"), choices=CongressForm),
        "term": _("Term number"),
        "established_on": _("Established on"),
        "ends_on": _("Ends on"),
        "enterprises": _("Enterprises"),
        "delegates": _("Delegates"),
        "held_on": _("Held on"),
        "present": _("Delegates present"),
        "title": _("Title"),
        "proposer": _("Proposed by"),
        "state": Key(_("State"), choices={**dict(MotionState.choices), **dict(ContractState.choices),
                                          **dict(OfferState.choices)}),
        "reply": _("Reply"),
        "kind": Key(_("Kind"), choices={**dict(MatterKind.choices), **dict(ContractKind.choices)}),
        "resolution": Key(_("Resolution"), choices=Resolution),
        "votes": _("Votes for, against, abstaining"),
        "topic": Key(pgettext_lazy("enterprise affairs", "Topic"), choices=OpennessTopic),
        "channel": Key(_("Channel"), choices=Channel),
        "published_on": _("Published on"),
        "seat": Key(_("Seat"), choices=Seat),
        "person": _("Person"),
        "until": _("Until"),
        "starts_on": _("Starts on"),
        "covered_workers": _("Workers covered"),
        "renews": _("Renews"),
        "signed_on": _("Signed on"),
        "filed_on": _("Filed on"),
        "filed_with": _("Labour authority"),
        "terminated_on": _("Terminated on"),
        "year": _("Year"),
        "on": pgettext_lazy("rights", "Date"),
        # rights cases
        "case_kind": Key(_("Kind of complaint"), choices=CaseKind),
        "case_channel": Key(_("Channel of the complaint"), choices=CaseChannel),
        "handler": _("Handling union"),
        "people": _("Workers involved"),
        "migrants": _("Migrant workers"),
        "claimed": _("Amount claimed (yuan)"),
        "step": Key(_("Case step"), choices=CaseStep),
        "step_on": _("Date of the step"),
        "result": Key(_("Result"), choices=CaseResult),
        "recovered": _("Amount recovered (yuan)"),
        "helped": _("Workers helped"),
        "public": _("Shown to the worker"),
        "files": _("Files"),
        "rows": _("Rows"),
        "view_channel": Key(_("Viewed through"), choices={
            "page": _("The case's page"), "api": _("The API"), "document": _("A document download"),
            "phone": _("The worker's phone page")}),
    },
}

# Part 3: labour protection and the 安康杯.
from .models.protection import AwardKind, CheckKind  # noqa: E402

VERBS.update({
    "rights.check.recorded": _("Labour protection check recorded"),
    "rights.hazards.added": _("Hazards added to a check"),
    "rights.hazard.closed": _("Hazard closed"),
    "rights.check.closed": _("Labour protection check closed"),
    "rights.ankang.opened": _("Ankang Cup competition opened"),
    "rights.ankang.entered": _("Entered in the Ankang Cup"),
    "rights.ankang.indicators": _("Ankang Cup indicators recorded"),
    "rights.ankang.evaluated": _("Ankang Cup evaluated"),
    "rights.ankang.awarded": _("Ankang Cup awards conferred"),
})
KEYS["rights"].update({
    "check_kind": Key(_("Kind of check"), choices=CheckKind),
    "checked_on": _("Checked on"),
    "inspectors": _("Inspectors"),
    "hazards": _("Hazards"),
    "found_on": _("Found on"),
    "closed_on": _("Closed on"),
    "evidence": _("Evidence"),
    "quota_enterprises": _("Quota of winning enterprises"),
    "quota_teams": _("Quota of winning teams"),
    "quota_organisers": _("Quota of outstanding organising units"),
    "units": _("Enterprises or teams"),
    "registered_on": _("Registered on"),
    "workers": _("Workers"),
    "accidents": _("Accidents"),
    "serious_accidents": _("Serious accidents"),
    "deaths": _("Deaths"),
    "hazards_found": _("Hazards found"),
    "hazards_fixed": _("Hazards fixed"),
    "training_sessions": _("Training sessions held"),
    "people_trained": _("People trained"),
    "evaluated_on": _("Evaluated on"),
    "entries": _("Entries"),
    "disqualified": _("Disqualified"),
    "award": Key(_("Award"), choices=AwardKind),
    "orgs": _("Units"),
    "conferred_on": _("Conferred on"),
})
