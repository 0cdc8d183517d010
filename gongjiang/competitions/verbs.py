"""Labels of the competitions' audit verbs for timelines (履历), and how their data is put in words (the labels
and looks of its keys, describers for the bulk payloads); registered when the app is ready."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongjiang.core.history import Change, Description, count, day, listing, money, number, text
from gongjiang.core.verbs import Key
from gongjiang.orgs.choices import SkillGrade

from .choices import JudgeRole, Level, PeriodKind, Prize
from .rules.marking import METHOD_LABELS, ROUNDING_LEVEL_LABELS, ROUNDING_MODE_LABELS

VERBS = {
    "competitions.appeal.decided": _("Appeal decided"),
    "competitions.appeal.filed": _("Appeal filed"),
    "competitions.certificate.revoked": _("Certificate revoked"),
    "competitions.competition.created": _("Competition created"),
    "competitions.competition.state_changed": _("State changed"),
    "competitions.competition.updated": _("Competition edited"),
    "competitions.draw.made": _("Draw made"),
    "competitions.entry.approved": _("Registration approved"),
    "competitions.entry.checked_in": _("Checked in"),
    "competitions.entry.locked": _("Mark sheets locked"),
    "competitions.entry.promoted": _("Moved up from the waiting list"),
    "competitions.entry.refused": _("Registration refused"),
    "competitions.entry.registered": _("Registered"),
    "competitions.entry.withdrawn": _("Registration withdrawn"),
    "competitions.event.added": _("Event added"),
    "competitions.event.updated": _("Event edited"),
    "competitions.judge.added": _("Judge added to the pool"),
    "competitions.judge.assigned": _("Judge assigned"),
    "competitions.judge.conflict_declared": _("Conflict of interest declared"),
    "competitions.labour.evaluations_entered": _("Evaluations entered"),
    "competitions.labour.evaluator_appointed": _("Evaluator appointed"),
    "competitions.labour.evaluator_withdrawn": _("Evaluator withdrawn"),
    "competitions.labour.indicators_set": _("Indicators set"),
    "competitions.labour.period_closed": _("Evaluation period closed"),
    "competitions.labour.periods_opened": _("Evaluation periods opened"),
    "competitions.labour.unit_added": _("Competing unit added"),
    "competitions.labour.unit_removed": _("Competing unit removed"),
    "competitions.mark.amended_appeal": _("Mark changed on appeal"),
    "competitions.mark.amended_recheck": _("Mark changed on re-check"),
    "competitions.promotion.decided": _("Grade promotion decided"),
    "competitions.round.checkin_opened": _("Contestant numbers drawn, check-in opened"),
    "competitions.round.codes_drawn": _("Anonymous codes drawn"),
    "competitions.round.decrypted": _("Results decrypted"),
    "competitions.round.finalised": _("Results confirmed"),
    "competitions.round.locked": _("All mark sheets locked"),
    "competitions.round.marking_opened": _("Marking opened"),
    "competitions.round.notice_ended": _("Public notice of the results ended"),
    "competitions.round.published": _("Results put on public notice"),
    "competitions.round.recheck_drawn": _("Re-check selection drawn"),
    "competitions.round.stations_drawn": _("Stations drawn"),
    "competitions.round.theory_entered": _("Theory scores entered"),
    "competitions.round.updated": _("Round details edited"),
    "competitions.rounds.opened": _("Rounds opened"),
    "competitions.scheme.set": _("Marking scheme set"),
    "competitions.scheme.settings_changed": _("Marking settings changed"),
    "competitions.sheet.returned": _("Mark sheet returned to the judge"),
    "competitions.sheet.signed": _("Mark sheet signed"),
    "competitions.stage.added": _("Stage added"),
    "competitions.stage.advanced": _("Contestants advanced to the next stage"),
    "competitions.team.formed": _("Team entered"),
    "competitions.team.members_drawn": _("Team members drawn"),
    "import.competition_registrations": _("Registrations imported"),
    "import.scheme": _("Marking scheme imported"),
    "import.theory": _("Theory scores imported"),
}


# ---------------------------------------------------------------------------------------------
# What core.history needs to put the competitions' audit data in words (registered with VERBS). Never shown: an
# entry's 加密号 (`code`: beside an entry's name it is exactly the link anonymity forbids), a draw's seed (the 加密号
# draw's is sealed until decryption), the ranked codes of a re-check draw, ids.

TIE_BREAKS = {"practical": _("practical score"), "theory": _("theory score"), "time_used": _("time used")}


def _points(value: Any) -> str:
    """A mark or score kept in hundredths (8750 → 87.50)."""
    from decimal import Decimal, InvalidOperation

    try:
        return number(Decimal(str(value)) / 100, 2)
    except InvalidOperation:
        return text(value)


def _how_many(value: Any) -> str:
    return count(len(value)) if isinstance(value, list) else text(value)


def _advancement(value: Any) -> str:
    from gongjiang.orgs.models import Org

    from .views.competitions import advancement_text

    quotas = (value or {}).get("city_quotas") or {}
    names = {str(pk): name for pk, name in Org.objects.filter(pk__in=[int(k) for k in quotas if str(k).isdigit()])
             .values_list("pk", "name")} if quotas else {}
    return advancement_text(value, names)


def _prize_rule(value: Any) -> str:
    from .views.competitions import prize_text

    return prize_text(value) or "—"


def _notes(value: Any) -> str:
    """The rules' reasons kept on an entry (English templates with their parameters), in the active language."""
    found = []
    for note in value or []:
        params = note.get("params") or {}
        try:
            found.append(gettext(note.get("template", "")) % params)
        except (KeyError, TypeError, ValueError):
            found.append(gettext(note.get("template", "")))
    return listing(found)


def _draw(value: Any) -> str:
    from .models.registration import purpose_label

    return purpose_label(str(value))


def _marks(value: Any) -> str:
    """A signed sheet's marks: how many and their sum (the sheet's page shows them one by one)."""
    total = sum(int(m.get("value") or 0) for m in (value or {}).values() if isinstance(m, dict))
    return gettext("%(n)s aspects, %(total)s points in all") % {"n": number(len(value or {})), "total": _points(total)}


def _rounding(value: Any) -> str:
    mode, _sep, rest = str(value).partition("/")
    places, _sep, level = rest.partition("/")
    return "，".join(str(x) for x in (ROUNDING_MODE_LABELS.get(mode, mode),
                                      gettext("%(n)s decimal places") % {"n": places},
                                      ROUNDING_LEVEL_LABELS.get(level, level)))


def _indicator_names(event: Any) -> dict[str, str]:
    """The competition's indicators by code (the standard ones by their label if one was since removed)."""
    from .models import Indicator
    from .rules.labour import STANDARD_INDICATORS

    names = {code: str(name) for code, name, _weight in STANDARD_INDICATORS}
    names.update(Indicator.objects.filter(competition_id=event.object_id).values_list("code", "name"))
    return names


def _indicators(rows: Any) -> str:
    """[code, name, weight, safety veto] rows: 进度 30、质量 25、安全 25（一票否决）."""
    if not rows:
        return "—"
    return listing([f"{r[1]} {r[2]}" + (gettext(" (safety veto)") if len(r) > 3 and r[3] else "") for r in rows],
                   limit=8)


def _indicators_set(event: Any, reader: Any) -> Description:
    before, after = (event.before or {}).get("indicators"), (event.after or {}).get("indicators")
    return Description(changes=[Change(gettext("Indicators"), _indicators(before) if before else None,
                                       _indicators(after))])


def _evaluations(event: Any, reader: Any) -> Description:
    """A period's evaluations, entered in bulk: how many values for how many units, the first units' values (the
    labour competition's page has them all)."""
    after = event.after or {}
    rows = after.get("changes") or []
    names = _indicator_names(event)
    by_unit: dict[str, list[str]] = {}
    for r in rows:
        unit, code, old, new = [*r, None, None, None, None][:4]
        value = text(new) if new is not None else gettext("cleared")
        if old is not None:
            value = f"{text(old)} → {value}"
        if len(r) > 4 and r[4]:
            value += gettext(" (safety veto)")
        by_unit.setdefault(str(unit), []).append(f"{names.get(code, gettext('Indicator'))} {value}")
    summary = gettext("%(period)s: %(n)s values for %(units)s units") % {
        "period": after.get("period", ""), "n": number(len(rows)), "units": number(len(by_unit))}
    lines = [Change(unit, None, listing(cells, limit=8)) for unit, cells in list(by_unit.items())[:SHOWN]]
    return Description(summary=summary, changes=lines, more=max(0, len(by_unit) - SHOWN))


def _period_closed(event: Any, reader: Any) -> Description:
    """A closed period's ranking: the first places, how many units in all, who was not evaluated."""
    after = event.after or {}
    results = after.get("results") or []
    summary = gettext("%(period)s: %(n)s units ranked") % {"period": after.get("period", ""),
                                                           "n": number(len(results))}
    lines = [Change(gettext("Place %(n)s") % {"n": r[2]}, None,
                    f"{r[0]} {r[1]}" + (gettext(" (safety veto)") if len(r) > 3 and r[3] else ""))
             for r in results[:SHOWN]]
    missing = after.get("not_evaluated") or []
    if missing:
        lines.append(Change(gettext("Not evaluated"), None, listing(missing)))
    return Description(summary=summary, changes=lines, more=max(0, len(results) - SHOWN))


def _amended(event: Any, reader: Any) -> Description:
    """A mark changed on re-check or appeal: the aspect (by its code in the scheme) and the mark before and after."""
    before, after = event.before or {}, event.after or {}
    lines = []
    for code, new in after.items():
        old = before.get(code) or {}
        lines.append(Change(gettext("Aspect %(code)s") % {"code": code},
                            _points(old.get("value")) if old.get("value") is not None else None,
                            _points((new or {}).get("value")) if (new or {}).get("value") is not None else "—"))
    return Description(changes=lines)


def _scheme_settings(event: Any, reader: Any) -> Description:
    """The scheme's settings, recorded on its event: the scheme's fields."""
    from .models import Scheme

    return Description(changes=reader.changes(event.before or {}, event.after or {}, model=Scheme))


SHOWN = 3  # lines of a bulk payload shown; the rest are counted

KEYS: dict[str, dict[str, Any]] = {
    "competitions": {
        "code": Key(hidden=True), "seed": Key(hidden=True), "user": Key(hidden=True), "org": _("Unit"),
        "fund_amount": Key(_("Competition fund"), show=money),
        "min_grade": Key(choices=SkillGrade), "max_grade": Key(choices=SkillGrade),
        "tie_breaks": Key(choices=TIE_BREAKS), "prize_rule": Key(show=_prize_rule),
        "advancement": Key(_("Advancement rule"), show=_advancement), "notes": Key(_("Notes"), show=_notes),
        "stage": _("Stage"), "event": _("Event"), "rounds": _("Rounds"), "organisers": _("Organising units"),
        "level": Key(_("Level"), choices=Level), "judge": _("Judge"), "role": Key(_("Role"), choices=JudgeRole),
        "entries": _("Contestants"), "sheets": _("Mark sheets"),
        "place": _("Place"), "total": Key(_("Total"), show=_points), "prize": Key(_("Prize"), choices=Prize),
        "marks_changed": _("Marks changed"), "marks": Key(_("Marks"), show=_marks),
        "person": _("Person"), "reason": _("Reason"), "sheets_withdrawn": _("Mark sheets withdrawn"),
        "grade": Key(_("Proposed grade"), choices=SkillGrade), "members": _("Team members"),
        "drawn": _("Members drawn"),
        "unit": _("Unit"), "evaluator": _("Evaluator"), "period": _("Period"),
    },
    "competitions.entry.locked": {"practical": Key(_("Practical score"), show=text)},
    "competitions.draw": {"purpose": Key(_("Draw"), show=_draw), "kind": Key(hidden=True),
                          "inputs": _("Items drawn from"), "witnesses": _("Witnesses")},
    "competitions.round": {
        "stations": _("Stations drawn"), "absent": _("Absent"), "codes": _("Anonymous codes drawn"),
        "judges": _("Judges"), "per_entry": _("Judges per contestant"),
        "top": Key(_("Top places re-checked"), show=_how_many), "sample": Key(_("Sheets sampled"), show=_how_many),
        "until": Key(_("Public notice until"), show=day), "working_days": _("Working days"),
        "open_appeals": _("Appeals still open"), "open_objections": _("Objections still open"),
        "certificates": _("Certificates issued"), "promotions": _("Grade promotions proposed"),
        "advanced": _("Advanced to the next stage"), "supervisor": _("Supervisor"),
    },
    "competitions.stage.advanced": {"advancing": _("Advancing"), "entered": _("Entered in the next stage")},
    "competitions.labour.periods_opened": {"kind": Key(_("Periods of"), choices=PeriodKind),
                                           "year": _("Year"), "periods": _("Periods")},
    "competitions.labour.unit_added": {"unit": _("Competing unit"), "org": Key(hidden=True)},
    "competitions.labour.unit_removed": {"unit": _("Competing unit")},
    "competitions.scheme": {
        "aspects": _("Aspects"), "total": Key(_("Full marks"), show=text),
        "method": Key(_("Judgement method"), choices=METHOD_LABELS), "trim": _("Marks trimmed"),
        "rounding": Key(_("Rounding"), show=_rounding),
        "judgement_method": Key(choices=METHOD_LABELS), "rounding_mode": Key(choices=ROUNDING_MODE_LABELS),
        "rounding_level": Key(choices=ROUNDING_LEVEL_LABELS),
    },
    "import.competition_registrations": {
        "registered": _("Registered"), "pending": _("Awaiting approval"), "waitlisted": _("On the waiting list"),
        "teams": _("Teams"), "competition": Key(hidden=True)},
    "import.scheme": {"aspects": _("Aspects"), "total": Key(_("Full marks"), show=text), "event": Key(hidden=True)},
}
DESCRIBERS = {
    "competitions.labour.indicators_set": _indicators_set,
    "competitions.labour.evaluations_entered": _evaluations,
    "competitions.labour.period_closed": _period_closed,
    "competitions.mark.amended_appeal": _amended,
    "competitions.mark.amended_recheck": _amended,
    "competitions.scheme.settings_changed": _scheme_settings,
}
