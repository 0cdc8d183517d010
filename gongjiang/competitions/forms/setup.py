"""Forms of the organiser's set-up pages (competitions, stages, events, marking schemes). They parse input only;
`services.structure` validates and writes, and a `DomainError` is put back on the field it names
(`apply_domain_error`), so nothing changes when anything is wrong."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjiang.core.forms import DateInput
from gongjiang.core.pages import apply_domain_error
from gongjiang.orgs.choices import SkillGrade
from gongjiang.orgs.models import Occupation, Org

from ..choices import CompetitionClass, CompetitionKind, CompetitionState, ContestGroup, Level
from ..queries import DEFAULT_PRIZE_RULE
from ..rules import marking

__all__ = ["CompetitionFilterForm", "CompetitionForm", "EventForm", "OpenRoundsForm", "SchemeImportForm",
           "SchemeSettingsForm", "StageForm", "apply_domain_error"]


ALL = _("All")


def _blank(choices: Any, label: Any = ALL) -> list[tuple[Any, Any]]:
    return [("", label), *choices]


class CompetitionFilterForm(forms.Form):
    """Filters of the skills competitions' list: year, state and level (labour competitions have a list of their
    own)."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None, choices=[])
    state = forms.ChoiceField(label=_("State"), required=False, choices=_blank(CompetitionState.choices))
    level = forms.ChoiceField(label=_("Level"), required=False, choices=_blank(Level.choices))

    def __init__(self, *args: Any, years: list[int], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["year"].choices = _blank([(y, str(y)) for y in years])

    def has_filters(self) -> bool:
        return any(self.cleaned_data.get(k) not in (None, "") for k in ("year", "state", "level"))


class CompetitionForm(forms.Form):
    """A competition's own data. The organiser (one of the user's own scopes with change rights) and the kind are
    chosen when it is created and fixed afterwards (services.structure.update_competition)."""

    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Org.objects.none(),
                                       help_text=_("The union that runs the competition; its cadres manage it and "
                                                   "the units below it may take part."))
    name = forms.CharField(label=_("Name of the competition"), max_length=120, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. 2026年山东省职工职业技能大赛")}))
    year = forms.IntegerField(label=_("Year"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=CompetitionKind.choices,
                             help_text=_("A skills competition has events per trade, stages and judges; a labour "
                                         "competition evaluates units on indicators every period."))
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    klass = forms.TypedChoiceField(label=_("Class"), choices=CompetitionClass.choices, coerce=int,
                                   help_text=_("The class decides the titles and the grade promotions the results "
                                               "bring: a Class I competition may confer titles such as 技术能手 and "
                                               "promote winners up to 高级技师; Class II brings smaller promotions."))
    co_organisers = forms.CharField(label=_("Co-organisers"), max_length=300, required=False,
                                    help_text=_("e.g. the provincial human resources department"))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    registration_opens = forms.DateField(label=_("Registration opens"), required=False, widget=DateInput())
    registration_closes = forms.DateField(label=_("Registration closes"), required=False, widget=DateInput())
    exclusive = forms.BooleanField(label=_("One event per worker"), required=False,
                                   help_text=_("A worker may register for only one event of this competition."))
    fund_amount = forms.DecimalField(label=_("Competition fund (yuan)"), required=False, min_value=None,
                                     max_digits=14, decimal_places=2,
                                     help_text=_("Labour competitions: the fund shared among the units in proportion "
                                                 "to their scores."))

    def __init__(self, *args: Any, organisers: list[Org] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if organisers is None:  # editing: organiser and kind are fixed
            del self.fields["organiser"]
            del self.fields["kind"]
        else:
            self.fields["organiser"].queryset = Org.objects.filter(pk__in=[o.pk for o in organisers])
            self.fields["organiser"].label_from_instance = lambda o: o.name  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d.pop("organiser", None)
        if d.get("fund_amount") is None:
            d["fund_amount"] = Decimal("0")
        if d.get("year") is None:
            d["year"] = 0  # the service refuses an implausible year with its own message
        return d


class StageForm(forms.Form):
    """A stage and its advancement rule; the per-city quotas are one number field per org (`quota_<pk>`)."""

    name = forms.CharField(label=_("Name of the stage"), max_length=60, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. 市级选拔赛")}))
    level = forms.ChoiceField(label=_("Run by"), choices=Level.choices,
                              help_text=_("Which level of union runs the rounds of this stage (e.g. every city "
                                          "federation runs its own round of a city qualifier)."))
    direct_registration = forms.BooleanField(
        label=_("Open to direct registration"), required=False,
        help_text=_("Workers and units register for this stage; otherwise its entries are the contestants who "
                    "advance from the previous stage."))
    mode = forms.ChoiceField(label=_("Who advances to the next stage"), required=False, choices=[
        ("", _("Nobody (last stage)")), ("top_n", _("The top N of each round")),
        ("percent", _("A percentage of each round"))])
    n = forms.IntegerField(label=_("N"), required=False, min_value=1)
    percent = forms.IntegerField(label=_("Percentage"), required=False, min_value=1, max_value=100)
    ties = forms.ChoiceField(label=_("Ties at the last place"), choices=[
        ("include", _("All tied contestants advance")),
        ("strict", _("The tie-breaks decide; the number is a hard limit"))], initial="include")

    def __init__(self, *args: Any, quota_orgs: list[Org] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.quota_orgs = quota_orgs or []
        for org in self.quota_orgs:
            self.fields[f"quota_{org.pk}"] = forms.IntegerField(label=org.display_name, required=False, min_value=0)

    def quota_fields(self) -> list[Any]:
        return [self[f"quota_{o.pk}"] for o in self.quota_orgs]

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        mode = d.get("mode")
        if mode == "top_n" and not d.get("n"):
            self.add_error("n", _("How many of each round advance?"))
        if mode == "percent" and not d.get("percent"):
            self.add_error("percent", _("Which percentage of each round advances?"))
        return d

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        advancement: dict[str, Any] = {}
        if d.get("mode"):
            key = "n" if d["mode"] == "top_n" else "percent"
            quotas = {str(o.pk): d[f"quota_{o.pk}"] for o in self.quota_orgs
                      if d.get(f"quota_{o.pk}") is not None}
            advancement = {"mode": d["mode"], key: d.get(key), "ties": d.get("ties") or "include",
                           "city_quotas": quotas}
        return {"name": d.get("name") or "", "level": d["level"],
                "direct_registration": bool(d.get("direct_registration")), "advancement": advancement}


class OpenRoundsForm(forms.Form):
    """Open the rounds of a stage: with its default organisers, or with orgs chosen from a list or by code."""

    who = forms.ChoiceField(label=_("Organising units"), widget=forms.RadioSelect, initial="default", choices=[
        ("default", _("The default units of this stage's level")), ("chosen", _("The units chosen below"))])
    orgs = forms.MultipleChoiceField(label=_("Units"), required=False, widget=forms.CheckboxSelectMultiple)
    codes = forms.CharField(label=_("Unit codes"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Unit codes separated by spaces, commas or new lines (for units not listed, "
                                        "e.g. the grassroots unions of an enterprise stage)."))
    events = forms.MultipleChoiceField(label=_("Events"), required=False, widget=forms.CheckboxSelectMultiple,
                                       help_text=_("Leave all unticked to open rounds for every event."))

    def __init__(self, *args: Any, candidates: list[Org], events: list[Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["orgs"].choices = [(str(o.pk), o.name) for o in candidates]
        self.fields["events"].choices = [(str(e.pk), str(e)) for e in events]

    def code_list(self) -> list[str]:
        return [c for c in re.split(r"[\s,，、;；]+", self.cleaned_data.get("codes") or "") if c]


GRADE_CHOICES = [(g.value, g.label) for g in sorted((g for g in SkillGrade if g != SkillGrade.NONE),
                                                     key=lambda g: -g.value)]
TIE_BREAK_CHOICES = [("", "—"), ("practical", _("Practical score (higher first)")),
                     ("theory", _("Theory score (higher first)")), ("time_used", _("Time used (shorter first)"))]
PRIZE_UNITS = [("percent", _("% of the ranked")), ("count", _("contestants"))]
PRIZES = [("first", _("First prize")), ("second", _("Second prize")), ("third", _("Third prize")),
          ("merit", _("Merit award"))]


def _plain(value: Decimal) -> str:
    """60.00 → "60", 7.50 → "7.5" (never an exponent)."""
    return format(value.normalize(), "f")


class TradeChoiceField(forms.Field):
    """The trade (工种) of an event: the pk of a level-4 occupation, chosen from the HTMX search's list."""

    default_error_messages = {"invalid": _("Search for the trade and choose it from the list.")}

    def to_python(self, value: Any) -> Occupation | None:
        if value in (None, ""):
            return None
        if not str(value).isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        found = Occupation.objects.filter(pk=int(value), level=4).first()
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return found


class EventForm(forms.Form):
    """An event (赛项): trade and group, team or individual, weights, eligibility, tie-breaks, prizes, re-check."""

    trade = TradeChoiceField(label=_("Trade"), required=False)
    name = forms.CharField(label=_("Name of the event"), max_length=80, required=False,
                           help_text=_("Leave blank to use the trade's name."))
    group = forms.ChoiceField(label=_("Group"), choices=ContestGroup.choices)
    is_team = forms.BooleanField(label=_("Team event"), required=False)
    team_size = forms.IntegerField(label=_("Team size"), required=False, min_value=1, initial=1)
    team_drawn = forms.IntegerField(label=_("Members drawn from the unit's roster"), required=False, min_value=0,
                                    initial=0, help_text=_("Drawn at random by the organiser from the unit's "
                                                           "workers of the trade; the others are chosen by the unit."))
    theory_weight = forms.IntegerField(label=_("Theory weight"), initial=30, min_value=0, max_value=100)
    practical_weight = forms.IntegerField(label=_("Practical weight"), initial=70, min_value=0, max_value=100,
                                          help_text=_("Theory and practical weights add up to 100, e.g. 30:70."))
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=14, max_value=80)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=14, max_value=80)
    age_reference_date = forms.DateField(label=_("Age reckoned on"), required=False, widget=DateInput(),
                                         help_text=_("Ages are counted on this day (e.g. the day of the final)."))
    min_grade = forms.TypedChoiceField(label=_("Lowest grade admitted"), required=False, coerce=int,
                                       empty_value=None, choices=_blank(GRADE_CHOICES, _("No minimum")),
                                       help_text=_("E.g. 三级/高级工: workers of that grade or higher may enter."))
    max_grade = forms.TypedChoiceField(label=_("Highest grade admitted"), required=False, coerce=int,
                                       empty_value=None, choices=_blank(GRADE_CHOICES, _("No maximum")),
                                       help_text=_("E.g. 二级/技师: workers already 一级/高级技师 may not enter."))
    members_only = forms.BooleanField(label=_("Union members in good standing only"), required=False, initial=True)
    front_line_only = forms.BooleanField(label=_("Front-line workers only"), required=False)
    exclude_leaders = forms.BooleanField(label=_("Enterprise leaders excluded"), required=False, initial=True)
    unit_quota = forms.IntegerField(label=_("Entries per unit"), required=False, min_value=1)
    capacity = forms.IntegerField(label=_("Capacity per round"), required=False, min_value=1)
    waitlist = forms.BooleanField(label=_("Waiting list when full"), required=False, initial=True)
    requires_approval = forms.BooleanField(label=_("Registrations need the organiser's approval"), required=False)
    tie_break_1 = forms.ChoiceField(label=_("1st tie-break"), required=False, choices=TIE_BREAK_CHOICES,
                                    initial="practical")
    tie_break_2 = forms.ChoiceField(label=_("2nd tie-break"), required=False, choices=TIE_BREAK_CHOICES,
                                    initial="time_used")
    tie_break_3 = forms.ChoiceField(label=_("3rd tie-break"), required=False, choices=TIE_BREAK_CHOICES)
    first_value = forms.IntegerField(label=_("First prize"), required=False, min_value=0, initial=10)
    first_unit = forms.ChoiceField(label=_("unit"), choices=PRIZE_UNITS, initial="percent")
    second_value = forms.IntegerField(label=_("Second prize"), required=False, min_value=0, initial=20)
    second_unit = forms.ChoiceField(label=_("unit"), choices=PRIZE_UNITS, initial="percent")
    third_value = forms.IntegerField(label=_("Third prize"), required=False, min_value=0, initial=30)
    third_unit = forms.ChoiceField(label=_("unit"), choices=PRIZE_UNITS, initial="percent")
    merit_value = forms.DecimalField(label=_("Merit award"), required=False, min_value=0, decimal_places=2)
    merit_unit = forms.ChoiceField(label=_("unit"), initial="percent", choices=[
        *PRIZE_UNITS, ("score", _("points or more (every other ranked contestant)"))])
    min_total = forms.DecimalField(label=_("No prize below (points)"), required=False, min_value=0,
                                   decimal_places=2)
    recheck_top_percent = forms.IntegerField(label=_("Re-check all of the top (%)"), min_value=0, max_value=100,
                                             initial=30)
    recheck_sample_percent = forms.IntegerField(label=_("and a drawn sample of the rest (%)"), min_value=0,
                                                max_value=100, initial=15)

    PRIZE_FIELDS = ("first", "second", "third")

    def __init__(self, *args: Any, event: Any = None, **kw: Any) -> None:
        if event is not None and "initial" not in kw:
            kw["initial"] = self.initial_of(event)
        super().__init__(*args, **kw)

    @classmethod
    def initial_of(cls, event: Any) -> dict[str, Any]:
        data: dict[str, Any] = {f: getattr(event, f) for f in (
            "name", "group", "is_team", "team_size", "team_drawn", "theory_weight", "practical_weight", "min_age",
            "max_age", "age_reference_date", "min_grade", "max_grade", "members_only", "front_line_only",
            "exclude_leaders", "unit_quota", "capacity", "waitlist", "requires_approval", "recheck_top_percent",
            "recheck_sample_percent")}
        data["trade"] = event.trade_id
        breaks = list(event.tie_breaks or [])
        for i in range(3):
            data[f"tie_break_{i + 1}"] = breaks[i] if i < len(breaks) else ""
        rule = event.prize_rule or DEFAULT_PRIZE_RULE  # what ranking applies to an event without its own rule
        bands = {b.get("prize"): b for b in rule.get("bands", [])}
        for prize in (*cls.PRIZE_FIELDS, "merit"):
            band = bands.get(prize)
            data[f"{prize}_value"] = None if band is None else band.get("percent", band.get("count"))
            data[f"{prize}_unit"] = "count" if band is not None and band.get("count") is not None else "percent"
        if rule.get("merit_from") not in (None, ""):
            data["merit_value"], data["merit_unit"] = Decimal(str(rule["merit_from"])), "score"
        data["min_total"] = Decimal(str(rule["min_total"])) if rule.get("min_total") not in (None, "") else None
        return data

    def prize_pairs(self) -> list[tuple[Any, Any]]:
        """(amount, unit) bound fields of each prize band, for the prize table."""
        return [(self[f"{p}_value"], self[f"{p}_unit"]) for p in (*self.PRIZE_FIELDS, "merit")]

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        if d.get("merit_value") is not None and d.get("merit_unit") != "score" and d["merit_value"] % 1:
            self.add_error("merit_value", _("A number of contestants or a percentage is a whole number."))
        return d

    def prize_rule(self) -> dict[str, Any]:
        d = self.cleaned_data
        bands: list[dict[str, Any]] = []
        for prize in self.PRIZE_FIELDS:
            value = d.get(f"{prize}_value")
            if value is not None:
                bands.append({"prize": prize, ("count" if d.get(f"{prize}_unit") == "count" else "percent"): value})
        rule: dict[str, Any] = {"bands": bands}
        merit = d.get("merit_value")
        if merit is not None:
            if d.get("merit_unit") == "score":
                rule["merit_from"] = _plain(merit)
            else:
                bands.append({"prize": "merit", ("count" if d.get("merit_unit") == "count" else "percent"): int(merit)})
        if d.get("min_total") is not None:
            rule["min_total"] = _plain(d["min_total"])
        return rule

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        trade = d.get("trade")
        data = {k: d.get(k) for k in (
            "group", "is_team", "theory_weight", "practical_weight", "min_age", "max_age", "age_reference_date",
            "min_grade", "max_grade", "members_only", "front_line_only", "exclude_leaders", "unit_quota", "capacity",
            "waitlist", "requires_approval", "recheck_top_percent", "recheck_sample_percent")}
        data["trade"] = trade
        data["name"] = (d.get("name") or "").strip() or (trade.name if trade else "")
        data["team_size"] = (d.get("team_size") or 1) if d.get("is_team") else 1
        data["team_drawn"] = (d.get("team_drawn") or 0) if d.get("is_team") else 0
        data["tie_breaks"] = [d[f"tie_break_{i}"] for i in (1, 2, 3) if d.get(f"tie_break_{i}")]
        data["prize_rule"] = self.prize_rule()
        return data


METHOD_CHOICES = [(m, marking.METHOD_LABELS[m]) for m in marking.JUDGEMENT_METHODS]


class SchemeSettingsForm(forms.Form):
    """How a scheme is marked: its total, the judgement method, the rounding and the judges per entry."""

    expected_total = forms.DecimalField(label=_("Total marks"), min_value=Decimal("0.01"), decimal_places=2,
                                        initial=100, help_text=_("The aspects' maximum marks must add up to it."))
    judgement_method = forms.ChoiceField(label=_("Judgement method"), choices=METHOD_CHOICES, initial=marking.MEAN)
    trim = forms.IntegerField(label=_("Marks dropped at each end"), min_value=0, initial=0,
                              help_text=_("Trimmed mean only: k highest and k lowest marks are dropped (0 for the "
                                          "other methods)."))
    rounding_mode = forms.ChoiceField(label=_("Rounding"), choices=list(marking.ROUNDING_MODE_LABELS.items()),
                                      initial="half_up")
    rounding_places = forms.TypedChoiceField(label=_("Decimals"), coerce=int, initial=2,
                                             choices=[(2, "2"), (1, "1"), (0, "0")])
    rounding_level = forms.ChoiceField(label=_("Rounded at"), choices=list(marking.ROUNDING_LEVEL_LABELS.items()),
                                       initial="aspect")
    judges_per_entry = forms.IntegerField(label=_("Judges per entry"), min_value=1, max_value=15, initial=3)

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class SchemeImportForm(forms.Form):
    file = forms.FileField(label=_("Marking scheme (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           help_text=_("Fill in the template (or edit an export); the whole file is checked and the "
                                       "scheme is replaced only if every row is correct."))
